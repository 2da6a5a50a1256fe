// `s1 eval`'s pipeline: claim the output directory, find the samples still missing,
// submit them all to one backend (one continuous-batching scheduler, no rounds), grade and
// append each sample as it finishes, then write results.json, report.md and the plots.
//
// Output directory:
//   config.json    the run's canonical configuration and id (see run_config.h)
//   samples.jsonl  one line per sample (see sample_line() in runner.cc for the fields)
//   results.json   per configuration and per method results (results.h)
//   report.md      the same as tables
//   scaling_<dataset>.svg / .png   accuracy against thinking tokens
//
// Threads: run on the thread that owns the backend.
#pragma once

#include <atomic>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/grading.h"
#include "engine/backend.h"
#include "eval/run_config.h"
#include "methods/strategies.h"

namespace s1::eval {

struct EvalPlan {
  std::string out_dir;
  std::vector<LoadedDataset> datasets;
  std::vector<MethodConfig> configs;
  MethodContext context;
  nlohmann::json identity;  // what else changes results (model, context, sampling...)
  nlohmann::json info;      // stored, not compared (paths, command line)
  bool plots = true;
  // Emulate the s1 reference's round-based loop (rounds.h) instead of the continuous
  // schedule; for comparison only (budget forcing, local backend).
  bool rounds = false;
  // A judge for the samples the rules grade "not equal" (core/grading.h; the LLM judge of
  // methods/judge.h); null: rules only. Its verdicts go into samples.jsonl
  // ("verdict_source": "judge"), so results.json and `s1 grade` with the same judge agree.
  AnswerJudge* judge = nullptr;
};

struct EvalOutcome {
  std::string run_id;
  size_t total = 0;    // samples in the run
  size_t resumed = 0;  // already in samples.jsonl at the start
  size_t written = 0;  // written by this call
  bool interrupted = false;
};

// Runs (or resumes) the plan. Stops early, cleanly, when `*stop` becomes true (checked
// between scheduler steps): running requests are cancelled, nothing partial is written,
// and results.json / report.md describe what is there. Throws std::runtime_error for an
// output directory that holds another run, unreadable data, or I/O errors, and what the
// backend throws.
EvalOutcome run_eval(const EvalPlan& plan, Backend& backend, const std::atomic<bool>* stop,
                     FILE* log, bool log_is_terminal);

// Rewrites results.json, report.md and the plots from `lines`; `this_process` (if not
// null) is stored as results["this_process"] (wall time and decode counters).
nlohmann::json write_outputs(const EvalPlan& plan, const std::string& run_id,
                             const std::vector<nlohmann::json>& lines, bool complete,
                             const nlohmann::json& this_process = nullptr);

}  // namespace s1::eval
