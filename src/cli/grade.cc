// `s1 grade`: grades a JSONL of predictions against gold answers.
//
// Each line of --predictions is one sample: {"id": ..., then the model's text as
// "prediction" (a final answer, used as is), or "answer" (the answer section, as written by
// `s1 generate --json`) or "output"/"response"/"completion" (a whole output; the final
// answer is extracted), and optionally "gold" and "thinking_tokens"}. Gold answers come
// from --gold DATASET (JSONL or GPQA CSV, matched by id) or from each line's "gold". Lines
// sharing an id are samples of one problem (for pass@k and maj@k).
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
#include "core/answer_extraction.h"
#include "core/datasets.h"
#include "core/math_equivalence.h"
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
  std::string predicted;  // the extracted final answer (or letter)
  std::string source;     // where it came from: "given", "boxed", "answer_line", ...
  std::string gold;
  bool correct = false;
  std::string method;
  bool budget_exceeded = false;
  std::optional<double> thinking_tokens;
  std::string vote_key;
};

// Gold answers by id, with the multiple-choice letter where there is one.
struct Gold {
  std::string answer;
  char letter = '\0';
  size_t choices = 0;
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

std::unordered_map<std::string, Gold> load_gold(const GradeArgs& a) {
  std::unordered_map<std::string, Gold> gold;
  if (a.gold.empty()) return gold;
  for (Problem& p : load_problems(a.gold, a.seed)) {
    Gold g{std::move(p.answer), p.correct_letter, p.choices.size()};
    if (g.letter) g.answer = std::string(1, g.letter);
    gold[p.id] = std::move(g);
  }
  return gold;
}

GradedItem grade_line(const GradeArgs& a, size_t line, const nlohmann::json& row,
                      const std::unordered_map<std::string, Gold>& golds) {
  const std::string at = where(a, line);
  GradedItem item;
  item.line = line;
  if (has(row, "id")) item.id = text_field(row, "id", at);
  Gold gold;
  if (!a.gold.empty()) {
    if (item.id.empty()) throw CommandError(at + "no 'id' to match against " + a.gold);
    auto it = golds.find(item.id);
    if (it == golds.end()) {
      throw CommandError(at + "no gold answer for id '" + item.id + "' in " + a.gold);
    }
    gold = it->second;
  } else if (has(row, "gold")) {
    gold.answer = text_field(row, "gold", at);
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

  if (gold.letter) {  // multiple choice: compare letters
    char last = static_cast<char>('A' + std::max<size_t>(gold.choices, 1) - 1);
    std::optional<char> letter = extract_choice_letter(text, last);
    item.source = letter ? "choice" : "none";
    item.predicted = letter ? std::string(1, *letter) : std::string();
    item.correct = letter && *letter == gold.letter;
    item.method = "choice";
    item.vote_key = item.predicted;
    return item;
  }
  if (extracted_already) {
    item.predicted = text;
    item.source = "given";
  } else {
    ExtractedAnswer extracted = extract_answer(text);
    item.predicted = extracted.answer;
    item.source = answer_source_name(extracted.source);
  }
  EquivalenceResult verdict = check_equivalence(item.predicted, gold.answer);
  item.correct = verdict.equivalent;
  item.method = equivalence_method_name(verdict.method);
  item.budget_exceeded = verdict.budget_exceeded;
  item.vote_key = answer_key(item.predicted);
  return item;
}

std::vector<GradedItem> grade_file(const GradeArgs& a) {
  std::ifstream in(a.predictions, std::ios::binary);
  if (!in) throw CommandError("cannot open predictions file " + a.predictions);
  std::unordered_map<std::string, Gold> golds = load_gold(a);
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
    if (item.correct) ++correct;
    if (item.predicted.empty()) ++no_answer;
    if (item.budget_exceeded) ++gave_up;
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
  // Samples grouped by problem, in order of first appearance.
  std::map<std::string, size_t> index;
  std::vector<std::vector<Vote>> problems;
  for (const GradedItem& item : items) {
    auto [it, added] = index.emplace(item.id, problems.size());
    if (added) problems.emplace_back();
    problems[it->second].push_back({item.vote_key, item.correct});
  }
  size_t n = problems.front().size();
  for (const auto& votes : problems) n = std::min(n, votes.size());
  if (n > 1) {
    double pass1 = 0, pass_n = 0;
    for (const auto& votes : problems) {
      size_t c = 0;
      for (size_t i = 0; i < n; ++i) c += votes[i].correct ? 1 : 0;
      pass1 += pass_at_k(n, c, 1);
      pass_n += pass_at_k(n, c, n);
    }
    double count = static_cast<double>(problems.size());
    summary["problems"] = problems.size();
    summary["samples_per_problem"] = n;
    summary["pass@1"] = pass1 / count;
    summary["pass@" + std::to_string(n)] = pass_n / count;
    summary["maj@" + std::to_string(n)] = maj_at_k(problems, n);
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
                item.correct ? "correct" : "wrong",
                cell(item.predicted.empty() ? "(none)" : item.predicted, 30).c_str(), gold.c_str());
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
    size_t n = summary["samples_per_problem"].get<size_t>();
    std::string k = std::to_string(n);
    std::printf("%zu problems x %zu samples: pass@1 %.1f%%, pass@%s %.1f%%, maj@%s %.1f%%\n",
                summary["problems"].get<size_t>(), n, 100 * summary["pass@1"].get<double>(),
                k.c_str(), 100 * summary["pass@" + k].get<double>(), k.c_str(),
                100 * summary["maj@" + k].get<double>());
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
      nlohmann::json row = {
          {"line", item.line},           {"id", item.id},
          {"predicted", item.predicted}, {"source", item.source},
          {"gold", item.gold},           {"correct", item.correct},
          {"method", item.method},       {"budget_exceeded", item.budget_exceeded}};
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
