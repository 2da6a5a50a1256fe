// The s1 reference's round-based budget-forcing loop, emulated on this engine for
// comparison with the continuous schedule (bench/eval_rounds_vs_continuous.sh).
//
// The reference generates every sequence of a batch until it tries to end thinking (or
// the budget is spent), waits for the whole batch, appends the ignore string to those that
// ended, and starts the next round with the extended prompts; after num_ignore rounds a
// last round lets them answer. Here each round is one request per unfinished sequence
// (its rendered prompt plus the thinking so far, re-decoded, as the reference re-submits
// its prompts), and the next round starts only when every request of the round is done.
//
// Threads: the thread that owns the backend; `done` runs inside RequestPump::step().
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "engine/backend.h"
#include "methods/strategies.h"

namespace s1::eval {

struct RoundsItem {
  const MethodConfig* config;  // budget forcing only
  std::string question;
  std::function<void(SampleRun)> done;  // once, with the combined thinking and the answer
};

// Throws std::invalid_argument naming the first configuration the round schedule cannot
// run (it runs budget forcing only), so a command can refuse it before loading a model.
void check_rounds_configs(const std::vector<MethodConfig>& configs);

// Runs `items` (sample 0 of each) with round barriers on `backend`, which must render and
// tokenize prompts itself (Backend::prepare, Backend::tokenize: the local backend). Throws
// std::invalid_argument for a configuration other than budget forcing or a backend that
// does not, std::invalid_argument for a prompt with thinking off. Returns false if `*stop`
// ended it early.
bool run_rounds(Backend& backend, const MethodContext& ctx, std::vector<RoundsItem> items,
                const std::atomic<bool>* stop);

}  // namespace s1::eval
