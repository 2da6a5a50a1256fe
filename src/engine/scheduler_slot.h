// The scheduler's per-sequence state, shared by its source files (scheduler.cc: batching
// and sampling; scheduler_probes.cc: adaptive thinking). Private to the scheduler.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/scheduler.h"

namespace s1 {

using Clock = std::chrono::steady_clock;

inline double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Where a sequence is in its life. kFree holds no request (its cells may hold a cache).
enum class SlotState {
  kFree,
  kFollowing,   // waits for its leader's prompt (the request's first sample, or a request
                // with the very same prompt), then copies it and samples from its row
  kCopying,     // waits for a running sequence to decode the prefix they share, copies it
                // and then decodes the rest of its prompt
  kPrompt,      // decodes its prompt
  kGenerating,  // past its prompt: samples, is forced
  kProbing,     // a probe: another sequence's cells plus the probe suffix, drawn greedily
};

struct Scheduler::Slot {
  int seq_id = 0;
  SlotState state = SlotState::kFree;
  bool active() const { return state != SlotState::kFree; }
  // Past its prompt: the sequence has a row of its own to draw from.
  bool generating() const { return state == SlotState::kGenerating; }
  // Decodes tokens it drew itself (a sample past its prompt, or a probe): fed first in
  // a batch, and moved down into lower free streams.
  bool drawing() const { return generating() || state == SlotState::kProbing; }
  // Holds one of the n_parallel sequences requests may use.
  bool serves_request() const { return active() && state != SlotState::kProbing; }
  int request_id = -1;
  std::shared_ptr<GenerationRequest> request;
  int sample = 0;
  int leader = -1;           // followers wait for this slot's prompt, then copy it
  uint64_t leader_epoch = 0; // ...that admission of it (a sample of the same request, or
                             // a request with the very same prompt)
  // A prompt that starts like a running sequence's waits for that sequence to have
  // decoded the shared part, copies it and decodes only the rest.
  Slot* source = nullptr;
  uint64_t source_epoch = 0;
  int shared = 0;
  std::optional<BudgetForcer> forcer;
  std::optional<TokenSampler> thinking_sampler;
  std::optional<TokenSampler> answer_sampler;
  int n_past = 0;
  TokenSeq decoded;          // the tokens in the sequence's cells, positions 0..n_past-1
  TokenSeq pending;          // to feed in the next batch
  int batch_index = -1;      // row of this slot's logits in the current batch
  bool in_batch = false;     // has tokens in the batch being decoded
  bool mask_next = false;
  bool redraw = false;       // draw again from this step's row, triggers masked
  bool begun = false;        // BudgetForcer::begin() has run
  uint64_t epoch = 0;        // which admission this is: a reused slot is a new sequence
  uint64_t last_used = 0;    // when it finished (idle with a cache: the LRU order)
  uint64_t finished_step = 0;  // the step it finished in
  bool cacheable = false;    // its cells may stay cached when it finishes
  SequenceResult result;
  Clock::time_point admitted, first_token;

  // Adaptive thinking, in a sample with probe rules:
  std::optional<AdaptiveExit> adaptive;
  std::shared_ptr<const TokenSeq> probe_suffix;
  std::optional<ReflectionDetector> reflections;
  Slot* probe = nullptr;       // its probe in flight
  uint64_t probe_epoch = 0;
  std::string exit_reason;     // an exit waiting for the next draw ("": none)
  std::string exit_answer;     // ...with the probed answer to give (ExitAction::kAnswer)
  // In a probe (kProbing):
  Slot* parent = nullptr;
  uint64_t parent_epoch = 0;
  int probe_at = 0;            // the parent's thinking tokens when it was probed
  int probe_decoded = 0;       // tokens this probe decoded (counted as probe tokens)
  std::string probe_text;
  std::vector<float> probe_probs;
  Clock::time_point probe_started;
};

}  // namespace s1
