// A Backend over an OpenAI-compatible /v1/completions endpoint (vLLM, SGLang,
// llama-server, another `s1 serve`): the same budget rules, enforced at the text level
// as the s1 reference code does with vLLM.
//
// Each sample is a chain of completion requests ("segments") on a growing prompt:
//  - thinking: ask for at most the thinking tokens left, stopping at the end trigger(s)
//    and end-of-generation strings. What comes back is fed to the core BudgetForcer as
//    that many tokens (the server's usage.completion_tokens), then, if the server
//    stopped, as one attempt to end thinking. The forcer alone decides (ignore, end or
//    cap, as for the local engine); its forced text (the ignore string; at the cap "\n",
//    the end delimiter and "\nFinal Answer:") is appended to the prompt.
//  - answer: ask for the answer tokens left, stopping at end-of-generation strings.
// Segments stream (SSE): text reaches on_text as the server sends it, each chunk one
// token until the last, whose count comes from usage.
//
// Token ids: where the server takes token prompts and returns the ids it generated
// (`s1 serve`: vLLM's return_token_ids), the forcer works on real ids and each sample
// keeps its sequence's ids as the local engine keeps its KV cells (kept sampled tokens,
// forced tokens, retractions). Later segments and probes send those ids, so the
// server's prefix cache finds all it holds; text would be tokenized again, and sampled
// tokens that are not the tokenizer's split of their text would be decoded again. A
// sample whose server sends no ids goes on as text.
//
// Prompts: a conversation is rendered with the model's real chat template, from the
// first of: a Jinja file (chat_template_file, llama.cpp's engine as for local models),
// a GGUF's template (tokenizer_model), the server's own rendering (llama-server's
// /apply-template; vLLM's /tokenize with messages, then /detokenize), or ChatML when
// asked for (chatml). Thinking is opened as build_prompt does. A raw prompt is sent as is
// (one that closes thinking makes the request thinking-off, BackendRequest::judge_given_prompt).
//
// Token counts of forced strings (ignore strings, delimiter, cap suffix, step markers):
// from the tokenizer model, else asked once each of the server's /tokenize and cached.
// A server without /tokenize is an error unless estimate_tokens (one per 4 bytes).
//
// Request fields per server kind (server_kind.h), detected from /v1/models or /props
// unless given. The thinking format is the tokenizer model's or the flags'; else the
// server's where /v1/models says it (`s1 serve`'s meta.thinking_format: "s1" or
// "think-tags"); else the s1 format, with a warning. llama-server must show the trigger as text: checked at start-up with
// one probe token (preserved_tokens does it per request; older servers need --special).
//
// Threads: as Backend (one owner thread; callbacks inside step()). HTTP requests run
// on `parallel` worker threads of its own over one pool of keep-alive connections;
// step() sleeps until a worker has news (no polling). prepare() renders and counts off
// the owner thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/backend.h"
#include "engine/remote_client.h"
#include "engine/server_kind.h"
#include "engine/word_tokens.h"

namespace s1 {

struct RemoteSettings {
  std::string url;                // base URL, e.g. http://127.0.0.1:8000 (a trailing /v1 is fine)
  std::string api_model;          // "model" sent with each request ("" : left out)
  std::string api_key;            // sent as a Bearer token if set
  int parallel = 4;               // requests in flight at once
  RemoteTimeouts timeouts;         // of every HTTP request (connect, between bytes, total)
  int default_max_tokens = 4096;  // per segment when a budget is unlimited
  // Strings that end generation on the remote side (their tokens are EOS/EOT there).
  std::vector<std::string> end_of_generation = {"<|im_end|>", "<|endoftext|>"};
  ServerKind server_kind = ServerKind::kAuto;
  std::string tokenizer_model;     // a GGUF: chat template, vocabulary, thinking format
  std::string chat_template_file;  // Jinja text (over the GGUF's template if both)
  bool chatml = false;             // render conversations as ChatML
  bool estimate_tokens = false;    // no /tokenize: one token per 4 bytes
  bool stream = true;              // segments as SSE streams
  ChatTemplateKwargs chat_template_kwargs;  // every request's template variables
};

class RemoteBackend : public Backend {
 public:
  // `forcing` gives the delimiters (both empty: detected from tokenizer_model, else the
  // s1 format) and forced strings. Throws std::invalid_argument for a malformed URL or
  // format, std::runtime_error for an unreadable template file or tokenizer model.
  // Connects lazily: the first submit(), prepare() or count detects the server.
  RemoteBackend(RemoteSettings settings, const ForcingSettings& forcing);
  ~RemoteBackend() override;

  int submit(BackendRequest request) override;
  bool step() override;
  // Also ends the request's HTTP calls in flight at once.
  bool cancel(int request_id) override;
  void wake() override;
  void abort() override;
  BackendInfo info() const override;
  // The rendered prompt's tokens (tokenizer model or the server's /tokenize).
  int count_prompt_tokens(const BackendRequest& request) const override;
  SchedulerStats stats() const override { return stats_; }
  // Ends thinking of every sample of `request_id` still thinking, at the next
  // opportunity: the segment streaming is cut short (what it showed stays), then "\n" and
  // the delimiter, then the answer; below min_think, once the floor is reached. Returns at
  // once; false for an unknown request or one no longer thinking.
  bool end_thinking(int request_id, const std::string& reason) override;
  // From the tokenizer model's vocabulary (word_tokens.h). Throws std::invalid_argument
  // without one: the server's vocabulary is not visible from here.
  std::vector<SuppressedTokens> suppressed_tokens(const std::vector<std::string>& words) const override;
  // Renders the prompt and counts the forced strings, so submit() need not.
  void prepare(BackendRequest& request) const override;

