// `s1 grade`: grades a JSONL of predictions against gold answers.
//
// Each line of --predictions is one sample: {"id" (or "problem"): ..., then the model's text
// as "prediction" (a final answer, used as is), or "answer" (the answer section, as written
// by `s1 generate --json` and `s1 eval`) or "output"/"response"/"completion" (a whole output;
// the final answer is extracted), and optionally "gold", "choices" (multiple choice: the
// number of choices; then "gold" is the letter), "question", "thinking_tokens" and
// "sample"}. Gold answers (and questions) come from each line's "gold" (and "question")
// when it has one, else from --gold DATASET (JSONL or GPQA CSV): the record whose id is the
// line's id (or "problem"), else the one whose problem text is the line's "problem" or
// "question" (whitespace aside). A line with no gold answer there is reported on stderr
// and skipped. Lines sharing an id (and "dataset" and "config", as in an eval's
// samples.jsonl) are samples of one problem, in "sample" order when given, else in file
// order. Lines naming a "config" or "dataset" are also summarized per configuration and
// dataset, as `s1 eval`'s results.json is. Grading, the judge (--judge-*), pass@k and
// maj@k follow core/grading.h, as in `s1 eval`. With --agreement, rows carrying someone
// else's verdict (--label-field) are compared with ours, per file.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/datasets.h"
#include "core/grading.h"
#include "core/metrics.h"

namespace s1::cli {
namespace {

struct GradeArgs {
  std::vector<std::string> predictions;
  std::string gold;
  uint64_t seed = 0;
  bool json = false;
  JudgeFlags judge;
  bool agreement = false;
  std::string label_field = "label";
};

struct GradedItem {
  const std::string* file = nullptr;
  size_t line = 0;
  std::string id;
  std::string config, dataset;  // an eval's configuration and dataset, when the line names them
  std::string problem_key;  // the problem's samples share it: id, dataset and config
  std::optional<long long> sample;
  GoldAnswer gold;
  SampleGrade grade;
  std::optional<bool> label;  // someone else's verdict (--label-field)
  std::optional<double> thinking_tokens;
};

std::string where(const std::string& file, size_t line) {
  return file + ":" + std::to_string(line) + ": ";
}

std::string text_field(const nlohmann::json& row, const char* name, const std::string& at) {
  const nlohmann::json& v = row.at(name);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return v.dump();
  throw CommandError(at + "field '" + name + "' must be a string or a number");
}

bool has(const nlohmann::json& row, const char* name) {
  return row.contains(name) && !row.at(name).is_null();
}

// Problem text with runs of whitespace as one space and none at either end.
std::string squeeze(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// --gold's records, by id and by problem text.
struct GoldSet {
  struct Entry {
    std::string id;
    GoldAnswer gold;
  };
  std::vector<Entry> entries;
  std::unordered_map<std::string, size_t> by_id, by_text;

  // The record with this id, else the one with this problem text, else null.
  const Entry* find(const std::string& id, const std::string& text) const {
    if (auto it = by_id.find(id); it != by_id.end()) return &entries[it->second];
    if (text.empty()) return nullptr;
    if (auto it = by_text.find(squeeze(text)); it != by_text.end()) return &entries[it->second];
    return nullptr;
  }
};

GoldSet load_gold(const GradeArgs& a) {
  GoldSet gold;
  if (a.gold.empty()) return gold;
  for (const Problem& p : load_problems(a.gold, a.seed)) {
    gold.by_id.emplace(p.id, gold.entries.size());
    gold.by_text.emplace(squeeze(p.problem), gold.entries.size());
    gold.entries.push_back({p.id, gold_answer(p)});
  }
  return gold;
}

// A line's "choices": the number of choices, or the choices themselves.
size_t choice_count(const nlohmann::json& row, const std::string& at) {
  const nlohmann::json& v = row.at("choices");
  size_t n = 0;
  if (v.is_number_unsigned()) n = v.get<size_t>();
  if (v.is_array()) n = v.size();
  if (n < 1 || n > 26) {
    throw CommandError(at + "'choices' must be a count or a list of 1 to 26 choices");
  }
  return n;
}

// "label": true/false, 1/0, or "correct"/"incorrect", "true"/"false", "yes"/"no"...
bool label_value(const nlohmann::json& v, const std::string& name, const std::string& at) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number() && (v == 0 || v == 1)) return v == 1;
  if (v.is_string()) {
    std::string t = v.get<std::string>();
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* yes : {"true", "correct", "yes", "1", "right", "equivalent"}) {
      if (t == yes) return true;
    }
    for (const char* no : {"false", "incorrect", "wrong", "no", "0", "not equivalent"}) {
      if (t == no) return false;
    }
  }
  throw CommandError(at + "field '" + name + "' must be true/false, 1/0 or correct/incorrect");
}

