// Command-line flags shared by the subcommands that run a model. Each flag is declared
// once here, with its default and help, and binds straight into the typed settings of
// the layer it configures (load settings, context, forcing, budget, sampling).
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "core/budget_forcing.h"
#include "engine/backend.h"
#include "engine/forcing_vocab.h"
#include "engine/model.h"
#include "engine/remote_backend.h"
#include "engine/sampling.h"
#include "engine/scheduler.h"
#include "methods/judge.h"

namespace s1::cli {

// Sampling flags as given; resolved per phase by resolve().
struct SamplingFlags {
  float temp = 0.0f;
  float temp_think = -1.0f;   // < 0: use temp
  float temp_answer = -1.0f;  // < 0: use temp
  int top_k = 0;
  float top_p = 1.0f;
  float min_p = 0.0f;
  uint32_t seed = 0;
  std::vector<std::string> logit_bias;         // both phases
  std::vector<std::string> logit_bias_think;   // thinking only, added to logit_bias
  std::vector<std::string> logit_bias_answer;  // answer only, added to logit_bias

  // Thinking and answer sampling. Throws std::invalid_argument for a malformed bias.
  void resolve(SamplingParams& thinking, SamplingParams& answer) const;
};

// Sequences decoded at once (--parallel) unless a command is told otherwise.
inline constexpr int kDefaultParallel = 4;
// Tokens of each sequence's context (-c) unless a command is told otherwise.
inline constexpr int kDefaultSequenceContext = 4096;

// How a model runs here: its context and decoding. `-c` is the context of each
// sequence in every command, so what fits (and a run's results) does not depend on
// --parallel; the llama.cpp context holds -c x --parallel cells.
struct ContextFlags {
  ContextSettings context;                    // n_ctx and n_parallel come from the two below
  int sequence_context = kDefaultSequenceContext;  // -c
  int parallel = kDefaultParallel;                 // --parallel
  // The settings for `n_parallel` sequences of sequence_context tokens each.
  ContextSettings resolve(int n_parallel) const;
};

// Jobs shorter than this show no progress line (s1 generate, s1 curate).
inline constexpr double kProgressDelaySeconds = 3;

// Host memory for dropped caches in `s1 serve` (--cache-ram, MiB), llama-server's
// default; other commands' prompts seldom come back after their cache is dropped (0).
inline constexpr int kServeCacheRamMib = 8192;

// -c, -b, --ubatch-size, -t, --cache-tokens, --cache-ram, --kv-unified, --parallel.
void add_context_flags(CLI::App& cmd, ContextFlags& flags);

// --backend openai: the remote server and how prompts reach it (RemoteSettings).
struct RemoteFlags {
  std::string url;                  // the server's base URL
  std::string api_model;            // "model" in its requests
  std::string api_key;              // Bearer token (default $OPENAI_API_KEY)
  std::string server_kind = "auto";  // auto, openai, vllm, sglang, llama, s1
  std::string tokenizer_model;      // a GGUF: template, vocabulary, thinking format
  std::string chat_template_file;   // a Jinja template file
  bool chatml = false;              // ChatML, chosen explicitly
  bool estimate_tokens = false;     // no /tokenize: one token per 4 bytes
  bool stream = true;               // segments as SSE streams
  RemoteTimeouts timeouts;          // connect, between bytes, whole request
};

struct ModelFlags {
  std::string backend = "local";  // "local": llama.cpp in this process; "openai": a server
  RemoteFlags remote;
  LoadSettings load;
  ContextFlags context;
  // --chat-template-kwargs: template variables of every request (a server's requests
  // add their own chat_template_kwargs over them).
  ChatTemplateKwargs chat_template_kwargs;
  bool verbose = false;
};

// The backend and model flags, and add_context_flags.
void add_model_flags(CLI::App& cmd, ModelFlags& flags);
// The --backend openai flags (added by add_model_flags).
void add_remote_flags(CLI::App& cmd, RemoteFlags& remote);
// RemoteSettings from the flags, with every request's template variables. Throws
// CommandError without --url.
RemoteSettings remote_settings(const RemoteFlags& remote, const ChatTemplateKwargs& kwargs,
                               int n_parallel);

// The backend the flags name, with `n_parallel` concurrent sequences (at most
// --parallel, e.g. fewer for fewer samples). Throws CommandError / std::exception with a
// one-line reason.
std::unique_ptr<Backend> make_backend(const ModelFlags& flags, const ForcingSettings& forcing,
                                      int n_parallel);

// Budgets the context cannot hold are lowered per request: says so once, before any
// work, on stderr ("s1 COMMAND: warning: --max-think B is beyond the context (N tokens
// per sequence, -c): CONSEQUENCE") when any of `budgets` is at or above the backend's
// tokens per sequence (nothing when that is unknown).
void warn_budgets_beyond_context(const std::string& command, const std::vector<int>& budgets,
                                 const Backend& backend, const std::string& consequence);

// The tokens `words` mask (Backend::suppressed_tokens), saying on stderr ("s1 COMMAND:
// note: --suppress-words: ...") which words no token contains: NoWait masks tokens, so
// a word spelled only across tokens (any word, on a byte-level vocabulary) is never
// suppressed. Empty `words`: nothing. Throws as suppressed_tokens does.
std::vector<SuppressedTokens> suppressed_tokens_noted(const std::string& command,
                                                     const Backend& backend,
                                                     const std::vector<std::string>& words);

// --final-answer, --step-marker, --think-start, --think-end: the forced text and the
// delimiters, and --min-think, --max-answer: the rules every configuration of a sweep
// shares too.
void add_shared_forcing_flags(CLI::App& cmd, ForcingSettings& forcing, BudgetRules& rules);
// The shared forcing flags plus one run's thinking budget: --max-think, --num-ignore,
// --ignore-str, --step-tokens, --max-steps, --no-step-end.
void add_forcing_flags(CLI::App& cmd, ForcingSettings& forcing, BudgetRules& rules);

// The thinking budgets a sweep (s1 eval) runs: the same flags as one run's, each taking a
// comma-separated list.
struct SweepFlags {
  std::vector<int> budgets = {-1};  // --max-think; -1: auto
  std::vector<int> num_ignores = {0};
  std::vector<std::string> ignore_strings = ForcingSettings{}.ignore_strings;
};
void add_sweep_flags(CLI::App& cmd, SweepFlags& sweep);

// The flag of each budget rule (BudgetRules' members, RequestError::field's names), for
// messages: {"max_steps", "--max-steps"}, ...
const std::vector<std::pair<std::string, std::string>>& rule_flags();

// A --max-think value: a token count, or "auto" (also -1): what the context leaves.
// Throws CLI::ValidationError otherwise.
int parse_budget(const std::string& text);

void add_sampling_flags(CLI::App& cmd, SamplingFlags& sampling);

// ---- The LLM judge of `s1 grade` and `s1 eval` (methods/judge.h) ----

struct JudgeFlags {
  std::string model;              // --judge-model: a GGUF run by the local engine
  std::string backend = "local";  // --judge-backend: local or openai
  std::string url;                // --judge-url: the server of --judge-backend openai
  std::string api_model;          // --judge-api-model
  std::string api_key;            // --judge-api-key (default $OPENAI_API_KEY)
  int max_think = 256;            // --judge-max-think: thinking budget of a reasoning judge
  std::string cache;              // --judge-cache: verdict file ("" : in the user cache dir)

