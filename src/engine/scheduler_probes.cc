// Adaptive thinking in the scheduler: probes of a sample's thinking so far, decoded
// alongside everything else, and the exits they decide (the rules are AdaptiveExit's,
// in the core; this file carries them out).
#include <algorithm>
#include <cmath>

#include "engine/sampling.h"
#include "engine/scheduler.h"
#include "engine/scheduler_slot.h"

namespace s1 {

void Scheduler::maybe_probe(Slot& slot, bool reflection_point) {
  if (!slot.adaptive->probe_due(slot.forcer->thinking_tokens(), reflection_point)) return;
  const TokenSeq& suffix = *slot.probe_suffix;
  const int needed = slot.n_past + static_cast<int>(slot.pending.size() + suffix.size()) +
                     slot.request->probe.probe_tokens + 1;
  // The lowest free sequence: with a KV stream per sequence, it sits right above the
  // running ones (compact()), so the batch stays one micro-batch.
  size_t to = 0;
  while (to < slots_.size() && slots_[to]->active()) ++to;
  // One probe at a time per sample: a probe due while the last one runs is skipped, as
  // is one with no free sequence or no room for it.
  if (slot.probe || to == slots_.size() || needed > n_ctx_seq_) {
    ++slot.result.probes_skipped;
    ++stats_.probes_skipped;
    return;
  }
  vacate(to);
  Slot& probe = *slots_[to];
  llama_memory_t mem = llama_get_memory(ctx_.get());
  if (settings_.unified_kv) {
    llama_memory_seq_cp(mem, slot.seq_id, probe.seq_id, 0, static_cast<llama_pos>(slot.n_past));
  } else {
    llama_memory_seq_cp(mem, slot.seq_id, probe.seq_id, -1, -1);  // the whole stream
  }
  probe.state = SlotState::kProbing;
  probe.request_id = -1;
  probe.request.reset();
  probe.forcer.reset();
  probe.adaptive.reset();
  probe.probe = nullptr;
  probe.cacheable = false;
  probe.epoch = ++admissions_;
  probe.n_past = slot.n_past;
  probe.decoded = slot.decoded;
  // What the sample has still to feed (its last token, or a forced insertion) is part of
  // the thinking probed.
  probe.pending = slot.pending;
  probe.pending.insert(probe.pending.end(), suffix.begin(), suffix.end());
  probe.batch_index = -1;
  probe.parent = &slot;
  probe.parent_epoch = slot.epoch;
  probe.probe_at = slot.forcer->thinking_tokens();
  probe.probe_text.clear();
  probe.probe_probs.clear();
  probe.probe_decoded = 0;
  probe.probe_started = Clock::now();
  slot.probe = &probe;
  slot.probe_epoch = probe.epoch;
}

void Scheduler::advance_probe(Slot& probe) {
  const float* row = llama_get_logits_ith(ctx_.get(), probe.batch_index);
  const int n_vocab = model_.n_vocab();
  // A probe is an answer attempt: greedy, under the answer phase's logit biases.
  const auto& bias = probe.parent->request->answer_sampling.logit_bias;
  const Token token = greedy_token(row, n_vocab, bias);
  probe.probe_probs.push_back(static_cast<float>(greedy_probability(row, n_vocab, bias, token)));
  const bool end_of_generation = llama_vocab_is_eog(model_.vocab(), token);
  if (!end_of_generation) probe.probe_text += model_.piece(token);
  std::string answer;
  const bool closed = probe_answer(probe.parent->request->probe.suffix, probe.probe_text, &answer);
  const int budget = probe.parent->request->probe.probe_tokens;
  if (end_of_generation || closed || static_cast<int>(probe.probe_probs.size()) >= budget) {
    finish_probe(probe, true);
    return;
  }
  probe.pending.push_back(token);
}

void Scheduler::finish_probe(Slot& probe, bool completed) {
  llama_memory_seq_rm(llama_get_memory(ctx_.get()), probe.seq_id, -1, -1);
  probe.decoded.clear();
  probe.pending.clear();
  probe.n_past = 0;
  probe.last_used = 0;
  probe.state = SlotState::kFree;
  Slot* parent = probe.parent;
  probe.parent = nullptr;
  if (!parent || parent->probe != &probe || parent->probe_epoch != probe.epoch) return;
  parent->probe = nullptr;
  parent->result.probe_ms += ms_between(probe.probe_started, Clock::now());
  if (parent->epoch != probe.parent_epoch) return;
  if (!completed || !parent->active()) {
    // Its tokens are counted already: one record per probe that decoded any.
    if (probe.probe_decoded == 0) return;
    ProbeRecord cut;
    cut.thinking_tokens = probe.probe_at;
    cut.cut = true;
    ++stats_.probes;
    parent->result.probes.push_back(cut);
    return;
  }
  ++stats_.probes;
  ProbeResult result;
  result.thinking_tokens = probe.probe_at;
  result.text = probe.probe_text;
  result.probs = probe.probe_probs;
  const ProbeOutcome outcome = parent->adaptive->on_probe(result);
  const ProbeRecord& record = parent->adaptive->records().back();
  parent->result.probes.push_back(record);
  if (outcome.exit && parent->exit_reason.empty()) {
    parent->exit_reason = outcome.reason;
    if (parent->request->probe.action == ProbeRules::ExitAction::kAnswer) {
      parent->exit_answer = outcome.answer;
    }
  }
  if (parent->request->on_probe) parent->request->on_probe(parent->sample, record);
}

bool Scheduler::exit_if_due(Slot& slot) {
  if (slot.exit_reason.empty()) return false;
  BudgetForcer& forcer = *slot.forcer;
  if (forcer.phase() != Phase::kThinking) {
    slot.exit_reason.clear();
    return false;
  }
  if (!forcer.can_end_thinking()) return false;  // below the floor: wait for it
  std::optional<ForcedText> answer;
  if (!slot.exit_answer.empty()) {
    // After the cap suffix ("Final Answer:"), as the probe wrote it; not decoded.
    answer.emplace();
    answer->text = probed_answer_text(slot.exit_answer);
    answer->tokens = model_.tokenize(answer->text, false);
  }
  Decision d = forcer.end_thinking(slot.exit_reason, answer ? &*answer : nullptr);
  slot.exit_reason.clear();
  slot.exit_answer.clear();
  ++stats_.exits;
  d.keep_token = false;
  apply(slot, 0, d);
  return true;
}

bool Scheduler::end_thinking(int request_id, const std::string& reason) {
  bool found = false;
  for (auto& sp : slots_) {
    Slot& s = *sp;
    if (!s.serves_request() || s.request_id != request_id) continue;
    found = true;
    if (s.exit_reason.empty()) s.exit_reason = reason;
  }
  // Samples still queued end thinking as soon as they can.
  for (Pending& p : queue_) {
    if (p.id != request_id) continue;
    found = true;
    if (p.exit_reason.empty()) p.exit_reason = reason;
  }
  return found;
}

}  // namespace s1
