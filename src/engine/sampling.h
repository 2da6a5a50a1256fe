// Per-sequence samplers built from plain settings (llama.cpp's sampler chains).
#pragma once

#include <llama-cpp.h>

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/budget_forcing.h"

namespace s1 {

// Sampling settings for one phase (thinking or answer). temperature <= 0 is greedy,
// the default, as in the s1 paper's evaluations.
struct SamplingParams {
  float temperature = 0.0f;
  int top_k = 0;        // 0: off
  float top_p = 1.0f;   // 1: off
  float min_p = 0.0f;   // 0: off
  uint32_t seed = 0;
  std::vector<std::pair<Token, float>> logit_bias;  // added to the logits before sampling
};

// Parses llama.cpp's "TOKEN+BIAS" / "TOKEN-BIAS" form (e.g. "151645+30", "13-inf").
// Throws std::invalid_argument on anything else.
std::pair<Token, float> parse_logit_bias(const std::string& spec);

// The greedy choice over `logits` (n_vocab values) with `bias` added: the first token of
// highest biased logit, exactly as llama.cpp's logit-bias + greedy chain chooses, without
// copying the vocabulary into a candidate array (the hot path of greedy decoding).
// Reads `logits` only: several threads may scan the same row.
Token greedy_token(const float* logits, int n_vocab,
                   const std::vector<std::pair<Token, float>>& bias);

// The probability of `token` under the softmax of `logits` with `bias` added (the
// distribution greedy_token takes the top of). Reads `logits` only.
double greedy_probability(const float* logits, int n_vocab,
                          const std::vector<std::pair<Token, float>>& bias, Token token);

// A new sampler chain for `params` over a vocabulary of `n_vocab` tokens.
// Throws std::invalid_argument for a bias token outside the vocabulary.
llama_sampler_ptr make_sampler(const SamplingParams& params, int n_vocab);

// Draws the tokens of one sequence in one phase. Greedy when temperature <= 0; with
// top-k, top-p or min-p, llama.cpp's sampler chain (make_sampler); plain temperature
// sampling (the s1 paper's parallel-scaling setting) draws from the softmax over the
// whole row in vectorized passes (softmax_kernel.h), several times faster than the
// chain's scalar loop, with the same distribution and the same seeding (a mt19937 from
// `seed`), though not the same stream of tokens.
class TokenSampler {
 public:
  // Throws std::invalid_argument for a bias token outside the vocabulary.
  TokenSampler(const SamplingParams& params, int n_vocab);

  // One token from `logits` (n_vocab values). Reads the row only, so samplers may draw
  // from one row at once; one sampler is not thread-safe. Throws std::runtime_error if
  // the chain selects nothing.
  Token sample(const float* logits);

  bool greedy() const { return params_.temperature <= 0.0f; }

 private:
  Token softmax_draw(const float* logits);

  SamplingParams params_;
  int n_vocab_;
  llama_sampler_ptr chain_;  // only with top-k, top-p or min-p
  std::mt19937 rng_;
  std::vector<float> weights_;       // scratch: exp of the scaled logits
  std::vector<double> block_sums_;   // scratch: their sums by block
  std::vector<llama_token_data> candidates_;  // scratch of the chain
};

}  // namespace s1
