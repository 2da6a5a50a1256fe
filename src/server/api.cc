#include "server/api.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>

#include "core/suppress_words.h"
#include "core/utf8.h"
#include "methods/prompts.h"

namespace s1::server {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& param, const std::string& message,
                      const std::string& code = "invalid_value") {
  throw ApiError(400, code, message, param);
}

// A request body: a JSON object in valid UTF-8, else a 400 saying what it is not.
json parse_body(std::string_view text) {
  if (!is_valid_utf8(text)) bad("", "the request body is not valid UTF-8", "invalid_utf8");
  json body;
  try {
    body = json::parse(text);
  } catch (const json::exception& e) {
    bad("", std::string("the request body is not valid JSON: ") + e.what(), "invalid_json");
  }
  if (!body.is_object()) bad("", "the request body must be a JSON object", "invalid_type");
  return body;
}

// A field, or nullptr when it is absent or null (clients send null for "not set").
const json* field(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return nullptr;
  return &*it;
}

int64_t get_int(const json& v, const std::string& name, int64_t lo, int64_t hi) {
  int64_t x = 0;
  if (v.is_number_integer()) {
    x = v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi) ? hi + 1
                                                                                : v.get<int64_t>();
  } else if (v.is_number_float() && std::isfinite(v.get<double>()) &&
             v.get<double>() == std::floor(v.get<double>()) && std::fabs(v.get<double>()) < 1e15) {
    x = static_cast<int64_t>(v.get<double>());  // 100.0 is an integer to JavaScript
  } else {
    bad(name, "'" + name + "' must be an integer", "invalid_type");
  }
  if (x < lo || x > hi) {
    bad(name,
        "'" + name + "' must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  return x;
}

// A bound as a person writes it: 0, 1, 0.5, 1000000000.
std::string number_text(double x) {
  if (x == std::floor(x) && std::fabs(x) < 1e15) return std::to_string(static_cast<int64_t>(x));
  std::ostringstream out;
  out << x;
  return out.str();
}

double get_number(const json& v, const std::string& name, double lo, double hi) {
  if (!v.is_number()) bad(name, "'" + name + "' must be a number", "invalid_type");
  const double x = v.get<double>();
  if (!std::isfinite(x) || x < lo || x > hi) {
    bad(name, "'" + name + "' must be between " + number_text(lo) + " and " + number_text(hi));
  }
  return x;
}

bool get_bool(const json& v, const std::string& name) {
  if (!v.is_boolean()) bad(name, "'" + name + "' must be a boolean", "invalid_type");
  return v.get<bool>();
}

const std::string& get_string(const json& v, const std::string& name) {
  if (!v.is_string()) bad(name, "'" + name + "' must be a string", "invalid_type");
  return v.get_ref<const std::string&>();
}

// A string, or a list of strings (at most `max`, none empty unless `allow_empty`).
std::vector<std::string> get_strings(const json& v, const std::string& name, size_t max,
                                     bool allow_empty) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
  } else if (v.is_array()) {
    for (const auto& s : v) out.push_back(get_string(s, name));
  } else {
    bad(name, "'" + name + "' must be a string or a list of strings", "invalid_type");
  }
  if (out.size() > max)
    bad(name, "'" + name + "' holds at most " + std::to_string(max) + " strings");
  for (const auto& s : out) {
    if (s.empty() && !allow_empty) bad(name, "'" + name + "' must not hold empty strings");
  }
  return out;
}

std::string shown(int64_t x) { return std::to_string(x); }
std::string shown(const std::string& s) { return json(sanitize_utf8(s)).dump(); }

// One setting given under several names (or by several request shapes), as (name,
// value) in the order given: every value must agree, else a 400 naming the two that
// differ. Returns the value, or nullopt when none was given.
template <typename T>
std::optional<T> agreed(const std::vector<std::pair<std::string, T>>& given,
                        const std::string& what) {
  if (given.empty()) return std::nullopt;
  const auto& [first, value] = given.front();
  for (const auto& [name, x] : given) {
    if (x != value) {
      bad(name,
          "'" + first + "' (" + shown(value) + ") and '" + name + "' (" + shown(x) + ") set " +
              what + " to different values",
          "conflicting_fields");
    }
  }
  return value;
}

