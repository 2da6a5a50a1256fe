// `s1 curate`: the s1K data-selection pipeline as four composable JSONL stages.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/flags.h"
#include "curate/stages.h"
#include "eval/progress.h"

namespace s1::cli {
namespace {

struct CurateArgs {
  std::string in, out, dropped;
  // featurize
  std::string tokenizer;
  std::vector<std::string> attempt_models;
  std::string classify_model;
  BudgetRules attempt_rules{2048, 0, 0, 512};
  ContextFlags context;
  int chunk = 32;
  // filter
  curate::FilterOptions filter;
  bool keep_easy = false;
  // select
  curate::SelectOptions select;
  // export
  curate::ExportOptions exported;
};

void print_counts(const char* stage, const curate::StageCounts& c) {
  std::fprintf(stderr, "s1 curate %s: read %ld, wrote %ld", stage, c.read, c.written);
  if (c.skipped) std::fprintf(stderr, ", skipped %ld already done", c.skipped);
  if (c.attempts_skipped) {
    std::fprintf(stderr, ", skipped %ld attempt(s) too long for the context (see \"skipped\")",
                 c.attempts_skipped);
  }
  for (const auto& [reason, n] : c.dropped) std::fprintf(stderr, ", dropped %ld (%s)", n, reason.c_str());
  std::fputc('\n', stderr);
}

// Records in a JSONL file (its non-blank lines), for progress.
size_t count_records(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    n += line.find_first_not_of(" \t\r") != std::string::npos ? 1 : 0;
  }
  return n;
}

// The progress of a stage over `path`'s records on stderr (eval's progress line), once
// it takes a few seconds.
eval::Progress stage_progress(const std::string& stage, const std::string& path) {
  return eval::Progress(
      stderr, isatty(fileno(stderr)) != 0, count_records(path), 0, 0,
      eval::ProgressStyle{"s1 curate " + stage, false, "records", kProgressDelaySeconds});
}

// The stage's callback that moves `progress` on; `generated` gives the tokens its models
// sampled so far (none: no rate).
curate::Progress progress_line(eval::Progress& progress,
                               std::function<int64_t()> generated = {}) {
  auto last = std::make_shared<long>(0);
  return [&progress, last, generated](const curate::StageCounts& c) {
    for (; *last < c.read; ++*last) progress.sample(false);
    progress.update(generated ? generated() : -1);
  };
}

int run_featurize(CurateArgs& a) {
  init_llama_backend(false);
  curate::FeaturizeOptions o;
  std::unique_ptr<Model> tokenizer;
  if (!a.tokenizer.empty()) {
    LoadSettings load;
    load.path = a.tokenizer;
    load.vocab_only = true;
    tokenizer = Model::load(load);
    o.tokenizer = tokenizer.get();
  }
  // -c is per sequence, so what fits does not depend on --parallel or --chunk.
  const int seq_ctx = a.context.sequence_context;
  if (seq_ctx <= a.attempt_rules.max_answer) {
    throw CommandError("-c " + std::to_string(seq_ctx) +
                           " tokens per sequence leave no room for a question beside "
                           "--attempt-max-answer " + std::to_string(a.attempt_rules.max_answer),
                       2);
  }
  std::vector<std::unique_ptr<Backend>> backends;
  const ContextSettings ctx = a.context.resolve(std::min(a.context.parallel, a.chunk));
  for (const auto& path : a.attempt_models) {
    backends.push_back(std::make_unique<LocalBackend>(LoadSettings{path}, ctx, ForcingSettings{}));
    o.attempt_models.emplace_back(path.substr(path.find_last_of('/') + 1), backends.back().get());
  }
  if (!a.classify_model.empty()) {
    backends.push_back(std::make_unique<LocalBackend>(LoadSettings{a.classify_model}, ctx, ForcingSettings{}));
    o.domain_model = backends.back().get();
  }
  a.attempt_rules.validate();
  o.attempt_rules = a.attempt_rules;
  o.chunk = a.chunk;
  auto sampled = [&backends] {
    int64_t n = 0;
    for (const auto& b : backends) n += b->stats().sampled_tokens;
    return n;
  };
  eval::Progress progress = stage_progress("featurize", a.in);
  const auto counts = curate::featurize(a.in, a.out, o, progress_line(progress, sampled));
  progress.finish(sampled());
  print_counts("featurize", counts);
  return 0;
}

CLI::App* stage(CLI::App& parent, const char* name, const char* help, CurateArgs& a) {
  CLI::App* cmd = parent.add_subcommand(name, help);
  cmd->add_option("-i,--in", a.in, "input JSONL")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--out", a.out, "output JSONL")->required();
  return cmd;
}

}  // namespace

