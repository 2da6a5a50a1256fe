#include "server/responses.h"

#include <algorithm>
#include <random>

#include "cli/result_json.h"
#include "core/utf8.h"

namespace s1::server {

using nlohmann::json;

std::string StopMatcher::push(std::string_view text) {
  if (matched_) return "";
  held_ += text;
  size_t first = std::string::npos;
  for (const auto& s : stops_) first = std::min(first, held_.find(s));
  if (first != std::string::npos) {
    matched_ = true;
    for (const auto& s : stops_) {
      if (held_.find(s) == first && s.size() > match_.size()) match_ = s;
    }
    std::string out = held_.substr(0, first);
    held_.clear();
    return out;
  }
  // Hold the longest tail that begins some stop string.
  size_t hold = 0;
  for (const auto& s : stops_) {
    for (size_t k = std::min(s.size() - 1, held_.size()); k > hold; --k) {
      if (held_.compare(held_.size() - k, k, s, 0, k) == 0) {
        hold = k;
        break;
      }
    }
  }
  std::string out = held_.substr(0, held_.size() - hold);
  held_.erase(0, held_.size() - hold);
  return out;
}

std::string StopMatcher::flush() {
  std::string out;
  out.swap(held_);
  return matched_ ? "" : out;
}

ResponseBuilder::ResponseBuilder(const ApiRequest& request, std::string id, int64_t created,
                                 TokenSeq prompt_token_ids)
    : request_(request),
      chat_(request.endpoint == Endpoint::kChat),
      id_(std::move(id)),
      created_(created),
      prompt_token_ids_(std::move(prompt_token_ids)) {
  for (int i = 0; i < request.n; ++i)
    choices_.push_back({"", "", StopMatcher(request.stop), false, false, {}, {}, {}, false});
}

json ResponseBuilder::prompt_ids() const {
  return prompt_token_ids_.empty() ? json(nullptr) : json(prompt_token_ids_);
}

void ResponseBuilder::add_ids(Choice& c, json& choice) {
  if (!request_.return_token_ids) return;
  if (!c.begun) choice["prompt_token_ids"] = prompt_ids();
  c.begun = true;
  choice["token_ids"] = c.pending_ids;
  c.token_ids.insert(c.token_ids.end(), c.pending_ids.begin(), c.pending_ids.end());
  c.pending_ids.clear();
}

json ResponseBuilder::completion_chunk(Choice& c, int index, const std::string& text, bool forced) {
  json choice = text_choice(index, text, false, forced);
  add_ids(c, choice);
  return chunk(std::move(choice));
}

json ResponseBuilder::chunk(json choice) const {
  return {{"id", id_},
          {"object", chat_ ? "chat.completion.chunk" : "text_completion"},
          {"created", created_},
          {"model", request_.model},
          {"system_fingerprint", nullptr},
          {"choices", json::array({std::move(choice)})}};
}

json ResponseBuilder::text_choice(int index, const std::string& text, bool reasoning,
                                  bool forced) const {
  json c = {{"index", index}, {"logprobs", nullptr}, {"finish_reason", nullptr}};
  if (chat_) {
    c["delta"] = {{reasoning ? "reasoning_content" : "content", text}};
  } else {
    c["text"] = text;
  }
  if (forced) c["s1"] = {{"forced", true}};
  return c;
}

std::vector<json> ResponseBuilder::begin() {
  std::vector<json> out;
  if (!chat_) return out;
  for (int i = 0; i < request_.n; ++i) {
    out.push_back(chunk({{"index", i},
                         {"delta", {{"role", "assistant"}, {"content", ""}}},
                         {"logprobs", nullptr},
                         {"finish_reason", nullptr}}));
  }
  return out;
}

std::vector<json> ResponseBuilder::on_event(const JobEvent& e) {
  std::vector<json> out;
  if (e.sample < 0 || e.sample >= request_.n) return out;
  Choice& c = choices_[static_cast<size_t>(e.sample)];
  if (e.kind == JobEvent::Kind::kText) {
    if (c.stopped || c.done) return out;
    const TextChunk& t = e.chunk;
    // Appended tokens outside the forcer's counts: the delimiter, and what a rule wrote
    // in the answer (the cap's "Final Answer:", an exit's answer). A plain continuation
    // appends nothing.
    const bool inserted =
        t.channel == Channel::kDelimiter || (t.forced && t.channel == Channel::kAnswer);
    if (inserted && !request_.plain) {
      c.inserted_tokens += static_cast<int>(t.tokens.size());
    }
    if (chat_ && t.channel == Channel::kThinking) {
      c.reasoning += t.text;
      out.push_back(chunk(text_choice(e.sample, t.text, true, t.forced)));
      return out;
    }
    if (chat_ && t.channel == Channel::kDelimiter) return out;
    // A plain continuation shows only what the model sampled before it tried to end.
    if (request_.plain && (t.forced || t.channel != Channel::kThinking)) return out;
    if (t.forced) {
      // Stop strings match sampled text only: what was held as a possible one goes first.
      const std::string held = c.stop.flush();
      c.content += held;
      if (!held.empty()) out.push_back(completion_chunk(c, e.sample, held, false));
    }
    if (request_.return_token_ids) {
      c.pending_ids.insert(c.pending_ids.end(), t.tokens.begin(), t.tokens.end());
    }
    const std::string shown = t.forced ? t.text : c.stop.push(t.text);
    c.stopped = c.stop.matched();
    c.content += shown;
    // Text held back keeps its ids waiting; a stop string sends the ids that completed it.
    const bool ids_due = c.stopped && !c.pending_ids.empty();
    if (!shown.empty() || ids_due) out.push_back(completion_chunk(c, e.sample, shown, t.forced));
    return out;
  }
  if (e.kind == JobEvent::Kind::kProbe) {
    // A probe's answer as it arrives: an empty delta with the probe in the s1 object.
    if (c.done) return out;
    json probe = {{"index", e.sample}, {"logprobs", nullptr}, {"finish_reason", nullptr},
                  {"s1", {{"probe", cli::probe_json(e.probe)}}}};
    if (chat_) {
      probe["delta"] = json::object();
    } else {
      probe["text"] = "";
      add_ids(c, probe);
    }
    out.push_back(chunk(std::move(probe)));
    return out;
  }
  if (e.kind != JobEvent::Kind::kDone || c.done) return out;
  c.done = true;
  c.result = e.result;
  const std::string rest = c.stop.flush();
  if (!rest.empty() || (request_.return_token_ids && !c.pending_ids.empty())) {
    c.content += rest;
    out.push_back(chat_ ? chunk(text_choice(e.sample, rest, false, false))
                        : completion_chunk(c, e.sample, rest, false));
  }
  json fin = {{"index", e.sample},
              {"logprobs", nullptr},
              {"finish_reason", finish_reason(c)},
              {"stop_reason", stop_reason(c)},
              {"s1", s1_info(c)}};
  if (chat_) {
    fin["delta"] = json::object();
  } else {
    fin["text"] = "";
    add_ids(c, fin);
  }
  out.push_back(chunk(std::move(fin)));
  return out;
}

bool ResponseBuilder::done() const {
  return std::all_of(choices_.begin(), choices_.end(), [](const Choice& c) { return c.done; });
}

bool ResponseBuilder::should_cancel() const {
  bool any_running = false;
  for (const auto& c : choices_) {
    if (c.done) continue;
    if (!c.stopped) return false;
    any_running = true;
  }
  return any_running;
}

std::string ResponseBuilder::finish_reason(const Choice& c) const {
  if (c.stopped) return "stop";
  const SequenceResult& r = c.result;
  if (r.stop_token >= 0) return "stop";
  if (request_.plain) {
    // Ended at its first forcing event: a cap is max_tokens, an end is a stop.
    if (!r.events.empty()) {
      const ForcingKind last = r.events.back().kind;
      return last == ForcingKind::kEnd || last == ForcingKind::kExit ? "stop" : "length";
    }
    return r.finish_reason == FinishReason::kStop ? "stop" : "length";
  }
  return r.finish_reason == FinishReason::kStop ? "stop" : "length";
}

json ResponseBuilder::stop_reason(const Choice& c) const {
  if (c.stopped) return c.stop.match();
  if (c.result.stop_token >= 0) return c.result.stop_token;
  return nullptr;
}

json ResponseBuilder::s1_info(const Choice& c) const {
  const SequenceResult& r = c.result;
  // A plain continuation ends at its first event and shows nothing it would insert.
  json info = {{"events", cli::events_json(r.events, !request_.plain)},
          {"thinking_tokens", r.thinking_tokens},
          {"answer_tokens", r.answer_tokens},
          {"max_think", r.thinking_off ? json(nullptr) : json(r.max_think)},
          {"clamped", r.clamped},
          {"thinking_off", r.thinking_off},
          {"finish_reason", to_string(r.finish_reason)}};
  // max_tokens beyond the context, lifted as llama-server does (the answer ran until the
  // context was full).
  if (r.answer_clamped) info["max_tokens_clamped"] = true;
  if (cli::probed(r)) cli::add_probe_fields(r, info);
  return info;
}

json ResponseBuilder::usage() const {
  int prompt = 0, completion = 0, reasoning = 0, cached = 0;
  for (const auto& c : choices_) {
    prompt = std::max(prompt, c.result.prompt_tokens);  // the choices share one prompt
    cached = std::max(cached, c.result.cached_tokens);
    completion += c.result.thinking_tokens + c.result.answer_tokens + c.inserted_tokens;
    reasoning += c.result.thinking_tokens;  // a plain continuation is all thinking
  }
  return {{"prompt_tokens", prompt},
          {"completion_tokens", completion},
          {"total_tokens", prompt + completion},
          {"prompt_tokens_details", {{"cached_tokens", cached}}},
          {"completion_tokens_details", {{"reasoning_tokens", reasoning}}}};
}

std::vector<json> ResponseBuilder::end() {
  std::vector<json> out;
  if (!request_.include_usage) return out;
  json u = chunk(json::object());
  u["choices"] = json::array();
  u["usage"] = usage();
  out.push_back(std::move(u));
  return out;
}

json ResponseBuilder::response() const {
  json choices = json::array();
  for (size_t i = 0; i < choices_.size(); ++i) {
    const Choice& c = choices_[i];
    json choice = {{"index", static_cast<int>(i)},
                   {"logprobs", nullptr},
                   {"finish_reason", finish_reason(c)},
                   {"stop_reason", stop_reason(c)},
                   {"s1", s1_info(c)}};
    if (chat_) {
      choice["message"] = {{"role", "assistant"},
                           {"content", c.content},
                           {"reasoning_content", c.reasoning},
                           {"refusal", nullptr}};
    } else {
      choice["text"] = c.content;
    }
    if (request_.return_token_ids) {
      choice["prompt_token_ids"] = prompt_ids();
      choice["token_ids"] = c.token_ids;
    }
    choices.push_back(std::move(choice));
  }
  return {{"id", id_},
          {"object", chat_ ? "chat.completion" : "text_completion"},
          {"created", created_},
          {"model", request_.model},
          {"system_fingerprint", nullptr},
          {"choices", std::move(choices)},
          {"usage", usage()}};
}

json tokenize_response(const TokenSeq& tokens, const std::vector<std::string>* pieces) {
  if (!pieces) return {{"tokens", tokens}};
  json out = json::array();
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& piece = i < pieces->size() ? (*pieces)[i] : std::string();
    json p = piece;
    if (!is_valid_utf8(piece)) {
      p = json::array();
      for (unsigned char c : piece) p.push_back(static_cast<int>(c));
    }
    out.push_back({{"id", tokens[i]}, {"piece", std::move(p)}});
  }
  return {{"tokens", std::move(out)}};
}

std::string new_response_id(Endpoint endpoint) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string id = endpoint == Endpoint::kChat ? "chatcmpl-" : "cmpl-";
  for (int i = 0; i < 24; ++i) id += hex[rng() & 15];
  return id;
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string sse(const json& data) {
  return "data: " + dump(data) + "\n\n";
}

}  // namespace s1::server
