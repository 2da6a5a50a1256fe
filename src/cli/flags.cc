#include "cli/flags.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "engine/remote_backend.h"
#include "eval/run_config.h"

namespace s1::cli {
namespace {

// "\n", "\t" and "\\" in forced strings, as llama.cpp's -e does for prompts: a shell
// argument cannot easily hold a newline.
std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[i + 1];
      if (c == 'n' || c == 't' || c == '\\') {
        out += c == 'n' ? '\n' : c == 't' ? '\t' : '\\';
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// An --ignore-str value: escapes read, and "none" (the form a comma-separated list can
// hold) or "" for no string: the end is dropped and the trigger masked once. The same in
// every command.
std::string ignore_string_arg(const std::string& s) {
  return s == "none" ? std::string() : unescape(s);
}

// --ignore-str's default as one run and a sweep show it.
const std::string kDefaultIgnoreString = ForcingSettings{}.ignore_strings.front();

}  // namespace

void SamplingFlags::resolve(SamplingParams& thinking, SamplingParams& answer) const {
  SamplingParams base;
  base.temperature = temp;
  base.top_k = top_k;
  base.top_p = top_p;
  base.min_p = min_p;
  base.seed = seed;
  for (const auto& spec : logit_bias) base.logit_bias.push_back(parse_logit_bias(spec));
  thinking = base;
  answer = base;
  // A phase's own biases add to the shared ones (the sampler sums a token's biases).
  for (const auto& spec : logit_bias_think) thinking.logit_bias.push_back(parse_logit_bias(spec));
  for (const auto& spec : logit_bias_answer) answer.logit_bias.push_back(parse_logit_bias(spec));
  if (temp_think >= 0) thinking.temperature = temp_think;
  if (temp_answer >= 0) answer.temperature = temp_answer;
}

ContextSettings ContextFlags::resolve(int n_parallel) const {
  ContextSettings c = context;
  c.n_parallel = n_parallel;
  // Probe sequences hold as much as the sequences they probe (with one KV buffer they
  // share its cells instead).
  c.n_ctx = sequence_context * (n_parallel + (c.unified_kv ? 0 : c.probe_sequences));
  return c;
}

void add_context_flags(CLI::App& cmd, ContextFlags& f) {
  cmd.add_option("-c,--ctx-size", f.sequence_context,
                 "context of each sequence in tokens (the whole context is -c x --parallel)")
      ->capture_default_str()
      ->check(CLI::Range(16, 1 << 24));
  cmd.add_option("--parallel,--np", f.parallel, "sequences decoded at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd.add_option("-b,--batch-size", f.context.n_batch, "tokens per decode call")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  cmd.add_option("--ubatch-size", f.context.n_ubatch, "physical batch size")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  cmd.add_option("-t,--threads", f.context.n_threads, "CPU threads (0: all cores)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
  cmd.add_option("--cache-tokens", f.context.cache_tokens,
                 "prefix cache: tokens finished sequences keep for later prompts that start "
                 "the same way (-1: all their cells hold, 0: off)")
      ->capture_default_str()
      ->check(CLI::Range(-1, 1 << 30));
  cmd.add_option("--cache-ram", f.context.cache_ram_mib,
                 "host memory in MiB for caches the prefix cache drops: a later prompt that "
                 "starts like one gets it back instead of decoding it (llama-server's "
                 "--cache-ram; -1: no limit, 0: off)")
      ->capture_default_str()
      ->check(CLI::Range(-1, 1 << 30));
  cmd.add_flag("--kv-unified", f.context.unified_kv,
               "one KV buffer for all sequences (shared prompts share cells) instead of one "
               "per sequence (attention reads only its own cells; prompts are copied)");
}

void add_model_flags(CLI::App& cmd, ModelFlags& f) {
  cmd.add_option("--backend", f.backend,
                 "where generations run: local (llama.cpp here) or openai (an OpenAI-compatible "
                 "/v1/completions server: vLLM, SGLang, llama-server, s1 serve)")
      ->capture_default_str()
      ->check(CLI::IsMember({"local", "openai"}));
  cmd.add_option("-m,--model", f.load.path, "GGUF model file");
  cmd.add_option("--hf,--hf-repo", f.load.hf_repo,
                 "download a model from Hugging Face: user/repo[:quant] (llama.cpp's cache)");
  cmd.add_option("--ngl,--n-gpu-layers", f.load.n_gpu_layers,
                 "layers to offload to the GPU (-1: as many as fit)")
      ->capture_default_str();
  cmd.add_flag("!--no-mmap", f.load.use_mmap, "read the model into memory instead of mapping it");
  add_context_flags(cmd, f.context);
  cmd.add_option_function<std::string>(
         "--chat-template-kwargs",
         [&f](const std::string& text) {
           try {
             f.chat_template_kwargs = parse_chat_template_kwargs(text);
           } catch (const std::invalid_argument& e) {
             throw CLI::ValidationError("--chat-template-kwargs", e.what());
           }
         },
         "variables for the chat template as a JSON object, e.g. '{\"enable_thinking\": "
         "false}' (llama-server's and vLLM's chat_template_kwargs)")
      ->type_name("JSON");
  cmd.add_flag("-v,--verbose", f.verbose, "show llama.cpp's log");
  add_remote_flags(cmd, f.remote);
}

// --- --backend openai -----------------------------------------------------------------
void add_remote_flags(CLI::App& cmd, RemoteFlags& r) {
  cmd.add_option("--url", r.url, "--backend openai: the server, e.g. http://127.0.0.1:8000");
  cmd.add_option("--api-model", r.api_model, "--backend openai: the model name to request");
  cmd.add_option("--api-key", r.api_key, "--backend openai: API key (default: $OPENAI_API_KEY)");
  cmd.add_option("--server-kind", r.server_kind,
                 "--backend openai: the server, for its own request fields (auto: from "
                 "/v1/models or /props)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "openai", "vllm", "sglang", "llama", "s1"}));
  cmd.add_option("--tokenizer-model", r.tokenizer_model,
                 "--backend openai: a GGUF of the served model (its vocabulary is enough): "
                 "chat template, thinking format and token counts from it");
  cmd.add_option("--chat-template-file", r.chat_template_file,
                 "--backend openai: the model's Jinja chat template (rendered by llama.cpp, as "
                 "for local models)");
  cmd.add_flag("--chatml", r.chatml,
               "--backend openai: render conversations as ChatML (without a template file, "
               "tokenizer model or ChatML, the server renders them: llama-server, vLLM)");
  cmd.add_flag("--remote-estimate-tokens", r.estimate_tokens,
               "--backend openai: a server without /tokenize counts forced strings as one "
               "token per 4 bytes (otherwise an error)");
  cmd.add_flag("!--no-remote-stream", r.stream,
               "--backend openai: ask for whole segments instead of streams");
  cmd.add_option("--remote-connect-timeout", r.timeouts.connect_s,
                 "--backend openai: seconds to open a connection to the server")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 3600.0));
  cmd.add_option("--remote-read-timeout", r.timeouts.read_s,
                 "--backend openai: seconds the server may stay silent within an answer "
                 "(between bytes; a whole segment's generation without --no-remote-stream)")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 86400.0));
  cmd.add_option("--remote-timeout", r.timeouts.total_s,
                 "--backend openai: seconds one request to the server may take in all (0: no limit)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
}

RemoteSettings remote_settings(const RemoteFlags& r, const ChatTemplateKwargs& kwargs,
                               int n_parallel) {
  if (r.url.empty()) throw CommandError("--backend openai needs --url");
  RemoteSettings remote;
  remote.url = r.url;
  remote.api_model = r.api_model;
  remote.api_key = r.api_key;
  if (remote.api_key.empty()) {
    if (const char* key = std::getenv("OPENAI_API_KEY")) remote.api_key = key;
  }
  remote.parallel = n_parallel;
  remote.server_kind = parse_server_kind(r.server_kind);
  remote.tokenizer_model = r.tokenizer_model;
  remote.chat_template_file = r.chat_template_file;
  remote.chatml = r.chatml;
  remote.estimate_tokens = r.estimate_tokens;
  remote.stream = r.stream;
  remote.timeouts = r.timeouts;
  remote.chat_template_kwargs = kwargs;
  return remote;
}
// --- end of --backend openai ----------------------------------------------------------

std::unique_ptr<Backend> make_backend(const ModelFlags& flags, const ForcingSettings& forcing,
                                      int n_parallel) {
  if (flags.backend == "openai") {
    return std::make_unique<RemoteBackend>(
        remote_settings(flags.remote, flags.chat_template_kwargs, n_parallel), forcing);
  }
  if (flags.load.path.empty() && flags.load.hf_repo.empty()) {
    throw CommandError("no model (-m FILE.gguf or --hf user/repo)");
  }
  init_llama_backend(flags.verbose);
  auto backend = std::make_unique<LocalBackend>(flags.load, flags.context.resolve(n_parallel),
                                                forcing, flags.chat_template_kwargs);
  // llama.cpp pads its context (to a multiple of 256 cells): say once what -c became, so
  // that budgets lowered to fit it make sense.
  const int given = flags.context.sequence_context, used = backend->info().sequence_context;
  if (used != given) {
    std::fprintf(stderr,
                 "s1: note: -c %d gives each sequence %d tokens (llama.cpp rounds its context "
                 "up to a multiple of 256)\n",
                 given, used);
  }
  return backend;
}

void warn_budgets_beyond_context(const std::string& command, const std::vector<int>& budgets,
                                 const Backend& backend, const std::string& consequence) {
  const int context = backend.info().sequence_context;
  std::string beyond;
  for (int b : budgets) {
    if (context > 0 && b >= context) beyond += (beyond.empty() ? "" : ",") + std::to_string(b);
  }
  if (beyond.empty()) return;
  std::fprintf(stderr,
               "s1 %s: warning: --max-think %s is beyond the context (%d tokens per sequence, "
               "-c): %s\n",
               command.c_str(), beyond.c_str(), context, consequence.c_str());
}

std::vector<SuppressedTokens> suppressed_tokens_noted(const std::string& command,
                                                     const Backend& backend,
                                                     const std::vector<std::string>& words) {
  if (words.empty()) return {};
  std::vector<SuppressedTokens> found = backend.suppressed_tokens(words);
  for (const SuppressedTokens& s : found) {
    if (!s.tokens.empty()) continue;
    std::fprintf(stderr,
                 "s1 %s: note: --suppress-words: no token of this vocabulary contains '%s' (it "
                 "is spelled with several tokens); nothing is masked for it\n",
                 command.c_str(), s.word.c_str());
  }
  return found;
}

const std::vector<std::pair<std::string, std::string>>& rule_flags() {
  static const std::vector<std::pair<std::string, std::string>> kFlags = {
      {"max_think", "--max-think"},     {"min_think", "--min-think"},
      {"num_ignore", "--num-ignore"},   {"max_answer", "--max-answer"},
      {"step_tokens", "--step-tokens"}, {"max_steps", "--max-steps"}};
  return kFlags;
}

int parse_budget(const std::string& text) {
  if (text == "auto") return -1;
  size_t used = 0;
  int v = -2;
  try {
    v = std::stoi(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || v < -1) {
    throw CLI::ValidationError("--max-think", "takes token counts and auto, not '" + text + "'");
  }
  return v;
}

void add_shared_forcing_flags(CLI::App& cmd, ForcingSettings& forcing, BudgetRules& rules) {
  cmd.add_option("--min-think", rules.min_think,
                 "attempts to end thinking before this many tokens are ignored")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 30));
  cmd.add_option("--max-answer", rules.max_answer, "cap on answer tokens (-1: none)")
      ->capture_default_str()
      ->check(CLI::Range(-1, 1 << 30));
  cmd.add_option("--final-answer", forcing.cap_suffix,
                 "appended after the end delimiter when the cap is reached; \\n is a newline")
      ->default_str("\\nFinal Answer:")
      ->transform(unescape);
  cmd.add_option("--step-marker", forcing.step_marker,
                 "steps-left marker of step-conditional control, {n} = steps left; \\n is a "
                 "newline")
      ->default_str("{n} steps left\\n")
      ->transform(unescape);
  cmd.add_option("--think-start", forcing.think_start,
                 "thinking start delimiter (default: detected from the model)")
      ->transform(unescape);
  cmd.add_option("--think-end", forcing.think_end,
                 "thinking end delimiter (default: detected from the model)")
      ->transform(unescape);
}

