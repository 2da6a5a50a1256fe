// `s1 eval`: runs a grid of test-time scaling configurations over datasets, resumably,
// and writes samples.jsonl, results.json, report.md and the scaling plots (see
// eval/runner.h).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/flags.h"
#include "eval/runner.h"

namespace s1::cli {
namespace {

struct EvalArgs {
  ModelFlags model;
  SamplingFlags sampling;
  std::vector<std::string> datasets;
  std::string out;
  std::vector<std::string> methods = {"budget-forcing"};
  std::vector<std::string> budgets = {"auto"};
  std::vector<int> num_ignores = {0};
  std::vector<std::string> ignore_strings = {"Wait"};
  std::vector<std::string> classes = {"short", "long"};
  int n = 8;
  int max_tries = 8;
  int verify_budget = 256;
  float sample_temp = 1.0f;
  int min_think = 0;
  int max_answer = -1;
  std::string cap_suffix = "\nFinal Answer:";
  std::string step_marker = ForcingSettings{}.step_marker;
  std::string think_start;
  std::string think_end;
  std::string system;
  size_t limit = 0;
  int parallel = 4;
  bool no_plots = false;
  std::string schedule = "continuous";
};

std::atomic<bool> g_stop{false};

void on_signal(int) {
  g_stop.store(true);
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 'n' || s[i + 1] == '\\')) {
      out += s[i + 1] == 'n' ? '\n' : '\\';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

int parse_budget(const std::string& s) {
  if (s == "auto") return -1;
  size_t used = 0;
  int v = -2;
  try {
    v = std::stoi(s, &used);
  } catch (const std::exception&) {
  }
  if (used != s.size() || v < 0) {
    throw CommandError("--max-think takes token counts and 'auto', not '" + s + "'", 2);
  }
  return v;
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
  grid.budgets.clear();
  for (const auto& b : a.budgets) grid.budgets.push_back(parse_budget(b));
  grid.num_ignores = a.num_ignores;
  grid.ignore_strings = a.ignore_strings;
  grid.classes = a.classes;
  grid.n = a.n;
  grid.max_tries = a.max_tries;
  grid.verify_budget = a.verify_budget;

  eval::EvalPlan plan;
  plan.out_dir = a.out;
  plan.plots = !a.no_plots;
  plan.rounds = a.schedule == "rounds";
  try {
    plan.configs = eval::expand_grid(grid);
  } catch (const std::invalid_argument& e) {
    throw CommandError(e.what(), 2);
  }
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
    plan.datasets.push_back(eval::load_dataset(d, a.limit));
    dataset_paths[d.name] = d.path;
  }
  a.sampling.resolve(plan.context.thinking, plan.context.answer);
  plan.context.sample_temperature = a.sample_temp;
  plan.context.max_answer = a.max_answer;
  plan.context.min_think = a.min_think;
  plan.context.system = a.system;

  ForcingSettings forcing;
  forcing.think_start = a.think_start;
  forcing.think_end = a.think_end;
  forcing.cap_suffix = a.cap_suffix;
  forcing.step_marker = a.step_marker;
  try {
    format_step_marker(a.step_marker, 0);
  } catch (const std::invalid_argument& e) {
    throw CommandError(e.what(), 2);
  }
  // -c is per sequence here, so results do not depend on --parallel.
  const int seq_ctx = a.model.context.n_ctx;
  a.model.context.n_ctx = seq_ctx * a.parallel;

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
                   {"sequence_context", seq_ctx}, {"think_start", a.think_start},
                   {"think_end", a.think_end},    {"final_answer", a.cap_suffix},
                   {"step_marker", a.step_marker},
                   {"min_think", a.min_think},    {"max_answer", a.max_answer},
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

  const auto backend = make_backend(a.model, forcing, a.parallel);
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  const eval::EvalOutcome o =
      eval::run_eval(plan, *backend, &g_stop, stderr, isatty(fileno(stderr)) != 0);
  std::fprintf(stderr, "s1 eval: run %s: %zu/%zu samples (%zu new); results in %s/results.json\n",
               o.run_id.c_str(), o.resumed + o.written, o.total, o.written, a.out.c_str());
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
  cmd->get_option("-c")->description(
      "context size in tokens of each sequence (the whole context is -c x --parallel)");
  add_sampling_flags(*cmd, a->sampling);
  cmd->add_option("--dataset", a->datasets, "NAME=PATH of a JSONL or GPQA CSV set; repeatable")
      ->take_all();
  cmd->add_option("-o,--out", a->out, "run directory (re-run the same command to resume)");
  cmd->add_option("--method", a->methods,
                  "methods, comma-separated: budget-forcing, token-conditional[+forcing], "
                  "step-conditional[+forcing], class-conditional, rejection-sampling, majority, "
                  "best-of-n")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option(
         "--max-think", a->budgets,
         "thinking budgets, comma-separated token counts or auto (what the context leaves)")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--num-ignore", a->num_ignores,
                  "budget forcing: numbers of ignored ends to sweep, comma-separated")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  cmd->add_option("--ignore-str", a->ignore_strings,
                  "budget forcing: ignore strings to sweep, comma-separated (none: no string); "
                  "\\n is a newline")
      ->delimiter(',')
      ->capture_default_str()
      ->transform(unescape);
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
  cmd->add_option("--min-think", a->min_think, "ends before this many thinking tokens are ignored")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 30));
  cmd->add_option("--max-answer", a->max_answer, "cap on answer tokens (-1: none)")
      ->capture_default_str()
      ->check(CLI::Range(-1, 1 << 30));
  cmd->add_option("--final-answer", a->cap_suffix, "appended after the end delimiter at the cap")
      ->default_str("\\nFinal Answer:")
      ->transform(unescape);
  cmd->add_option("--step-marker", a->step_marker,
                  "steps-left marker of step-conditional control, {n} = steps left; \\n is a "
                  "newline")
      ->default_str("{n} steps left\\n")
      ->transform(unescape);
  cmd->add_option("--think-start", a->think_start, "thinking start delimiter (default: detected)")
      ->transform(unescape);
  cmd->add_option("--think-end", a->think_end, "thinking end delimiter (default: detected)")
      ->transform(unescape);
  cmd->add_option("--system", a->system, "system message");
  cmd->add_option("--limit", a->limit, "the first N problems of each dataset (0: all)")
      ->capture_default_str();
  cmd->add_option("--parallel", a->parallel, "sequences decoded at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_flag("--no-plots", a->no_plots, "do not draw the scaling plots");
  cmd->add_option("--schedule", a->schedule,
                  "continuous, or rounds: emulate the s1 reference's round-based loop, where each "
                  "round waits for its slowest sequence (budget forcing only; for comparison)")
      ->capture_default_str()
      ->check(CLI::IsMember({"continuous", "rounds"}));
  cmd->callback([a, &exit_code] { exit_code = run(*a); });
}

}  // namespace s1::cli
