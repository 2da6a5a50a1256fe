#include "cli/flags.h"

#include <gtest/gtest.h>

namespace s1::cli {
namespace {

using Bias = std::vector<std::pair<Token, float>>;

TEST(SamplingFlags, PerPhaseBiasesStayInTheirPhase) {
  CLI::App app;
  SamplingFlags flags;
  add_sampling_flags(app, flags);
  app.parse("--logit-bias 5+1 --logit-bias-think 151644+30 --logit-bias-answer 7-2", false);
  SamplingParams thinking, answer;
  flags.resolve(thinking, answer);
  // --logit-bias reaches both phases (llama.cpp's meaning); the others one phase each.
  EXPECT_EQ(thinking.logit_bias, (Bias{{5, 1.0f}, {151644, 30.0f}}));
  EXPECT_EQ(answer.logit_bias, (Bias{{5, 1.0f}, {7, -2.0f}}));
}

TEST(SamplingFlags, MalformedPerPhaseBiasIsRefused) {
  SamplingFlags flags;
  flags.logit_bias_think = {"151644"};
  SamplingParams thinking, answer;
  EXPECT_THROW(flags.resolve(thinking, answer), std::invalid_argument);
  flags.logit_bias_think.clear();
  flags.logit_bias_answer = {"x+1"};
  EXPECT_THROW(flags.resolve(thinking, answer), std::invalid_argument);
}

}  // namespace
}  // namespace s1::cli