// One setting under several names: they must agree. Returns the value, if any.
std::optional<int64_t> aliased_int(const json& body, const std::vector<const char*>& names,
                                   int64_t lo, int64_t hi) {
  std::vector<std::pair<std::string, int64_t>> given;
  for (const char* name : names) {
    if (const json* v = field(body, name)) given.emplace_back(name, get_int(*v, name, lo, hi));
  }
  return agreed(given, "the same budget");
}

std::string message_content(const json& content, const std::string& name) {
  if (content.is_string()) return content.get<std::string>();
  if (!content.is_array())
    bad(name, "'" + name + "' must be a string or a list of text parts", "invalid_type");
  std::string text;
  for (const auto& part : content) {
    if (!part.is_object() || !part.contains("type") || part["type"] != "text" ||
        !part.contains("text") || !part["text"].is_string()) {
      bad(name, "only text content parts ({\"type\": \"text\", \"text\": ...}) are supported",
          "unsupported_content");
    }
    text += part["text"].get<std::string>();
  }
  return text;
}

std::vector<ChatMessage> parse_messages(const json& body) {
  const json* m = field(body, "messages");
  if (!m) bad("messages", "'messages' is required", "missing_field");
  if (!m->is_array()) bad("messages", "'messages' must be a list", "invalid_type");
  if (m->empty()) bad("messages", "'messages' must not be empty");
  std::vector<ChatMessage> out;
  for (size_t i = 0; i < m->size(); ++i) {
    const std::string name = "messages[" + std::to_string(i) + "]";
    const json& msg = (*m)[i];
    if (!msg.is_object()) bad(name, "'" + name + "' must be an object", "invalid_type");
    const json* role = field(msg, "role");
    if (!role) bad(name + ".role", "'" + name + ".role' is required", "missing_field");
    std::string r = get_string(*role, name + ".role");
    if (r == "developer") r = "system";  // OpenAI's newer name for the system role
    if (r != "system" && r != "user" && r != "assistant") {
      bad(name + ".role", "'" + name + ".role' must be system, developer, user or assistant");
    }
    const json* content = field(msg, "content");
    out.push_back({r, content ? message_content(*content, name + ".content") : std::string()});
    // An earlier turn's thinking, for templates that show it (others leave it out).
    if (const json* thinking = field(msg, "reasoning_content"); thinking && r == "assistant") {
      out.back().reasoning_content = get_string(*thinking, name + ".reasoning_content");
    }
  }
  return out;
}

// A token id of this model (below n_vocab; unchecked when 0).
Token get_token_id(const json& v, const std::string& name, int n_vocab) {
  if (!v.is_number_integer() && !v.is_number_float()) {
    bad(name, "'" + name + "' must hold token ids (integers)", "invalid_type");
  }
  const int64_t top = n_vocab > 0 ? n_vocab - 1 : std::numeric_limits<Token>::max();
  return static_cast<Token>(get_int(v, name, 0, top));
}

// `prompt`: a string, a list of one string, or a non-empty list of token ids.
void parse_prompt(const json& body, int n_vocab, ApiRequest& r) {
  const json* p = field(body, "prompt");
  if (!p) bad("prompt", "'prompt' is required", "missing_field");
  if (p->is_array()) {
    if (p->size() == 1 && (*p)[0].is_string()) {
      r.prompt = (*p)[0].get<std::string>();
    } else if (!p->empty() && std::all_of(p->begin(), p->end(), [](const json& x) { return x.is_number(); })) {
      for (const json& x : *p) r.prompt_tokens.push_back(get_token_id(x, "prompt", n_vocab));
      return;
    } else {
      bad("prompt",
          "'prompt' must be one string or one non-empty list of token ids (lists of prompts are "
          "not supported)",
          "unsupported_value");
    }
  } else {
    r.prompt = get_string(*p, "prompt");
  }
  if (r.prompt.empty()) bad("prompt", "'prompt' must not be empty");
}

