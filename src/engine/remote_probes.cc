// Adaptive thinking over the remote backend: probes are side completion requests, the
// exits they decide (and a client's) cut the segment in flight short, and suppressed
// words go out as logit biases. The rules are the core's (AdaptiveExit, probe_answer,
// ReflectionDetector), as in the local engine's scheduler_probes.cc; this file carries
// them out over HTTP.
#include <algorithm>
#include <cmath>

#include "engine/remote_backend.h"
#include "engine/remote_sample.h"

namespace s1 {

using namespace remote_detail;

namespace {

// What a probe said, as the local engine keeps it: the tokens up to the one that closes
// the box the suffix opened (or all), and their probabilities. Without the server's
// tokens, the text is cut right after the closing brace.
ProbeResult probe_result(const std::string& suffix, const CompletionReply& reply, int at) {
  ProbeResult r;
  r.thinking_tokens = at;
  std::string answer;
  if (!reply.token_texts.empty()) {
    for (size_t i = 0; i < reply.token_texts.size(); ++i) {
      r.text += reply.token_texts[i];
      r.probs.push_back(reply.token_probs[i]);
      if (probe_answer(suffix, r.text, &answer)) break;
    }
    return r;
  }
  for (size_t n = 1; n <= reply.text.size(); ++n) {
    if (reply.text[n - 1] == '}' && probe_answer(suffix, std::string_view(reply.text).substr(0, n), &answer)) {
      r.text = reply.text.substr(0, n);
      return r;
    }
  }
  r.text = reply.text;
  return r;
}

}  // namespace

void RemoteBackend::abandon_segment(Sample& s) {
  if (!s.segment) return;
  // Cut short: what it streamed is the thinking; the rest is dropped when it comes (the
  // worker stops reading at its next piece).
  s.segment->abandoned = true;
  s.segment->cancelled = true;
  s.segment.reset();
  pool_->interrupt();
}

void RemoteBackend::adapt(BackendRequest& request) const {
  if (request.probe.probing()) {
    request.probe.validate();
    if (request.probe.confidence > 0 && !gives_token_probabilities(kind_)) {
      throw std::invalid_argument(std::string("an exit by confidence needs token probabilities, which ") +
                                  to_string(kind_) + " servers do not give: use an exit by consistency");
    }
  }
  if (request.suppress_words.empty()) return;
  for (const SuppressedTokens& s : suppressed_tokens(request.suppress_words)) {
    for (Token t : s.tokens) request.thinking_sampling.logit_bias.emplace_back(t, -INFINITY);
  }
}

std::vector<SuppressedTokens> RemoteBackend::suppressed_tokens(const std::vector<std::string>& words) const {
  if (!tokenizer_) {
    throw std::invalid_argument(
        "suppressing words over the remote backend needs --tokenizer-model M.gguf (the "
        "server's vocabulary is not visible from here)");
  }
  {
    std::lock_guard<std::mutex> lock(words_mutex_);
    if (!word_tokens_) {
      // Ending thinking and generation stays possible, as for the local engine.
      word_tokens_ = std::make_unique<WordTokens>(
          *tokenizer_, never_suppressed(make_forcing_vocab(*tokenizer_, format_, forcing_)));
    }
  }
  return word_tokens_->find(words);
}

int RemoteBackend::adaptive_segment_limit(const Sample& s) const {
  int limit = settings_.default_max_tokens;
  const int at = s.forcer->thinking_tokens();
  // Thinking comes in chunks that end where the next probe is due (the first position
  // at or past each multiple of `every`).
  if (s.adaptive && !s.adaptive->exited() && s.adaptive->rules().every > 0) {
    const int every = s.adaptive->rules().every;
    limit = std::min(limit, every - at % every);
  }
  // An exit waits for min_think: the segment ends there.
  if (!s.exit_reason.empty() && at < s.rules.min_think) limit = std::min(limit, s.rules.min_think - at);
  return std::max(1, limit);
}

void RemoteBackend::consider_probe(Sample& s, bool segment_end) {
  if (!s.adaptive || s.done || s.forcer->phase() != Phase::kThinking) return;
  const int at = s.forcer->thinking_tokens();
  if (at <= s.probe_checked) return;
  if (s.probe) {
    AdaptiveExit peek = *s.adaptive;
    if (!peek.probe_due(at, s.reflection)) {
      s.probe_checked = at;
      s.reflection = false;
      return;
    }
    // Due while the last probe runs. At a segment's end the sample waits for it (so the
    // probes and the exits they decide do not hang on the server's speed); mid-stream it
    // is skipped, as the local engine skips one due while the last runs.
    if (segment_end) {
      s.probe_waits = true;
      return;
    }
    s.adaptive->probe_due(at, s.reflection);
    ++s.result.probes_skipped;
    ++stats_.probes_skipped;
  } else if (s.adaptive->probe_due(at, s.reflection)) {
    launch_probe(s, at);
  }
  s.probe_checked = at;
  s.reflection = false;
}

void RemoteBackend::launch_probe(Sample& s, int thinking_tokens) {
  const ProbeRules& rules = s.request->probe;
  // A probe is an answer attempt: greedy, under the answer phase's biases, with each
  // token's probability; it ends at end of generation or after probe_tokens.
  SegmentStops stops;
  for (const auto& e : settings_.end_of_generation) stops.stop.push_back(e);
  json body = {{"max_tokens", rules.probe_tokens},
               {"temperature", 0},
               {"stream", false}};
  body.update(json::parse(segment_fields(kind_, stops)));
  body.update(json::parse(probability_fields(kind_)));
  if (!settings_.api_model.empty()) body["model"] = settings_.api_model;
  const auto& bias = s.request->answer_sampling.logit_bias;
  if (!bias.empty()) body["logit_bias"] = json::parse(logit_bias_field(kind_, bias));
  auto seg = std::make_shared<Segment>();
  seg->sample = &s;
  seg->is_probe = true;
  seg->probe_at = thinking_tokens;
  seg->asked = rules.probe_tokens;
  seg->body = std::move(body);
  set_prompt(*seg, s, rules.suffix);
  s.probe = seg;
  send(s, std::move(seg));
}

void RemoteBackend::on_probe_end(Segment& seg) {
  Sample& s = *seg.sample;
  --s.outstanding;
  if (s.probe.get() == &seg) s.probe.reset();
  s.result.probe_ms += ms_between(seg.sent, Clock::now());
  if (s.done) return;
  const CompletionReply& reply = seg.reply;
  if (!reply.ok) {
    // As a probe with no room locally: skipped, the sample goes on.
    ++s.result.probes_skipped;
    ++stats_.probes_skipped;
    errors_.push_back("probe: " + reply.error);
  } else {
    const ProbeRules& rules = s.request->probe;
    const ProbeResult result = probe_result(rules.suffix, reply, seg.probe_at);
    // Counted as sent: the suffix, then the tokens the server generated.
    const int generated =
        std::max({reply.tokens, static_cast<int>(reply.token_texts.size()), reply.text.empty() ? 0 : 1});
    const int tokens = static_cast<int>(token_ids(rules.suffix).size()) + generated;
    stats_.probe_tokens += tokens;
    s.result.probe_tokens += tokens;
    ++stats_.probes;
    const ProbeOutcome outcome = s.adaptive->on_probe(result);
    const ProbeRecord& record = s.adaptive->records().back();
    s.result.probes.push_back(record);
    if (outcome.exit && s.exit_reason.empty()) {
      s.exit_reason = outcome.reason;
      if (rules.action == ProbeRules::ExitAction::kAnswer) s.exit_answer = outcome.answer;
    }
    if (s.request->on_probe) s.request->on_probe(s.index, record);
  }
  if (s.finish_after_probe != FinishReason::kNone) {
    finish(s, s.finish_after_probe);
    return;
  }
  exit_if_due(s);
  if (s.probe_waits) {
    s.probe_waits = false;
    consider_probe(s, true);
  }
}

bool RemoteBackend::exit_if_due(Sample& s) {
  if (s.exit_reason.empty() || s.done || !s.started) return false;
  BudgetForcer& forcer = *s.forcer;
  if (forcer.phase() != Phase::kThinking) {
    s.exit_reason.clear();
    return false;
  }
  if (!forcer.can_end_thinking()) return false;  // below the floor: wait for it
  abandon_segment(s);
  std::optional<ForcedText> answer;
  if (!s.exit_answer.empty()) {
    answer.emplace();
    answer->text = probed_answer_text(s.exit_answer);
    answer->tokens = token_ids(answer->text);
    if (!s.by_ids) answer->tokens.assign(std::max<size_t>(1, answer->tokens.size()), kForced);
  }
  const Decision d = forcer.end_thinking(s.exit_reason, answer ? &*answer : nullptr);
  s.exit_reason.clear();
  s.exit_answer.clear();
  s.probe_waits = false;
  ++stats_.exits;
  apply(s, d);
  return true;
}

bool RemoteBackend::end_thinking(int request_id, const std::string& reason) {
  bool found = false;
  for (auto& s : samples_) {
    if (s->request_id != request_id || s->done || s->forcer->phase() != Phase::kThinking) continue;
    found = true;
    if (s->exit_reason.empty()) s->exit_reason = reason;
    // The stream stops now; the exit itself is carried out inside step(), where
    // callbacks run.
    if (s->started && s->forcer->can_end_thinking()) abandon_segment(*s);
  }
  return found;
}

}  // namespace s1
