#include "engine/sampling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/random.h"

namespace s1 {
namespace {

// llama.cpp's own choice for the same logits and biases.
Token llama_greedy(const std::vector<float>& logits, const SamplingParams& params) {
  auto chain = make_sampler(params, static_cast<int>(logits.size()));
  std::vector<llama_token_data> cur;
  for (size_t i = 0; i < logits.size(); ++i) cur.push_back({static_cast<Token>(i), logits[i], 0.0f});
  llama_token_data_array arr{cur.data(), cur.size(), -1, false};
  llama_sampler_apply(chain.get(), &arr);
  return cur[static_cast<size_t>(arr.selected)].id;
}

TEST(Sampling, GreedyFastPathMatchesLlamaCpp) {
  SplitMix64 rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + static_cast<int>(rng.next() % 300);
    std::vector<float> logits(static_cast<size_t>(n));
    // Coarse values, so ties (the first maximum wins) happen often.
    for (auto& x : logits) x = static_cast<float>(rng.next() % 7);
    SamplingParams params;
    for (int b = static_cast<int>(rng.next() % 4); b > 0; --b) {
      const float kinds[] = {2.0f, -3.0f, INFINITY, -INFINITY};
      params.logit_bias.emplace_back(static_cast<Token>(rng.next() % n), kinds[rng.next() % 4]);
    }
    std::vector<float> row = logits;
    EXPECT_EQ(greedy_token(row.data(), n, params.logit_bias), llama_greedy(logits, params))
        << "trial " << trial;
    EXPECT_EQ(row, logits);  // left as it was
  }
}

TEST(Sampling, SampleTokenDrawsAsLlamaCppDoes) {
  SplitMix64 rng(5);
  std::vector<float> logits(500);
  for (auto& x : logits) x = static_cast<float>(rng.next() % 1000) / 100.0f;
  SamplingParams params;
  params.temperature = 0.8f;
  params.top_k = 50;
  params.seed = 42;
  params.logit_bias = {{7, 5.0f}};
  auto ours = make_sampler(params, 500);
  auto theirs = make_sampler(params, 500);
  std::vector<llama_token_data> scratch;
  std::set<Token> seen;
  for (int draw = 0; draw < 50; ++draw) {
    std::vector<llama_token_data> cur;
    for (size_t i = 0; i < logits.size(); ++i) cur.push_back({static_cast<Token>(i), logits[i], 0.0f});
    llama_token_data_array arr{cur.data(), cur.size(), -1, false};
    llama_sampler_apply(theirs.get(), &arr);
    const Token expected = cur[static_cast<size_t>(arr.selected)].id;
    llama_sampler_accept(theirs.get(), expected);
    const Token got = sample_token(ours.get(), logits.data(), 500, scratch);
    EXPECT_EQ(got, expected) << "draw " << draw;
    seen.insert(got);
  }
  EXPECT_GT(seen.size(), 3u);  // it does sample, not pick
}

TEST(Sampling, LogitBiasSpec) {
  EXPECT_EQ(parse_logit_bias("151644+3"), (std::pair<Token, float>{151644, 3.0f}));
  EXPECT_EQ(parse_logit_bias("13-inf").second, -INFINITY);
  EXPECT_THROW(parse_logit_bias("x+1"), std::invalid_argument);
  EXPECT_THROW(parse_logit_bias("12"), std::invalid_argument);
  EXPECT_THROW(parse_logit_bias("12+nan"), std::invalid_argument);
}

}  // namespace
}  // namespace s1
