#include "core/grading.h"

#include <algorithm>
#include <stdexcept>

#include "core/answer_extraction.h"
#include "core/math_equivalence.h"

namespace s1 {
namespace {

// Grades a final answer: by letter for multiple choice, else by equivalence.
SampleGrade grade_final(FinalAnswer answer, const GoldAnswer& gold) {
  SampleGrade g;
  g.extracted = std::move(answer.answer);
  g.source = std::move(answer.source);
  if (gold.choices > 0) {
    g.method = "choice";
    g.correct = !g.extracted.empty() && g.extracted == gold.answer;
    return g;
  }
  const EquivalenceResult verdict = check_equivalence(g.extracted, gold.answer, gold.question);
  g.correct = !g.extracted.empty() && verdict.equivalent;
  g.method = equivalence_method_name(verdict.method);
  g.budget_exceeded = verdict.budget_exceeded;
  g.rule = verdict.rule;
  g.judgeable = !g.correct && !g.extracted.empty() && !verdict.plain_numbers;
  return g;
}

}  // namespace

GoldAnswer gold_answer(const Problem& problem) {
  if (problem.correct_letter)
    return {std::string(1, problem.correct_letter), problem.choices.size(), problem.problem};
  return {problem.answer, 0, problem.problem};
}

FinalAnswer final_answer(std::string_view text, size_t choices) {
  if (choices > 0) {
    const char last = static_cast<char>('A' + std::min<size_t>(choices, 26) - 1);
    if (std::optional<char> letter = extract_choice_letter(text, last))
      return {std::string(1, *letter), "choice"};
    return {"", "none"};
  }
  ExtractedAnswer extracted = extract_answer(text);
  return {std::move(extracted.answer), answer_source_name(extracted.source)};
}

SampleGrade grade_text(std::string_view text, const GoldAnswer& gold) {
  return grade_final(final_answer(text, gold.choices), gold);
}

SampleGrade grade_given(std::string_view answer, const GoldAnswer& gold) {
  if (gold.choices > 0) return grade_final(final_answer(answer, gold.choices), gold);
  return grade_final({std::string(answer), "given"}, gold);
}

JudgeCounts judge_grades(const std::vector<GradeToJudge>& grades, AnswerJudge& judge) {
  JudgeCounts counts;
  std::vector<JudgeQuery> queries;
  std::vector<SampleGrade*> asked;
  for (const GradeToJudge& g : grades) {
    if (!g.grade->judgeable) continue;
    queries.push_back({g.gold->question, g.gold->answer, g.grade->extracted});
    asked.push_back(g.grade);
  }
  counts.judged = queries.size();
  if (queries.empty()) return counts;
  const std::vector<std::optional<bool>> verdicts = judge.verdicts(queries);
  if (verdicts.size() != queries.size())
    throw std::logic_error("a judge gave " + std::to_string(verdicts.size()) + " verdicts for " +
                           std::to_string(queries.size()) + " queries");
  for (size_t i = 0; i < asked.size(); ++i) {
    SampleGrade& grade = *asked[i];
    if (!verdicts[i]) {
      grade.judge_malformed = true;
      ++counts.malformed;
      continue;
    }
    if (*verdicts[i] != grade.correct) ++counts.changed;
    grade.correct = *verdicts[i];
    grade.judged = true;
  }
  return counts;
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
