// `s1 grade`: grades a JSONL of predictions against gold answers.
//
// Each line of --predictions is one sample: {"id" (or "problem"): ..., then the model's text
// as "prediction" (a final answer, used as is), or "answer" (the answer section, as written
// by `s1 generate --json` and `s1 eval`) or "output"/"response"/"completion" (a whole output;
// the final answer is extracted), and optionally "gold", "choices" (multiple choice: the
// number of choices; then "gold" is the letter), "thinking_tokens" and "sample"}. Gold
// answers come from --gold DATASET (JSONL or GPQA CSV, matched by id) or from each line's
// "gold". Lines sharing an id (and "dataset" and "config", as in an eval's samples.jsonl)
// are samples of one problem, in "sample" order when given, else in file order. Grading,
// pass@k and maj@k follow core/grading.h, as in `s1 eval`.
#include <CLI/CLI.hpp>
#include <algorithm>
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
#include "core/datasets.h"
#include "core/grading.h"
#include "core/metrics.h"

namespace s1::cli {
namespace {

struct GradeArgs {
  std::string predictions;
  std::string gold;
  uint64_t seed = 0;
  bool json = false;
};

struct GradedItem {
  size_t line = 0;
  std::string id;
  std::string problem_key;  // the problem's samples share it: id, dataset and config
  std::optional<long long> sample;
  SampleGrade grade;
  std::string gold;
  std::optional<double> thinking_tokens;
};

std::string where(const GradeArgs& a, size_t line) {
  return a.predictions + ":" + std::to_string(line) + ": ";
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

GradedItem grade_line(const GradeArgs& a, size_t line, const nlohmann::json& row,
                      const std::unordered_map<std::string, GoldAnswer>& golds) {
  const std::string at = where(a, line);
  GradedItem item;
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
  item.gold = gold.answer;

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
  return item;
}

std::vector<GradedItem> grade_file(const GradeArgs& a) {
  std::ifstream in(a.predictions, std::ios::binary);
  if (!in) throw CommandError("cannot open predictions file " + a.predictions);
  std::unordered_map<std::string, GoldAnswer> golds = load_gold(a);
  std::vector<GradedItem> items;
  std::string text;
  size_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json row;
    try {
      row = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error&) {
      throw CommandError(where(a, line) + "invalid JSON");
    }
    if (!row.is_object()) throw CommandError(where(a, line) + "expected a JSON object");
    items.push_back(grade_line(a, line, row, golds));
  }
  if (items.empty()) throw CommandError("no predictions in " + a.predictions);
  return items;
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

void print_table(const std::vector<GradedItem>& items, const nlohmann::json& summary) {
  size_t id_width = 2;
  for (const GradedItem& item : items) id_width = std::max(id_width, item.id.size());
  id_width = std::min<size_t>(id_width, 40);
  std::printf("%s  %-7s  %s  %s\n", cell("id", id_width).c_str(), "verdict",
              cell("predicted", 30).c_str(), "gold");
  for (const GradedItem& item : items) {
    std::string gold = cell(item.gold, 30);
    gold.erase(gold.find_last_not_of(' ') + 1);
    std::printf("%s  %-7s  %s  %s\n", cell(item.id, id_width).c_str(),
                item.grade.correct ? "correct" : "wrong",
                cell(item.grade.extracted.empty() ? "(none)" : item.grade.extracted, 30).c_str(),
                gold.c_str());
  }
  const auto& ci = summary["accuracy_ci95"];
  std::printf("\naccuracy: %zu/%zu = %.1f%% (95%% Wilson interval %.1f%%-%.1f%%)\n",
              summary["correct"].get<size_t>(), summary["items"].get<size_t>(),
              100 * summary["accuracy"].get<double>(), 100 * ci[0].get<double>(),
              100 * ci[1].get<double>());
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
}

int run_grade(const GradeArgs& a) {
  std::vector<GradedItem> items;
  try {
    items = grade_file(a);
  } catch (const CommandError&) {
    throw;
  } catch (const std::runtime_error& e) {  // dataset errors carry their own location
    throw CommandError(e.what());
  }
  nlohmann::json summary = summarize(items);
  if (a.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const GradedItem& item : items) {
      nlohmann::json row = {{"line", item.line},
                            {"id", item.id},
                            {"predicted", item.grade.extracted},
                            {"source", item.grade.source},
                            {"gold", item.gold},
                            {"correct", item.grade.correct},
                            {"method", item.grade.method},
                            {"budget_exceeded", item.grade.budget_exceeded}};
      if (item.thinking_tokens) row["thinking_tokens"] = *item.thinking_tokens;
      rows.push_back(std::move(row));
    }
    nlohmann::json out = {{"items", rows}, {"summary", summary}};
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    print_table(items, summary);
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
                  "output (model text to extract it from); optional gold, thinking_tokens")
      ->required();
  cmd->add_option("--gold", args->gold,
                  "Gold answers matched by id: a JSONL dataset, or a GPQA .csv (letters)");
  cmd->add_option("--seed", args->seed, "Choice-shuffle seed for a GPQA .csv (default 0)");
  cmd->add_flag("--json", args->json, "Print JSON instead of a table");
  cmd->callback([args, &exit_code] { exit_code = run_grade(*args); });
}

}  // namespace s1::cli
