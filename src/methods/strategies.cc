#include "methods/strategies.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "core/grading.h"
#include "methods/prompts.h"

namespace s1 {
namespace {

// Seeds: sample s of a configuration is seeded sample_seed(seed, s) however it is
// requested (with the others, or alone when resumed); rejection-sampling retries of one
// sample step by another prime so they never meet another sample's stream.
constexpr uint32_t kTrySeedStep = 104729u;

std::string budget_text(int budget) {
  return budget < 0 ? "auto" : std::to_string(budget);
}

// The shortest text that reads back as `v` ("0.95", "2", "0"): names stay short and two
// different thresholds never share one.
std::string number_text(double v) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

const char* mean_name(ProbeRules::Mean mean) {
  return mean == ProbeRules::Mean::kGeometric ? "geometric" : "arithmetic";
}

bool has_cap(const SequenceResult& r) {
  return std::any_of(r.events.begin(), r.events.end(),
                     [](const ForcingEvent& e) { return e.kind == ForcingKind::kCap; });
}

// What every request of a configuration shares.
struct Plan {
  std::string prompt;
  BudgetRules rules;
  SamplingParams thinking;
  SamplingParams answer;
  std::optional<std::vector<std::string>> ignore_strings;
  ProbeRules probe;  // adaptive only; no probes otherwise
  std::vector<std::string> suppress_words;
};

Plan make_plan(const MethodConfig& c, const MethodContext& ctx, const std::string& question) {
  Plan p;
  p.prompt = question;
  p.rules.min_think = ctx.min_think;
  p.rules.max_answer = ctx.max_answer;
  p.rules.max_think = c.budget;
  p.thinking = ctx.thinking;
  p.answer = ctx.answer;
  p.suppress_words = c.suppress_words;
  const auto need_budget = [&](const char* what) {
    if (c.budget < 0)
      throw std::invalid_argument(std::string(what) + " needs a token budget, not auto");
  };
  switch (c.kind) {
    case MethodKind::kBudgetForcing:
      p.rules.num_ignore = c.num_ignore;
      if (c.num_ignore > 0) p.ignore_strings = c.ignore_strings;
      break;
    case MethodKind::kTokenConditional:
      need_budget("token-conditional control");
      p.prompt = token_conditional_prompt(question, c.budget);
      p.rules.max_think = c.forcing ? c.budget : -1;
      break;
    case MethodKind::kStepConditional: {
      need_budget("step-conditional control");
      const int steps = steps_for_budget(c.budget);
      p.prompt = step_conditional_prompt(question, steps);
      // The engine counts the steps down with steps-left markers; forcing ends thinking
      // at 0 steps left (and at the same number of tokens, should a marker come late).
      p.rules.step_tokens = kStepTokens;
      p.rules.max_steps = steps;
      p.rules.steps_force_end = c.forcing;
      p.rules.max_think = c.forcing ? steps * kStepTokens : -1;
      break;
    }
    case MethodKind::kClassConditional:
      p.prompt = class_conditional_prompt(question, c.thinking_class);
      p.rules.max_think = -1;
      break;
    case MethodKind::kRejection:
      need_budget("rejection sampling");
      // One token past the budget: a cap then means "did not end within the budget".
      p.rules.max_think = c.budget + 1;
      break;
    case MethodKind::kAdaptive:
      // The cap holds as in budget forcing; a probe's exit may end thinking before it.
      c.probe.validate();
      if (!c.probe.probing()) {
        throw std::invalid_argument("adaptive thinking needs probes (every > 0 or at reflection)");
      }
      p.probe = c.probe;
      break;
    case MethodKind::kMajority:
    case MethodKind::kBestOfN:
      break;
  }
  if (c.sampled()) {
    if (p.thinking.temperature <= 0) p.thinking.temperature = ctx.sample_temperature;
    if (p.answer.temperature <= 0) p.answer.temperature = ctx.sample_temperature;
  }
  if (p.rules.max_think >= 0 && p.rules.min_think > p.rules.max_think) {
    p.rules.min_think = p.rules.max_think;
  }
  return p;
}

// Samples `sample` .. sample + n_samples - 1 of the configuration (their seeds follow
// sample_seed from `sample` on), each try's seed moved by `try_offset`.
BackendRequest make_request(const Plan& p, const MethodContext& ctx, int sample,
                            uint32_t try_offset, int n_samples) {
  BackendRequest r;
  r.messages = question_messages(p.prompt, ctx.system);
  r.rules = p.rules;
  r.thinking_sampling = p.thinking;
  r.answer_sampling = p.answer;
  r.thinking_sampling.seed = sample_seed(p.thinking.seed, sample) + try_offset;
  r.answer_sampling.seed = sample_seed(p.answer.seed, sample) + try_offset;
  r.n_samples = n_samples;
  r.ignore_strings = p.ignore_strings;
  r.probe = p.probe;
  r.suppress_words = p.suppress_words;
  return r;
}

void verify(RequestPump& pump, const MethodConfig& c, const MethodContext& ctx,
            const MethodQuestion& question, SampleRun run, const SampleCallback& done) {
  BackendRequest r;
  // The answer as grading reads it: the letter for multiple choice.
  const FinalAnswer answer = final_answer(run.result.answer, question.choices);
  r.messages = question_messages(
      verification_prompt(question.text, run.result.answer, answer.answer, question.choices > 0),
      ctx.system);
  r.rules.max_think = c.verify_budget;
  r.rules.max_answer = ctx.max_answer;
  r.thinking_sampling = ctx.thinking;  // the judge decodes greedily unless --temp is set
  r.answer_sampling = ctx.answer;
  auto shared = std::make_shared<SampleRun>(std::move(run));
  r.on_done = [shared, done](int, const SequenceResult& v) {
    if (v.finish_reason == FinishReason::kCancelled) {
      SampleRun cancelled = *shared;
      cancelled.result.finish_reason = FinishReason::kCancelled;
      done(std::move(cancelled));
      return;
    }
    shared->verdict = parse_verdict(v.answer);
    shared->verification = v;
    done(std::move(*shared));
  };
  pump.submit(std::move(r));
}

// Rejection sampling of one sample: try `t` (0-based) of sample `s`.
void rejection_try(RequestPump& pump, const MethodConfig& c, const MethodContext& ctx,
                   std::shared_ptr<const Plan> plan, int s, int t, int rejected_tokens,
                   SampleCallback done) {
  BackendRequest r = make_request(*plan, ctx, s, static_cast<uint32_t>(t) * kTrySeedStep, 1);
  r.on_done = [&pump, c, ctx, plan, s, t, rejected_tokens, done](int, const SequenceResult& res) {
    const bool fits = !has_cap(res);
    if (!fits && res.finish_reason != FinishReason::kCancelled && t + 1 < c.max_tries) {
      rejection_try(pump, c, ctx, plan, s, t + 1, rejected_tokens + res.thinking_tokens, done);
      return;
    }
    SampleRun run;
    run.sample = s;
    run.prompt = plan->prompt;
    run.result = res;
    run.result.sample = s;
    run.tries = t + 1;
    run.fits = fits;
    run.rejected_thinking_tokens = rejected_tokens;
    done(std::move(run));
  };
  pump.submit(std::move(r));
}

}  // namespace

const char* method_kind_name(MethodKind kind) {
  switch (kind) {
    case MethodKind::kBudgetForcing:
      return "budget-forcing";
    case MethodKind::kTokenConditional:
      return "token-conditional";
    case MethodKind::kStepConditional:
      return "step-conditional";
    case MethodKind::kClassConditional:
      return "class-conditional";
    case MethodKind::kRejection:
      return "rejection-sampling";
    case MethodKind::kMajority:
      return "majority";
    case MethodKind::kBestOfN:
      return "best-of-n";
    case MethodKind::kAdaptive:
      return "adaptive";
  }
  return "?";
}

MethodKind parse_method_kind(const std::string& name) {
  for (MethodKind k :
       {MethodKind::kBudgetForcing, MethodKind::kTokenConditional, MethodKind::kStepConditional,
        MethodKind::kClassConditional, MethodKind::kRejection, MethodKind::kMajority,
        MethodKind::kBestOfN, MethodKind::kAdaptive}) {
    if (name == method_kind_name(k)) return k;
  }
  throw std::invalid_argument(
      "unknown method '" + name +
      "' (budget-forcing, token-conditional, step-conditional, class-conditional, "
      "rejection-sampling, majority, best-of-n, adaptive)");
}

namespace {

// " suppress=wait|hmm", or "" without suppressed words.
std::string words_text(const std::vector<std::string>& words) {
  std::string s;
  for (const std::string& w : words) s += (s.empty() ? " suppress=" : "|") + w;
  return s;
}

}  // namespace

std::string MethodConfig::name() const {
  return rules_name() + words_text(suppress_words);
}

std::string MethodConfig::rules_name() const {
  std::string s = family();
  switch (kind) {
    case MethodKind::kBudgetForcing:
      s += " max=" + budget_text(budget) + " ignore=" + std::to_string(num_ignore);
      if (num_ignore > 0) {
        std::string strs;
        for (const auto& i : ignore_strings) strs += (strs.empty() ? "" : "|") + i;
        s += " str=" + (ignore_strings.empty() ? std::string("none") : strs);
      }
      return s;
    case MethodKind::kTokenConditional:
      return s + " tokens=" + budget_text(budget);
    case MethodKind::kStepConditional:
      return s + " steps=" + std::to_string(steps_for_budget(budget));
    case MethodKind::kClassConditional:
      return s + " " + thinking_class;
    case MethodKind::kRejection:
      return s + " max=" + budget_text(budget) + " tries=" + std::to_string(max_tries);
    case MethodKind::kMajority:
      return s + " n=" + std::to_string(n) + " max=" + budget_text(budget);
    case MethodKind::kBestOfN:
      return s + " n=" + std::to_string(n) + " max=" + budget_text(budget) +
             " verify=" + std::to_string(verify_budget);
    case MethodKind::kAdaptive:
      return s + " max=" + budget_text(budget) + " every=" + std::to_string(probe.every) +
             " consistent=" + std::to_string(probe.consistent) +
             " confidence=" + number_text(probe.confidence) +
             (probe.at_reflection ? " reflection" : "");
  }
  return s;
}

std::string MethodConfig::point_label() const {
  if (kind != MethodKind::kAdaptive) return name().substr(family().size() + 1);
  std::string label = "N=" + std::to_string(probe.every);
  if (probe.at_reflection) label += "+refl";
  if (probe.consistent > 0) label += " W=" + std::to_string(probe.consistent);
  if (probe.confidence > 0) label += " tau=" + number_text(probe.confidence);
  return label + " max=" + budget_text(budget) + words_text(suppress_words);
}

std::string MethodConfig::family() const {
  std::string f = method_kind_name(kind);
  if ((kind == MethodKind::kTokenConditional || kind == MethodKind::kStepConditional) && forcing) {
    f += "+forcing";
  }
  return f;
}

bool MethodConfig::sampled() const {
  return kind == MethodKind::kRejection || kind == MethodKind::kMajority ||
         kind == MethodKind::kBestOfN;
}

nlohmann::json MethodConfig::to_json() const {
  nlohmann::json j = {{"method", method_kind_name(kind)}, {"family", family()}, {"n", n}};
  if (kind != MethodKind::kClassConditional) j["budget"] = budget;
  switch (kind) {
    case MethodKind::kBudgetForcing:
      j["num_ignore"] = num_ignore;
      j["ignore_strings"] = ignore_strings;
      break;
    case MethodKind::kTokenConditional:
    case MethodKind::kStepConditional:
      j["forcing"] = forcing;
      break;
    case MethodKind::kClassConditional:
      j["class"] = thinking_class;
      break;
    case MethodKind::kRejection:
      j["max_tries"] = max_tries;
      break;
    case MethodKind::kBestOfN:
      j["verify_budget"] = verify_budget;
      break;
    case MethodKind::kAdaptive:
      // Everything that changes a probe's outcome, so a run with other probes is another run.
      j["probe_every"] = probe.every;
      j["exit_consistent"] = probe.consistent;
      j["exit_confidence"] = probe.confidence;
      j["probe"] = {{"at_reflection", probe.at_reflection},
                    {"probe_tokens", probe.probe_tokens},
                    {"suffix", probe.suffix},
                    {"exit_mean", mean_name(probe.mean)},
                    {"exit_answer", probe.action == ProbeRules::ExitAction::kAnswer},
                    {"require_no_hesitation", probe.require_no_hesitation},
                    {"hesitation_words", probe.hesitation_words},
                    {"reflection_words", probe.reflection_words},
                    {"reflection_blank_line", probe.reflection_blank_line}};
      break;
    case MethodKind::kMajority:
      break;
  }
  // Only when given, so runs without suppression keep their ids.
  if (!suppress_words.empty()) j["suppress_words"] = suppress_words;
  return j;
}

void RequestPump::submit(BackendRequest request) {
  if (in_step_) {
    held_.push_back(std::move(request));
    return;
  }
  ids_.push_back(backend_.submit(std::move(request)));
}

bool RequestPump::step() {
  std::vector<BackendRequest> held;
  held.swap(held_);
  for (auto& r : held) ids_.push_back(backend_.submit(std::move(r)));
  in_step_ = true;
  bool more = false;
  try {
    more = backend_.step();
  } catch (...) {
    in_step_ = false;
    throw;
  }
  in_step_ = false;
  return more || !held_.empty();
}

void RequestPump::cancel_all() {
  held_.clear();
  in_step_ = true;  // callbacks of cancelled samples must not queue follow-ups
  for (int id : ids_) backend_.cancel(id);
  in_step_ = false;
  held_.clear();
  ids_.clear();
}

void start_method(RequestPump& pump, const MethodConfig& config, const MethodContext& ctx,
                  const MethodQuestion& question, const std::vector<int>& samples,
                  SampleCallback done) {
  if (config.n < 1) throw std::invalid_argument("a configuration needs n >= 1 samples");
  if (config.max_tries < 1) throw std::invalid_argument("rejection sampling needs max_tries >= 1");
  for (int s : samples) {
    if (s < 0 || s >= config.n) throw std::invalid_argument("sample index out of range");
  }
  if (samples.empty()) return;
  auto plan = std::make_shared<const Plan>(make_plan(config, ctx, question.text));

  if (config.kind == MethodKind::kRejection) {
    for (int s : samples) rejection_try(pump, config, ctx, plan, s, 0, 0, done);
    return;
  }
  // What happens to a finished generation: reported, or judged first (best-of-N).
  auto finish = [&pump, config, ctx, question, plan, done](int s, const SequenceResult& res) {
    SampleRun run;
    run.sample = s;
    run.prompt = plan->prompt;
    run.result = res;
    run.result.sample = s;
    if (config.kind == MethodKind::kBestOfN && res.finish_reason != FinishReason::kCancelled) {
      verify(pump, config, ctx, question, std::move(run), done);
    } else {
      done(std::move(run));
    }
  };
  // All n samples at once share one prompt decode; a subset (a resumed run) goes one
  // sample per request, each with the seed it has in the full request.
  const bool whole = static_cast<int>(samples.size()) == config.n;
  if (whole) {
    BackendRequest r = make_request(*plan, ctx, 0, 0, config.n);
    r.on_done = finish;
    pump.submit(std::move(r));
    return;
  }
  for (int s : samples) {
    BackendRequest r = make_request(*plan, ctx, s, 0, 1);
    r.on_done = [finish, s](int, const SequenceResult& res) { finish(s, res); };
    pump.submit(std::move(r));
  }
}

}  // namespace s1
