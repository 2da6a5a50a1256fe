// The one grading path of `s1 grade` and `s1 eval`: a sample's answer against its gold
// answer (extraction, then equivalence or letters), and maj@k / pass@k over problems.
//
// Rules (also in docs/grading.md, "What is graded"):
//  - free-form answers: the final answer is extract_answer() of the model's answer text
//    (or given as is), correct when non-empty and check_equivalence() with the gold answer
//    and the question (answer_rules.h: angles, labels and order, precision, sentences);
//  - multiple choice (the gold answer is a letter and the number of choices is known):
//    the letter is extract_choice_letter() of the text, correct when it is the gold letter;
//  - a judge (an AnswerJudge, e.g. methods/judge.h's LLM judge) may revisit a free-form
//    "not equal" on a non-empty answer that is not one plain number against another; its
//    verdict replaces the rules', no verdict leaves them. A letter mismatch is final;
//  - a sample's vote is answer_key() of what was extracted (empty: an abstention);
//  - maj@k and pass@k take k = 1, 2, 4, ... below n, and n, where n is the samples a
//    problem should have; only problems with all n samples count (incomplete problems are
//    left out, and counted); the first k samples in sample order vote for maj@k.
//
// All functions are pure and thread-safe (see math_equivalence.h for its lock), except
// judge_grades(), which is as thread-safe as its judge.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/datasets.h"
#include "core/metrics.h"

namespace s1 {

// What a sample is graded against.
struct GoldAnswer {
  std::string answer;    // the final answer; for multiple choice the correct letter ("B")
  size_t choices = 0;    // multiple choice: the number of choices (letters A...); 0: free-form
  std::string question;  // what was asked, for the answer rules and a judge ("": unknown)
};

// The gold answer of a dataset problem: its correct letter and number of choices when it
// is multiple choice (a GPQA CSV, or JSONL choices with a letter answer), else its answer;
// with the problem's text as the question.
GoldAnswer gold_answer(const Problem& problem);

// The final answer grading reads from model text: for multiple choice (choices > 0) the
// letter extract_choice_letter() finds among the first `choices` letters (source "choice",
// or "none" and empty when there is none), else extract_answer() (source
// answer_source_name()). What a grader or a verifier should be shown as "the answer".
struct FinalAnswer {
  std::string answer;
  std::string source;
};
FinalAnswer final_answer(std::string_view text, size_t choices);

struct SampleGrade {
  std::string extracted;  // the final answer or the letter; empty when none was found
  // Where it came from: answer_source_name() ("boxed", "answer_line", "whole_text",
  // "last_math", "last_number", "final_clause", "none"), "given" (used as is) or "choice" (a
  // letter; "none" when no letter was found).
  std::string source;
  bool correct = false;
  std::string method;            // equivalence_method_name(), or "choice" for letters
  bool budget_exceeded = false;  // the equivalence check fell back to strings
  std::string rule;              // the answer rule that decided (answer_rules.h); "" none
  // A judge may revisit this grade: free-form, "not equal", a non-empty answer, and not
  // one plain number against another. Never for letters.
  bool judgeable = false;
  bool judged = false;           // a judge's verdict replaced the rules' (judge_grades())
  bool judge_malformed = false;  // a judge was asked and gave no verdict (rules' kept)
};

// Grades model text: the final answer (or letter) is extracted from `text`, then compared.
SampleGrade grade_text(std::string_view text, const GoldAnswer& gold);

// Grades a final answer given as is (free-form: not extracted again). For multiple choice
// the letter is still read from it (extract_choice_letter(), which takes a bare "B").
SampleGrade grade_given(std::string_view answer, const GoldAnswer& gold);

// What a judge is asked: is `candidate` the same answer as `gold` to `question`?
struct JudgeQuery {
  std::string question;
  std::string gold;
  std::string candidate;
};

// A second grader for what the rules call different (methods/judge.h: an LLM judge over
// a Backend, which core cannot reach).
class AnswerJudge {
 public:
  virtual ~AnswerJudge() = default;
  // One verdict per query, in order: true equivalent, false not, nullopt none (malformed
  // output: the rules' verdict stands). May throw; judge_grades() passes it on.
  virtual std::vector<std::optional<bool>> verdicts(const std::vector<JudgeQuery>& queries) = 0;
};

// A grade and the gold answer it was graded against.
struct GradeToJudge {
  const GoldAnswer* gold;
  SampleGrade* grade;
};

struct JudgeCounts {
  size_t judged = 0;     // grades the judge was asked about (judgeable ones)
  size_t changed = 0;    // ... whose verdict it turned
  size_t malformed = 0;  // ... on which it gave no verdict
};

// Asks `judge` about the judgeable grades of `grades`, all in one call (none: no call);
// a verdict replaces the rules' (correct, judged), none sets judge_malformed.
JudgeCounts judge_grades(const std::vector<GradeToJudge>& grades, AnswerJudge& judge);

// A sample's vote for majority voting: answer_key(extracted) and its grade.
Vote vote_of(std::string_view extracted, bool correct);

// The k of the maj@k / pass@k curves for n samples: 1, 2, 4, ... below n, then n.
// Requires n >= 1.
std::vector<size_t> curve_ks(size_t n);

// Whether a problem with `samples` samples counts for the curves of n samples.
inline bool has_all_samples(size_t samples, size_t n) {
  return samples == n;
}

struct SamplingCurves {
  size_t n = 0;         // samples per problem
  size_t problems = 0;  // problems with all n samples (the only ones counted)
  std::vector<size_t> ks;
  std::vector<double> maj_at_k;   // by ks; empty when no problem counts
  std::vector<double> pass_at_k;  // the unbiased estimator with n samples, by ks
};

// maj@k and pass@k over `problems` (each one's votes in sample order) for n samples a
// problem: problems with other than n votes are left out. Requires n >= 1.
SamplingCurves sampling_curves(const std::vector<std::vector<Vote>>& problems, size_t n);

}  // namespace s1
