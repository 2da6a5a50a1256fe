#include "engine/server_kind.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace s1 {

using nlohmann::json;

ServerKind parse_server_kind(const std::string& name) {
  if (name == "auto") return ServerKind::kAuto;
  if (name == "openai") return ServerKind::kOpenAi;
  if (name == "vllm") return ServerKind::kVllm;
  if (name == "sglang") return ServerKind::kSglang;
  if (name == "llama") return ServerKind::kLlama;
  if (name == "s1") return ServerKind::kS1;
  throw std::invalid_argument("unknown server kind '" + name +
                              "' (auto, openai, vllm, sglang, llama, s1)");
}

const char* to_string(ServerKind kind) {
  switch (kind) {
    case ServerKind::kAuto: return "auto";
    case ServerKind::kOpenAi: return "openai";
    case ServerKind::kVllm: return "vllm";
    case ServerKind::kSglang: return "sglang";
    case ServerKind::kLlama: return "llama";
    case ServerKind::kS1: return "s1";
  }
  return "openai";
}

ServerKind detect_server_kind(const std::string& models_body, const std::string& props_body) {
  const json models = json::parse(models_body, nullptr, false);
  const json props = json::parse(props_body, nullptr, false);
  if (models.is_object() && models.value("data", json()).is_array()) {
    for (const json& m : models["data"]) {
      const std::string owner = m.is_object() ? m.value("owned_by", "") : "";
      if (owner == "vllm") return ServerKind::kVllm;
      if (owner == "sglang") return ServerKind::kSglang;
      if (owner == "llamacpp") return ServerKind::kLlama;
      if (owner == "s1.cpp") return ServerKind::kS1;
    }
  }
  // llama-server's GET /props (tools/server/README.md, "GET /props").
  if (props.is_object() && props.contains("default_generation_settings")) return ServerKind::kLlama;
  return ServerKind::kOpenAi;
}

std::string reported_thinking_format(const std::string& models_body) {
  const json models = json::parse(models_body, nullptr, false);
  if (!models.is_object() || !models.value("data", json()).is_array()) return "";
  for (const json& m : models["data"]) {
    if (!m.is_object() || !m.value("meta", json()).is_object()) continue;
    const json f = m["meta"].value("thinking_format", json());
    if (f.is_string()) return f.get<std::string>();
  }
  return "";
}

bool stops_at_token_ids(ServerKind kind) {
  return kind == ServerKind::kVllm || kind == ServerKind::kSglang;
}

std::string segment_fields(ServerKind kind, const SegmentStops& stops) {
  json body = json::object();
  body["stop"] = stops.stop;
  switch (kind) {
    case ServerKind::kVllm:
      // vLLM's extra sampling parameters of /v1/completions (docs.vllm.ai, "OpenAI-
      // Compatible Server", Extra Parameters; vllm.SamplingParams): special tokens kept
      // as text and unspaced, stop strings left out of the text, stop_token_ids, and
      // min_tokens, which holds back EOS, stop_token_ids and stop strings.
      body["skip_special_tokens"] = false;
      body["spaces_between_special_tokens"] = false;
      body["include_stop_str_in_output"] = false;
      if (!stops.stop_token_ids.empty()) body["stop_token_ids"] = stops.stop_token_ids;
      if (stops.mask_trigger) body["min_tokens"] = 1;
      break;
    case ServerKind::kSglang:
      // SGLang's OpenAI-compatible /v1/completions takes its sampling parameters as
      // extra fields (docs.sglang.io, "Sampling Parameters": skip_special_tokens,
      // spaces_between_special_tokens, no_stop_trim, stop_token_ids; min_tokens is
      // /generate's min_new_tokens).
      body["skip_special_tokens"] = false;
      body["spaces_between_special_tokens"] = false;
      body["no_stop_trim"] = false;
      if (!stops.stop_token_ids.empty()) body["stop_token_ids"] = stops.stop_token_ids;
      if (stops.mask_trigger) body["min_tokens"] = 1;
      break;
    case ServerKind::kLlama:
      // llama-server (tools/server/README.md, POST /completion): preserved_tokens are
      // shown as text without --special; cache_prompt reuses the slot's prefix.
      if (!stops.special_text.empty()) body["preserved_tokens"] = stops.special_text;
      body["cache_prompt"] = true;
      break;
    case ServerKind::kS1:
      body["cache_prompt"] = true;  // `s1 serve` takes llama-server's field
      // ... and vLLM's stop_token_ids: the trigger ends a segment as one token.
      if (!stops.stop_token_ids.empty()) body["stop_token_ids"] = stops.stop_token_ids;
      break;
    case ServerKind::kAuto:
    case ServerKind::kOpenAi:
      break;
  }
  return body.dump();
}

std::string probability_fields(ServerKind kind) {
  json body = json::object();
  switch (kind) {
    case ServerKind::kLlama:
      // tools/server/README.md, POST /completion: n_probs > 0 gives each token's
      // probability (and the top n), before the sampling chain.
      body["n_probs"] = 1;
      break;
    case ServerKind::kVllm:
    case ServerKind::kSglang:
    case ServerKind::kOpenAi:
    case ServerKind::kAuto:
      // OpenAI's /v1/completions: logprobs = how many top tokens to list beside each
      // chosen token's log probability (vLLM and SGLang take it alike).
      body["logprobs"] = 1;
      break;
    case ServerKind::kS1:
      break;
  }
  return body.dump();
}

bool gives_token_probabilities(ServerKind kind) { return kind != ServerKind::kS1; }

std::string logit_bias_field(ServerKind kind, const std::vector<std::pair<Token, float>>& bias) {
  json out = json::object();
  for (const auto& [token, b] : bias) {
    const std::string id = std::to_string(token);
    if (kind == ServerKind::kLlama) {
      // llama-server: false bans the token (tools/server/README.md, logit_bias).
      if (std::isinf(b) && b < 0) {
        out[id] = false;
      } else {
        out[id] = b;
      }
    } else {
      out[id] = std::isnan(b) ? 0.0f : std::clamp(b, -100.0f, 100.0f);
    }
  }
  return out.dump();
}

}  // namespace s1
