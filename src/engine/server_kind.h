// Which OpenAI-compatible server the remote backend talks to, and the request fields
// each kind documents for what a budget-forced segment needs: stop at the end trigger
// with the trigger shown as text, special tokens kept in the output, and (for an empty
// ignore string) the trigger masked for the first token. Pure: no network here. JSON
// crosses this interface as text: the engine library and its users may build against
// different nlohmann::json versions (llama.cpp's common library brings its own).
#pragma once

#include <string>
#include <vector>

#include "core/budget_forcing.h"

namespace s1 {

enum class ServerKind {
  kAuto,     // detect from GET /v1/models (and /props)
  kOpenAi,   // OpenAI's fields only
  kVllm,     // vLLM
  kSglang,   // SGLang
  kLlama,    // llama.cpp's llama-server
  kS1,       // another `s1 serve`
};

// "auto", "openai", "vllm", "sglang", "llama", "s1". Throws std::invalid_argument.
ServerKind parse_server_kind(const std::string& name);
const char* to_string(ServerKind kind);

// The kind a server's GET /v1/models answer names (owned_by: "vllm", "sglang",
// "llamacpp", "s1.cpp") or its GET /props answer (llama-server's
// default_generation_settings. kOpenAi when neither tells.
ServerKind detect_server_kind(const std::string& models_body, const std::string& props_body);

// What one completion segment asks beyond the prompt and sampling.
struct SegmentStops {
  std::vector<std::string> stop;      // stop strings (end trigger, end-of-generation text)
  std::vector<Token> stop_token_ids;  // the trigger's id, where it is one known token
  // Text of special tokens that must come back as text (the trigger).
  std::vector<std::string> special_text;
  bool mask_trigger = false;  // the first token must not end (an empty ignore string)
};

// The fields `kind` documents for `stops`, as a JSON object's text, to merge into a
// /v1/completions request.
std::string segment_fields(ServerKind kind, const SegmentStops& stops);

// The thinking format a GET /v1/models answer says its models use (`s1 serve`:
// data[i].meta.thinking_format), or "" when it does not say.
std::string reported_thinking_format(const std::string& models_body);

// Whether `kind` can stop at a token id (vLLM, SGLang): then a masked trigger holds.
bool stops_at_token_ids(ServerKind kind);

// The fields asking `kind` for each generated token's probability (a probe's
// confidence), as a JSON object's text: llama-server's n_probs (answered as
// logprobs.content[].logprob, before sampling), OpenAI's, vLLM's and SGLang's integer
// logprobs (answered as logprobs.token_logprobs). "{}" for `s1 serve`, which gives none.
std::string probability_fields(ServerKind kind);
// Whether `kind` answers probability_fields with probabilities.
bool gives_token_probabilities(ServerKind kind);

// Token biases as `kind`'s logit_bias object's text ({"id": bias}): a bias of -inf
// (never this token) is llama-server's false and -100 elsewhere (OpenAI's floor, which
// vLLM, SGLang and `s1 serve` take too); other biases are clamped to [-100, 100] but for
// llama-server, which takes any.
std::string logit_bias_field(ServerKind kind, const std::vector<std::pair<Token, float>>& bias);

}  // namespace s1
