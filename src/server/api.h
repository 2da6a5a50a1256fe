// The OpenAI-compatible API of `s1 serve` at the HTTP edge: request bodies parsed and
// checked into typed structs, and errors as OpenAI error objects. Nothing here touches
// a model or a thread; the engine loop (engine_loop.h) runs what these structs describe.
//
// Budget fields, under the names clients already send (several names for one setting
// must agree, or the request is refused):
//   thinking cap:  max_tokens_thinking (s1 reference), thinking_token_budget (vLLM),
//                  thinking_budget_tokens (llama.cpp)
//   thinking floor: min_tokens_thinking
//   ignored ends:  thinking_n_ignore, with the strings thinking_n_ignore_str (a string or
//                  a list used in turn)
//   answer cap:    max_tokens or max_completion_tokens. Both cap the answer only: thinking
//                  has its own budget above (as in the s1 reference), so a small
//                  max_tokens never cuts thinking short.
// Fields left out take the server's defaults (the `s1 serve` flags).
//
// Biases: logit_bias applies while thinking and while answering (llama.cpp's meaning);
// logit_bias_thinking and logit_bias_answer add to it in one phase only, so a bias that
// ends thinking early does not reach the answer. A request with any of the three
// replaces the server's biases.
// Chat only: chat_template_kwargs (an object of template variables, e.g.
// {"enable_thinking": false}, over the server's --chat-template-kwargs name by name),
// and reasoning_content on assistant messages (a string or null: earlier thinking, for
// templates that show it).
//
// Token ids (vLLM's fields): /v1/completions takes `prompt` as a list of token ids too,
// taken as they are (no BOS, no tokenizing), and with return_token_ids returns the ids
// of the prompt and of the text (responses.h). stop_token_ids (both endpoints, at most
// kMaxStopTokenIds) end a choice when one is sampled; it is not shown. Ids must be below
// the vocabulary size (ApiDefaults::n_vocab).
//
// /v1/completions continues a raw prompt that already opens thinking. With any budget
// field it is budget-forced like chat, and a prompt that closes thinking instead (Qwen3's
// "<think>\n\n</think>\n\n") is thinking-off as in chat: the answer alone, with no
// thinking rule and nothing forced. Without one it is a plain continuation (what a
// text-level client such as the remote backend needs): it ends at the first attempt to
// end thinking (end trigger or end-of-generation token, not included) or after
// max_tokens tokens, with nothing forced. All of it is thinking: its tokens are the
// reasoning tokens, and logit_bias_answer has nothing to act on.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/budget_forcing.h"
#include "engine/model.h"
#include "core/adaptive_exit.h"
#include "engine/sampling.h"

namespace s1::server {

// An error to send as {"error": {"message", "type", "param", "code"}} with `status`.
struct ApiError : std::runtime_error {
  ApiError(int status, std::string code, const std::string& message, std::string param = "",
           std::string type = "");
  int status;
  std::string code;
  std::string param;
  std::string type;  // "invalid_request_error" for 4xx, "server_error" for 5xx by default
};

// The error object for `e`.
nlohmann::json error_json(const ApiError& e);

enum class Endpoint { kChat, kCompletion };

// What the server falls back on for fields a request leaves out.
struct ApiDefaults {
  std::vector<std::string> model_names;  // accepted "model" values; the first is reported
  BudgetRules rules;
  SamplingParams thinking_sampling;
  SamplingParams answer_sampling;
  int max_n = 16;   // largest "n"
  int n_vocab = 0;  // logit_bias token ids must be below it (0: not checked)
  ProbeRules probe;                         // adaptive thinking, unless a request says
  std::vector<std::string> suppress_words;  // otherwise
};

struct ApiRequest {
  Endpoint endpoint = Endpoint::kChat;
  std::string model;                  // as given, or the default name
  std::vector<ChatMessage> messages;  // chat
  ChatTemplateKwargs chat_template_kwargs;  // chat: this request's template variables
  std::string prompt;                 // completions: a text prompt, or
  TokenSeq prompt_tokens;             // ...a prompt as token ids (no BOS added)
  bool return_token_ids = false;      // completions: token_ids, prompt_token_ids (vLLM's)
  TokenSeq stop_token_ids;            // a sampled one ends the choice (stop_reason: its id)
  bool plain = false;                 // completions without budget fields
  BudgetRules rules;
  std::optional<std::vector<std::string>> ignore_strings;  // thinking_n_ignore_str
  SamplingParams thinking_sampling;
  SamplingParams answer_sampling;
  int n = 1;
  bool stream = false;
  bool cache_prompt = true;       // llama-server's field: reuse prefix-cache cells
  bool include_usage = false;     // stream_options.include_usage
  std::vector<std::string> stop;  // up to 4 non-empty strings
  // Adaptive thinking: probe_every, probe_at_reflection, probe_tokens, probe_suffix,
  // exit_consistent, exit_confidence, exit_mean, exit_answer, allow_hesitation; also
  // Dynasor's "dynasor": {"saving_effort"} and "adaptive_compute": {...} fields.
  ProbeRules probe;
  std::vector<std::string> suppress_words;  // suppress_words: a list or "a,b,c"
};

// Most stop_token_ids a request may give.
inline constexpr size_t kMaxStopTokenIds = 16;

// The request field of a BudgetRules (or BackendRequest token) member named in a
// RequestError ("max_answer" -> "max_tokens", "prompt_tokens" -> "prompt"; its first name
// where it has several), or "" for anything else.
std::string budget_param(const std::string& rule);

// POST /apply-template's body, as llama-server's: the conversation, its template
// variables, and whether to add the assistant's generation prompt (default true).
struct TemplateRequest {
  std::vector<ChatMessage> messages;
  ChatTemplateKwargs chat_template_kwargs;
  bool add_generation_prompt = true;
};
// Throws ApiError 400 naming the field at fault.
TemplateRequest parse_template_request(std::string_view body);

// POST /tokenize's body, as llama-server's: the text, whether to add the BOS
// (add_special, default false), whether special-token text such as "<|im_start|>" is
// one token (parse_special, default true), and whether to answer each token's text
// beside its id (with_pieces, default false).
struct TokenizeRequest {
  std::string content;
  bool add_special = false;
  bool parse_special = true;
  bool with_pieces = false;
};
// Throws ApiError 400 naming the field at fault (or saying the body is not JSON).
TokenizeRequest parse_tokenize_request(std::string_view body);

// Parses and checks one request body. Throws ApiError (status 400, or 404 for an
// unknown model) naming the field at fault; never anything else.
ApiRequest parse_request(Endpoint endpoint, std::string_view body, const ApiDefaults& defaults);

}  // namespace s1::server