// A {"token id": bias} object, as OpenAI's logit_bias (biases in [-100, 100]).
std::vector<std::pair<Token, float>> get_logit_bias(const json& v, const std::string& name,
                                                    int n_vocab) {
  if (!v.is_object()) bad(name, "'" + name + "' must map token ids to biases", "invalid_type");
  std::vector<std::pair<Token, float>> bias;
  for (const auto& [key, value] : v.items()) {
    // A token id as JSON writes an integer: digits only, no sign, space or leading zero.
    const bool digits = std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
    const bool canonical =
        digits && !key.empty() && key.size() <= 10 && (key == "0" || key[0] != '0');
    const long long id = canonical ? std::stoll(key) : -1;
    const long long top = n_vocab > 0 ? n_vocab - 1 : std::numeric_limits<Token>::max();
    if (id < 0 || id > top) {
      bad(name, "'" + name + "' keys must be token ids of this model, not '" + sanitize_utf8(key) +
                    "'");
    }
    const auto b = static_cast<float>(get_number(value, name, -100.0, 100.0));
    bias.emplace_back(static_cast<Token>(id), b);
  }
  return bias;
}

// OpenAI and vLLM fields this server does not implement: taken at the value that asks
// for nothing (what clients send by default), else a 400 naming the field. `neutral`
// tells whether a value of the right type asks for nothing.
struct Unsupported {
  const char* name;
  const char* type;  // "boolean", "integer", "number", "string", or "boolean or integer"
  bool (*neutral)(const json&);
  const char* why;
};

bool type_fits(const json& v, const std::string& type) {
  if (type == "boolean") return v.is_boolean();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "string") return v.is_string();
  return v.is_boolean() || v.is_number_integer();  // "boolean or integer"
}

void refuse_unsupported(const json& body) {
  static const Unsupported kFields[] = {
      {"logprobs", "boolean or integer",
       [](const json& v) { return v.is_boolean() ? !v.get<bool>() : v.get<int64_t>() == 0; },
       "token log probabilities are not returned by this server"},
      {"top_logprobs", "integer", [](const json& v) { return v.get<int64_t>() == 0; },
       "token log probabilities are not returned by this server"},
      {"echo", "boolean", [](const json& v) { return !v.get<bool>(); },
       "the prompt is not echoed (the response holds what follows it)"},
      {"suffix", "string", [](const json& v) { return v.get_ref<const std::string&>().empty(); },
       "text after the completion (insertion) is not supported"},
      {"best_of", "integer", [](const json& v) { return v.get<int64_t>() == 1; },
       "best_of is not supported: ask for 'n' choices"},
      {"frequency_penalty", "number", [](const json& v) { return v.get<double>() == 0.0; },
       "frequency penalties are not supported"},
      {"presence_penalty", "number", [](const json& v) { return v.get<double>() == 0.0; },
       "presence penalties are not supported"},
      {"repetition_penalty", "number", [](const json& v) { return v.get<double>() == 1.0; },
       "repetition penalties are not supported"},
      {"repeat_penalty", "number", [](const json& v) { return v.get<double>() == 1.0; },
       "repetition penalties are not supported"},
  };
  for (const auto& f : kFields) {
    const json* v = field(body, f.name);
    if (!v) continue;
    if (!type_fits(*v, f.type)) {
      bad(f.name, std::string("'") + f.name + "' must be a " + f.type, "invalid_type");
    }
    if (!f.neutral(*v)) {
      bad(f.name, std::string("'") + f.name + "': " + f.why, "unsupported_value");
    }
  }
}

// reasoning_effort (chat): OpenAI's effort levels, passed to the chat template as the
// variable of that name, as vLLM does (gpt-oss's template reads it; the budget fields
// set the thinking budget). A chat_template_kwargs entry of the same name must agree.
void parse_reasoning_effort(const json& body, ApiRequest& r) {
  const json* v = field(body, "reasoning_effort");
  if (!v) return;
  if (r.endpoint != Endpoint::kChat) {
    bad("reasoning_effort", "'reasoning_effort' is supported by /v1/chat/completions only",
        "unsupported_value");
  }
  const std::string& level = get_string(*v, "reasoning_effort");
  if (level != "none" && level != "minimal" && level != "low" && level != "medium" &&
      level != "high") {
    bad("reasoning_effort", "'reasoning_effort' must be none, minimal, low, medium or high");
  }
  const std::string value = json(level).dump();
  const auto it = r.chat_template_kwargs.find("reasoning_effort");
  if (it != r.chat_template_kwargs.end() && it->second != value) {
    bad("reasoning_effort",
        "'chat_template_kwargs.reasoning_effort' (" + sanitize_utf8(it->second) +
            ") and 'reasoning_effort' (" + value + ") set the same variable to different values",
        "conflicting_fields");
  }
  r.chat_template_kwargs["reasoning_effort"] = value;
}