void add_curate_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<CurateArgs>();
  CLI::App* curate = app.add_subcommand("curate", "s1K-style data selection: featurize, filter, select, export");
  curate->require_subcommand(1);

  CLI::App* f = stage(*curate, "featurize", "trace length, domain and graded attempts per question", *a);
  f->add_option("--tokenizer", a->tokenizer, "GGUF whose tokenizer measures trace length (trace_tokens)");
  f->add_option("--attempt-model", a->attempt_models, "GGUF model that attempts each question; repeatable")
      ->check(CLI::ExistingFile);
  f->add_option("--classify-model", a->classify_model, "GGUF model that labels questions without a domain (MSC)")
      ->check(CLI::ExistingFile);
  f->add_option("--attempt-max-think", a->attempt_rules.max_think, "thinking cap of an attempt")
      ->capture_default_str()->check(CLI::Range(0, 1 << 24));
  f->add_option("--attempt-max-answer", a->attempt_rules.max_answer, "answer cap of an attempt")
      ->capture_default_str()->check(CLI::Range(0, 1 << 24));
  add_context_flags(*f, a->context);  // of the attempt and classify models
  f->add_option("--chunk", a->chunk, "questions in flight at once (written together; --parallel of their attempts decode at once)")
      ->capture_default_str()->check(CLI::Range(1, 4096));
  f->callback([a, &exit_code] { exit_code = run_featurize(*a); });

  CLI::App* fl = stage(*curate, "filter", "quality, duplicates, decontamination, difficulty", *a);
  fl->add_option("--dropped", a->dropped, "dropped records with their reasons")->required();
  fl->add_option("--eval", a->filter.eval_sets, "evaluation set to decontaminate against (JSONL or GPQA CSV); repeatable")
      ->check(CLI::ExistingFile);
  fl->add_option("--ngram", a->filter.ngram, "n-gram length for decontamination")
      ->capture_default_str()->check(CLI::Range(1, 64));
  fl->add_option("--near-duplicate", a->filter.near_duplicate_threshold,
                 "MinHash Jaccard threshold for near duplicates (0: off)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  fl->add_flag("--keep-easy", a->keep_easy, "keep questions that every attempt solved");
  fl->callback([a, &exit_code] {
    a->filter.difficulty = !a->keep_easy;
    eval::Progress progress = stage_progress("filter", a->in);
    const auto counts = curate::filter(a->in, a->out, a->dropped, a->filter, progress_line(progress));
    progress.finish(-1);
    print_counts("filter", counts);
    exit_code = 0;
  });

  CLI::App* s = stage(*curate, "select", "diversity sampling favouring long traces", *a);
  s->add_option("-n,--size", a->select.size, "questions to select")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  s->add_option("--seed", a->select.seed, "selection seed")->capture_default_str();
  s->add_option("--report", a->select.report, "markdown report with the domain histogram and lengths");
  s->add_option("--plot", a->select.plot, "plot path prefix: PREFIX-domains.{svg,png}, PREFIX-lengths.{svg,png}");
  s->callback([a, &exit_code] {
    print_counts("select", curate::select(a->in, a->out, a->select));
    exit_code = 0;
  });

  CLI::App* e = stage(*curate, "export", "SFT records in the model's chat format", *a);
  e->add_option("--format", a->exported.format, "s1 (<|im_start|>think/answer) or think-tags")
      ->capture_default_str()->check(CLI::IsMember({"s1", "think-tags"}));
  e->add_option("--system", a->exported.system, "system message (\"\": none)")->capture_default_str();
  e->add_option("--conversations", a->exported.conversations, "also write {\"messages\": [...]} records (TRL, torchtune)");
  e->callback([a, &exit_code] {
    print_counts("export", curate::export_sft(a->in, a->out, a->exported));
    exit_code = 0;
  });
}

}  // namespace s1::cli