void add_forcing_flags(CLI::App& cmd, ForcingSettings& forcing, BudgetRules& rules) {
  add_shared_forcing_flags(cmd, forcing, rules);
  cmd.add_option_function<std::string>(
         "--max-think", [&rules](const std::string& s) { rules.max_think = parse_budget(s); },
         "cap on thinking tokens; then the end delimiter and the final-answer prompt are "
         "appended (auto: what the context leaves)")
      ->default_str("auto");
  cmd.add_option("--num-ignore", rules.num_ignore,
                 "ignore the model's first K attempts to end thinking, appending the ignore string")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  cmd.add_option("--ignore-str", forcing.ignore_strings,
                 "appended when an attempt to end thinking is ignored; repeat to use several in "
                 "turn (none or \"\": no string, the end is masked instead); \\n is a newline")
      ->default_str(kDefaultIgnoreString)
      ->take_all()
      ->transform(ignore_string_arg);
  cmd.add_option("--step-tokens", rules.step_tokens,
                 "step-conditional control: thinking tokens per step, counted down by a "
                 "steps-left marker (0: off; needs --max-steps)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  cmd.add_option("--max-steps", rules.max_steps,
                 "steps allowed with --step-tokens; thinking ends at 0 steps left")
      ->check(CLI::Range(0, 1 << 20));
  cmd.add_flag("!--no-step-end", rules.steps_force_end,
               "at 0 steps left show the marker but let thinking go on");
}