  // The prompt sent for `request` (rendered, thinking opened), and whether the template
  // closed thinking. In the thinking format known so far: prepare() and submit() learn
  // the server's first (start-up).
  RenderedPrompt render_prompt(const BackendRequest& request) const;
  // The server kind in use (detected on first use when kAuto).
  ServerKind server_kind() const;
  // Every segment error so far, in order.
  std::vector<std::string> errors() const { return errors_; }
  // Warnings of the start-up so far (also printed on stderr): a thinking format that
  // cannot be known, or that the server says differs from the one in use.
  std::vector<std::string> warnings() const;
  // Keep-alive connections opened so far.
  int connections_opened() const { return pool_->connections_opened(); }

 private:
  struct Sample;
  struct Segment;  // one completion request and its outcome
  struct Event;    // a worker's news for the owner thread
  void start_up() const;  // detect the server and its thinking format, check it (once)
  // The thinking format the server said it uses ("" : it did not say): taken unless
  // format_given_, else warned about where it differs or cannot be known.
  void take_format(const std::string& said) const;
  // Refuses what cannot be sent (token prompts, stop ids, no prompt), before any network.
  void check_request(const BackendRequest& request) const;
  ChatRenderer renderer() const;
  TokenSeq token_ids(const std::string& text) const;
  void count_all(const std::vector<std::string>& texts) const;
  std::shared_ptr<const ForcingVocab> vocab_for(const BackendRequest& request, bool by_ids) const;
  void worker();
  void launch(Sample& s);
  void send(Sample& s, std::shared_ptr<Segment> seg);  // to the workers
  // Carries out the forcer's decision; `sampled`: the token it decided on, if any.
  void apply(Sample& s, const Decision& d, std::optional<Token> sampled = std::nullopt);
  // Sampled tokens to the forcer, `text` riding on the first.
  void feed(Sample& s, const TokenSeq& tokens, const std::string& text);
  void feed_text(Sample& s, int n, const std::string& text);  // n tokens of unknown ids
  // A piece of a segment's answer: its prompt's ids, then its tokens.
  void take_piece(Sample& s, Segment& seg, const CompletionPiece& piece);
  // Sets the prompt of `seg`, a request continuing `s`: its token ids where they are
  // known, else its text; `suffix` appended.
  void set_prompt(Segment& seg, const Sample& s, const std::string& suffix = "") const;
  void on_end(Segment& seg);
  void finish(Sample& s, FinishReason reason);
  // Adaptive thinking, client ends and suppression (remote_probes.cc).
  void adapt(BackendRequest& request) const;  // checks probes, adds suppression biases
  int adaptive_segment_limit(const Sample& s) const;  // thinking tokens until a probe is due
  void consider_probe(Sample& s, bool segment_end);
  void launch_probe(Sample& s, int thinking_tokens);
  void on_probe_end(Segment& seg);
  bool exit_if_due(Sample& s);
  void abandon_segment(Sample& s);  // an exit cuts the segment in flight short

  RemoteSettings settings_;
  ForcingSettings forcing_;
  RemoteAddress address_;
  std::unique_ptr<ClientPool> pool_;
  std::unique_ptr<Model> tokenizer_;  // tokenizer_model, vocabulary only
  std::string template_text_;         // chat_template_file's text without a GGUF
  // The thinking format: given (tokenizer model, --think-start/--think-end), else the
  // server's as it says it at start-up, else the s1 format. Set before any request uses
  // it; info() reads it under cache_mutex_.
  mutable ThinkingFormat format_;
  bool format_given_ = false;
  mutable std::vector<std::string> warnings_;
  mutable std::mutex words_mutex_;
  mutable std::unique_ptr<WordTokens> word_tokens_;  // the tokenizer model's, made on first use

  std::vector<std::unique_ptr<Sample>> samples_;
  int next_id_ = 0;
  SchedulerStats stats_;
  std::vector<std::string> errors_;

  // Shared by the owner thread and prepare() callers.
  mutable std::mutex cache_mutex_;
  mutable bool started_ = false;
  // Samples continue from token ids: the server takes token prompts and returns the ids
  // it generated (`s1 serve`), and the end trigger is one token of known id.
  mutable bool by_ids_ = false;
  mutable ServerKind kind_ = ServerKind::kAuto;
  mutable std::map<std::string, TokenSeq> token_ids_;
  mutable std::map<std::string, std::shared_ptr<const ForcingVocab>> vocabs_;
  mutable std::mutex start_mutex_;

  std::mutex mutex_;
  std::condition_variable work_cv_, event_cv_;
  std::deque<std::shared_ptr<Segment>> work_;
  std::deque<Event> events_;
  bool stopping_ = false;
  bool woken_ = false;  // wake(): step() returns without news
  std::vector<std::thread> workers_;
};

}  // namespace s1