// Grades one line. Malformed lines throw CommandError; a line without a gold answer in
// --gold returns nothing and says why in `skipped`.
std::optional<GradedItem> grade_line(const GradeArgs& a, const std::string& file, size_t line,
                                     const nlohmann::json& row, const GoldSet& golds,
                                     std::string& skipped) {
  const std::string at = where(file, line);
  GradedItem item;
  item.file = &file;
  item.line = line;
  if (has(row, "id")) {
    item.id = text_field(row, "id", at);
  } else if (has(row, "problem")) {
    item.id = text_field(row, "problem", at);
  }
  if (has(row, "config")) item.config = text_field(row, "config", at);
  if (has(row, "dataset")) item.dataset = text_field(row, "dataset", at);
  if (has(row, "sample")) {
    const nlohmann::json& v = row.at("sample");
    if (!v.is_number_integer() || v.get<long long>() < 0)
      throw CommandError(at + "'sample' must be an integer, 0 or more");
    item.sample = v.get<long long>();
  }
  GoldAnswer gold;
  const GoldSet::Entry* match = nullptr;
  if (!a.gold.empty()) {
    std::string text;
    for (const char* name : {"problem", "question"}) {
      if (text.empty() && has(row, name)) text = text_field(row, name, at);
    }
    match = golds.find(item.id, text);
    // A line keyed by its problem text takes the record's id.
    if (match && golds.by_id.count(item.id) == 0) item.id = match->id;
  }
  if (has(row, "gold")) {
    gold.answer = text_field(row, "gold", at);
    if (has(row, "choices")) {
      gold.choices = choice_count(row, at);
      const char last = static_cast<char>('A' + gold.choices - 1);
      if (gold.answer.size() != 1 || gold.answer[0] < 'A' || gold.answer[0] > last) {
        throw CommandError(at + "'gold' must be a letter A to " + std::string(1, last) + " for " +
                           std::to_string(gold.choices) + " choices, not '" +
                           gold.answer.substr(0, 20) + "'");
      }
    }
    if (match) gold.question = match->gold.question;
  } else if (match) {
    gold = match->gold;
  } else if (!a.gold.empty()) {
    skipped = at + "no gold answer in " + a.gold + " for " +
              (item.id.empty() ? std::string("a line without id or problem")
                               : "'" + item.id.substr(0, 60) + "'") +
              ": skipped";
    return std::nullopt;
  } else {
    throw CommandError(at + "no 'gold' field (or give --gold DATASET)");
  }
  item.problem_key = item.id + '\x1f' + item.dataset + '\x1f' + item.config;
  if (has(row, "question")) gold.question = text_field(row, "question", at);
  if (a.agreement && has(row, a.label_field.c_str())) {
    item.label = label_value(row.at(a.label_field), a.label_field, at);
  }

  std::string text;
  bool extracted_already = false;
  if (has(row, "prediction")) {
    text = text_field(row, "prediction", at);
    extracted_already = true;
  } else {
    bool found = false;
    for (const char* name : {"answer", "output", "response", "completion"}) {
      if (has(row, name)) {
        text = text_field(row, name, at);
        found = true;
        break;
      }
    }
    if (!found) {
      throw CommandError(at + "no 'prediction', 'answer' or 'output' field");
    }
  }
  if (has(row, "thinking_tokens")) {
    const nlohmann::json& t = row.at("thinking_tokens");
    if (!t.is_number()) throw CommandError(at + "'thinking_tokens' must be a number");
    item.thinking_tokens = t.get<double>();
  }

  item.grade = extracted_already ? grade_given(text, gold) : grade_text(text, gold);
  item.gold = std::move(gold);
  return item;
}

