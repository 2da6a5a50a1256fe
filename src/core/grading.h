// The one grading path of `s1 grade` and `s1 eval`: a sample's answer against its gold
// answer (extraction, then equivalence or letters), and maj@k / pass@k over problems.
//
// Rules (also in README.md, "Grading"):
//  - free-form answers: the final answer is extract_answer() of the model's answer text
//    (or given as is), correct when non-empty and check_equivalence() with the gold answer;
//  - multiple choice (the gold answer is a letter and the number of choices is known):
//    the letter is extract_choice_letter() of the text, correct when it is the gold letter;
//  - a sample's vote is answer_key() of what was extracted (empty: an abstention);
//  - maj@k and pass@k take k = 1, 2, 4, ... below n, and n, where n is the samples a
//    problem should have; only problems with all n samples count (incomplete problems are
//    left out, and counted); the first k samples in sample order vote for maj@k.
//
// All functions are pure and thread-safe (see math_equivalence.h for its lock).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/datasets.h"
#include "core/metrics.h"

namespace s1 {

// What a sample is graded against.
struct GoldAnswer {
  std::string answer;  // the final answer; for multiple choice the correct letter ("B")
  size_t choices = 0;  // multiple choice: the number of choices (letters A...); 0: free-form
};

// The gold answer of a dataset problem: its correct letter and number of choices when it
// is multiple choice (a GPQA CSV, or JSONL choices with a letter answer), else its answer.
GoldAnswer gold_answer(const Problem& problem);

struct SampleGrade {
  std::string extracted;  // the final answer or the letter; empty when none was found
  // Where it came from: answer_source_name() ("boxed", "answer_line", "last_number",
  // "none"), "given" (used as is) or "choice" (a letter; "none" when no letter was found).
  std::string source;
  bool correct = false;
  std::string method;            // equivalence_method_name(), or "choice" for letters
  bool budget_exceeded = false;  // the equivalence check fell back to strings
};

// Grades model text: the final answer (or letter) is extracted from `text`, then compared.
SampleGrade grade_text(std::string_view text, const GoldAnswer& gold);

// Grades a final answer given as is (free-form: not extracted again). For multiple choice
// the letter is still read from it (extract_choice_letter(), which takes a bare "B").
SampleGrade grade_given(std::string_view answer, const GoldAnswer& gold);

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
