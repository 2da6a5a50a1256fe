// `s1 generate`: budget-forced generation from the command line.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/output.h"
#include "cli/result_json.h"
#include "engine/backend.h"
#include "engine/prompt.h"
#include "eval/progress.h"

namespace s1::cli {
namespace {

struct GenerateArgs {
  ModelFlags model;
  ForcingSettings forcing;
  BudgetRules rules;
  SamplingFlags sampling;
  AdaptiveFlags adaptive;
  std::string prompt;
  std::string prompt_file;
  std::string system;
  int n_samples = 1;
  bool json = false;
};

// The question of -p or -f. A question with no text (an empty or blank file, a
// directory) is refused, as -p "" is: the model would answer nothing.
std::string read_prompt(const GenerateArgs& a) {
  if (!a.prompt.empty() && !a.prompt_file.empty()) throw CommandError("give -p or -f, not both");
  std::string question = a.prompt;
  if (!a.prompt_file.empty()) {
    std::error_code ec;
    if (std::filesystem::is_directory(a.prompt_file, ec)) {
      throw CommandError("prompt file " + a.prompt_file + " is a directory");
    }
    std::ifstream in(a.prompt_file, std::ios::binary);
    if (!in) throw CommandError("cannot read prompt file " + a.prompt_file);
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw CommandError("cannot read prompt file " + a.prompt_file);
    question = ss.str();
  }
  if (question.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw CommandError(a.prompt_file.empty() ? "no prompt (-p TEXT or -f FILE)"
                                             : "prompt file " + a.prompt_file + " is empty");
  }
  return question;
}

int run_generate(GenerateArgs& a) {
  const std::string question = read_prompt(a);
  a.rules.validate();
  BackendRequest req;
  a.adaptive.resolve(req.probe, req.suppress_words);
  // No more sequences than samples: the others would hold cells for nothing.
  const int parallel = std::min(a.model.context.parallel, a.n_samples);
  // A probe runs beside its sample: one sequence each, unless told otherwise.
  a.model.context.context.probe_sequences =
      a.adaptive.probe_slots >= 0 ? a.adaptive.probe_slots : req.probe.probing() ? parallel : 0;
  const auto backend = make_backend(a.model, a.forcing, parallel);
  const std::vector<SuppressedTokens> suppressed =
      suppressed_tokens_noted("generate", *backend, req.suppress_words);

  req.messages = question_messages(question, a.system);
  req.rules = a.rules;
  a.sampling.resolve(req.thinking_sampling, req.answer_sampling);
  req.n_samples = a.n_samples;
  std::vector<SequenceResult> results(static_cast<size_t>(a.n_samples));
  const size_t prompt_tokens = static_cast<size_t>(backend->count_prompt_tokens(req));

  // One sample streams as it comes; several decode together, so each is shown whole
  // (forced text marked the same way) as soon as it ends.
  const bool color = isatty(fileno(stdout)) != 0;
  const bool stream = !a.json && a.n_samples == 1;
  std::vector<std::vector<TextChunk>> chunks(static_cast<size_t>(a.n_samples));
  // Without streamed text, progress on stderr once the run takes a few seconds.
  eval::Progress progress(stderr, isatty(fileno(stderr)) != 0,
                          static_cast<size_t>(a.n_samples), 0, 0,
                          {"s1 generate", false, "samples", kProgressDelaySeconds});
  req.on_done = [&](int sample, const SequenceResult& r) {
    results[static_cast<size_t>(sample)] = r;
    progress.sample(false);
    if (a.json || stream) return;
    progress.clear();
    print_result(stdout, r, chunks[static_cast<size_t>(sample)], color);
    chunks[static_cast<size_t>(sample)].clear();
  };
  if (!a.json && !stream) {
    std::fprintf(stderr, "s1 generate: %d samples decode together; each is shown when it ends\n",
                 a.n_samples);
    req.on_text = [&](int sample, const TextChunk& chunk) {
      chunks[static_cast<size_t>(sample)].push_back(chunk);
    };
  }
  std::unique_ptr<TextPrinter> printer;
  if (stream) {
    printer = std::make_unique<TextPrinter>(stdout, color);
    req.on_text = [&](int, const TextChunk& chunk) { printer->print(chunk); };
    req.on_probe = [](int, const ProbeRecord& p) {
      std::fprintf(stderr, "[probe at %d thinking tokens: \"%s\" confidence %.2f%s]\n",
                   p.thinking_tokens, p.answer.c_str(), p.confidence,
                   p.agreed ? ", agreed" : p.confident ? ", confident" : "");
    };
  }
  const auto t0 = std::chrono::steady_clock::now();
  backend->submit(std::move(req));
  while (backend->step()) {
    if (!stream) progress.update(backend->stats().sampled_tokens);
  }
  if (!stream) progress.finish(backend->stats().sampled_tokens);
  const double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (printer) printer->end();

  const BudgetRules& rules = a.rules;
  const bool thinking_rules = rules.max_think >= 0 || rules.min_think > 0 ||
                              rules.num_ignore > 0 || rules.step_tokens > 0;
  if (thinking_rules && !results.empty() && results.front().thinking_off) {
    std::fprintf(stderr,
                 "s1 generate: warning: thinking is off in this prompt (chat template and "
                 "--chat-template-kwargs), so the thinking budget flags did not apply\n");
  }
  for (const auto& r : results) {
    if (r.clamped) {
      std::fprintf(stderr, "s1 generate: warning: --max-think lowered to %d to fit the context\n",
                   r.max_think);
      break;
    }
  }
  const BackendInfo info = backend->info();
  RunSummary summary{info.model, info.format, prompt_tokens, wall_ms, backend->stats()};
  if (a.json) {
    nlohmann::json out = generation_json(summary, results);
    if (!suppressed.empty()) out["suppressed"] = suppressed_json(suppressed);
    std::cout << out.dump() << "\n";
  } else {
    std::fprintf(stderr, "%s\n", summary_line(summary, results).c_str());
  }
  return 0;
}

}  // namespace

void add_generate_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand("generate", "budget-forced generation from a prompt");
  add_model_flags(*cmd, args->model);
  add_forcing_flags(*cmd, args->forcing, args->rules);
  add_sampling_flags(*cmd, args->sampling);
  add_adaptive_flags(*cmd, args->adaptive);
  cmd->add_option("-p,--prompt", args->prompt, "the question");
  cmd->add_option("-f,--file", args->prompt_file, "read the question from a file");
  cmd->add_option("--system", args->system, "system message");
  cmd->add_option("-n,--n-samples", args->n_samples, "samples of the prompt, decoded together (--parallel at once)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_flag("--json", args->json, "print one JSON object instead of streaming text");
  cmd->callback([args, &exit_code] { exit_code = run_generate(*args); });
}

}  // namespace s1::cli
