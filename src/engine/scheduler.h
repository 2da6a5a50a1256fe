// The continuous-batching scheduler: many sequences in one llama.cpp context, each with
// its own samplers and budget state. Everything that generates goes through it.
//
// Each step builds one batch: first the tokens every generating sequence must feed
// (its last sampled token, or a forced insertion, whole), then prompt chunks of
// admitted requests in the room that is left. A sequence that is forced therefore never
// waits for the others, and nothing already in the KV cache is decoded again: forced
// text is appended, a trigger taken back is removed with llama_memory_seq_rm. The
// samples of one request share its prompt: it is decoded once into the first sample's
// sequence and copied (llama_memory_seq_cp) into the others. Each sequence has a KV
// stream of its own (unless ContextSettings::unified_kv); the batch lists sequences in
// order, and running sequences move down into streams freed below them, so llama.cpp
// decodes them as one micro-batch.
//
// Threads: a Scheduler belongs to one thread, which calls submit(), step() and cancel();
// callbacks run on that thread, inside step().
#pragma once

#include <llama-cpp.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/adaptive_exit.h"
#include "core/budget_forcing.h"
#include "engine/model.h"
#include "engine/prompt_store.h"
#include "engine/sampling.h"

namespace s1 {

// Context settings, fixed for the scheduler's life.
struct ContextSettings {
  int n_ctx = 4096;      // KV cells in all; each of the n_parallel sequences gets n_ctx / n_parallel
  int n_batch = 2048;    // tokens per llama_decode call
  int n_ubatch = 512;
  int n_threads = 0;     // 0: all cores
  int n_parallel = 1;    // sequences decoded together
  // One KV buffer for all sequences (shared prompts share cells) instead of a stream per
  // sequence (attention reads only the sequence's own cells; prompts are copied).
  bool unified_kv = false;
  // Sequences for probes (adaptive thinking) on top of n_parallel: requests never hold
  // them, probes also use any other free sequence. Without a unified KV cache each
  // sequence's share of n_ctx shrinks accordingly.
  int probe_sequences = 0;
  // Prefix cache: tokens that finished sequences keep in their cells for later prompts
  // that start the same way (a chat's next turn, requests sharing a system prompt, a
  // retry). -1: as many as the idle sequences hold; 0: off. Least recently used goes first.
  int cache_tokens = -1;
  // Without a unified KV cache, running sequences move down into free streams so a batch
  // stays one micro-batch; a cache in the way moves up into a free stream, or is dropped
  // when none is free. A cache that would be dropped is kept this many steps first, so a
  // follow-up that arrives within them (a chat's next turn, a remote client's next
  // segment) still finds it; meanwhile the batch may take two micro-batches.
  int cache_grace_steps = 4;
  // Host memory for caches the prefix cache drops (llama-server's --cache-ram), in MiB:
  // a cache about to be overwritten is copied there, and a later prompt that starts like
  // it gets it copied back instead of decoding it again (prompt_store.h). 0: off; -1: no
  // limit. Needs the prefix cache (cache_tokens != 0).
  int cache_ram_mib = 0;
};

// One generation request: a tokenized prompt (which already opens thinking) and n
// samples of it.
struct GenerationRequest {
  TokenSeq prompt;
  bool prompt_ends_with_newline = false;
  // The prompt closed thinking instead (Prompt::thinking_off): the samples start in the
  // answer and the thinking rules do not apply.
  bool thinking_off = false;
  BudgetRules rules;
  SamplingParams thinking_sampling;
  SamplingParams answer_sampling;
  int n_samples = 1;
  // Sampling one of these ends the sample at once (kStop, SequenceResult::stop_token): the
  // token is neither fed nor shown, held text is handed over first.
  TokenSeq stop_tokens;
  // Reuse cells cached by (or being decoded for) other requests for this prompt (false:
  // decode it all, as llama-server's cache_prompt). Its cells stay in the cache either way.
  bool cache_prompt = true;
  // An answer budget (rules.max_answer) beyond what the context leaves: refused unless
  // set; then lifted, as llama-server treats n_predict: the answer runs until the
  // context is full (result.answer_clamped says so).
  bool fit_answer_to_context = false;
  // Forced strings for this request only (e.g. other ignore strings); null: the
  // scheduler's. Its end delimiter must be the scheduler's too.
  std::shared_ptr<const ForcingVocab> vocab;
  // Text as it is produced: (sample index, chunk). Optional.
  std::function<void(int, const TextChunk&)> on_text;
  // Called once per sample when it finishes. Optional.
  std::function<void(int, const struct SequenceResult&)> on_done;
  // Adaptive thinking: when to probe the thinking so far and when a probe's answer ends
  // it (ProbeRules::probing() false: no probes). A probe decodes the sequence's cells
  // copied to a free sequence plus the probe suffix, greedily under the answer phase's
  // logit biases (it is an answer attempt), keeping each drawn token's probability under
  // that distribution, until its box closes, an end-of-generation token or
  // probe.probe_tokens; then its cells are freed. Its tokens never enter the sample.
  ProbeRules probe;
  // Each probe as it finishes: (sample index, record). Optional.
  std::function<void(int, const ProbeRecord&)> on_probe;
  // Each row of logits a sample draws from, as the model computed it (before masks and
  // biases): (sample index, row, n_vocab). Optional; for tests and diagnostics, which
  // compare logits across KV layouts within a tolerance where texts may differ.
  std::function<void(int, const float*, int)> on_logits;
};

struct SequenceResult {
  int sample = 0;
  std::string thinking;  // shown text, forced insertions included
  std::string answer;    // shown text after the delimiter, the cap suffix included
  int prompt_tokens = 0;
  int cached_tokens = 0;    // prompt tokens found in the prefix cache (not decoded again)
  int thinking_tokens = 0;  // between the delimiters: sampled + inserted ignore strings
  int answer_tokens = 0;    // sampled answer tokens
  int sampled_tokens = 0;   // sampled tokens fed to the model (taken-back ones included)
  int injected_tokens = 0;  // forced tokens fed to the model
  int retracted_tokens = 0;
  std::vector<ForcingEvent> events;
  FinishReason finish_reason = FinishReason::kNone;  // kStop, kLength, kContext, kCancelled
  // The sampled token that stopped it: one of GenerationRequest::stop_tokens, or the end
  // trigger's last token when thinking ended there with no answer to follow (max_answer
  // 0, e.g. a plain continuation); -1 otherwise (end of generation, a budget, ...).
  Token stop_token = -1;
  int max_think = -1;         // the cap that applied (after clamping); -1: none (thinking off)
  bool clamped = false;       // the budget was lowered to fit the context
  bool answer_clamped = false;  // max_answer beyond the context, lifted (fit_answer_to_context)
  bool thinking_off = false;  // the prompt closed thinking: no thinking rule applied
  std::vector<ProbeRecord> probes;  // in thinking order
  int probe_tokens = 0;       // tokens decoded for probes (suffixes and drawn answers)
  int probes_skipped = 0;     // due but not run: no free sequence, or no room in it
  double probe_ms = 0;        // probes' wall time (they run alongside the sample)
  double prompt_ms = 0;       // from admission to the first sampled token
  double generation_ms = 0;   // from the first sampled token to the end
};

// Adds each chunk's text to `result`'s thinking or answer (delimiters are not text) and
// hands it to `on_text` (when set) as (sample, chunk). Shared by the backends.
void deliver_chunks(const std::vector<TextChunk>& chunks, int sample, SequenceResult& result,
                    const std::function<void(int, const TextChunk&)>& on_text);

struct SchedulerStats {
  int64_t decoded_tokens = 0;  // every token passed to llama_decode
  int64_t prompt_tokens = 0;
  int64_t sampled_tokens = 0;
  int64_t injected_tokens = 0;
  int64_t retracted_tokens = 0;
  int64_t decode_calls = 0;
  int64_t moved_sequences = 0;  // moved to a lower KV stream as others finished
  int64_t refed_tokens = 0;     // decoded again for a row after a multi-token trigger was
                                // taken back and masked (an empty ignore string)
  int64_t cache_hits = 0;       // prompts that found a cached prefix
  int64_t cache_reused_tokens = 0;  // prompt tokens taken from the cache instead of decoded
  int64_t cache_evictions = 0;  // cached prefixes dropped (bound, room, or overwritten)
  int64_t store_saves = 0;      // dropped caches copied to host memory (cache_ram_mib)
  int64_t store_restores = 0;   // prompts whose prefix came back from host memory (these
                                // count as cache hits, their tokens as reused)
  int64_t probes = 0;           // probes run to the end (adaptive thinking)
  int64_t probe_tokens = 0;     // tokens decoded for them
  int64_t probes_skipped = 0;   // probes due but not run (no free sequence or no room)
  int64_t exits = 0;            // thinking ended by a probe or from outside (end_thinking)
  double decode_ms = 0;
};

class Scheduler {
 public:
  // Creates the llama.cpp context for `model` (both must outlive the scheduler).
  // Throws std::invalid_argument for bad settings, std::runtime_error if llama.cpp
  // cannot create the context.
  Scheduler(const Model& model, const ForcingVocab& vocab, const ContextSettings& settings);
  ~Scheduler();

