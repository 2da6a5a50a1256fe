// OpenAI response objects built from a job's events: the whole response, or the
// server-sent-event chunks of a stream. Both come from one ResponseBuilder, so a stream
// and a plain response of the same request carry the same text.
//
// Wire format (as OpenAI's):
//  - chat: "chat.completion" with choices[i].message {role, content, reasoning_content};
//    streamed as "chat.completion.chunk" with delta {role} first, then delta
//    {reasoning_content} / {content}, then a chunk with finish_reason.
//  - completions: "text_completion" with choices[i].text (the whole continuation after
//    the prompt: thinking, delimiter and answer); streamed as "text_completion" chunks.
//  - usage {prompt_tokens, completion_tokens, total_tokens,
//    completion_tokens_details.reasoning_tokens}: completion = thinking + answer tokens
//    of every choice. Streams carry it in a last chunk with no choices when
//    stream_options.include_usage is true.
//  - extensions: choices[i].s1 {events, thinking_tokens, answer_tokens, max_think,
//    clamped, finish_reason} on the response and on a stream's finishing chunk, and
//    choices[i].s1.forced = true on stream chunks whose text a rule inserted.
//  - a plain completion (api.h) is thinking only: reasoning_tokens = s1.thinking_tokens =
//    completion_tokens, and its one event (what ended it) has empty text, as nothing
//    forced is shown.
//
// Threads: one builder per request, used by one thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "server/api.h"
#include "server/engine_loop.h"

namespace s1::server {

// Cuts text at the first of some stop strings, holding back a tail that may still
// become one. Not thread-safe.
class StopMatcher {
 public:
  explicit StopMatcher(std::vector<std::string> stops) : stops_(std::move(stops)) {}
  // Appends `text`; returns what may be shown now. Once a stop string completes,
  // `matched()` is true, the text before it is returned and everything later dropped.
  std::string push(std::string_view text);
  // What is still held (nothing after a match).
  std::string flush();
  bool matched() const { return matched_; }

 private:
  std::vector<std::string> stops_;
  std::string held_;
  bool matched_ = false;
};

class ResponseBuilder {
 public:
  // `id` e.g. "chatcmpl-…", `created` in Unix seconds.
  ResponseBuilder(const ApiRequest& request, std::string id, int64_t created);

  // The stream's first chunks (chat: the role of every choice).
  std::vector<nlohmann::json> begin();
  // Takes one text or done event and returns the chunks to stream for it (maybe none).
  std::vector<nlohmann::json> on_event(const JobEvent& event);
  // Every choice finished.
  bool done() const;
  // Every choice that is still running has hit a stop string: the job may be cancelled.
  bool should_cancel() const;
  // The usage chunk (only if the request asked for it) to send before [DONE].
  std::vector<nlohmann::json> end();
  // The whole response, once done().
  nlohmann::json response() const;

 private:
  struct Choice {
    std::string reasoning;
    std::string content;  // chat: the answer; completions: the continuation
    StopMatcher stop;
    bool stopped = false;
    bool done = false;
    SequenceResult result;
  };
  nlohmann::json chunk(nlohmann::json choice) const;
  nlohmann::json text_choice(int index, const std::string& text, bool reasoning, bool forced) const;
  std::string finish_reason(const Choice& c) const;
  nlohmann::json s1_info(const Choice& c) const;
  nlohmann::json usage() const;

  ApiRequest request_;
  bool chat_;
  std::string id_;
  int64_t created_;
  std::vector<Choice> choices_;
};

// "chatcmpl-" / "cmpl-" followed by 24 random hex digits.
std::string new_response_id(Endpoint endpoint);

// One server-sent event line for `data` ("data: …\n\n"); invalid UTF-8 never goes out.
std::string sse(const nlohmann::json& data);

// JSON text that is always valid UTF-8 (bad bytes become U+FFFD).
std::string dump(const nlohmann::json& j);

}  // namespace s1::server
