#include "engine/sampling.h"

#include "engine/softmax_kernel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
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

namespace {

void check_bias_tokens(const SamplingParams& params, int n_vocab) {
  for (const auto& entry : params.logit_bias) {
    if (entry.first < 0 || entry.first >= n_vocab) {
      throw std::invalid_argument("logit bias token " + std::to_string(entry.first) +
                                  " is outside the vocabulary (" + std::to_string(n_vocab) +
                                  " tokens)");
    }
  }
}

// Each biased token once, in token order, with its logit plus its biases (added in the
// given order, as llama.cpp's logit-bias sampler adds them).
std::vector<std::pair<Token, float>> biased_values(const float* logits,
                                                   const std::vector<std::pair<Token, float>>& bias) {
  std::vector<std::pair<Token, float>> sorted = bias;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<Token, float>> values;
  for (const auto& [token, b] : sorted) {
    if (values.empty() || values.back().first != token) values.emplace_back(token, logits[token]);
    values.back().second += b;
  }
  return values;
}

bool is_biased(const std::vector<std::pair<Token, float>>& biased, Token token) {
  return std::binary_search(biased.begin(), biased.end(), std::pair<Token, float>{token, 0.0f},
                            [](const auto& a, const auto& b) { return a.first < b.first; });
}

}  // namespace

Token greedy_token(const float* logits, int n_vocab,
                   const std::vector<std::pair<Token, float>>& bias) {
  // Read-only, so rows shared by several sequences can be scanned at once: biased tokens
  // are taken apart from the plain scan between them.
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
  for (const auto& [t, value] : biased_values(logits, bias)) {
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

double greedy_probability(const float* logits, int n_vocab,
                          const std::vector<std::pair<Token, float>>& bias, Token token) {
  const auto biased = biased_values(logits, bias);
  auto value = [&](Token t) {
    const auto it = std::lower_bound(biased.begin(), biased.end(), std::pair<Token, float>{t, 0.0f},
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return it != biased.end() && it->first == t ? it->second : logits[t];
  };
  const double top = value(token);
  if (std::isinf(top) && top < 0) return 0.0;
  double sum = 0;
  for (Token t = 0; t < n_vocab; ++t) sum += std::exp(static_cast<double>(logits[t]) - top);
  // Biased tokens count with their biased values instead.
  for (const auto& [t, v] : biased) {
    sum += std::exp(static_cast<double>(v) - top) - std::exp(static_cast<double>(logits[t]) - top);
  }
  return 1.0 / sum;
}

llama_sampler_ptr make_sampler(const SamplingParams& params, int n_vocab) {
  llama_sampler_chain_params cp = llama_sampler_chain_default_params();
  cp.no_perf = true;
  llama_sampler_ptr chain(llama_sampler_chain_init(cp));
  if (!params.logit_bias.empty()) {
    check_bias_tokens(params, n_vocab);
    std::vector<llama_logit_bias> biases;
    for (const auto& [token, bias] : params.logit_bias) biases.push_back({token, bias});
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

TokenSampler::TokenSampler(const SamplingParams& params, int n_vocab)
    : params_(params), n_vocab_(n_vocab), rng_(params.seed) {
  check_bias_tokens(params, n_vocab);
  const bool truncates = params.top_k > 0 || params.top_p < 1.0f || params.min_p > 0.0f;
  if (!greedy() && truncates) chain_ = make_sampler(params, n_vocab);
}

Token TokenSampler::sample(const float* logits) {
  if (greedy()) return greedy_token(logits, n_vocab_, params_.logit_bias);
  if (!chain_) return softmax_draw(logits);
  candidates_.resize(static_cast<size_t>(n_vocab_));
  for (Token i = 0; i < n_vocab_; ++i) candidates_[static_cast<size_t>(i)] = {i, logits[i], 0.0f};
  llama_token_data_array arr{candidates_.data(), candidates_.size(), -1, false};
  llama_sampler_apply(chain_.get(), &arr);
  if (arr.selected < 0 || arr.selected >= static_cast<int64_t>(arr.size)) {
    throw std::runtime_error("the sampler chose no token");
  }
  const Token token = arr.data[arr.selected].id;
  llama_sampler_accept(chain_.get(), token);
  return token;
}

Token TokenSampler::softmax_draw(const float* logits) {
  // P(token) is proportional to exp((logit + bias) / temperature), as llama.cpp's
  // logit-bias + temp + dist chain draws, in vectorized passes over the row: the weights
  // by blocks with their sums, then a walk over the block sums and inside one block.
  constexpr int kBlock = 1024;
  const size_t n = static_cast<size_t>(n_vocab_);
  const size_t n_blocks = (n + kBlock - 1) / kBlock;
  weights_.resize(n);
  block_sums_.resize(n_blocks);
  const auto biased = biased_values(logits, params_.logit_bias);
  // The shift is the largest biased logit: raw values of biased tokens stay out of it.
  float shift = -INFINITY;
  Token from = 0;
  for (const auto& [token, value] : biased) {
    if (token > from) shift = std::max(shift, max_of(logits + from, token - from));
    shift = std::max(shift, value);
    from = token + 1;
  }
  if (from < n_vocab_) shift = std::max(shift, max_of(logits + from, n_vocab_ - from));
  if (std::isnan(shift) || shift == INFINITY || shift == -INFINITY) {
    // A token at +inf is certain (the first such one); all at -inf leaves nothing to weigh.
    return greedy_token(logits, n_vocab_, params_.logit_bias);
  }
  const float scale = 1.0f / params_.temperature;
  for (size_t b = 0; b < n_blocks; ++b) {
    const size_t start = b * kBlock;
    const int len = static_cast<int>(std::min(n, start + kBlock) - start);
    block_sums_[b] = exp_scaled_sum(logits + start, weights_.data() + start, len, shift, scale);
  }
  // Biased tokens get their own weights, and their blocks are summed again (subtracting
  // a raw weight far above the others would lose them).
  for (size_t k = 0; k < biased.size(); ++k) {
    const auto [token, value] = biased[k];
    const auto t = static_cast<size_t>(token);
    weights_[t] = value == -INFINITY ? 0.0f : std::exp((value - shift) * scale);
    const size_t b = t / kBlock;
    if (k + 1 < biased.size() && static_cast<size_t>(biased[k + 1].first) / kBlock == b) continue;
    double sum = 0.0;
    for (size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) sum += weights_[i];
    block_sums_[b] = sum;
  }
  double total = 0.0;
  for (double x : block_sums_) total += x;
  // A token at -inf (masked) has a tiny weight from the kernel; it is never drawn.
  auto weight = [&](size_t i) {
    return logits[i] == -INFINITY && !is_biased(biased, static_cast<Token>(i)) ? 0.0f
                                                                               : weights_[i];
  };
  const double target = std::uniform_real_distribution<double>(0.0, 1.0)(rng_) * total;
  double seen = 0.0;
  size_t b = 0;
  while (b + 1 < n_blocks && seen + block_sums_[b] <= target) seen += block_sums_[b++];
  Token last = -1;
  for (size_t i = b * kBlock; i < n; ++i) {
    const float w = weight(i);
    if (w <= 0.0f) continue;
    last = static_cast<Token>(i);
    seen += w;
    if (seen > target) return last;
  }
  // Rounding left the target past the end: the last token with weight, or before it.
  if (last >= 0) return last;
  for (size_t i = b * kBlock; i-- > 0;) {
    if (weight(i) > 0.0f) return static_cast<Token>(i);
  }
  return greedy_token(logits, n_vocab_, params_.logit_bias);
}

}  // namespace s1
