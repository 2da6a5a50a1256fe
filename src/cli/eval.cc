// `s1 eval`: runs a grid of test-time scaling configurations over datasets, resumably,
// and writes samples.jsonl, results.json, report.md and the scaling plots (see
// eval/runner.h).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/flags.h"
#include "eval/rounds.h"
#include "eval/runner.h"
#include "methods/prompts.h"
#include "methods/strategies.h"

namespace s1::cli {
namespace {

struct EvalArgs {
  ModelFlags model;
  SamplingFlags sampling;
  ForcingSettings forcing;  // the forced text and delimiters
  BudgetRules rules;        // --min-think and --max-answer; the sweep gives the rest
  SweepFlags sweep;
  AdaptiveSweepFlags adaptive;
  std::vector<std::string> datasets;
  std::string out;
  std::vector<std::string> methods = {"budget-forcing"};
  std::vector<std::string> classes = {"short", "long"};
  int n = 8;
  int max_tries = 8;
  int verify_budget = 256;
  float sample_temp = 1.0f;
  std::string system;
  size_t limit = 0;
  bool no_plots = false;
  std::string schedule = "continuous";
  JudgeFlags judge;
};

std::atomic<bool> g_stop{false};

void on_signal(int) {
  g_stop.store(true);
}

// Step-conditional control counts down ceil(budget / 100) steps, each opened by a marker
// token or more: more steps than a sequence holds are refused before the run, naming the
// flag that asks for them (the engine would refuse the first problem's request mid-run).
void check_step_counts(const std::vector<MethodConfig>& configs, int sequence_context) {
  if (sequence_context <= 0) return;
  for (const MethodConfig& c : configs) {
    if (c.kind != MethodKind::kStepConditional || c.budget < 0) continue;
    const int steps = steps_for_budget(c.budget);
    if (steps <= sequence_context) continue;
    throw CommandError(c.name() + ": --max-think " + std::to_string(c.budget) + " asks for " +
                           std::to_string(steps) + " steps of " + std::to_string(kStepTokens) +
                           " tokens, more than a sequence holds (" +
                           std::to_string(sequence_context) +
                           " tokens, -c); lower --max-think for step-conditional",
                       2);
  }
}

nlohmann::json model_identity(const EvalArgs& a) {
  if (a.model.backend == "openai") {  // the server and how prompts reach it
    const RemoteFlags& r = a.model.remote;
    return {{"url", r.url},
            {"api_model", r.api_model},
            {"tokenizer_model", r.tokenizer_model},
            {"chat_template_file", r.chat_template_file},
            {"chatml", r.chatml}};
  }
  if (!a.model.load.path.empty()) {
    return eval::model_file_identity(a.model.load.path, eval::default_model_hash_cache(), stderr);
  }
  return {{"hf_repo", a.model.load.hf_repo}};
}

int run(EvalArgs& a) {
  if (a.datasets.empty()) throw CommandError("no dataset (--dataset NAME=PATH)", 2);
  if (a.out.empty()) throw CommandError("no output directory (--out DIR)", 2);

  eval::GridSpec grid;
  grid.methods = a.methods;
  grid.budgets = a.sweep.budgets;
  grid.num_ignores = a.sweep.num_ignores;
  grid.ignore_strings = a.sweep.ignore_strings;
  grid.classes = a.classes;
  grid.n = a.n;
  grid.max_tries = a.max_tries;
  grid.verify_budget = a.verify_budget;
  grid.probe_every = a.adaptive.probe_every;
  grid.exit_consistent = a.adaptive.exit_consistent;
  grid.exit_confidence = a.adaptive.exit_confidence;

  eval::EvalPlan plan;
  plan.out_dir = a.out;
  plan.plots = !a.no_plots;
  plan.rounds = a.schedule == "rounds";
  // Probe flags without the method that probes would be silently ignored.
  const std::string probe_flag = a.adaptive.first_given();
  if (!probe_flag.empty() &&
      std::find(a.methods.begin(), a.methods.end(), "adaptive") == a.methods.end()) {
    throw CommandError(probe_flag + " needs --method adaptive", 2);
  }
  try {
    a.adaptive.shared.resolve(grid.probe, grid.suppress_words);
    std::vector<std::string> notes;
    plan.configs = eval::expand_grid(grid, &notes);
    for (const std::string& n : notes) std::fprintf(stderr, "s1 eval: note: %s\n", n.c_str());
    if (plan.rounds) eval::check_rounds_configs(plan.configs);  // before the model loads
  } catch (const std::invalid_argument& e) {
    throw CommandError(e.what(), 2);
  }
  const bool probing = std::any_of(plan.configs.begin(), plan.configs.end(),
                                   [](const auto& c) { return c.probe.probing(); });
  nlohmann::json dataset_paths = nlohmann::json::object();
  for (const auto& spec : a.datasets) {
    eval::DatasetSpec d;
    try {
      d = eval::parse_dataset_spec(spec);
    } catch (const std::invalid_argument& e) {
      throw CommandError(e.what(), 2);
    }
    for (const auto& other : plan.datasets) {
      if (other.spec.name == d.name)
        throw CommandError("dataset name '" + d.name + "' given twice", 2);
    }
    plan.datasets.push_back(eval::load_dataset(d, a.limit, a.sampling.seed));
    dataset_paths[d.name] = d.path;
  }
  a.sampling.resolve(plan.context.thinking, plan.context.answer);
  plan.context.sample_temperature = a.sample_temp;
  plan.context.max_answer = a.rules.max_answer;
  plan.context.min_think = a.rules.min_think;
  plan.context.system = a.system;

  const ForcingSettings& forcing = a.forcing;
  try {
    format_step_marker(forcing.step_marker, 0);
  } catch (const std::invalid_argument& e) {
    throw CommandError(e.what(), 2);
  }
  // -c is per sequence, so results do not depend on --parallel.
  const int seq_ctx = a.model.context.sequence_context;

  nlohmann::json sampling = {{"temp", a.sampling.temp},
                             {"temp_think", a.sampling.temp_think},
                             {"temp_answer", a.sampling.temp_answer},
                             {"top_k", a.sampling.top_k},
                             {"top_p", a.sampling.top_p},
                             {"min_p", a.sampling.min_p},
                             {"seed", a.sampling.seed},
                             {"logit_bias", a.sampling.logit_bias},
                             {"sample_temp", a.sample_temp}};
  // Per-phase biases only when given, so runs without them keep their ids.
  if (!a.sampling.logit_bias_think.empty())
    sampling["logit_bias_think"] = a.sampling.logit_bias_think;
  if (!a.sampling.logit_bias_answer.empty())
    sampling["logit_bias_answer"] = a.sampling.logit_bias_answer;
  plan.identity = {{"backend", a.model.backend},  {"model", model_identity(a)},
                   {"sequence_context", seq_ctx}, {"think_start", forcing.think_start},
                   {"think_end", forcing.think_end}, {"final_answer", forcing.cap_suffix},
                   {"step_marker", forcing.step_marker},
                   {"min_think", a.rules.min_think}, {"max_answer", a.rules.max_answer},
                   {"system", a.system},          {"limit", a.limit},
                   {"schedule", a.schedule},      {"sampling", sampling}};
  // Only when given, so runs without template variables keep their ids.
  if (!a.model.chat_template_kwargs.empty()) {
    nlohmann::json kwargs = nlohmann::json::object();
    for (const auto& [name, value] : a.model.chat_template_kwargs) {
      kwargs[name] = nlohmann::json::parse(value);
    }
    plan.identity["chat_template_kwargs"] = kwargs;
  }
  plan.info = {{"model_path", a.model.load.path}, {"datasets", dataset_paths}};

  a.judge.check();
  JudgeRunner judge;
  if (a.judge.enabled()) {
    judge = make_judge(a.judge);
    plan.judge = judge.judge.get();
    // Only when given, so runs without a judge keep their ids.
    plan.identity["judge"] = judge.judge->settings().id;
  }
  // A probe runs beside its sample: one sequence each, unless told otherwise.
  const int parallel = a.model.context.parallel;
  const int slots = a.adaptive.shared.probe_slots;
  a.model.context.context.probe_sequences = slots >= 0 ? slots : probing ? parallel : 0;
  // Fewer probe sequences than samples skip probes that come due together, which changes
  // exits: part of the run, but only when given otherwise, so default runs keep their ids.
  if (probing && slots >= 0 && slots != parallel) plan.identity["probe_slots"] = slots;
  const auto backend = make_backend(a.model, forcing, parallel);
  warn_budgets_beyond_context("eval", a.sweep.budgets, *backend,
                              "thinking is cut to what the context leaves after the prompt "
                              "(report.md names the budgets used)");
  try {
    suppressed_tokens_noted("eval", *backend, grid.suppress_words);
  } catch (const std::invalid_argument& e) {
    throw CommandError(e.what(), 2);
  }
  if (a.model.backend != "openai") {
    check_step_counts(plan.configs, backend->info().sequence_context);
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  const eval::EvalOutcome o =
      eval::run_eval(plan, *backend, &g_stop, stderr, isatty(fileno(stderr)) != 0);
  std::fprintf(stderr, "s1 eval: run %s: %zu/%zu samples (%zu new); results in %s/results.json\n",
               o.run_id.c_str(), o.resumed + o.written, o.total, o.written, a.out.c_str());
  if (judge.judge) {
    const JudgeStats& js = judge.judge->stats();
    std::fprintf(stderr,
                 "s1 eval: judge: %zu generated, %zu cached, %zu malformed (rules' verdict kept)\n",
                 js.asked, js.cached, js.malformed);
  }
  if (o.interrupted) {
    std::fprintf(stderr, "s1 eval: interrupted; re-run the same command to resume\n");
    return 130;
  }
  return 0;
}

}  // namespace

void add_eval_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "evaluate test-time scaling methods over datasets (resumable; writes a report)");
  add_model_flags(*cmd, a->model);
  add_shared_forcing_flags(*cmd, a->forcing, a->rules);
  add_sweep_flags(*cmd, a->sweep);
  add_sampling_flags(*cmd, a->sampling);
  add_adaptive_sweep_flags(*cmd, a->adaptive);
  add_judge_flags(*cmd, a->judge);
  cmd->add_option("--dataset", a->datasets, "NAME=PATH of a JSONL or GPQA CSV set; repeatable")
      ->take_all();
  cmd->add_option("-o,--out", a->out, "run directory (re-run the same command to resume)");
  cmd->add_option("--method", a->methods,
                  "methods, comma-separated: budget-forcing, token-conditional[+forcing], "
                  "step-conditional[+forcing], class-conditional, rejection-sampling, majority, "
                  "best-of-n, adaptive (adds budget forcing at each cap as its baseline)")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--class", a->classes, "class-conditional: short,long")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("-n", a->n, "majority / best-of-n: samples per problem")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--max-tries", a->max_tries, "rejection sampling: generations per sample at most")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--verify-think", a->verify_budget,
                  "best-of-n: thinking cap of each self-verification")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  cmd->add_option("--sample-temp", a->sample_temp,
                  "temperature of rejection sampling, majority and best-of-n when --temp is 0")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 100.0f));
  cmd->add_option("--system", a->system, "system message");
  cmd->add_option("--limit", a->limit,
                  "the first N problems of each dataset (0: all); part of the run, so a larger "
                  "N is a new run (another --out)")
      ->capture_default_str();
  cmd->add_flag("--no-plots", a->no_plots, "do not draw the scaling plots");
  cmd->add_option("--schedule", a->schedule,
                  "continuous, or rounds: emulate the s1 reference's round-based loop, where each "
                  "round waits for its slowest sequence (budget forcing only; for comparison)")
      ->capture_default_str()
      ->check(CLI::IsMember({"continuous", "rounds"}));
  cmd->callback([a, &exit_code] { exit_code = run(*a); });
}

}  // namespace s1::cli
