// Running requests on a Scheduler to the end in tests, bounded so that a scheduler that
// never finishes fails the test instead of hanging it.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "engine/model.h"
#include "engine/scheduler.h"

namespace s1::test {

// Steps `s` until it has nothing left, failing the test (instead of hanging) after
// `bound` steps.
inline void run_bounded(Scheduler& s, int bound) {
  int steps = 0;
  while (s.step()) {
    ASSERT_LT(++steps, bound) << "the scheduler is still busy after " << bound << " steps";
  }
}

// Runs `req` on `s` to the end and returns its first sample.
inline SequenceResult run_on(Scheduler& s, GenerationRequest req,
                             std::vector<std::vector<float>>* rows = nullptr) {
  SequenceResult out;
  req.on_done = [&](int i, const SequenceResult& r) {
    if (i == 0) out = r;
  };
  if (rows) {
    req.on_logits = [rows](int i, const float* row, int n) {
      if (i == 0) rows->emplace_back(row, row + n);
    };
  }
  s.submit(std::move(req));
  run_bounded(s, 1000);
  EXPECT_EQ(s.busy_sequences(), 0);
  EXPECT_EQ(s.used_cells(), 0);
  EXPECT_EQ(s.cached_cells(), s.cached_tokens());  // the cache holds what it says
  return out;
}

// A raw ChatML prompt: a short system prompt, `user`'s message, and an opened thinking
// block in the s1 format, with `rules`.
inline GenerationRequest raw_conversation(const Model& model, const std::string& user,
                                          BudgetRules rules) {
  GenerationRequest r;
  r.prompt = model.tokenize("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n" + user +
                                "<|im_end|>\n<|im_start|>assistant\n<|im_start|>think",
                            true);
  r.rules = rules;
  return r;
}

}  // namespace s1::test
