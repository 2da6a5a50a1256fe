#include "engine/sampling.h"

#include <algorithm>
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

Token greedy_token(const float* logits, int n_vocab,
                   const std::vector<std::pair<Token, float>>& bias) {
  // Read-only, so rows shared by several sequences can be scanned at once: biased tokens
  // (in token order; a token biased twice gets both, in the given order) are taken
  // apart from the plain scan between them.
  std::vector<std::pair<Token, float>> sorted = bias;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  Token best = 0;
  float best_value = logits[0];
  Token next = 0;  // first token not looked at yet
  auto scan_to = [&](Token end) {
    for (Token i = next; i < end; ++i) {
      if (i == 0) continue;  // token 0 is the starting point
      if (logits[i] > best_value) {
        best_value = logits[i];
        best = i;
      }
    }
    next = std::max(next, end);
  };
  for (size_t k = 0; k < sorted.size();) {
    const Token t = sorted[k].first;
    float value = logits[t];
    for (; k < sorted.size() && sorted[k].first == t; ++k) value += sorted[k].second;
    scan_to(t);
    if (t == 0) {
      best_value = value;
    } else if (value > best_value) {
      best_value = value;
      best = t;
    }
    next = t + 1;
  }
  scan_to(n_vocab);
  return best;
}

Token sample_token(llama_sampler* chain, const float* logits, int n_vocab,
                   std::vector<llama_token_data>& candidates) {
  candidates.resize(static_cast<size_t>(n_vocab));
  for (Token i = 0; i < n_vocab; ++i) candidates[static_cast<size_t>(i)] = {i, logits[i], 0.0f};
  llama_token_data_array arr{candidates.data(), candidates.size(), -1, false};
  llama_sampler_apply(chain, &arr);
  if (arr.selected < 0 || arr.selected >= static_cast<int64_t>(arr.size)) {
    throw std::runtime_error("the sampler chose no token");
  }
  const Token token = arr.data[arr.selected].id;
  llama_sampler_accept(chain, token);
  return token;
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
  // Dividing by 1 changes nothing: skip a pass over the vocabulary.
  if (params.temperature != 1.0f) {
    llama_sampler_chain_add(chain.get(), llama_sampler_init_temp(params.temperature));
  }
  llama_sampler_chain_add(chain.get(), llama_sampler_init_dist(params.seed));
  return chain;
}

}  // namespace s1
