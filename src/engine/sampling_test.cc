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

TEST(Sampling, TruncatingSamplersDrawAsLlamaCppDoes) {
  SplitMix64 rng(5);
  std::vector<float> logits(500);
  for (auto& x : logits) x = static_cast<float>(rng.next() % 1000) / 100.0f;
  SamplingParams params;
  params.temperature = 0.8f;
  params.top_k = 50;
  params.seed = 42;
  params.logit_bias = {{7, 5.0f}};
  TokenSampler ours(params, 500);
  auto theirs = make_sampler(params, 500);
  std::set<Token> seen;
  for (int draw = 0; draw < 50; ++draw) {
    std::vector<llama_token_data> cur;
    for (size_t i = 0; i < logits.size(); ++i) cur.push_back({static_cast<Token>(i), logits[i], 0.0f});
    llama_token_data_array arr{cur.data(), cur.size(), -1, false};
    llama_sampler_apply(theirs.get(), &arr);
    const Token expected = cur[static_cast<size_t>(arr.selected)].id;
    llama_sampler_accept(theirs.get(), expected);
    const Token got = ours.sample(logits.data());
    EXPECT_EQ(got, expected) << "draw " << draw;
    seen.insert(got);
  }
  EXPECT_GT(seen.size(), 3u);  // it does sample, not pick
}

// Draw frequencies of the softmax path against exp((logit + bias) / T), normalized.
void expect_softmax_frequencies(const std::vector<float>& logits, const SamplingParams& params,
                                int draws) {
  const int n = static_cast<int>(logits.size());
  std::vector<double> expected(logits.size());
  double total = 0;
  for (int i = 0; i < n; ++i) {
    double v = logits[static_cast<size_t>(i)];
    for (const auto& [t, b] : params.logit_bias)
      if (t == i) v += b;
    expected[static_cast<size_t>(i)] = std::isinf(v) ? 0.0 : std::exp(v / params.temperature);
    total += expected[static_cast<size_t>(i)];
  }
  TokenSampler sampler(params, n);
  std::vector<int> counts(logits.size(), 0);
  for (int d = 0; d < draws; ++d) ++counts[static_cast<size_t>(sampler.sample(logits.data()))];
  for (size_t i = 0; i < logits.size(); ++i) {
    const double p = expected[i] / total;
    const double sd = std::sqrt(p * (1 - p) / draws);
    EXPECT_NEAR(static_cast<double>(counts[i]) / draws, p, 5 * sd + 1e-9) << "token " << i;
    if (p == 0) EXPECT_EQ(counts[i], 0) << "token " << i;
  }
}

TEST(Sampling, SoftmaxDrawFollowsTheDistribution) {
  SamplingParams params;
  params.temperature = 0.7f;
  params.seed = 9;
  // A masked token (the largest raw logit, biased away) and a biased-up one.
  params.logit_bias = {{3, -INFINITY}, {5, 1.5f}, {5, 0.5f}};
  expect_softmax_frequencies({1.0f, 0.5f, -INFINITY, 4.0f, 2.0f, 0.0f, 1.5f, -1.0f}, params,
                             40000);
  params.temperature = 1.0f;
  params.logit_bias.clear();
  expect_softmax_frequencies({0.0f, 0.1f, 0.2f, 2.0f}, params, 40000);
}

TEST(Sampling, SoftmaxDrawOverAFullVocabulary) {
  // Blocks of the row, a masked favourite and the last token all matter at 150k tokens.
  const int n = 151936;
  std::vector<float> logits(static_cast<size_t>(n), -30.0f);
  logits[2000] = 5.0f;
  logits[n - 1] = 5.0f;
  logits[77777] = 50.0f;  // masked below
  SamplingParams params;
  params.temperature = 1.0f;
  params.seed = 3;
  params.logit_bias = {{77777, -INFINITY}};
  TokenSampler sampler(params, n);
  int first = 0, last = 0;
  for (int d = 0; d < 2000; ++d) {
    const Token t = sampler.sample(logits.data());
    ASSERT_TRUE(t == 2000 || t == n - 1) << t;
    (t == 2000 ? first : last)++;
  }
  EXPECT_GT(first, 850);
  EXPECT_GT(last, 850);
  // A token pushed to +inf is certain.
  params.logit_bias = {{123, INFINITY}};
  TokenSampler certain(params, n);
  for (int d = 0; d < 5; ++d) EXPECT_EQ(certain.sample(logits.data()), 123);
}

TEST(Sampling, SoftmaxDrawIsSeeded) {
  std::vector<float> logits(1000);
  SplitMix64 rng(1);
  for (auto& x : logits) x = static_cast<float>(rng.next() % 100) / 10.0f;
  SamplingParams params;
  params.temperature = 1.0f;
  params.seed = 5;
  TokenSampler a(params, 1000), b(params, 1000);
  params.seed = 6;
  TokenSampler c(params, 1000);
  std::vector<Token> ta, tb, tc;
  for (int d = 0; d < 20; ++d) {
    ta.push_back(a.sample(logits.data()));
    tb.push_back(b.sample(logits.data()));
    tc.push_back(c.sample(logits.data()));
  }
  EXPECT_EQ(ta, tb);
  EXPECT_NE(ta, tc);
}

TEST(Sampling, LogitBiasSpec) {
  EXPECT_EQ(parse_logit_bias("151644+3"), (std::pair<Token, float>{151644, 3.0f}));
  EXPECT_EQ(parse_logit_bias("13-inf").second, -INFINITY);
  EXPECT_THROW(parse_logit_bias("x+1"), std::invalid_argument);
  EXPECT_THROW(parse_logit_bias("12"), std::invalid_argument);
  EXPECT_THROW(parse_logit_bias("12+nan"), std::invalid_argument);
}

// The rule every backend and method seeds samples by; a change would change every
// recorded run's samples.
TEST(Sampling, SampleSeedRule) {
  EXPECT_EQ(sample_seed(0, 0), 0u);
  EXPECT_EQ(sample_seed(42, 0), 42u);
  EXPECT_EQ(sample_seed(42, 1), 42u + 7919u);
  EXPECT_EQ(sample_seed(42, 3), 42u + 3u * 7919u);
  EXPECT_EQ(sample_seed(0xFFFFFFFFu, 1), 7918u);  // wraps around
}

}  // namespace
}  // namespace s1
