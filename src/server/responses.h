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
//    completion_tokens_details.reasoning_tokens}: completion = every token appended
//    after the prompt, as `text` and token_ids hold them (thinking with its ignore
//    strings, the delimiter, a cap's "Final Answer:", the answer) of every choice;
//    reasoning = the thinking tokens. Streams carry it in a last chunk with no choices when
//    stream_options.include_usage is true.
//  - extensions: choices[i].s1 {events, thinking_tokens, answer_tokens, max_think (null
//    when thinking is off), clamped, finish_reason, and max_tokens_clamped: true when
//    max_tokens was beyond the context and lifted) on the response and on a stream's
//    finishing chunk, and
//    choices[i].s1.forced = true on stream chunks whose text a rule inserted.
//  - a plain completion (api.h) is thinking only: reasoning_tokens = s1.thinking_tokens =
//    completion_tokens, and its one event (what ended it) has empty text, as nothing
//    forced is shown.
//  - stop_reason on every choice (vLLM's): the token id (an integer) when one of
//    stop_token_ids ended it, or when a plain completion ended at the end trigger (as if
//    the trigger were one of them); the stop string when one of `stop` did; else null
//    (end of generation, a budget). Streams carry it on the finishing chunk.
//  - completions with return_token_ids (vLLM's): choices[i].prompt_token_ids (the prompt
//    as decoded: a token prompt as given, a text prompt's tokens with its BOS; null where
//    the backend does not tokenize) and choices[i].token_ids, the tokens whose text is in
//    `text`, in order (sampled and forced alike). Streamed: the first chunk of each
//    choice carries prompt_token_ids, every chunk token_ids, the ids of its own text: the
//    engine's pieces' ids go out with the first of the piece's text that is sent (text
//    held back as a possible stop string keeps a whole piece's ids waiting), and ids left
//    at the end in a chunk with empty text. When a stop string cuts the text, token_ids
//    also hold the tokens of the piece that completed it (as vLLM's do).
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
// become one. Not thread-safe. Stop strings match only sampled text (as in the reference,
// where forced text is part of the prompt): ResponseBuilder pushes only sampled text and
// flushes what is held before forced text, so no match spans it.
class StopMatcher {
 public:
  explicit StopMatcher(std::vector<std::string> stops) : stops_(std::move(stops)) {}
  // Appends `text`; returns what may be shown now. Once a stop string completes,
  // `matched()` is true, the text before it is returned and everything later dropped.
  std::string push(std::string_view text);
  // What is still held (nothing after a match); holds nothing afterwards.
  std::string flush();
  bool matched() const { return matched_; }
  // The stop string that matched ("" before a match).
  const std::string& match() const { return match_; }

 private:
  std::vector<std::string> stops_;
  std::string held_;
  bool matched_ = false;
  std::string match_;
};

class ResponseBuilder {
 public:
  // `id` e.g. "chatcmpl-…", `created` in Unix seconds; `prompt_token_ids` the prompt's
  // tokens as the backend decodes them (empty: unknown).
  ResponseBuilder(const ApiRequest& request, std::string id, int64_t created,
                  TokenSeq prompt_token_ids = {});

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
  // The usage object (OpenAI's) of the choices so far.
  nlohmann::json usage() const;

 private:
  struct Choice {
    std::string reasoning;
    std::string content;  // chat: the answer; completions: the continuation
    StopMatcher stop;
    bool stopped = false;
    bool done = false;
    SequenceResult result;
    TokenSeq token_ids;    // the ids of the text sent so far
    TokenSeq pending_ids;  // ids whose text is not sent yet
    int inserted_tokens = 0;  // delimiter and forced answer tokens (usage counts them)
    bool begun = false;    // its first chunk is out
  };
  nlohmann::json chunk(nlohmann::json choice) const;
  nlohmann::json text_choice(int index, const std::string& text, bool reasoning, bool forced) const;
  // A completion choice's chunk of `text`: with return_token_ids, the ids waiting for it
  // go with it (and the prompt's on the choice's first chunk).
  nlohmann::json completion_chunk(Choice& c, int index, const std::string& text, bool forced);
  void add_ids(Choice& c, nlohmann::json& choice);
  std::string finish_reason(const Choice& c) const;
  nlohmann::json stop_reason(const Choice& c) const;
  nlohmann::json prompt_ids() const;
  nlohmann::json s1_info(const Choice& c) const;

  ApiRequest request_;
  bool chat_;
  std::string id_;
  int64_t created_;
  TokenSeq prompt_token_ids_;
  std::vector<Choice> choices_;
};

// POST /tokenize's answer: {"tokens": [ids]}, or with `pieces` (one per token)
// llama-server's with_pieces form, {"tokens": [{"id", "piece"}]}, a piece as a string
// where it is valid UTF-8, else as a list of its bytes.
nlohmann::json tokenize_response(const TokenSeq& tokens, const std::vector<std::string>* pieces);

// "chatcmpl-" / "cmpl-" followed by 24 random hex digits.
std::string new_response_id(Endpoint endpoint);

// One server-sent event line for `data` ("data: …\n\n"); invalid UTF-8 never goes out.
std::string sse(const nlohmann::json& data);

// JSON text that is always valid UTF-8 (bad bytes become U+FFFD).
std::string dump(const nlohmann::json& j);

}  // namespace s1::server
