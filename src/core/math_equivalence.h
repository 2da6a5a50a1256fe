// Equivalence of two final answers (the grader's verdict), and vote keys for maj@k.
//
// Thread safety: every function may be called from many threads at once. Answers that are
// plain numbers are decided without locks; symbolic checks (see symbolic.h) share one
// process-wide GiNaC lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace s1 {

struct EquivalenceOptions {
  // Deterministic work allowance for one comparison (parsing, conversion, evaluation).
  int64_t max_steps = 50000;
  // Wall-clock backstop for one comparison; far above what max_steps allows in practice.
  std::chrono::milliseconds max_wall{2000};
  // Longer answers (after normalisation) are compared as strings only.
  size_t max_answer_chars = 400;
};

enum class EquivalenceMethod {
  kString,     // equal or unequal as normalised strings (also the fallback)
  kNumeric,    // exact rational arithmetic
  kSymbolic,   // GiNaC simplification or evaluation
  kStructure,  // tuples, sets, intervals, matrices or relations, element by element
  kText,       // words compared without case
};

// A short name: "string", "numeric", "symbolic", "structure" or "text".
const char* equivalence_method_name(EquivalenceMethod method);

struct EquivalenceResult {
  bool equivalent = false;
  EquivalenceMethod method = EquivalenceMethod::kString;
  // The work budget or a size limit stopped the mathematical comparison; the verdict is
  // then the normalised-string comparison.
  bool budget_exceeded = false;
  // The answer rule that decided (answer_rules.h): "order", "labels", "sentence", "angle",
  // "precision", "rounding", "rename", "chain", "computation", "equation", "fraction"; ""
  // when the plain comparison did.
  const char* rule = "";
  // Both answers are plain numbers (no symbols, no structure): a verdict an LLM judge is
  // not asked to revisit.
  bool plain_numbers = false;
};

// Whether the final answer `predicted` means the same as `gold`. Both are final answers in
// LaTeX (not whole solutions: see answer_extraction.h). The comparison normalises both
// (latex_normalize.h), then compares structure (ordered tuples and intervals, where open
// and closed ends matter; unordered sets, lists and \pm pairs; matrices; equations up to a
// non-zero factor; one-variable inequalities as intervals) and values: exact numbers
// exactly, a decimal against an exact value to a relative 1e-4 (3.14 is not \pi),
// "50%" as 0.5 or 50, expressions symbolically; then the answer rules that need no
// question (answer_rules.h: a sentence or labels around the answer, a degree mark against
// \pi, a gold decimal's own precision, a renamed variable, an ordering chain, an equation
// against the expression it defines). Deterministic; never throws except std::bad_alloc.
EquivalenceResult check_equivalence(std::string_view predicted, std::string_view gold,
                                    const EquivalenceOptions& options = {});

// The same, knowing the question the answers answer ("" : unknown). Some equivalences
// need it (answer_rules.h): an angle in degrees against radians, the order of labelled
// values, a stated precision, words of a sentence answer taken from the question. Bounded
// and deterministic as above.
EquivalenceResult check_equivalence(std::string_view predicted, std::string_view gold,
                                    std::string_view question,
                                    const EquivalenceOptions& options = {});

// check_equivalence(predicted, gold).equivalent.
bool answers_equivalent(std::string_view predicted, std::string_view gold);

// A key under which equal answers usually collide, for majority votes: the normalised
// answer, with plain numbers written as reduced fractions ("0.5", "\frac{1}{2}" and
// "1/2" all give "1/2"). Empty for an empty answer. Never throws except std::bad_alloc.
std::string answer_key(std::string_view answer);

}  // namespace s1