void add_sweep_flags(CLI::App& cmd, SweepFlags& sweep) {
  cmd.add_option_function<std::vector<std::string>>(
         "--max-think",
         [&sweep](const std::vector<std::string>& values) {
           sweep.budgets.clear();
           for (const auto& v : values) sweep.budgets.push_back(parse_budget(v));
         },
         "thinking budgets to sweep, comma-separated token counts or auto (what the context "
         "leaves)")
      ->delimiter(',')
      ->default_str("auto");
  cmd.add_option("--num-ignore", sweep.num_ignores,
                 "budget forcing: numbers of ignored ends to sweep, comma-separated")
      ->delimiter(',')
      ->default_str(std::to_string(sweep.num_ignores.front()))
      ->check(CLI::Range(0, 1 << 20));
  cmd.add_option("--ignore-str", sweep.ignore_strings,
                 "budget forcing: ignore strings to sweep, comma-separated (none: no string, "
                 "the end is masked instead); \\n is a newline")
      ->delimiter(',')
      ->default_str(kDefaultIgnoreString)
      ->transform(ignore_string_arg);
}

void add_sampling_flags(CLI::App& cmd, SamplingFlags& s) {
  cmd.add_option("--temp", s.temp, "temperature for thinking and answer (0: greedy)")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 100.0f));
  cmd.add_option("--temp-think", s.temp_think, "temperature while thinking (default: --temp)")
      ->check(CLI::Range(0.0f, 100.0f));
  cmd.add_option("--temp-answer", s.temp_answer, "temperature while answering (default: --temp)")
      ->check(CLI::Range(0.0f, 100.0f));
  cmd.add_option("--top-k", s.top_k, "top-k sampling (0: off)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  cmd.add_option("--top-p", s.top_p, "top-p sampling (1: off)")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 1.0f));
  cmd.add_option("--min-p", s.min_p, "min-p sampling (0: off)")
      ->capture_default_str()
      ->check(CLI::Range(0.0f, 1.0f));
  cmd.add_option("-s,--seed", s.seed, "random seed for sampling")->capture_default_str();
  cmd.add_option("--logit-bias", s.logit_bias,
                 "TOKEN+BIAS or TOKEN-BIAS added to a token's logit while thinking and answering "
                 "(llama.cpp's form); repeatable");
  cmd.add_option("--logit-bias-think", s.logit_bias_think,
                 "TOKEN+BIAS or TOKEN-BIAS added while thinking only (e.g. to end thinking "
                 "early without biasing the answer); repeatable");
  cmd.add_option("--logit-bias-answer", s.logit_bias_answer,
                 "TOKEN+BIAS or TOKEN-BIAS added while answering only; repeatable");
}

