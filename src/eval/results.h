// results.json and report.md from the sample lines: per configuration accuracy with a
// Wilson interval and thinking-token statistics; per method (a line of the scaling plot)
// the s1 paper's Control, Scaling and Performance (core/metrics.h); for the parallel
// methods maj@k, pass@k and best-of-k.
//
// Definitions (also in docs/eval.md, "Metrics"):
//  - a configuration's compute is the mean thinking tokens of its samples; its accuracy
//    the share of correct samples;
//  - majority n=N contributes a point per k in 1, 2, 4, ..., N: compute k * mean
//    thinking tokens, accuracy maj@k (first k samples of each problem); maj@k, pass@k and
//    best-of-k count only the problems with all N samples (the rule of core/grading.h,
//    which `s1 grade` applies too);
//  - best-of-n contributes a point per k: compute k * (mean thinking + mean judge
//    thinking tokens), accuracy of the majority answer among the candidates the model
//    judged correct (all candidates when none was);
//  - Control is the share of samples of budgeted configurations whose thinking stays
//    within the budget (0 <= tokens <= budget; step-conditional: steps * 100); null when
//    no configuration of the method has a budget;
//  - a configuration whose budget the context (-c) cut for some samples names how many
//    (clamped_samples) and the largest budget they had (effective_max_think), and
//    report.md says so under its table;
//  - Scaling is the mean slope over pairs of points; null below two points;
//    Performance the best accuracy among the points.
//
// All functions are pure (no I/O) and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "eval/plot.h"
#include "eval/run_config.h"
#include "methods/strategies.h"

namespace s1::eval {

// The budget a configuration's samples are held to for Control, or -1 for none.
int control_budget(const MethodConfig& config);

// Results of the lines of `datasets` x `configs` found in `lines` (lines of other keys
// are ignored). `complete`: whether every sample of the run is there.
nlohmann::json compute_results(const std::string& run_id,
                               const std::vector<LoadedDataset>& datasets,
                               const std::vector<MethodConfig>& configs,
                               const std::vector<nlohmann::json>& lines, bool complete);

// One line per adaptive configuration of `results` (empty without any), for the end of a
// run: "<dataset> <name>: accuracy A (baseline B), T thinking tokens (baseline U), S saved
// (P); probes and probe tokens per sample; exits by reason".
std::string adaptive_summary(const nlohmann::json& results);

// The scaling plot's lines for one dataset, from that dataset's entry in one or more
// runs' results (results["datasets"][i]), in order: one line per method family, its points
// in the order the first run lists them. A family in several runs is one line: a point
// (by configuration name) already drawn is not drawn again, and the points of a curve
// that several runs fill are sorted by compute. Points with a label (adaptive rules) are
// drawn unconnected.
std::vector<PlotLine> plot_lines(const std::vector<nlohmann::json>& dataset_results);

// report.md: the tables of `results` in Markdown, with the plot files named in
// results["plots"] (if any) as images.
std::string render_report(const nlohmann::json& results);

}  // namespace s1::eval