// A problem's numbered samples: each number once (two runs concatenated would count
// twice in maj@k and pass@k: an error), and 0 to k-1 (a gap, as an interrupted run may
// leave, is reported on stderr; the samples there are graded as they are).
void check_samples(const std::vector<GradedItem>& items) {
  std::map<std::pair<std::string, long long>, const GradedItem*> seen;
  std::map<std::string, std::vector<long long>> numbers;
  std::vector<std::string> order;
  for (const GradedItem& item : items) {
    if (!item.sample) continue;
    const auto [it, added] = seen.emplace(std::make_pair(item.problem_key, *item.sample), &item);
    if (!added) {
      throw CommandError(where(*item.file, item.line) + "sample " + std::to_string(*item.sample) +
                         " of '" + item.id.substr(0, 60) + "' again (first at " +
                         where(*it->second->file, it->second->line) +
                         "two runs in one file?): give each sample once");
    }
    auto& n = numbers[item.problem_key];
    if (n.empty()) order.push_back(item.problem_key);
    n.push_back(*item.sample);
  }
  size_t gaps = 0;
  for (const std::string& key : order) {
    std::vector<long long>& n = numbers[key];
    std::sort(n.begin(), n.end());
    if (n.back() + 1 == static_cast<long long>(n.size())) continue;
    long long missing = 0;
    while (std::binary_search(n.begin(), n.end(), missing)) ++missing;
    if (++gaps <= 5) {
      std::fprintf(stderr, "s1 grade: '%s' has samples up to %lld but not sample %lld\n",
                   key.substr(0, key.find('\x1f')).substr(0, 60).c_str(), n.back(), missing);
    }
  }
  if (gaps > 5) std::fprintf(stderr, "s1 grade: ... %zu problems with missing samples\n", gaps);
}