  // Queues a request and returns its id. Its budget is checked against the context: a
  // missing or too large max_think is lowered to what the context leaves (result.clamped),
  // and a prompt that does not fit, an answer budget beyond the context (unless
  // fit_answer_to_context), or a min_think above what is left throws
  // std::invalid_argument with a one-line reason.
  int submit(GenerationRequest request);

  // Decodes one batch and samples every sequence that has logits. Returns false when
  // there is nothing left to do. Every step that returns true decoded tokens (or ended
  // sequences), so a loop over step() always ends: a sequence whose end was ignored with
  // nothing to append draws again from the masked row in the same step, and one left
  // with nothing to decode is ended ("cancelled"). Throws std::runtime_error if
  // llama_decode fails.
  bool step();

  // Steps until every request has finished.
  void run();

  // Finishes every sample of `request_id` now ("cancelled") and frees their cells:
  // running samples hand over the text they held back, samples still queued finish with
  // nothing generated; on_done runs once for each. Returns false for an unknown or
  // finished request.
  bool cancel(int request_id);

  // Ends thinking of every running sample of `request_id` at its next token, as a
  // natural end (the end delimiter, then the answer): `reason` is the event's reason
  // (e.g. "client"). Samples already answering are unaffected; the floor (min_think)
  // still holds, so a sample below it ends thinking once it reaches it. Returns false
  // for an unknown or finished request.
  bool end_thinking(int request_id, const std::string& reason);

