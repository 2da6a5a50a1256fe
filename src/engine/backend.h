// Backends: where budget-forced generations run. The local backend is llama.cpp through
// the continuous-batching scheduler; a remote backend (an OpenAI-compatible server)
// applies the same rules at the text level. Front ends (generate, eval, serve, curate)
// talk to this interface only, so `--backend` switches between them.
//
// Threads: a Backend belongs to the thread that calls submit(), step(), run() and
// cancel(); callbacks run on that thread, inside step() or run().
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/adaptive_exit.h"
#include "core/budget_forcing.h"
#include "core/suppress_words.h"
#include "core/thinking_format.h"
#include "engine/forcing_vocab.h"
#include "engine/model.h"
#include "engine/prompt.h"
#include "engine/sampling.h"
#include "engine/scheduler.h"
#include "engine/word_tokens.h"

namespace s1 {

struct BackendRequest {
  // The conversation; the backend renders it with the model's chat template and opens
  // thinking. Ignored when `raw_prompt` or `prompt_tokens` is set.
  std::vector<ChatMessage> messages;
  // A prompt already rendered (thinking opened), e.g. to continue a transcript.
  // Ignored when `prompt_tokens` is set.
  std::string raw_prompt;
  // A prompt as token ids (thinking opened), taken as they are: no BOS added, nothing
  // tokenized, so a client continuing a generation sends exactly the tokens the
  // sequence held (and finds them in the prefix cache). Each must be below n_vocab.
  TokenSeq prompt_tokens;
  // A raw_prompt or prompt_tokens whose text closes thinking (prompt_thinking: kClosed,
  // e.g. Qwen3's "<think>\n\n</think>\n\n" with enable_thinking false) makes the
  // request thinking-off, as a rendered prompt that closes it does. False: the prompt
  // is continued as it is, never judged (a plain continuation, /v1/completions without
  // budget fields).
  bool judge_given_prompt = true;
  // Sampling one of these ends the sample at once (FinishReason::kStop,
  // SequenceResult::stop_token); the token is neither shown nor kept. Each must be
  // below n_vocab.
  TokenSeq stop_tokens;
  // Chat template variables (e.g. enable_thinking), over the backend's own name by name.
  // A prompt left without thinking (Prompt::thinking_off) makes the request
  // thinking-off: no thinking rule applies and results say so.
  ChatTemplateKwargs chat_template_kwargs;
  BudgetRules rules;
  SamplingParams thinking_sampling;
  SamplingParams answer_sampling;
  int n_samples = 1;
  bool cache_prompt = true;  // reuse prefix-cache cells (GenerationRequest::cache_prompt)
  // An answer budget beyond the context is lifted instead of refused
  // (GenerationRequest::fit_answer_to_context; s1 serve's max_tokens, as llama-server).
  bool fit_answer_to_context = false;
  // Per-request forced strings; unset: the backend's (ForcingSettings).
  std::optional<std::vector<std::string>> ignore_strings;  // {} : drop the trigger, mask it once
  std::optional<std::string> cap_suffix;                   // "\nFinal Answer:" by default
  // Adaptive thinking: probes of the thinking so far and the exits they decide
  // (GenerationRequest::probe). Ignored when the prompt switched thinking off.
  ProbeRules probe;
  // Words whose tokens (every token whose text contains one, ignoring case) are masked
  // while thinking. Ignored when the prompt switched thinking off.
  std::vector<std::string> suppress_words;
  std::function<void(int, const ProbeRecord&)> on_probe;  // optional: each probe's record
  // The prompt rendered and tokenized ahead by Backend::prepare(); unset: submit() does it.
  std::shared_ptr<const Prompt> prepared;
  std::function<void(int, const TextChunk&)> on_text;         // optional
  std::function<void(int, const SequenceResult&)> on_done;    // optional
};

// The server behind a backend (the remote backend's upstream) failed, or cannot do what
// the request needs: not the request's fault (`s1 serve` answers 502).
struct UpstreamError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What front ends may know of a backend without knowing which one it is.
struct BackendInfo {
  std::string model;      // a description of the model
  std::string format;     // thinking format name
  std::string think_end;  // the thinking end delimiter
  int n_vocab = 0;           // token ids are below it (0: unknown, e.g. a remote model)
  int sequence_context = 0;  // tokens one sequence may hold (0: unknown)
};

// Where a backend's sequences and cells are, for gauges.
struct BackendOccupancy {
  int busy_sequences = 0;
  int used_cells = 0;       // held by running sequences
  int cached_cells = 0;     // held by idle ones for the prefix cache
  int queued_requests = 0;  // waiting for a sequence
  // Host memory for dropped caches (ContextSettings::cache_ram_mib): prompts and bytes.
  int stored_prompts = 0;
  int64_t stored_bytes = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Queues a request; returns its id. Throws RequestError (core/request_error.h) for a
  // request that cannot run: kContextExceeded for a prompt or budget beyond the context,
  // kInvalid otherwise (inconsistent budgets, no messages); other std::invalid_argument
  // is kInvalid too.
  virtual int submit(BackendRequest request) = 0;
  // Makes progress; false when every request has finished.
  virtual bool step() = 0;
  void run() {
    while (step()) {
    }
  }
  // Finishes a request now ("cancelled"); false if unknown or finished.
  virtual bool cancel(int request_id) = 0;
  // Any thread: a step() waiting on the network returns soon, so that its owner can take
  // cancels and new work (the remote backend; no-op where step() only computes).
  virtual void wake() {}
  // Any thread, when shutting down: every wait on the network ends at once and later
  // ones fail (their requests end with errors); no-op for a local backend.
  virtual void abort() {}
  virtual BackendInfo info() const = 0;
  // Tokens in a rendered prompt (the local tokenizer), for reports.
  virtual int count_prompt_tokens(const BackendRequest& request) const = 0;
  // Decode counters so far (zero where the backend cannot see them).
  virtual SchedulerStats stats() const = 0;
  // Owner thread only: sequences and cells in use, or nullopt where the backend cannot
  // see them (a remote server).
  virtual std::optional<BackendOccupancy> occupancy() const { return std::nullopt; }

