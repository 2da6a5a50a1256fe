#include "eval/rounds.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "engine/prompt.h"

namespace s1::eval {
namespace {

struct Seq {
  RoundsItem item;
  std::string base;      // rendered prompt, thinking opened
  std::string thinking;  // so far, ignore strings included
  std::string closing;   // a cap's newline before the delimiter, re-sent in the prompt
  int used = 0;          // thinking tokens so far
  int ignores_left = 0;
  size_t next_ignore = 0;
  bool answer_only = false;  // the budget is spent: only the answer is left
  bool done = false;
  SequenceResult total;  // counts and events summed over rounds
  SequenceResult last;   // this round's result
};

}  // namespace

void check_rounds_configs(const std::vector<MethodConfig>& configs) {
  for (const MethodConfig& c : configs) {
    if (c.kind != MethodKind::kBudgetForcing) {
      throw std::invalid_argument("the round schedule runs budget forcing only, not " + c.name());
    }
  }
}

bool run_rounds(Backend& backend, const MethodContext& ctx, std::vector<RoundsItem> items,
                const std::atomic<bool>* stop) {
  std::vector<std::unique_ptr<Seq>> seqs;
  for (auto& item : items) {
    check_rounds_configs({*item.config});
    auto s = std::make_unique<Seq>();
    // Each round re-sends the rendered prompt with the thinking so far, so the backend
    // must render it here.
    BackendRequest probe;
    probe.messages = question_messages(item.question, ctx.system);
    backend.prepare(probe);
    if (!probe.prepared) {
      throw std::invalid_argument("the round schedule needs a backend that renders prompts "
                                  "itself (--backend local)");
    }
    const Prompt& base = *probe.prepared;
    if (base.thinking_off) {
      throw std::invalid_argument("the round schedule needs thinking on; the chat template "
                                  "closed it (--chat-template-kwargs)");
    }
    s->base = base.text;
    s->ignores_left = item.config->num_ignore;
    s->item = std::move(item);
    seqs.push_back(std::move(s));
  }
  const std::string think_end = backend.info().think_end;
  RequestPump pump(backend);
  bool first_round = true;
  while (std::any_of(seqs.begin(), seqs.end(), [](const auto& s) { return !s->done; })) {
    for (auto& sp : seqs) {
      Seq& s = *sp;
      if (s.done) continue;
      const int budget = s.item.config->budget;
      BackendRequest r;
      r.raw_prompt = s.base + s.thinking + s.closing;
      r.rules.min_think = 0;
      r.rules.num_ignore = 0;
      if (s.answer_only) {
        r.rules.max_think = 0;  // closes thinking at once, with the final-answer prompt
        r.rules.max_answer = ctx.max_answer;
      } else {
        r.rules.max_think = budget < 0 ? -1 : std::max(0, budget - s.used);
        // Rounds that may be followed by an ignore stop at the end of thinking.
        r.rules.max_answer = s.ignores_left > 0 ? 0 : ctx.max_answer;
      }
      r.thinking_sampling = ctx.thinking;
      r.answer_sampling = ctx.answer;
      r.on_done = [&s](int, const SequenceResult& res) { s.last = res; };
      pump.submit(std::move(r));
    }
    // The barrier: the round ends when its slowest sequence does.
    while (pump.step()) {
      if (stop && stop->load()) {
        pump.cancel_all();
        return false;
      }
    }
    for (auto& sp : seqs) {
      Seq& s = *sp;
      if (s.done) continue;
      const SequenceResult& res = s.last;
      if (first_round) {
        s.total.prompt_tokens = res.prompt_tokens;
        s.total.prompt_ms = res.prompt_ms;
        s.total.max_think = res.max_think;
        s.total.clamped = res.clamped;
      }
      for (ForcingEvent e : res.events) {
        e.thinking_tokens += s.used;
        s.total.events.push_back(std::move(e));
      }
      s.thinking += res.thinking;
      s.used += res.thinking_tokens;
      s.total.sampled_tokens += res.sampled_tokens;
      s.total.injected_tokens += res.injected_tokens;
      s.total.retracted_tokens += res.retracted_tokens;
      s.total.generation_ms += res.generation_ms;
      const int budget = s.item.config->budget;
      const bool ended = !res.events.empty() && res.events.back().kind == ForcingKind::kEnd;
      if (!s.answer_only && s.ignores_left > 0) {
        if (ended && (budget < 0 || s.used < budget)) {
          const auto& strs = s.item.config->ignore_strings;
          const std::string str = strs.empty() ? "" : strs[s.next_ignore++ % strs.size()];
          // The end the model tried is replaced by the ignore string, as the reference does.
          s.total.events.back() = {ForcingKind::kIgnore, s.used, "num_ignore", str, 0};
          s.thinking += str;
          s.used += static_cast<int>(backend.tokenize(str, false).value_or(TokenSeq{}).size());
          --s.ignores_left;
        } else {
          s.answer_only = true;
          // The cap shows its newline with the delimiter, not as thinking; the reference
          // re-submits it with the thinking text, and so does the last round here.
          const ForcingEvent* cap = res.events.empty() ? nullptr : &res.events.back();
          if (cap && cap->kind == ForcingKind::kCap &&
              cap->text.rfind("\n" + think_end, 0) == 0) {
            s.closing = "\n";
          }
        }
        continue;
      }
      s.done = true;
      SampleRun run;
      run.sample = 0;
      run.prompt = s.item.question;
      run.result = s.total;
      run.result.thinking = s.thinking;
      run.result.answer = res.answer;
      run.result.thinking_tokens = s.used;
      run.result.answer_tokens = res.answer_tokens;
      run.result.finish_reason = res.finish_reason;
      s.item.done(std::move(run));
    }
    first_round = false;
  }
  return true;
}

}  // namespace s1::eval
