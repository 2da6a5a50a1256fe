// The prefix cache in the scheduler: which free sequence a prompt takes and what of
// its cache it keeps, the bound on cached tokens and eviction (least recently used
// first), and copies of a prefix from a sequence still running.
#include <algorithm>

#include "engine/scheduler.h"
#include "engine/prompt_store.h"
#include "engine/scheduler_slot.h"

namespace s1 {

bool Scheduler::worth_less(const Slot& a, const Slot& b) {
  // Empty first, then the least recently used cache.
  if (a.decoded.empty() != b.decoded.empty()) return a.decoded.empty();
  return a.last_used < b.last_used;
}

std::vector<Scheduler::Slot*> Scheduler::pick_free_slots(const GenerationRequest& request,
                                                         size_t n, size_t* reuse) {
  std::vector<Slot*> free;
  for (auto& s : slots_) {
    if (!s->active()) free.push_back(s.get());
  }
  std::stable_sort(free.begin(), free.end(),
                   [](const Slot* a, const Slot* b) { return worth_less(*a, *b); });
  *reuse = 0;
  if (settings_.cache_tokens != 0 && request.cache_prompt) {
    size_t best = 0, at = 0;
    for (size_t i = 0; i < free.size(); ++i) {
      const size_t lcp = common_prefix(free[i]->decoded, request.prompt);
      if (lcp > best) best = lcp, at = i;
    }
    // As llama-server: a cache is worth taking when it holds a tenth of the prompt or
    // more; a shorter match would spend a more useful cache on a few tokens.
    if (best > 0 && best * 10 >= request.prompt.size()) {
      std::rotate(free.begin(), free.begin() + static_cast<long>(at),
                  free.begin() + static_cast<long>(at) + 1);
    }
    // Whatever chose the slot, the prefix its cache shares with the prompt is kept (as
    // llama-server keeps a slot's); the last prompt token is decoded again: its row
    // gives the first sample.
    if (!free.empty()) {
      *reuse = std::min(common_prefix(free[0]->decoded, request.prompt), request.prompt.size() - 1);
    }
  }
  if (free.size() > n) free.resize(n);
  return free;
}

void Scheduler::evict(Slot& slot) {
  if (slot.decoded.empty()) return;
  save_to_store(slot);
  llama_memory_seq_rm(llama_get_memory(ctx_.get()), slot.seq_id, -1, -1);
  slot.decoded.clear();
  ++stats_.cache_evictions;
}

void Scheduler::trim_cache(int needed) {
  const int64_t bound = settings_.cache_tokens;
  if (bound < 0 && !settings_.unified_kv) return;  // each cache has its own stream
  const int64_t cells = static_cast<int64_t>(llama_n_ctx(ctx_.get()));
  for (;;) {
    Slot* oldest = nullptr;
    int64_t cached = 0;
    for (auto& s : slots_) {
      if (s->active() || s->decoded.empty()) continue;
      cached += static_cast<int64_t>(s->decoded.size());
      if (!oldest || s->last_used < oldest->last_used) oldest = s.get();
    }
    if (!oldest) return;
    const bool over_bound = bound >= 0 && cached > bound;
    // One KV buffer: idle caches share the cells running sequences need.
    const bool no_room = settings_.unified_kv && used_cells() + cached + needed > cells;
    if (!over_bound && !no_room) return;
    evict(*oldest);
  }
}

void Scheduler::save_to_store(const Slot& slot) {
  if (!store_.enabled() || slot.decoded.empty()) return;
  llama_context* ctx = ctx_.get();
  const size_t size = llama_state_seq_get_size_ext(ctx, slot.seq_id, 0);
  if (!store_.wants(slot.decoded, size)) return;
  PromptStore::Entry entry{slot.decoded, std::vector<uint8_t>(size)};
  if (llama_state_seq_get_data_ext(ctx, entry.state.data(), size, slot.seq_id, 0) != size) return;
  if (store_.put(std::move(entry))) ++stats_.store_saves;
}

size_t Scheduler::restore_from_store(Slot& slot, const TokenSeq& prompt, size_t reuse) {
  const auto match = store_.best(prompt, reuse, slot.decoded.size());
  if (!match) return reuse;
  // Taken out first: saving the slot's cache may make room by dropping old entries.
  PromptStore::Entry entry = store_.take(match->index);
  save_to_store(slot);
  if (!slot.decoded.empty()) ++stats_.cache_evictions;
  slot.decoded.clear();
  // llama.cpp empties the sequence before it writes the state (and on failure).
  const size_t read =
      llama_state_seq_set_data_ext(ctx_.get(), entry.state.data(), entry.state.size(), slot.seq_id, 0);
  if (read != entry.state.size()) {
    llama_memory_seq_rm(llama_get_memory(ctx_.get()), slot.seq_id, -1, -1);
    return 0;
  }
  slot.decoded = std::move(entry.tokens);
  ++stats_.store_restores;
  return std::min(match->shared, prompt.size() - 1);
}

Scheduler::Slot* Scheduler::running_prefix(const TokenSeq& prompt, size_t* shared) {
  Slot* best = nullptr;
  *shared = 0;
  if (settings_.cache_tokens == 0) return nullptr;
  for (auto& sp : slots_) {
    Slot& a = *sp;
    // Only a sequence that decodes its own prompt (not a sample waiting for a copy).
    if (a.state != SlotState::kPrompt && a.state != SlotState::kGenerating) continue;
    const size_t lcp = common_prefix(a.request->prompt, prompt);
    if (lcp > *shared) *shared = lcp, best = &a;
  }
  if (!best || *shared * 10 < prompt.size()) return nullptr;
  *shared = std::min(*shared, prompt.size() - 1);
  return *shared > 0 ? best : nullptr;
}

void Scheduler::copy_shared_prefixes() {
  llama_memory_t mem = llama_get_memory(ctx_.get());
  for (auto& sp : slots_) {
    Slot& s = *sp;
    if (s.state == SlotState::kFollowing) {
      // A follower whose leader is gone (another request's, cancelled) decodes alone.
      const bool alive = std::any_of(slots_.begin(), slots_.end(), [&](const auto& l) {
        return l->active() && l->seq_id == s.leader && l->epoch == s.leader_epoch;
      });
      if (!alive) {
        s.leader = -1;
        s.state = SlotState::kPrompt;
        s.pending = s.request->prompt;
      }
      continue;
    }
    if (s.state != SlotState::kCopying) continue;
    Slot& a = *s.source;
    const TokenSeq& prompt = s.request->prompt;
    const auto shared = static_cast<size_t>(s.shared);
    if (!a.active() || a.epoch != s.source_epoch) {
      // The source ended first: decode the whole prompt.
      s.source = nullptr;
      s.state = SlotState::kPrompt;
      s.pending = prompt;
      continue;
    }
    // Cells written in earlier steps only (n_past also counts this step's batch, built
    // after this).
    if (a.decoded.size() < shared ||
        !std::equal(prompt.begin(), prompt.begin() + static_cast<long>(shared), a.decoded.begin())) {
      continue;
    }
    if (settings_.unified_kv) {
      llama_memory_seq_cp(mem, a.seq_id, s.seq_id, 0, static_cast<llama_pos>(shared));
    } else {
      // Across streams llama.cpp copies a whole stream; the rest is dropped.
      llama_memory_seq_cp(mem, a.seq_id, s.seq_id, -1, -1);
      llama_memory_seq_rm(mem, s.seq_id, static_cast<llama_pos>(shared), -1);
    }
    s.decoded.assign(prompt.begin(), prompt.begin() + static_cast<long>(shared));
    s.n_past = static_cast<int>(shared);
    s.pending.assign(prompt.begin() + static_cast<long>(shared), prompt.end());
    s.result.cached_tokens = static_cast<int>(shared);
    s.source = nullptr;
    s.state = SlotState::kPrompt;
    ++stats_.cache_hits;
    stats_.cache_reused_tokens += static_cast<int64_t>(shared);
  }
}

}  // namespace s1