void parse_sampling(const json& body, int n_vocab, ApiRequest& r) {
  SamplingParams* both[] = {&r.thinking_sampling, &r.answer_sampling};
  if (const json* v = field(body, "temperature")) {
    const auto t = static_cast<float>(get_number(*v, "temperature", 0.0, 100.0));
    for (auto* p : both) p->temperature = t;
  }
  if (const json* v = field(body, "top_p")) {
    const auto x = static_cast<float>(get_number(*v, "top_p", 0.0, 1.0));
    if (x <= 0.0f) bad("top_p", "'top_p' must be above 0");
    for (auto* p : both) p->top_p = x;
  }
  if (const json* v = field(body, "top_k")) {
    const auto x = static_cast<int>(get_int(*v, "top_k", -1, 1 << 20));
    for (auto* p : both) p->top_k = x < 0 ? 0 : x;  // -1 is vLLM's "off"
  }
  if (const json* v = field(body, "min_p")) {
    const auto x = static_cast<float>(get_number(*v, "min_p", 0.0, 1.0));
    for (auto* p : both) p->min_p = x;
  }
  if (const json* v = field(body, "seed")) {
    const int64_t x = get_int(*v, "seed", std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max());
    for (auto* p : both) p->seed = static_cast<uint32_t>(x);
  }
  // logit_bias biases both phases; logit_bias_thinking / logit_bias_answer add to it in
  // one phase. Any of them replaces the server's biases.
  const json* both_bias = field(body, "logit_bias");
  const json* think_bias = field(body, "logit_bias_thinking");
  const json* answer_bias = field(body, "logit_bias_answer");
  if (both_bias || think_bias || answer_bias) {
    const auto shared = both_bias ? get_logit_bias(*both_bias, "logit_bias", n_vocab)
                                  : std::vector<std::pair<Token, float>>{};
    r.thinking_sampling.logit_bias = shared;
    r.answer_sampling.logit_bias = shared;
    if (think_bias) {
      for (const auto& b : get_logit_bias(*think_bias, "logit_bias_thinking", n_vocab))
        r.thinking_sampling.logit_bias.push_back(b);
    }
    if (answer_bias) {
      for (const auto& b : get_logit_bias(*answer_bias, "logit_bias_answer", n_vocab))
        r.answer_sampling.logit_bias.push_back(b);
    }
  }
}

}  // namespace

ApiError::ApiError(int status_, std::string code_, const std::string& message, std::string param_,
                   std::string type_)
    : std::runtime_error(message),
      status(status_),
      code(std::move(code_)),
      param(std::move(param_)),
      type(type_.empty() ? (status_ >= 500 ? "server_error" : "invalid_request_error")
                         : std::move(type_)) {}

json error_json(const ApiError& e) {
  return {{"error",
           {{"message", sanitize_utf8(e.what())},
            {"type", e.type},
            {"param", e.param.empty() ? json(nullptr) : json(e.param)},
            {"code", e.code}}}};
}

std::string budget_param(const std::string& rule) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"max_think", "max_tokens_thinking"}, {"min_think", "min_tokens_thinking"},
      {"num_ignore", "thinking_n_ignore"},  {"max_answer", "max_tokens"},
      {"step_tokens", "thinking_step_tokens"}, {"max_steps", "thinking_steps"},
      {"prompt_tokens", "prompt"}, {"stop_tokens", "stop_token_ids"}};
  for (const auto& [member, param] : kNames) {
    if (rule == member) return param;
  }
  return "";
}

// Dynasor's saving-effort levels (dynasor/core/cot.py, effort_level): (W, N).
bool dynasor_effort(const std::string& level, int* consistent, int* every) {
  static const std::pair<const char*, std::pair<int, int>> kLevels[] = {
      {"mild", {8, 64}}, {"low", {5, 64}}, {"mid", {3, 64}}, {"high", {2, 64}}, {"crazy", {2, 32}}};
  for (const auto& [name, wn] : kLevels) {
    if (level == name) {
      *consistent = wn.first;
      *every = wn.second;
      return true;
    }
  }
  return false;
}

