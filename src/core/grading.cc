#include "core/grading.h"

#include <algorithm>
#include <stdexcept>

#include "core/answer_extraction.h"
#include "core/math_equivalence.h"

namespace s1 {
namespace {

SampleGrade grade_letter(std::string_view text, const GoldAnswer& gold) {
  const char last = static_cast<char>('A' + std::min<size_t>(gold.choices, 26) - 1);
  SampleGrade g;
  if (std::optional<char> letter = extract_choice_letter(text, last)) {
    g.extracted = std::string(1, *letter);
    g.source = "choice";
  } else {
    g.source = "none";
  }
  g.method = "choice";
  g.correct = !g.extracted.empty() && g.extracted == gold.answer;
  return g;
}

SampleGrade compare(std::string extracted, std::string source, const GoldAnswer& gold) {
  SampleGrade g;
  g.extracted = std::move(extracted);
  g.source = std::move(source);
  const EquivalenceResult verdict = check_equivalence(g.extracted, gold.answer);
  g.correct = !g.extracted.empty() && verdict.equivalent;
  g.method = equivalence_method_name(verdict.method);
  g.budget_exceeded = verdict.budget_exceeded;
  return g;
}

}  // namespace

GoldAnswer gold_answer(const Problem& problem) {
  if (problem.correct_letter)
    return {std::string(1, problem.correct_letter), problem.choices.size()};
  return {problem.answer, 0};
}

SampleGrade grade_text(std::string_view text, const GoldAnswer& gold) {
  if (gold.choices > 0) return grade_letter(text, gold);
  ExtractedAnswer extracted = extract_answer(text);
  return compare(std::move(extracted.answer), answer_source_name(extracted.source), gold);
}

SampleGrade grade_given(std::string_view answer, const GoldAnswer& gold) {
  if (gold.choices > 0) return grade_letter(answer, gold);
  return compare(std::string(answer), "given", gold);
}

Vote vote_of(std::string_view extracted, bool correct) {
  return {answer_key(extracted), correct};
}

std::vector<size_t> curve_ks(size_t n) {
  if (n == 0) throw std::invalid_argument("curves need at least one sample a problem");
  std::vector<size_t> ks;
  for (size_t k = 1; k < n; k *= 2) ks.push_back(k);
  ks.push_back(n);
  return ks;
}

SamplingCurves sampling_curves(const std::vector<std::vector<Vote>>& problems, size_t n) {
  SamplingCurves out;
  out.n = n;
  out.ks = curve_ks(n);
  std::vector<std::vector<Vote>> complete;
  for (const auto& votes : problems) {
    if (has_all_samples(votes.size(), n)) complete.push_back(votes);
  }
  out.problems = complete.size();
  if (complete.empty()) return out;
  for (size_t k : out.ks) {
    out.maj_at_k.push_back(maj_at_k(complete, k));
    double pass = 0;
    for (const auto& votes : complete) {
      const size_t correct = static_cast<size_t>(
          std::count_if(votes.begin(), votes.end(), [](const Vote& v) { return v.correct; }));
      pass += pass_at_k(n, correct, k);
    }
    out.pass_at_k.push_back(pass / static_cast<double>(complete.size()));
  }
  return out;
}

}  // namespace s1
