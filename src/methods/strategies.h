// Test-time scaling strategies over the engine's Backend (s1, sections 3-5): budget
// forcing and the baselines it is compared with. Each strategy turns one question into
// backend requests and reports one SampleRun per sample; it never waits for other
// questions, so every sequence of a run shares the backend's one continuous-batching
// scheduler (a finished or forced sequence frees its slot at once).
//
// Threads: everything here runs on the thread that owns the Backend; `done` callbacks
// run inside RequestPump::step().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/backend.h"

namespace s1 {

enum class MethodKind {
  kBudgetForcing,     // cap at max_think, ignore the first num_ignore ends (ignore strings)
  kTokenConditional,  // "Think for up to N tokens." (optionally capped at N: `forcing`)
  kStepConditional,   // "Think for up to N steps." (optionally capped at N * 100 tokens)
  kClassConditional,  // short / long thinking instruction
  kRejection,         // resample (temperature > 0) until thinking fits the budget
  kMajority,          // N samples sharing the prompt; maj@k and pass@k over them
  kBestOfN,           // N samples, each judged by the model (self-verification)
  kAdaptive,          // cap at max_think; probes of the answer end thinking early
                      // (core/adaptive_exit.h: Dynasor-CoT consistency, DEER confidence)
};

// "budget-forcing", "token-conditional", "step-conditional", "class-conditional",
// "rejection-sampling", "majority", "best-of-n", "adaptive".
const char* method_kind_name(MethodKind kind);
// The inverse; throws std::invalid_argument naming the accepted names.
MethodKind parse_method_kind(const std::string& name);

// One configuration of one method: a point (or, for the parallel methods, a curve) of
// the scaling plot.
struct MethodConfig {
  MethodKind kind = MethodKind::kBudgetForcing;
  int budget = -1;       // thinking tokens; -1: "auto", what the context leaves
  bool forcing = false;  // token/step-conditional: also cap thinking at the budget
  int num_ignore = 0;    // budget forcing: end attempts to ignore
  // Budget forcing: appended in turn at an ignored end; empty: "none" (the end is
  // dropped and the triggers masked once).
  std::vector<std::string> ignore_strings;
  std::string thinking_class;  // class-conditional: "short" or "long"
  int n = 1;                   // samples per question
  int max_tries = 8;           // rejection sampling: generations per sample at most
  int verify_budget = 256;     // best-of-N: thinking cap of each verification
  // Adaptive: the probe schedule and exit rules (every = N, consistent = W,
  // confidence = tau; the rest is shared by a run's adaptive configurations).
  ProbeRules probe;
  // Any method: words masked while thinking (NoWait, core/suppress_words.h); empty: none.
  std::vector<std::string> suppress_words;

  // A canonical, unique name, e.g. "budget-forcing max=512 ignore=2 str=Wait",
  // "majority n=8 max=auto", "class-conditional long",
  // "adaptive max=512 every=32 consistent=2 confidence=0.95" (" reflection" added when
  // probing at reflection points), with " suppress=wait|hmm" at the end when words are
  // suppressed.
  std::string name() const;
  // The name without " suppress=...".
  std::string rules_name() const;
  // The short label of its point on the scaling plot: the name without the family; for
  // adaptive the rules as the papers write them, e.g. "N=32 W=2 tau=0.95 max=512" (off
  // rules left out, "+refl" for probes at reflection points; " suppress=..." as in the name).
  std::string point_label() const;
  // The line of the scaling plot this configuration belongs to, e.g. "budget-forcing",
  // "token-conditional+forcing".
  std::string family() const;
  // Whether the samples are drawn at the sampling temperature (the others are greedy
  // unless the user sets --temp).
  bool sampled() const;
  nlohmann::json to_json() const;
};

// Settings shared by all configurations of a run.
struct MethodContext {
  SamplingParams thinking;  // base sampling (greedy by default)
  SamplingParams answer;
  float sample_temperature = 1.0f;  // for sampled() methods when the base is greedy
  int max_answer = -1;              // answer cap (-1: none)
  int min_think = 0;
  std::string system;  // optional system message
};

// One finished sample of a configuration.
struct SampleRun {
  int sample = 0;
  std::string prompt;                // the user message sent
  SequenceResult result;             // the generation kept
  int tries = 1;                     // rejection sampling: generations made, the kept one included
  bool fits = true;                  // rejection sampling: the kept thinking is within the budget
  int rejected_thinking_tokens = 0;  // rejection sampling: thinking of the rejected tries
  // Best-of-N: the judge's verdict (1 yes, 0 no, -1 none) and its generation.
  int verdict = -1;
  std::optional<SequenceResult> verification;
};

// Queues backend requests. Submissions made while a step runs (from `done` callbacks,
// e.g. a retry or a verification) are held until that step returns, so callbacks never
// re-enter the backend.
class RequestPump {
 public:
  explicit RequestPump(Backend& backend) : backend_(backend) {}
  // Queues `request` (now, or after the current step). Throws std::invalid_argument from
  // the backend for a request that cannot run (when not inside a step).
  void submit(BackendRequest request);
  // Submits held requests, then one backend step. False when nothing is left.
  bool step();
  // Cancels every request still running; their samples finish as "cancelled".
  void cancel_all();
  Backend& backend() { return backend_; }

 private:
  Backend& backend_;
  std::vector<BackendRequest> held_;
  std::vector<int> ids_;
  bool in_step_ = false;
};

using SampleCallback = std::function<void(SampleRun)>;

// What a method is asked: the question's text (the user message before the method's
// additions), and for multiple choice the number of choices, whose letter is then the
// final answer (core/grading.h's final_answer(); best-of-N shows it to the verifier).
struct MethodQuestion {
  std::string text;
  size_t choices = 0;
};

// Starts `config` on `question` for the sample indices `samples` (distinct, in [0, n)).
// `done` is called once per sample when it is final (a cancelled generation is reported
// with result.finish_reason == FinishReason::kCancelled and must not be kept). Samples get the seeds
// they would get in one request of n samples, so re-running a subset reproduces them.
// Throws std::invalid_argument for an invalid configuration or a request the backend
// refuses. `pump` must outlive the requests (follow-ups are submitted through it).
void start_method(RequestPump& pump, const MethodConfig& config, const MethodContext& ctx,
                  const MethodQuestion& question, const std::vector<int>& samples,
                  SampleCallback done);

}  // namespace s1