// ---- The LLM judge ----

void add_judge_flags(CLI::App& cmd, JudgeFlags& f) {
  cmd.add_option("--judge-model", f.model,
                 "LLM judge (GGUF, local engine) for answers the rules call different; never "
                 "asked about two different plain numbers");
  cmd.add_option("--judge-backend", f.backend,
                 "where the judge runs: local (--judge-model) or openai (--judge-url)")
      ->capture_default_str()
      ->check(CLI::IsMember({"local", "openai"}));
  cmd.add_option("--judge-url", f.url, "--judge-backend openai: the server's base URL");
  cmd.add_option("--judge-api-model", f.api_model, "--judge-backend openai: the model to request");
  cmd.add_option("--judge-api-key", f.api_key,
                 "--judge-backend openai: API key (default: $OPENAI_API_KEY)");
  cmd.add_option("--judge-max-think", f.max_think,
                 "thinking budget of each judgement when the judge is a reasoning model")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  cmd.add_option("--judge-cache", f.cache,
                 "file of cached judge verdicts (default: judge-verdicts.tsv in the user cache "
                 "directory)");
}

void JudgeFlags::check() const {
  if (backend == "openai") {
    if (url.empty()) throw CommandError("--judge-backend openai needs --judge-url", 2);
    if (!model.empty()) throw CommandError("--judge-model needs --judge-backend local", 2);
  } else if (model.empty() && (!url.empty() || !api_model.empty())) {
    throw CommandError("--judge-url needs --judge-backend openai", 2);
  }
}