  // The calls below are thread-safe: any thread may make them while the owner thread
  // runs the backend, so heavy work on prompts stays off the owner thread.

  // Renders and tokenizes `request`'s prompt into request.prepared, so submit() does not
  // (no-op where the backend does not tokenize: request.prepared stays unset). Throws
  // RequestError as submit() does: kContextExceeded for a prompt that cannot fit, found
  // from its length in bytes before any tokenizing where possible; kInvalid for a token
  // id beyond the vocabulary, naming "prompt_tokens" or "stop_tokens".
  virtual void prepare(BackendRequest& request) const { (void)request; }
  // `text`'s tokens (special tokens such as "<|im_start|>" parsed as one token unless
  // `parse_special` is false; a BOS first with `add_bos` where the model takes one), or
  // nullopt when this backend cannot tokenize.
  virtual std::optional<TokenSeq> tokenize(const std::string& text, bool add_bos,
                                           bool parse_special = true) const {
    (void)text;
    (void)add_bos;
    (void)parse_special;
    return std::nullopt;
  }
  // Each token's text (bytes, not necessarily whole UTF-8 characters), or nullopt when
  // this backend cannot tell. Ids must be below n_vocab.
  virtual std::optional<std::vector<std::string>> token_pieces(const TokenSeq& tokens) const {
    (void)tokens;
    return std::nullopt;
  }
  // The conversation rendered with the model's chat template (the backend's template
  // variables, then `kwargs` over them), without opening thinking: what llama-server's
  // /apply-template answers. Thread-safe. nullopt where the backend has no template;
  // throws std::runtime_error if rendering fails.
  virtual std::optional<std::string> apply_chat_template(const std::vector<ChatMessage>& messages,
                                                         const ChatTemplateKwargs& kwargs,
                                                         bool add_generation_prompt) const {
    (void)messages;
    (void)kwargs;
    (void)add_generation_prompt;
    return std::nullopt;
  }
  // Owner thread only: ends thinking of every sample of `request_id` at its next token
  // (Scheduler::end_thinking); `reason` names the exit in events, e.g. "client". False
  // for an unknown or finished request.
  virtual bool end_thinking(int request_id, const std::string& reason) = 0;
  // The tokens suppress_words would mask, per word (thread-safe). Throws
  // std::invalid_argument where the backend cannot see the vocabulary.
  virtual std::vector<SuppressedTokens> suppressed_tokens(const std::vector<std::string>& words) const = 0;
  // Owner thread only: whether `request_id` waits for a sequence with none of its samples
  // started (false where the backend does not queue).
  virtual bool waiting(int request_id) const {
    (void)request_id;
    return false;
  }
};

// llama.cpp in this process.
class LocalBackend : public Backend {
 public:
  // Loads the model and creates the scheduler. `chat_template_kwargs`: template
  // variables of every request (requests add their own). Throws std::runtime_error /
  // std::invalid_argument with a one-line reason.
  LocalBackend(const LoadSettings& load, const ContextSettings& context,
               const ForcingSettings& forcing, ChatTemplateKwargs chat_template_kwargs = {});

  int submit(BackendRequest request) override;
  bool step() override { return scheduler_->step(); }
  bool cancel(int request_id) override { return scheduler_->cancel(request_id); }
  BackendInfo info() const override;
  int count_prompt_tokens(const BackendRequest& request) const override;
  SchedulerStats stats() const override { return scheduler_->stats(); }
  std::optional<BackendOccupancy> occupancy() const override;
  void prepare(BackendRequest& request) const override;
  std::optional<TokenSeq> tokenize(const std::string& text, bool add_bos,
                                   bool parse_special = true) const override;
  std::optional<std::vector<std::string>> token_pieces(const TokenSeq& tokens) const override;
  bool waiting(int request_id) const override { return scheduler_->waiting(request_id); }
  bool end_thinking(int request_id, const std::string& reason) override {
    return scheduler_->end_thinking(request_id, reason);
  }
  std::vector<SuppressedTokens> suppressed_tokens(const std::vector<std::string>& words) const override;
  std::optional<std::string> apply_chat_template(const std::vector<ChatMessage>& messages,
                                                 const ChatTemplateKwargs& kwargs,
                                                 bool add_generation_prompt) const override {
    return model_->apply_chat_template(
        messages, merge_chat_template_kwargs(chat_template_kwargs_, kwargs), add_generation_prompt);
  }

  // For tests of the engine; front ends use the Backend interface.
  const Model& model() const { return *model_; }
  const ThinkingFormat& format() const { return format_; }

 private:
  Prompt prompt_for(const BackendRequest& request) const;

  std::unique_ptr<Model> model_;
  ThinkingFormat format_;
  ForcingSettings forcing_;
  ChatTemplateKwargs chat_template_kwargs_;
  ForcingVocab vocab_;
  std::unique_ptr<Scheduler> scheduler_;
  size_t longest_token_bytes_ = 1;  // the longest token's text: bytes / this <= tokens
  std::unique_ptr<WordTokens> word_tokens_;  // suppress_words' tokens
};

}  // namespace s1