  // Tokens each sequence may hold.
  int sequence_context() const { return n_ctx_seq_; }
  // Sequences decoding now / requests waiting for a sequence.
  int busy_sequences() const;
  int queued_requests() const { return static_cast<int>(queue_.size()); }
  // Whether `request_id` waits in the queue with none of its samples started.
  bool waiting(int request_id) const;
  // KV cells held by running sequences.
  int used_cells() const { return cells_held(true); }
  // KV cells held by idle sequences for the prefix cache, as llama.cpp counts them, and the
  // tokens the scheduler knows them to hold (the two agree).
  int cached_cells() const { return cells_held(false); }
  int cached_tokens() const;
  // Host memory for dropped caches (ContextSettings::cache_ram_mib).
  const PromptStore& prompt_store() const { return store_; }
  const SchedulerStats& stats() const { return stats_; }

 private:
  struct Slot;
  struct Pending {
    int id;
    std::shared_ptr<GenerationRequest> request;
    int first_sample;  // samples [first_sample, first_sample + count) still to run
    int count;
    BudgetRules rules;  // after clamping
    bool clamped;
    bool answer_clamped;
    std::shared_ptr<const TokenSeq> probe_suffix;  // tokenized; null without probes
    std::string exit_reason;  // end_thinking() called before its samples started
  };

  // One token to draw from a row of logits with the slot's sampler for its phase.
  struct Draw {
    Slot* slot = nullptr;
    uint64_t epoch = 0;
    float* logits = nullptr;  // llama.cpp's row, which a redraw masks in place
    TokenSampler* sampler = nullptr;
    Token token = 0;
  };

