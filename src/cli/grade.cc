// `s1 grade`: grades a JSONL of predictions against gold answers.
//
// Each line of --predictions is one sample: {"id" (or "problem"): ..., then the model's text
// as "prediction" (a final answer, used as is), or "answer" (the answer section, as written
// by `s1 generate --json` and `s1 eval`) or "output"/"response"/"completion" (a whole output;
// the final answer is extracted), and optionally "gold", "choices" (multiple choice: the
// number of choices; then "gold" is the letter), "question", "thinking_tokens" and
// "sample"}. Gold answers (and questions) come from --gold DATASET (JSONL or GPQA CSV,
// matched by id) or from each line's "gold" (and "question"). Lines sharing an id (and
// "dataset" and "config", as in an eval's samples.jsonl) are samples of one problem, in
// "sample" order when given, else in file order. Grading, the judge (--judge-*), pass@k and
// maj@k follow core/grading.h, as in `s1 eval`. With --agreement, rows carrying someone
// else's verdict (--label-field) are compared with ours, per file.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdio>
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

std::unordered_map<std::string, GoldAnswer> load_gold(const GradeArgs& a) {
  std::unordered_map<std::string, GoldAnswer> gold;
  if (a.gold.empty()) return gold;
  for (const Problem& p : load_problems(a.gold, a.seed)) gold[p.id] = gold_answer(p);
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

GradedItem grade_line(const GradeArgs& a, const std::string& file, size_t line,
                      const nlohmann::json& row,
                      const std::unordered_map<std::string, GoldAnswer>& golds) {
  const std::string at = where(file, line);
  GradedItem item;
  item.file = &file;
  item.line = line;
  if (has(row, "id")) {
    item.id = text_field(row, "id", at);
  } else if (has(row, "problem")) {
    item.id = text_field(row, "problem", at);
  }
  item.problem_key = item.id;
  for (const char* name : {"dataset", "config"}) {
    if (has(row, name)) item.problem_key += '\x1f' + text_field(row, name, at);
  }
  if (has(row, "sample")) {
    if (!row.at("sample").is_number_integer())
      throw CommandError(at + "'sample' must be an integer");
    item.sample = row.at("sample").get<long long>();
  }
  GoldAnswer gold;
  if (!a.gold.empty()) {
    if (item.id.empty()) throw CommandError(at + "no 'id' to match against " + a.gold);
    auto it = golds.find(item.id);
    if (it == golds.end()) {
      throw CommandError(at + "no gold answer for id '" + item.id + "' in " + a.gold);
    }
    gold = it->second;
  } else if (has(row, "gold")) {
    gold.answer = text_field(row, "gold", at);
    if (has(row, "choices")) gold.choices = choice_count(row, at);
  } else {
    throw CommandError(at + "no 'gold' field (or give --gold DATASET)");
  }
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

std::vector<GradedItem> grade_files(const GradeArgs& a) {
  std::unordered_map<std::string, GoldAnswer> golds = load_gold(a);
  std::vector<GradedItem> items;
  for (const std::string& file : a.predictions) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw CommandError("cannot open predictions file " + file);
    std::string text;
    size_t line = 0, before = items.size();
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
      items.push_back(grade_line(a, file, line, row, golds));
    }
    if (items.size() == before) throw CommandError("no predictions in " + file);
  }
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

void print_table(const std::vector<GradedItem>& items, const nlohmann::json& summary,
                 bool item_rows) {
  size_t id_width = 2;
  for (const GradedItem& item : items) id_width = std::max(id_width, item.id.size());
  id_width = std::min<size_t>(id_width, 40);
  if (item_rows) {
    std::printf("%s  %-7s  %s  %s\n", cell("id", id_width).c_str(), "verdict",
                cell("predicted", 30).c_str(), "gold");
    for (const GradedItem& item : items) {
      std::string gold = cell(item.gold.answer, 30);
      gold.erase(gold.find_last_not_of(' ') + 1);
      std::printf("%s  %-7s  %s  %s\n", cell(item.id, id_width).c_str(),
                  item.grade.correct ? "correct" : "wrong",
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
}

int run_grade(const GradeArgs& a) {
  a.judge.check();
  std::vector<GradedItem> items;
  try {
    items = grade_files(a);
  } catch (const CommandError&) {
    throw;
  } catch (const std::runtime_error& e) {  // dataset errors carry their own location
    throw CommandError(e.what());
  }
  nlohmann::json judge = a.judge.enabled() ? judge_items(a.judge, items) : nlohmann::json();
  nlohmann::json summary = summarize(items);
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
                  "Gold answers matched by id: a JSONL dataset, or a GPQA .csv (letters)");
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
