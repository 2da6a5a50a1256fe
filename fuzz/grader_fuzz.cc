// libFuzzer target for answer extraction and answer equivalence.
//
// The input is split at its first NUL byte into a predicted text and a gold answer (without
// a NUL, both halves of the input); a second NUL starts the question the pair is graded
// against. The target aborts when a comparison takes longer than the comparison's
// wall-clock bound or gives different verdicts on two runs.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/answer_extraction.h"
#include "core/math_equivalence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\0');
  if (split == std::string_view::npos) split = size / 2;
  std::string_view predicted = input.substr(0, split);
  std::string_view gold = input.substr(std::min(size, split + 1));
  std::string_view question;
  if (size_t second = gold.find('\0'); second != std::string_view::npos) {
    question = gold.substr(second + 1);
    gold = gold.substr(0, second);
  }

  s1::ExtractedAnswer extracted = s1::extract_answer(predicted);
  (void)s1::extract_choice_letter(predicted, 'D');
  (void)s1::answer_key(gold);

  s1::EquivalenceOptions options;
  auto start = std::chrono::steady_clock::now();
  s1::EquivalenceResult first = s1::check_equivalence(extracted.answer, gold, question, options);
  s1::EquivalenceResult raw = s1::check_equivalence(predicted, gold, question, options);
  auto elapsed = std::chrono::steady_clock::now() - start;
  if (elapsed > options.max_wall) {
    std::fprintf(stderr, "comparison took %lld ms, over the %lld ms bound\n",
                 static_cast<long long>(
                     std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()),
                 static_cast<long long>(options.max_wall.count()));
    std::abort();
  }
  s1::EquivalenceResult again = s1::check_equivalence(predicted, gold, question, options);
  if (again.equivalent != raw.equivalent || again.budget_exceeded != raw.budget_exceeded) {
    std::fprintf(stderr, "non-deterministic verdict\n");
    std::abort();
  }
  (void)first;
  return 0;
}
