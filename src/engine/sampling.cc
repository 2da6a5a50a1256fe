#include "engine/sampling.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace s1 {

std::pair<Token, float> parse_logit_bias(const std::string& spec) {
  const size_t sign = spec.find_first_of("+-", 1);
  if (sign == std::string::npos || sign == 0) {
    throw std::invalid_argument("logit bias '" + spec + "' is not TOKEN+BIAS or TOKEN-BIAS");
  }
  try {
    size_t used = 0;
    const long token = std::stol(spec.substr(0, sign), &used);
    if (used != sign || token < 0) throw std::invalid_argument("token");
    const std::string value = spec.substr(sign + 1);
    float bias;
    if (value == "inf") {
      bias = std::numeric_limits<float>::infinity();
    } else {
      bias = std::stof(value, &used);
      if (used != value.size() || !std::isfinite(bias)) throw std::invalid_argument("bias");
    }
    return {static_cast<Token>(token), spec[sign] == '-' ? -bias : bias};
  } catch (const std::exception&) {
    throw std::invalid_argument("logit bias '" + spec + "' is not TOKEN+BIAS or TOKEN-BIAS");
  }
}

Token greedy_token(float* logits, int n_vocab, const std::vector<std::pair<Token, float>>& bias) {
  // Biases are applied in place and undone, so the scan stays one pass over the row.
  std::vector<float> saved;
  saved.reserve(bias.size());
  for (const auto& [token, b] : bias) {
    saved.push_back(logits[token]);
    logits[token] += b;
  }
  Token best = 0;
  for (Token i = 1; i < n_vocab; ++i) {
    if (logits[i] > logits[best]) best = i;
  }
  for (size_t k = bias.size(); k > 0; --k) logits[bias[k - 1].first] = saved[k - 1];
  return best;
}

llama_sampler_ptr make_sampler(const SamplingParams& params, int n_vocab) {
  llama_sampler_chain_params cp = llama_sampler_chain_default_params();
  cp.no_perf = true;
  llama_sampler_ptr chain(llama_sampler_chain_init(cp));
  if (!params.logit_bias.empty()) {
    std::vector<llama_logit_bias> biases;
    for (const auto& [token, bias] : params.logit_bias) {
      if (token < 0 || token >= n_vocab) {
        throw std::invalid_argument("logit bias token " + std::to_string(token) +
                                    " is outside the vocabulary (" + std::to_string(n_vocab) +
                                    " tokens)");
      }
      biases.push_back({token, bias});
    }
    llama_sampler_chain_add(chain.get(), llama_sampler_init_logit_bias(
                                             n_vocab, static_cast<int32_t>(biases.size()),
                                             biases.data()));
  }
  if (params.temperature <= 0.0f) {
    llama_sampler_chain_add(chain.get(), llama_sampler_init_greedy());
    return chain;
  }
  if (params.top_k > 0) llama_sampler_chain_add(chain.get(), llama_sampler_init_top_k(params.top_k));
  if (params.top_p < 1.0f) llama_sampler_chain_add(chain.get(), llama_sampler_init_top_p(params.top_p, 1));
  if (params.min_p > 0.0f) llama_sampler_chain_add(chain.get(), llama_sampler_init_min_p(params.min_p, 1));
  llama_sampler_chain_add(chain.get(), llama_sampler_init_temp(params.temperature));
  llama_sampler_chain_add(chain.get(), llama_sampler_init_dist(params.seed));
  return chain;
}

}  // namespace s1
