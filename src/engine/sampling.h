// Per-sequence samplers built from plain settings (llama.cpp's sampler chains).
#pragma once

#include <llama-cpp.h>

#include <cstdint>
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

// One token drawn by `chain` from a row of logits, as llama_sampler_sample does, with
// `candidates` as scratch space (resized to n_vocab). Reads `logits` only, so distinct
// chains with distinct scratch may run on several threads at once. Throws
// std::runtime_error if the chain selects nothing.
Token sample_token(llama_sampler* chain, const float* logits, int n_vocab,
                   std::vector<llama_token_data>& candidates);

// A new sampler chain for `params` over a vocabulary of `n_vocab` tokens.
// Throws std::invalid_argument for a bias token outside the vocabulary.
llama_sampler_ptr make_sampler(const SamplingParams& params, int n_vocab);

}  // namespace s1
