// The remote backend's per-sample state, shared by its source files
// (remote_backend.cc: segments and the budget rules; remote_probes.cc: adaptive
// thinking, client ends, suppression). Private to RemoteBackend.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/remote_backend.h"

namespace s1 {
namespace remote_detail {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

inline double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Stand-in token ids, where the real ones are unknown: the forcer sees the remote text
// as tokens of these kinds. Negative, so never a real id (with token ids, the forcer
// sees real ids and these only where the server sent none).
constexpr Token kText = -10;      // a sampled token (its text rides on the first of a segment)
constexpr Token kTrigger = -1;    // the model stopped at an end trigger
constexpr Token kEnd = -2;        // the model stopped at an end-of-generation token
constexpr Token kForced = -3;     // a token of a forced string
constexpr Token kDelimRest = -4;  // a token of the end delimiter after the trigger
// Each step marker is counted once (then cached); 1000 steps of ~100 tokens is more
// thinking than any served context holds.
constexpr int kMaxRemoteSteps = 1000;

}  // namespace remote_detail

struct RemoteBackend::Sample {
  int request_id = 0;
  int index = 0;
  std::shared_ptr<BackendRequest> request;
  std::shared_ptr<const ForcingVocab> vocab;
  std::optional<BudgetForcer> forcer;
  BudgetRules rules;
  std::string prompt;  // grows with every segment and forced string
  // Continuing from token ids (RemoteBackend::by_ids_): the forcer's vocabulary has real
  // ids, and once the server told the prompt's ids (`ids_known`), `ids` is the sequence
  // as the server holds it (prompt, kept sampled tokens, forced tokens; kept as the
  // local engine keeps its KV cells) and segments send it instead of the text.
  bool by_ids = false;
  bool ids_known = false;
  TokenSeq ids;
  Token trigger = remote_detail::kTrigger;  // fed when the server stopped at the trigger
  SequenceResult result;
  bool started = false;
  bool done = false;
  bool mask_trigger = false;  // the forcer masked the trigger for the next token
  std::shared_ptr<Segment> segment;  // the segment in flight, if any
  // Requests sent and not yet ended: the segment, a probe, and abandoned segments
  // (their end still comes; the sample stays until then).
  int outstanding = 0;
  int empty_segments = 0;     // ignored ends that added nothing (a loop guard)
  remote_detail::Clock::time_point start;

  // Adaptive thinking (unset without probes).
  std::optional<AdaptiveExit> adaptive;
  std::optional<ReflectionDetector> reflections;
  std::shared_ptr<Segment> probe;  // the probe in flight, if any
  int probe_checked = 0;    // thinking tokens when probes were last considered
  bool reflection = false;  // a reflection point since then
  bool probe_waits = false;  // a probe due at a segment's end waits for the one in flight
  FinishReason finish_after_probe = FinishReason::kNone;  // finished, the probe still out
  // An exit to carry out once thinking may end (a probe's or a client's), and the probed
  // answer to write for ExitAction::kAnswer.
  std::string exit_reason;
  std::string exit_answer;
};

struct RemoteBackend::Segment {
  Sample* sample = nullptr;
  remote_detail::json body;
  bool stream = false;
  int asked = 0;  // max_tokens sent
  bool chunk = false;  // asked for less than the budget allows: a probe is due at its end
  // Owner thread only: tokens fed to the forcer while streaming, and text held back
  // (the last token's, whose count only usage tells).
  int fed = 0;
  std::string held;
  // The forcer's phase and steps left when the segment was sent.
  Phase phase = Phase::kThinking;
  int steps_left = -1;
  bool abandoned = false;  // owner thread: no longer its sample's (an exit cut it short)
  // A probe: the thinking position it forked from, and when it was sent.
  bool is_probe = false;
  int probe_at = 0;
  remote_detail::Clock::time_point sent;
  std::atomic<bool> cancelled{false};
  CompletionReply reply;  // written by the worker before its end event
};

struct RemoteBackend::Event {
  std::shared_ptr<Segment> segment;
  CompletionPiece piece;  // a streamed piece; empty with `end`
  bool end = false;
};

}  // namespace s1