// The adaptive-thinking fields: ours, then Dynasor's two request shapes (its OpenAI proxy's
// "dynasor": {"saving_effort": ...}, sent by the openai client's extra_body, and its SGLang
// server's "adaptive_compute": {"probe_text", "certainty_window", "token_interval"}).
// A setting given by several of them must agree (a 400 naming two that differ). Returns
// whether any was given.
bool parse_adaptive(const json& body, ApiRequest& r) {
  bool given = false;
  ProbeRules& p = r.probe;
  // The probe interval, the consistency window and the suffix may each come from several
  // fields: gathered as (field, value), and checked to agree.
  std::vector<std::pair<std::string, int64_t>> every, consistent;
  std::vector<std::pair<std::string, std::string>> suffix, efforts;
  for (const std::string name : {"dynasor", "extra_body.dynasor"}) {
    const json* d = field(body, "dynasor");
    if (name != "dynasor") {
      const json* extra = field(body, "extra_body");
      d = extra && extra->is_object() ? field(*extra, "dynasor") : nullptr;
    }
    if (!d) continue;
    if (!d->is_object()) bad(name, "'" + name + "' must be an object", "invalid_type");
    if (const json* e = field(*d, "saving_effort")) {
      const std::string level = get_string(*e, name + ".saving_effort");
      int w = 0, n = 0;
      if (level != "none" && !dynasor_effort(level, &w, &n)) {
        bad(name + ".saving_effort",
            "'" + name + ".saving_effort' must be none, mild, low, mid, high or crazy");
      }
      efforts.emplace_back(name + ".saving_effort", level);
      if (level != "none") {
        every.emplace_back(name + ".saving_effort", n);
        consistent.emplace_back(name + ".saving_effort", w);
        given = true;
      }
    }
  }
  agreed(efforts, "Dynasor's saving effort");
  if (const json* a = field(body, "adaptive_compute")) {
    if (!a->is_object()) bad("adaptive_compute", "'adaptive_compute' must be an object", "invalid_type");
    if (const json* v = field(*a, "probe_text")) {
      suffix.emplace_back("adaptive_compute.probe_text",
                          get_string(*v, "adaptive_compute.probe_text"));
    }
    if (const json* v = field(*a, "certainty_window")) {
      consistent.emplace_back("adaptive_compute.certainty_window",
                              get_int(*v, "adaptive_compute.certainty_window", 1, 1 << 20));
    }
    if (const json* v = field(*a, "token_interval")) {
      every.emplace_back("adaptive_compute.token_interval",
                         get_int(*v, "adaptive_compute.token_interval", 1, 1 << 30));
    }
    // Its defaults (N 32, W 2), where no field sets them.
    if (every.empty()) p.every = 32;
    if (consistent.empty()) p.consistent = 2;
    given = true;
  }
  if (const json* v = field(body, "probe_every")) {
    every.emplace_back("probe_every", get_int(*v, "probe_every", 0, 1 << 30));
    given = true;
  }
  if (const json* v = field(body, "exit_consistent")) {
    consistent.emplace_back("exit_consistent", get_int(*v, "exit_consistent", 0, 1 << 20));
    given = true;
  }
  if (const json* v = field(body, "probe_suffix")) {
    suffix.emplace_back("probe_suffix", get_string(*v, "probe_suffix"));
    if (suffix.back().second.empty()) bad("probe_suffix", "'probe_suffix' must not be empty");
  }
  if (const auto x = agreed(every, "the probe interval")) p.every = static_cast<int>(*x);
  if (const auto x = agreed(consistent, "the consistency window")) p.consistent = static_cast<int>(*x);
  if (const auto x = agreed(suffix, "the probe suffix")) p.suffix = *x;
  if (const json* v = field(body, "probe_at_reflection")) {
    p.at_reflection = get_bool(*v, "probe_at_reflection");
    given = true;
  }
  if (const json* v = field(body, "probe_tokens")) {
    p.probe_tokens = static_cast<int>(get_int(*v, "probe_tokens", 1, 4096));
  }
  if (const json* v = field(body, "exit_confidence")) {
    p.confidence = get_number(*v, "exit_confidence", 0.0, 1e9);
    given = true;
  }
  if (const json* v = field(body, "exit_mean")) {
    const std::string& m = get_string(*v, "exit_mean");
    if (m != "arithmetic" && m != "geometric") {
      bad("exit_mean", "'exit_mean' must be arithmetic or geometric");
    }
    p.mean = m == "geometric" ? ProbeRules::Mean::kGeometric : ProbeRules::Mean::kArithmetic;
  }
  if (const json* v = field(body, "exit_answer")) {
    p.action = get_bool(*v, "exit_answer") ? ProbeRules::ExitAction::kAnswer
                                           : ProbeRules::ExitAction::kEndThinking;
  }
  if (const json* v = field(body, "allow_hesitation")) {
    p.require_no_hesitation = !get_bool(*v, "allow_hesitation");
  }
  if (const json* v = field(body, "suppress_words")) {
    try {
      if (v->is_string()) {
        r.suppress_words = parse_word_list(v->get<std::string>(), "'suppress_words'");
      } else {
        r.suppress_words = get_strings(*v, "suppress_words", 256, false);
      }
    } catch (const std::invalid_argument& e) {
      bad("suppress_words", e.what());
    }
    given = true;
  }
  try {
    p.validate();
  } catch (const std::invalid_argument& e) {
    // The schedule is what is missing when an exit rule comes alone.
    bad(p.can_exit() && !p.probing() ? "probe_every" : "probe_tokens", e.what(), "inconsistent_budget");
  }
  return given;
}


