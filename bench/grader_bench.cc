// Grader throughput on one thread: answer comparisons and extraction per second.
//
//   ./build/bench/s1-grader-bench
//
// "Mixed" pairs every MATH-500 gold answer with (1) itself, (2) the \boxed{} answer of its
// reference solution, (3) another problem's gold answer and (4) a rewritten form that needs
// real work (a decimal for a fraction, a product for a power, a reordered list), so the mix
// covers string, numeric, structural and symbolic verdicts, equal and unequal.
#include <benchmark/benchmark.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/answer_extraction.h"
#include "core/math_equivalence.h"

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Math500 {
  std::vector<std::string> answers;
  std::vector<std::string> solutions;
};

const Math500& math500() {
  static const Math500 data = [] {
    Math500 d;
    std::ifstream in(std::string(S1_SHARED_DATA) + "/math500.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json row = nlohmann::json::parse(line);
      d.answers.push_back(row.at("answer"));
      d.solutions.push_back(row.at("solution"));
    }
    if (d.answers.empty()) throw std::runtime_error("math500.jsonl not found");
    return d;
  }();
  return data;
}

const Pairs& rewritten_pairs() {
  static const Pairs pairs = {
      {"0.5", "\\frac12"},
      {"\\sqrt8", "2\\sqrt2"},
      {"10^{3}", "1000"},
      {"50\\%", "0.5"},
      {"3.14", "\\pi"},
      {"(1,2)", "(2,1)"},
      {"\\{1,2\\}", "\\{2,1\\}"},
      {"[1,2)", "[1,2]"},
      {"x=5", "5"},
      {"(x+1)^2", "x^2+2x+1"},
      {"\\frac{x^9-1}{x-1}", "x^8+x^7+x^6+x^5+x^4+x^3+x^2+x+1"},
      {"\\sin^2 x + \\cos^2 x", "1"},
      {"1 \\pm \\sqrt{19}", "1+\\sqrt{19}, 1-\\sqrt{19}"},
      {"(-\\infty, 0]", "x \\le 0"},
      {"5x - 7y + 11z + 4 = 0", "-10x+14y-22z-8=0"},
      {"\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}", "(0.2, -3.6)"},
      {"6 - 5i", "-5i+6"},
      {"\\frac{3\\sqrt{3}}{4}", "\\frac{3}{4}\\sqrt3"},
      {"025", "25"},
      {"11 \\sqrt{5} + 11", "11(\\sqrt5+1)"},
  };
  return pairs;
}

Pairs mixed_pairs() {
  const Math500& d = math500();
  Pairs pairs;
  const Pairs& rewritten = rewritten_pairs();
  for (size_t i = 0; i < d.answers.size(); ++i) {
    pairs.emplace_back(d.answers[i], d.answers[i]);
    pairs.emplace_back(s1::extract_last_boxed(d.solutions[i]).value_or(""), d.answers[i]);
    pairs.emplace_back(d.answers[(i * 7 + 13) % d.answers.size()], d.answers[i]);
    pairs.push_back(rewritten[i % rewritten.size()]);
  }
  return pairs;
}

void run_pairs(benchmark::State& state, const Pairs& pairs) {
  size_t i = 0, equal = 0;
  for (auto _ : state) {
    const auto& [a, b] = pairs[i];
    bool eq = s1::answers_equivalent(a, b);
    equal += eq ? 1 : 0;
    benchmark::DoNotOptimize(eq);
    if (++i == pairs.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["equal_share"] =
      static_cast<double>(equal) / static_cast<double>(state.iterations());
}

void BM_MixedComparisons(benchmark::State& state) {
  static const Pairs pairs = mixed_pairs();
  run_pairs(state, pairs);
}
BENCHMARK(BM_MixedComparisons);

// The rewritten pairs alone: mostly symbolic and structural work.
void BM_HardComparisons(benchmark::State& state) {
  run_pairs(state, rewritten_pairs());
}
BENCHMARK(BM_HardComparisons);

void BM_ExtractAnswerFromSolution(benchmark::State& state) {
  const Math500& d = math500();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s1::extract_answer(d.solutions[i]));
    if (++i == d.solutions.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ExtractAnswerFromSolution);

}  // namespace

BENCHMARK_MAIN();
