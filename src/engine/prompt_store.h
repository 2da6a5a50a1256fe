// Host memory for prompts the prefix cache drops (llama-server's --cache-ram): when a
// sequence's cache is about to be overwritten, its KV state is copied out here, keyed by
// its tokens; a later prompt that starts like a stored one gets it copied back into its
// sequence instead of decoding it again. Ten conversations on a server with four
// sequences then each find their history.
//
// The store keeps opaque state blobs (llama_state_seq_get_data_ext's bytes) and never
// calls llama.cpp: the scheduler reads and writes the states. Not thread-safe (the
// scheduler's thread owns it). Entries are dropped oldest first to stay within the limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/budget_forcing.h"

namespace s1 {

// How many tokens `a` and `b` share from the start.
size_t common_prefix(const TokenSeq& a, const TokenSeq& b);

class PromptStore {
 public:
  struct Entry {
    TokenSeq tokens;             // the tokens whose cells `state` holds, positions 0..n-1
    std::vector<uint8_t> state;  // llama_state_seq_get_data_ext() of their sequence
  };

  // limit_bytes: the most the states may take together (0: off, nothing is stored;
  // negative: no limit).
  explicit PromptStore(int64_t limit_bytes) : limit_(limit_bytes) {}

  bool enabled() const { return limit_ != 0; }

  // Whether put() would keep a state of `bytes` for `tokens`: the store is on, the state
  // fits the limit alone, and no entry already holds all of `tokens` (a longer one that
  // starts with them, or the same). Lets the caller skip reading a state it would drop.
  bool wants(const TokenSeq& tokens, size_t bytes) const;

  // Stores `entry` when wants() says so: entries whose tokens it holds all of go, then the
  // oldest until it fits. Returns whether it was stored.
  bool put(Entry entry);

  // The stored entry most worth restoring for `prompt` into a sequence whose cache shares
  // `resident_shared` of its `resident_size` tokens with it (as llama-server chooses): it
  // must share more of the prompt and keep a larger part of itself than the resident
  // cache does, and keep at least a quarter of itself (restoring a long state for a few
  // tokens would trade much for little). `resident_shared` counts at most all but the
  // prompt's last token, which is decoded in any case; so does the Match's `shared`.
  // Returns the entry's index and the tokens of `prompt` it spares, or nothing.
  struct Match {
    size_t index = 0;
    size_t shared = 0;
  };
  std::optional<Match> best(const TokenSeq& prompt, size_t resident_shared,
                            size_t resident_size) const;

  // Removes entry `index` and gives it to the caller (restored, it lives in the KV cache
  // again; dropped from there later, it comes back through put()).
  Entry take(size_t index);

  size_t entries() const { return entries_.size(); }
  int64_t bytes() const { return bytes_; }
  int64_t tokens() const;

 private:
  int64_t limit_;
  int64_t bytes_ = 0;
  std::vector<Entry> entries_;  // oldest first
};

}  // namespace s1