ApiRequest parse_request(Endpoint endpoint, std::string_view body_text, const ApiDefaults& d) {
  const json body = parse_body(body_text);

  ApiRequest r;
  r.endpoint = endpoint;
  r.rules = d.rules;
  r.thinking_sampling = d.thinking_sampling;
  r.answer_sampling = d.answer_sampling;
  r.model = d.model_names.empty() ? "" : d.model_names.front();
  if (const json* m = field(body, "model")) {
    const std::string& name = get_string(*m, "model");
    bool known = false;
    for (const auto& n : d.model_names) known = known || n == name;
    if (!known) {
      throw ApiError(404, "model_not_found",
                     "the model '" + sanitize_utf8(name) + "' does not exist (this server has '" +
                         r.model + "')",
                     "model");
    }
    r.model = name;
  }
  if (endpoint == Endpoint::kChat) {
    r.messages = parse_messages(body);
    if (const json* v = field(body, "return_token_ids"); v && get_bool(*v, "return_token_ids")) {
      bad("return_token_ids", "'return_token_ids' is supported by /v1/completions only",
          "unsupported_value");
    }
    if (const json* v = field(body, "chat_template_kwargs")) {
      if (!v->is_object()) {
        bad("chat_template_kwargs", "'chat_template_kwargs' must be an object", "invalid_type");
      }
      try {
        r.chat_template_kwargs = parse_chat_template_kwargs(v->dump());
      } catch (const std::invalid_argument& e) {
        bad("chat_template_kwargs", std::string("'chat_template_kwargs': ") + e.what());
      }
    }
  } else {
    parse_prompt(body, d.n_vocab, r);
    if (const json* v = field(body, "return_token_ids")) {
      r.return_token_ids = get_bool(*v, "return_token_ids");
    }
  }
  parse_reasoning_effort(body, r);
  refuse_unsupported(body);
  if (const json* v = field(body, "stop_token_ids")) {
    if (!v->is_array()) bad("stop_token_ids", "'stop_token_ids' must be a list of token ids", "invalid_type");
    if (v->size() > kMaxStopTokenIds) {
      bad("stop_token_ids",
          "'stop_token_ids' holds at most " + std::to_string(kMaxStopTokenIds) + " token ids");
    }
    for (const json& x : *v) r.stop_token_ids.push_back(get_token_id(x, "stop_token_ids", d.n_vocab));
  }

  constexpr int64_t kMax = 1 << 30;
  const auto max_think = aliased_int(
      body, {"max_tokens_thinking", "thinking_token_budget", "thinking_budget_tokens"}, 0, kMax);
  const auto min_think = aliased_int(body, {"min_tokens_thinking"}, 0, kMax);
  const auto num_ignore = aliased_int(body, {"thinking_n_ignore"}, 0, 1 << 20);
  const auto max_answer = aliased_int(body, {"max_tokens", "max_completion_tokens"}, 1, kMax);
  const auto steps = aliased_int(body, {"thinking_steps"}, 0, 1 << 20);
  const auto step_tokens = aliased_int(body, {"thinking_step_tokens"}, 1, 1 << 20);
  if (const json* v = field(body, "thinking_n_ignore_str")) {
    r.ignore_strings = get_strings(*v, "thinking_n_ignore_str", 64, true);
  }
  r.probe = d.probe;
  r.suppress_words = d.suppress_words;
  const bool adaptive = parse_adaptive(body, r);
  r.plain = endpoint == Endpoint::kCompletion && !max_think && !min_think && !num_ignore &&
            !r.ignore_strings && !steps && !step_tokens && !adaptive;
  if (r.plain) {
    // A plain continuation: nothing forced; max_tokens bounds the whole of it.
    r.rules = BudgetRules{};
    r.rules.max_think = max_answer ? static_cast<int>(*max_answer) : d.rules.max_answer;
    r.rules.max_answer = 0;
  } else {
    if (max_think) r.rules.max_think = static_cast<int>(*max_think);
    if (min_think) r.rules.min_think = static_cast<int>(*min_think);
    if (num_ignore) r.rules.num_ignore = static_cast<int>(*num_ignore);
    if (max_answer) r.rules.max_answer = static_cast<int>(*max_answer);
    if (steps) {
      r.rules.max_steps = static_cast<int>(*steps);
      if (r.rules.step_tokens == 0) r.rules.step_tokens = kStepTokens;
    }
    if (step_tokens) r.rules.step_tokens = static_cast<int>(*step_tokens);
    if (r.rules.step_tokens > 0 && r.rules.max_steps < 0) {
      bad("thinking_step_tokens", "'thinking_step_tokens' needs 'thinking_steps'",
          "inconsistent_budget");
    }
    // A floor given alone may sit above the server's default cap: the request wins.
    if (min_think && !max_think && r.rules.max_think >= 0 &&
        r.rules.min_think > r.rules.max_think) {
      r.rules.max_think = r.rules.min_think;
    }
    try {
      r.rules.validate();
    } catch (const RequestError& e) {
      // A floor above a cap names the floor if the request set it, else the cap it set.
      const bool floor_given = min_think.has_value();
      bad(e.field() == "min_think" && !floor_given ? "max_tokens_thinking" : budget_param(e.field()),
          e.what(), "inconsistent_budget");
    }
  }

  parse_sampling(body, d.n_vocab, r);
  if (const json* v = field(body, "n")) r.n = static_cast<int>(get_int(*v, "n", 1, d.max_n));
  if (const json* v = field(body, "stream")) r.stream = get_bool(*v, "stream");
  if (const json* v = field(body, "cache_prompt")) r.cache_prompt = get_bool(*v, "cache_prompt");
  if (const json* v = field(body, "stream_options")) {
    if (!v->is_object())
      bad("stream_options", "'stream_options' must be an object", "invalid_type");
    if (const json* u = field(*v, "include_usage")) {
      r.include_usage = get_bool(*u, "stream_options.include_usage");
    }
  }
  if (const json* v = field(body, "stop")) r.stop = get_strings(*v, "stop", 4, false);
  return r;
}