// Every file's graded lines; lines without a gold answer are reported on stderr (the
// first few, then a count) and counted in `skipped`.
std::vector<GradedItem> grade_files(const GradeArgs& a, size_t& skipped) {
  constexpr size_t kReported = 5;
  if (!a.gold.empty() && std::filesystem::is_directory(a.gold)) {
    throw CommandError("--gold " + a.gold + " is a directory: give a dataset file");
  }
  const GoldSet golds = load_gold(a);
  std::vector<GradedItem> items;
  skipped = 0;
  for (const std::string& file : a.predictions) {
    if (std::filesystem::is_directory(file)) {
      throw CommandError("--predictions " + file + " is a directory: give a JSONL file");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw CommandError("cannot open predictions file " + file);
    std::string text;
    size_t line = 0, before = items.size(), skipped_before = skipped;
    while (std::getline(in, text)) {
      ++line;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      nlohmann::json row;
      try {
        row = nlohmann::json::parse(text);
      } catch (const nlohmann::json::parse_error&) {
        throw CommandError(where(file, line) + "invalid JSON");
      }
      if (!row.is_object()) throw CommandError(where(file, line) + "expected a JSON object");
      std::string why;
      std::optional<GradedItem> item = grade_line(a, file, line, row, golds, why);
      if (item) {
        items.push_back(std::move(*item));
        continue;
      }
      if (++skipped <= kReported) std::fprintf(stderr, "s1 grade: %s\n", why.c_str());
    }
    if (items.size() == before && skipped == skipped_before) {
      throw CommandError("no predictions in " + file);
    }
  }
  if (skipped > kReported) {
    std::fprintf(stderr, "s1 grade: ... %zu lines skipped in all\n", skipped);
  }
  if (items.empty()) throw CommandError("no line has a gold answer in " + a.gold);
  check_samples(items);
  return items;
}

// The judge's pass (core/grading.h's judge_grades()) over all items at once. Returns the
// summary's "judge" object. The judge is loaded only when some item may be judged.
nlohmann::json judge_items(const JudgeFlags& flags, std::vector<GradedItem>& items) {
  std::vector<GradeToJudge> grades;
  for (GradedItem& item : items) {
    if (item.grade.judgeable) grades.push_back({&item.gold, &item.grade});
  }
  JudgeCounts counts;
  JudgeStats stats;
  if (!grades.empty()) {
    JudgeRunner runner = make_judge(flags);
    counts = judge_grades(grades, *runner.judge);
    stats = runner.judge->stats();
  }
  return {{"judged", counts.judged},
          {"generated", stats.asked},
          {"cached", stats.cached},
          {"changed", counts.changed},
          {"malformed", counts.malformed}};
}

const char* verdict_source(const SampleGrade& g) {
  return g.judged ? "judge" : "rules";
}

nlohmann::json summarize(const std::vector<GradedItem>& items) {
  size_t correct = 0, no_answer = 0, gave_up = 0;
  std::vector<double> tokens;
  for (const GradedItem& item : items) {
    if (item.grade.correct) ++correct;
    if (item.grade.extracted.empty()) ++no_answer;
    if (item.grade.budget_exceeded) ++gave_up;
    if (item.thinking_tokens) tokens.push_back(*item.thinking_tokens);
  }
  ProportionEstimate acc = accuracy_with_interval(correct, items.size());
  nlohmann::json summary = {{"items", items.size()},  {"correct", correct},
                            {"accuracy", acc.value},  {"accuracy_ci95", {acc.low, acc.high}},
                            {"no_answer", no_answer}, {"budget_exceeded", gave_up}};
  if (!tokens.empty()) {
    TokenStats stats = thinking_token_stats(tokens);
    summary["thinking_tokens"] = {{"mean", stats.mean}, {"median", stats.median}};
  }
  // Samples grouped by problem, in order of first appearance, each in sample order.
  std::map<std::string, size_t> index;
  std::vector<std::vector<const GradedItem*>> grouped;
  for (const GradedItem& item : items) {
    auto [it, added] = index.emplace(item.problem_key, grouped.size());
    if (added) grouped.emplace_back();
    grouped[it->second].push_back(&item);
  }
  std::vector<std::vector<Vote>> problems;
  size_t n = 0;  // a problem's samples: the most any problem has
  for (auto& samples : grouped) {
    std::stable_sort(samples.begin(), samples.end(), [](const GradedItem* x, const GradedItem* y) {
      return x->sample.value_or(0) < y->sample.value_or(0);
    });
    std::vector<Vote> votes;
    for (const GradedItem* item : samples) {
      votes.push_back(vote_of(item->grade.extracted, item->grade.correct));
    }
    n = std::max(n, votes.size());
    problems.push_back(std::move(votes));
  }
  if (n > 1) {
    const SamplingCurves curves = sampling_curves(problems, n);
    summary["problems"] = problems.size();
    summary["samples_per_problem"] = n;
    summary["problems_with_all_samples"] = curves.problems;
    nlohmann::json maj = nlohmann::json::object(), pass = nlohmann::json::object();
    for (size_t i = 0; i < curves.maj_at_k.size(); ++i) {
      maj[std::to_string(curves.ks[i])] = curves.maj_at_k[i];
      pass[std::to_string(curves.ks[i])] = curves.pass_at_k[i];
    }
    summary["maj_at_k"] = maj;
    summary["pass_at_k"] = pass;
  }
  return summary;
}

// summarize() per configuration and dataset, in order of first appearance, each with its
// "dataset" and "config"; empty when no line names either.
nlohmann::json summarize_configs(const std::vector<GradedItem>& items) {
  std::vector<std::pair<std::string, std::string>> keys;
  std::map<std::pair<std::string, std::string>, std::vector<GradedItem>> groups;
  for (const GradedItem& item : items) {
    if (item.config.empty() && item.dataset.empty()) continue;
    auto key = std::make_pair(item.dataset, item.config);
    auto [it, added] = groups.try_emplace(key);
    if (added) keys.push_back(key);
    it->second.push_back(item);
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& key : keys) {
    nlohmann::json g = {{"dataset", key.first}, {"config", key.second}};
    g.update(summarize(groups.at(key)));
    out.push_back(std::move(g));
  }
  return out;
}

std::string cell(const std::string& s, size_t width) {
  std::string flat;
  for (char c : s) flat += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
  if (flat.size() > width) flat = flat.substr(0, width - 3) + "...";
  flat.resize(width, ' ');
  return flat;
}

// Our verdicts against the rows' labels, per file, and the rows where they differ.
nlohmann::json agreement(const GradeArgs& a, const std::vector<GradedItem>& items) {
  nlohmann::json files = nlohmann::json::array();
  nlohmann::json disagreements = nlohmann::json::array();
  for (const std::string& file : a.predictions) {
    size_t rows = 0, agree = 0, ours_only = 0, theirs_only = 0, ours_yes = 0, theirs_yes = 0;
    for (const GradedItem& item : items) {
      if (item.file != &file || !item.label) continue;
      ++rows;
      const bool ours = item.grade.correct;
      ours_yes += ours ? 1 : 0;
      theirs_yes += *item.label ? 1 : 0;
      if (ours == *item.label) {
        ++agree;
        continue;
      }
      (ours ? ours_only : theirs_only) += 1;
      disagreements.push_back({{"file", file},
                               {"line", item.line},
                               {"id", item.id},
                               {"correct", ours},
                               {"verdict_source", verdict_source(item.grade)},
                               {"label", *item.label},
                               {"predicted", item.grade.extracted},
                               {"gold", item.gold.answer}});
    }
    nlohmann::json row = {{"file", file},
                          {"rows", rows},
                          {"agree", agree},
                          {"only_we_accept", ours_only},
                          {"only_label_accepts", theirs_only}};
    row["agreement"] = rows ? nlohmann::json(static_cast<double>(agree) / rows) : nullptr;
    // Cohen's kappa: agreement beyond what the two acceptance rates give by chance.
    nlohmann::json kappa = nullptr;
    if (rows) {
      double n = static_cast<double>(rows), po = agree / n;
      double pe = (ours_yes / n) * (theirs_yes / n) + (1 - ours_yes / n) * (1 - theirs_yes / n);
      if (pe < 1) kappa = (po - pe) / (1 - pe);
    }
    row["kappa"] = kappa;
    files.push_back(std::move(row));
  }
  return {{"label_field", a.label_field}, {"files", files}, {"disagreements", disagreements}};
}

void print_agreement(const nlohmann::json& agreement) {
  std::printf("agreement with '%s':\n%s  %6s  %6s  %7s  %6s  %9s  %11s\n",
              agreement["label_field"].get<std::string>().c_str(), cell("file", 30).c_str(), "rows",
              "agree", "agree%", "kappa", "only ours", "only theirs");
  for (const auto& f : agreement["files"]) {
    char pct[32] = "-", kappa[32] = "-";
    if (!f["agreement"].is_null()) {
      std::snprintf(pct, sizeof pct, "%.1f%%", 100 * f["agreement"].get<double>());
    }
    if (!f["kappa"].is_null()) std::snprintf(kappa, sizeof kappa, "%.3f", f["kappa"].get<double>());
    std::printf("%s  %6zu  %6zu  %7s  %6s  %9zu  %11zu\n",
                cell(f["file"].get<std::string>(), 30).c_str(), f["rows"].get<size_t>(),
                f["agree"].get<size_t>(), pct, kappa, f["only_we_accept"].get<size_t>(),
                f["only_label_accepts"].get<size_t>());
  }
  const auto& rows = agreement["disagreements"];
  std::printf("\ndisagreements: %zu\n", rows.size());
  for (const auto& d : rows) {
    std::string predicted = cell(d["predicted"].get<std::string>(), 60);
    predicted.erase(predicted.find_last_not_of(' ') + 1);
    std::printf("%s:%zu  id %s  ours: %s (%s)  label: %s  predicted: %s  gold: %s\n",
                d["file"].get<std::string>().c_str(), d["line"].get<size_t>(),
                d["id"].get<std::string>().c_str(), d["correct"].get<bool>() ? "correct" : "wrong",
                d["verdict_source"].get<std::string>().c_str(),
                d["label"].get<bool>() ? "correct" : "wrong", predicted.c_str(),
                d["gold"].get<std::string>().c_str());
  }
}

// One row per configuration and dataset: items, accuracy, mean thinking tokens and the
// curves at the most samples.
void print_configs(const nlohmann::json& configs) {
  size_t width = 6;
  for (const auto& g : configs) width = std::max(width, g["config"].get<std::string>().size());
  width = std::min<size_t>(width, 48);
  std::printf("\n%s  %s  %6s  %8s  %8s  %s\n", cell("dataset", 12).c_str(),
              cell("config", width).c_str(), "items", "accuracy", "thinking", "maj@k / pass@k");
  for (const auto& g : configs) {
    char tokens[32] = "-", curves[64] = "";
    if (g.contains("thinking_tokens")) {
      std::snprintf(tokens, sizeof tokens, "%.1f", g["thinking_tokens"]["mean"].get<double>());
    }
    if (g.contains("samples_per_problem")) {
      const std::string k = std::to_string(g["samples_per_problem"].get<size_t>());
      if (g["maj_at_k"].contains(k)) {
        std::snprintf(curves, sizeof curves, "maj@%s %.1f%% / pass@%s %.1f%%", k.c_str(),
                      100 * g["maj_at_k"][k].get<double>(), k.c_str(),
                      100 * g["pass_at_k"][k].get<double>());
      }
    }
    std::printf("%s  %s  %6zu  %7.1f%%  %8s  %s\n", cell(g["dataset"].get<std::string>(), 12).c_str(),
                cell(g["config"].get<std::string>(), width).c_str(), g["items"].get<size_t>(),
                100 * g["accuracy"].get<double>(), tokens, curves);
  }
}

void print_table(const std::vector<GradedItem>& items, const nlohmann::json& summary,
                 bool item_rows) {
  size_t id_width = 2, config_width = 0;
  for (const GradedItem& item : items) {
    id_width = std::max(id_width, item.id.size());
    config_width = std::max(config_width, item.config.size());
  }
  id_width = std::min<size_t>(id_width, 40);
  config_width = config_width ? std::clamp<size_t>(config_width, 6, 40) : 0;
  auto config_cell = [&](const std::string& text) {
    return config_width ? cell(text, config_width) + "  " : std::string();
  };
  if (item_rows) {
    std::printf("%s  %s%-7s  %s  %s\n", cell("id", id_width).c_str(), config_cell("config").c_str(),
                "verdict", cell("predicted", 30).c_str(), "gold");
    for (const GradedItem& item : items) {
      std::string gold = cell(item.gold.answer, 30);
      gold.erase(gold.find_last_not_of(' ') + 1);
      std::printf("%s  %s%-7s  %s  %s\n", cell(item.id, id_width).c_str(),
                  config_cell(item.config).c_str(), item.grade.correct ? "correct" : "wrong",
                  cell(item.grade.extracted.empty() ? "(none)" : item.grade.extracted, 30).c_str(),
                  gold.c_str());
    }
  }
  const auto& ci = summary["accuracy_ci95"];
  std::printf("%saccuracy: %zu/%zu = %.1f%% (95%% Wilson interval %.1f%%-%.1f%%)\n",
              item_rows ? "\n" : "", summary["correct"].get<size_t>(),
              summary["items"].get<size_t>(), 100 * summary["accuracy"].get<double>(),
              100 * ci[0].get<double>(), 100 * ci[1].get<double>());
  std::printf("no answer found: %zu; comparisons over budget: %zu\n",
              summary["no_answer"].get<size_t>(), summary["budget_exceeded"].get<size_t>());
  if (summary.contains("thinking_tokens")) {
    std::printf("thinking tokens: mean %.1f, median %.1f\n",
                summary["thinking_tokens"]["mean"].get<double>(),
                summary["thinking_tokens"]["median"].get<double>());
  }
  if (summary.contains("samples_per_problem")) {
    const size_t problems = summary["problems"].get<size_t>();
    const size_t complete = summary["problems_with_all_samples"].get<size_t>();
    std::printf("%zu problems x %zu samples", problems,
                summary["samples_per_problem"].get<size_t>());
    if (complete < problems) {
      std::printf(" (%zu without all of them, left out of maj@k and pass@k)", problems - complete);
    }
    std::string curves;
    for (const char* name : {"maj", "pass"}) {
      const nlohmann::json& curve = summary[std::string(name) + "_at_k"];
      for (size_t k : curve_ks(summary["samples_per_problem"].get<size_t>())) {
        if (!curve.contains(std::to_string(k))) continue;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s%s@%zu %.1f%%", curves.empty() ? ": " : ", ", name, k,
                      100 * curve[std::to_string(k)].get<double>());
        curves += buf;
      }
    }
    std::printf("%s\n", curves.c_str());
  }
  if (summary.contains("judge")) {
    const auto& j = summary["judge"];
    std::printf("judge: %zu asked (%zu cached), %zu verdicts changed, %zu malformed (rules kept)\n",
                j["judged"].get<size_t>(), j["cached"].get<size_t>(), j["changed"].get<size_t>(),
                j["malformed"].get<size_t>());
  }
  if (summary["skipped"].get<size_t>() > 0) {
    std::printf("lines skipped (no gold answer): %zu\n", summary["skipped"].get<size_t>());
  }
  if (summary.contains("configs")) print_configs(summary["configs"]);
}