  // Whether a judge was asked for (a model, or the openai backend).
  bool enabled() const { return !model.empty() || backend == "openai"; }
  // Throws CommandError (exit status 2) for flags that do not fit together.
  void check() const;
};

void add_judge_flags(CLI::App& cmd, JudgeFlags& flags);

// A judge and the backend it runs on.
struct JudgeRunner {
  std::unique_ptr<Backend> backend;
  std::unique_ptr<Judge> judge;
};

// The judge the flags name; its id (cache key) is the GGUF's size and XXH64, or the
// server's URL and model, with the thinking budget. Throws CommandError for inconsistent
// flags and std::exception with a one-line reason when the model cannot load.
JudgeRunner make_judge(const JudgeFlags& flags);

// Adaptive thinking (core/adaptive_exit.h, core/suppress_words.h): probes, exits and
// suppressed words, as given on the command line.
struct AdaptiveFlags {
  ProbeRules probe;
  std::string exit_mean = "arithmetic";  // or "geometric"
  bool exit_answer = false;              // exit by writing the probed answer
  bool allow_hesitation = false;         // consistency without the hesitation check
  std::string suppress_words;            // comma-separated; "" none
  int probe_slots = -1;                  // sequences for probes; -1: the command's default

  // The request's probe rules and suppressed words. Throws std::invalid_argument with a
  // one-line message for invalid rules or an empty word list.
  void resolve(ProbeRules& probe, std::vector<std::string>& words) const;
};
// The probe flags every command shares, in one form: --probe-at-reflection,
// --probe-tokens, --probe-suffix, --exit-mean, --exit-answer, --allow-hesitation,
// --probe-slots.
void add_shared_probe_flags(CLI::App& cmd, AdaptiveFlags& adaptive);
// The shared probe flags plus one run's --probe-every, --exit-consistent,
// --exit-confidence and --suppress-words (generate, serve).
void add_adaptive_flags(CLI::App& cmd, AdaptiveFlags& adaptive);

// The adaptive configurations a sweep (s1 eval --method adaptive) runs: the shared probe
// flags, and --probe-every, --exit-consistent and --exit-confidence each taking a
// comma-separated list (one configuration per combination).
struct AdaptiveSweepFlags {
  AdaptiveFlags shared;  // its probe.every, consistent and confidence are unused
  std::vector<int> probe_every = {ProbeRules{}.every};
  std::vector<int> exit_consistent = {ProbeRules{}.consistent};
  std::vector<double> exit_confidence = {ProbeRules{}.confidence};
  std::vector<const CLI::Option*> options;  // set by add_adaptive_sweep_flags

  // The first of these flags given on the command line, or "" (after parsing; the
  // command's CLI::App must still live).
  std::string first_given() const;
};
void add_adaptive_sweep_flags(CLI::App& cmd, AdaptiveSweepFlags& sweep);

}  // namespace s1::cli