TokenizeRequest parse_tokenize_request(std::string_view text) {
  const json body = parse_body(text);
  TokenizeRequest t;
  const json* content = field(body, "content");
  if (!content) bad("content", "'content' is required", "missing_field");
  t.content = get_string(*content, "content");
  if (const json* v = field(body, "add_special")) t.add_special = get_bool(*v, "add_special");
  if (const json* v = field(body, "parse_special")) t.parse_special = get_bool(*v, "parse_special");
  if (const json* v = field(body, "with_pieces")) t.with_pieces = get_bool(*v, "with_pieces");
  return t;
}

TemplateRequest parse_template_request(std::string_view text) {
  const json body = parse_body(text);
  TemplateRequest t;
  t.messages = parse_messages(body);
  if (const json* v = field(body, "chat_template_kwargs")) {
    if (!v->is_object()) bad("chat_template_kwargs", "'chat_template_kwargs' must be an object", "invalid_type");
    try {
      t.chat_template_kwargs = parse_chat_template_kwargs(v->dump());
    } catch (const std::invalid_argument& e) {
      bad("chat_template_kwargs", std::string("'chat_template_kwargs': ") + e.what());
    }
  }
  if (const json* v = field(body, "add_generation_prompt")) {
    t.add_generation_prompt = get_bool(*v, "add_generation_prompt");
  }
  return t;
}

}  // namespace s1::server