int run_grade(const GradeArgs& a) {
  a.judge.check();
  std::vector<GradedItem> items;
  size_t skipped = 0;
  try {
    items = grade_files(a, skipped);
  } catch (const CommandError&) {
    throw;
  } catch (const std::runtime_error& e) {  // dataset errors carry their own location
    throw CommandError(e.what());
  }
  nlohmann::json judge = a.judge.enabled() ? judge_items(a.judge, items) : nlohmann::json();
  nlohmann::json summary = summarize(items);
  summary["skipped"] = skipped;
  if (nlohmann::json configs = summarize_configs(items); !configs.empty()) {
    summary["configs"] = std::move(configs);
  }
  if (!judge.is_null()) summary["judge"] = judge;
  if (a.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const GradedItem& item : items) {
      nlohmann::json row = {{"file", *item.file},
                            {"line", item.line},
                            {"id", item.id},
                            {"predicted", item.grade.extracted},
                            {"source", item.grade.source},
                            {"gold", item.gold.answer},
                            {"correct", item.grade.correct},
                            {"method", item.grade.method},
                            {"verdict_source", verdict_source(item.grade)},
                            {"budget_exceeded", item.grade.budget_exceeded}};
      if (!item.dataset.empty()) row["dataset"] = item.dataset;
      if (!item.config.empty()) row["config"] = item.config;
      if (!item.grade.rule.empty()) row["rule"] = item.grade.rule;
      if (item.grade.judge_malformed) row["judge_malformed"] = true;
      if (item.thinking_tokens) row["thinking_tokens"] = *item.thinking_tokens;
      rows.push_back(std::move(row));
    }
    nlohmann::json out = {{"items", rows}, {"summary", summary}};
    if (a.agreement) out["agreement"] = agreement(a, items);
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    print_table(items, summary, !a.agreement);
    if (a.agreement) {
      std::printf("\n");
      print_agreement(agreement(a, items));
    }
  }
  return 0;
}

}  // namespace