JudgeRunner make_judge(const JudgeFlags& f) {
  f.check();
  ModelFlags m;
  m.backend = f.backend;
  m.remote.url = f.url;
  m.remote.api_model = f.api_model;
  m.remote.api_key = f.api_key;
  m.load.path = f.model;
  JudgeSettings settings;
  settings.max_think = f.max_think;
  if (f.backend == "openai") {
    settings.id = "openai " + f.url + " " + f.api_model;
  } else {
    if (f.model.empty()) throw CommandError("--judge-backend local needs --judge-model", 2);
    settings.id = "gguf " + eval::model_file_identity(f.model, eval::default_model_hash_cache())
                                .dump();
  }
  settings.id += " think=" + std::to_string(f.max_think);
  settings.cache_path = f.cache;
  if (settings.cache_path.empty()) {
    const std::string dir = eval::user_cache_dir();
    if (!dir.empty()) settings.cache_path = dir + "/judge-verdicts.tsv";
  }
  // Per sequence: the prompt, the thinking budget and a verdict.
  constexpr int kParallel = 4;
  m.context.sequence_context = std::max(2048, f.max_think + 1536);
  m.context.parallel = kParallel;
  JudgeRunner runner;
  runner.backend = make_backend(m, ForcingSettings{}, kParallel);
  runner.judge = std::make_unique<Judge>(*runner.backend, std::move(settings));
  return runner;
}

void AdaptiveFlags::resolve(ProbeRules& out, std::vector<std::string>& words) const {
  out = probe;
  out.mean = exit_mean == "geometric" ? ProbeRules::Mean::kGeometric : ProbeRules::Mean::kArithmetic;
  out.action = exit_answer ? ProbeRules::ExitAction::kAnswer : ProbeRules::ExitAction::kEndThinking;
  out.require_no_hesitation = !allow_hesitation;
  out.validate();
  words.clear();
  if (!suppress_words.empty()) words = parse_word_list(suppress_words, "--suppress-words");
}