  void admit();
  // The order in which free slots give up their cache: empty first, then least recently used.
  static bool worth_less(const Slot& a, const Slot& b);
  // Sets the end triggers and end-of-generation tokens of a row to -inf.
  void mask_triggers(float* row) const;
  // Ends a running sequence from outside (held text handed over first).
  void end_now(Slot& slot, FinishReason reason);
  // KV cells held by running (or idle) sequences.
  int cells_held(bool running) const;
  // Free slots for a request, the first to decode its prompt: the one whose cache shares
  // the longest prefix with `prompt` when that is worth keeping, else the least valuable
  // caches first.
  std::vector<Slot*> pick_free_slots(const GenerationRequest& request, size_t n, size_t* reuse);
  // The running sequence whose prompt shares the longest prefix with `prompt` (a tenth
  // of it or more; `shared` tokens, at most all but the last), or null.
  Slot* running_prefix(const TokenSeq& prompt, size_t* shared);
  // Sequences waiting on a running one's prompt copy the shared cells once they are
  // decoded, and queue the rest of their prompt.
  void copy_shared_prefixes();
  // Drops the cache of an idle slot (to host memory first, when that is on).
  void evict(Slot& slot);
  // Copies an idle slot's cache to host memory, when that is on and wants it.
  void save_to_store(const Slot& slot);
  // For `prompt`, about to take `slot` whose cache shares `reuse` tokens with it: when
  // host memory holds a state more worth keeping (PromptStore::best), the slot's cache
  // goes there and that state comes into the slot. Returns the tokens to reuse now.
  size_t restore_from_store(Slot& slot, const TokenSeq& prompt, size_t reuse);
  // Keeps the cache within settings_.cache_tokens, and (one KV buffer) leaves room for
  // `needed` more cells.
  void trim_cache(int needed);
  // Ends sequences that have nothing to decode (see step()).
  void end_stalled();
  // step()'s parts, in order. build_batch lists pending tokens (generating sequences
  // whole, then prompt chunks) in sequence order and returns false when there are none;
  // it counts the prompt tokens it took.
  bool build_batch(int64_t* prompt_tokens);
  // Decodes the batch (throws std::runtime_error on failure; the batch's cells are then
  // never cached).
  void decode_batch(int64_t prompt_tokens);
  // The draws this batch's rows allow: sequences whose prompt just finished start
  // generating, with their followers.
  std::vector<Draw> collect_draws();
  // A leader's prompt is decoded: its followers copy its cells and draw from its row.
  void start_followers(Slot& leader, std::vector<Draw>& draws);
  // Draws again, triggers masked, for sequences whose end was ignored with nothing to
  // append (Slot::redraw).
  void redraw_masked(std::vector<Draw> draws);
  // Without a unified KV cache: moves running sequences into lower free streams.
  void compact();
  // Empties the free slot at `to`: its cache goes up into the free slot whose cache is
  // worth least (if that one is worth less), else it is dropped.
  void vacate(size_t to);
  // The free stream above `to` that vacate(to) would move to's cache into, or nullptr
  // when the cache would be dropped.
  Slot* keeper(size_t to);
  // Runs the forcer's begin() on a fresh sequence (which may inject instead of sampling)
  // or queues the draw of its next token.
  void prepare_draw(Slot& slot, int batch_index, std::vector<Draw>& draws);
  // Draws every queued token, spread over the context's threads.
  void draw_tokens(std::vector<Draw>& draws);
  // Hands each drawn token to its sequence's forcer and carries out the decision.
  void apply_draws(const std::vector<Draw>& draws);
  void apply(Slot& slot, Token token, const Decision& d);
  // Adaptive thinking. After a kept thinking token (or an ignore string): starts a probe
  // of `slot` when one is due and a free sequence has room for it.
  void maybe_probe(Slot& slot, bool reflection_point);
  // A probe's row: its greedy token and that token's probability; ends it when done.
  void advance_probe(Slot& probe);
  // Frees a probe's cells and hands its result to the sample it probed (which may then
  // exit thinking at its next draw).
  void finish_probe(Slot& probe, bool completed);
  // Ends thinking now if an exit waits and the sample is past its floor; true if it did.
  bool exit_if_due(Slot& slot);
  void finish(Slot& slot, FinishReason reason);

  const Model& model_;
  const ForcingVocab& vocab_;
  ContextSettings settings_;
  llama_context_ptr ctx_;
  llama_batch batch_{};
  int n_ctx_seq_ = 0;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::deque<Pending> queue_;
  TokenSeq mask_tokens_;  // masked after an empty ignore string
  int next_id_ = 0;
  size_t round_robin_ = 0;
  int n_threads_ = 1;
  uint64_t admissions_ = 0;
  uint64_t steps_ = 0;     // step() calls: the clock of cache_grace_steps
  uint64_t finishes_ = 0;  // the clock of the cache's least-recently-used order
  PromptStore store_;
  SchedulerStats stats_;
};

}  // namespace s1
