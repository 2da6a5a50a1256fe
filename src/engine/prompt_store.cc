#include "engine/prompt_store.h"

#include <algorithm>

namespace s1 {

size_t common_prefix(const TokenSeq& a, const TokenSeq& b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

bool PromptStore::wants(const TokenSeq& tokens, size_t bytes) const {
  if (!enabled() || tokens.empty()) return false;
  if (limit_ > 0 && static_cast<int64_t>(bytes) > limit_) return false;
  return std::none_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
    return common_prefix(e.tokens, tokens) == tokens.size();
  });
}

bool PromptStore::put(Entry entry) {
  if (!wants(entry.tokens, entry.state.size())) return false;
  // Entries the new one holds all of are worth nothing beside it.
  for (size_t i = entries_.size(); i-- > 0;) {
    if (common_prefix(entries_[i].tokens, entry.tokens) == entries_[i].tokens.size()) {
      bytes_ -= static_cast<int64_t>(entries_[i].state.size());
      entries_.erase(entries_.begin() + static_cast<long>(i));
    }
  }
  const auto size = static_cast<int64_t>(entry.state.size());
  while (limit_ > 0 && !entries_.empty() && bytes_ + size > limit_) {
    bytes_ -= static_cast<int64_t>(entries_.front().state.size());
    entries_.erase(entries_.begin());
  }
  bytes_ += size;
  entries_.push_back(std::move(entry));
  return true;
}

std::optional<PromptStore::Match> PromptStore::best(const TokenSeq& prompt, size_t resident_shared,
                                                    size_t resident_size) const {
  if (prompt.empty()) return std::nullopt;
  // Fractions as llama-server's: of the prompt that a state covers (sim), and of the
  // state that the prompt keeps (keep). An empty sequence keeps nothing: any entry wins.
  double best_keep = resident_size > 0 ? static_cast<double>(resident_shared) / static_cast<double>(resident_size) : -1.0;
  double best_sim = static_cast<double>(resident_shared) / static_cast<double>(prompt.size());
  std::optional<Match> found;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const size_t shared = common_prefix(entries_[i].tokens, prompt);
    // The prompt's last token is decoded in any case (its row gives the first sample).
    const size_t usable = std::min(shared, prompt.size() - 1);
    const double keep = static_cast<double>(shared) / static_cast<double>(entries_[i].tokens.size());
    const double sim = static_cast<double>(usable) / static_cast<double>(prompt.size());
    if (keep < 0.25) continue;
    if (keep > best_keep && sim > best_sim) {
      best_keep = keep;
      best_sim = sim;
      found = Match{i, usable};
    }
  }
  return found;
}

PromptStore::Entry PromptStore::take(size_t index) {
  Entry e = std::move(entries_.at(index));
  entries_.erase(entries_.begin() + static_cast<long>(index));
  bytes_ -= static_cast<int64_t>(e.state.size());
  return e;
}

int64_t PromptStore::tokens() const {
  int64_t n = 0;
  for (const Entry& e : entries_) n += static_cast<int64_t>(e.tokens.size());
  return n;
}

}  // namespace s1