void add_grade_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<GradeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "grade", "Grade a JSONL of predictions against gold answers (per item and summary)");
  cmd->add_option("--predictions", args->predictions,
                  "JSONL, one sample a line: id, and prediction (a final answer) or answer/"
                  "output (model text to extract it from); optional gold, choices, question, "
                  "thinking_tokens, sample, label. Several files: graded together, compared "
                  "per file")
      ->required();
  cmd->add_option("--gold", args->gold,
                  "Gold answers for lines without their own 'gold', matched by id, else by "
                  "problem text: a JSONL dataset, or a GPQA .csv (letters). Lines it has no "
                  "answer for are reported and skipped");
  cmd->add_option("--seed", args->seed, "Choice-shuffle seed for a GPQA .csv (default 0)");
  cmd->add_flag("--json", args->json, "Print JSON instead of a table");
  cmd->add_flag("--agreement", args->agreement,
                "compare our verdicts with the rows' labels (--label-field): a table per file "
                "and the disagreements, instead of the per-item table");
  cmd->add_option("--label-field", args->label_field,
                  "the field holding another grader's verdict (true/false, 1/0, "
                  "correct/incorrect)")
      ->capture_default_str();
  add_judge_flags(*cmd, args->judge);
  cmd->callback([args, &exit_code] { exit_code = run_grade(*args); });
}

}  // namespace s1::cli