void add_shared_probe_flags(CLI::App& cmd, AdaptiveFlags& a) {
  cmd.add_flag("--probe-at-reflection", a.probe.at_reflection,
               "adaptive thinking: probe at reflection points (an ignore string, or the "
               "model's own Wait / Alternatively / blank line)");
  cmd.add_option("--probe-tokens", a.probe.probe_tokens,
                 "tokens a probe may decode before its answer closes")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd.add_option_function<std::string>(
      "--probe-suffix", [&a](const std::string& s) { a.probe.suffix = unescape(s); },
      "text that makes a probe answer (\\n, \\t escapes); default: Dynasor's, ending in "
      "\"\\boxed{\"");
  cmd.add_option("--exit-mean", a.exit_mean, "mean for --exit-confidence")
      ->capture_default_str()
      ->check(CLI::IsMember({"arithmetic", "geometric"}));
  cmd.add_flag("--exit-answer", a.exit_answer,
               "on exit, write the probed answer after the final-answer prompt and stop, "
               "instead of letting the model answer");
  cmd.add_flag("--allow-hesitation", a.allow_hesitation,
               "--exit-consistent also counts probes whose text hesitates (wait, hmm, ...)");
  cmd.add_option("--probe-slots", a.probe_slots,
                 "sequences kept for probes on top of --parallel (default: one per sequence "
                 "in generate and eval, 0 in serve: probes then use idle sequences)")
      ->check(CLI::Range(0, 4096));
}

namespace {

// What --probe-every, --exit-consistent and --exit-confidence mean, in one run or a sweep.
const char kProbeEveryHelp[] =
    "adaptive thinking: probe the answer every N thinking tokens (0: off)";
const char kExitConsistentHelp[] =
    "end thinking when the last W probes give the same answer (0: off)";
const char kExitConfidenceHelp[] =
    "end thinking when a probe's mean token probability reaches TAU (0: off; above 1: never)";
const char kSweepHelp[] = "; comma-separated values to sweep";
const char kSuppressWordsHelp[] =
    "mask while thinking every token whose text contains one of these words "
    "(comma-separated, ignoring case), e.g. wait,hmm,alternatively";

}  // namespace

void add_adaptive_flags(CLI::App& cmd, AdaptiveFlags& a) {
  cmd.add_option("--probe-every", a.probe.every, kProbeEveryHelp)
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 30));
  cmd.add_option("--exit-consistent", a.probe.consistent, kExitConsistentHelp)
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  cmd.add_option("--exit-confidence", a.probe.confidence, kExitConfidenceHelp)
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  add_shared_probe_flags(cmd, a);
  cmd.add_option("--suppress-words", a.suppress_words, kSuppressWordsHelp);
}

std::string AdaptiveSweepFlags::first_given() const {
  for (const CLI::Option* o : options) {
    if (o->count() > 0) return o->get_name();
  }
  return "";
}

void add_adaptive_sweep_flags(CLI::App& cmd, AdaptiveSweepFlags& sweep) {
  const size_t first = cmd.get_options().size();
  cmd.add_option("--probe-every", sweep.probe_every, std::string(kProbeEveryHelp) + kSweepHelp)
      ->delimiter(',')
      ->default_str(std::to_string(sweep.probe_every.front()))
      ->check(CLI::Range(0, 1 << 30));
  cmd.add_option("--exit-consistent", sweep.exit_consistent,
                 std::string(kExitConsistentHelp) + kSweepHelp)
      ->delimiter(',')
      ->default_str(std::to_string(sweep.exit_consistent.front()))
      ->check(CLI::Range(0, 1 << 20));
  cmd.add_option("--exit-confidence", sweep.exit_confidence,
                 std::string(kExitConfidenceHelp) + kSweepHelp)
      ->delimiter(',')
      ->default_str(CLI::detail::to_string(sweep.exit_confidence.front()))
      ->check(CLI::Range(0.0, 1e9));
  add_shared_probe_flags(cmd, sweep.shared);
  const auto options = cmd.get_options();  // in the order they were added
  sweep.options.assign(options.begin() + static_cast<std::ptrdiff_t>(first), options.end());
  // Not a probe flag: suppression applies to every method.
  cmd.add_option("--suppress-words", sweep.shared.suppress_words, kSuppressWordsHelp);
}

}  // namespace s1::cli
