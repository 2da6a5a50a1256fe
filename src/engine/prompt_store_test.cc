// The host-memory prompt store: its bookkeeping with fake states, then through the
// scheduler on the tiny random-weight model (real KV states copied out and back).
#include "engine/prompt_store.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/scheduler.h"
#include "logit_rows.h"
#include "scheduler_runs.h"
#include "tiny_model_fixture.h"

namespace s1 {
namespace {

PromptStore::Entry entry(TokenSeq tokens, size_t bytes) {
  return {std::move(tokens), std::vector<uint8_t>(bytes, 7)};
}

TEST(PromptStore, OffStoresNothing) {
  PromptStore store(0);
  EXPECT_FALSE(store.enabled());
  EXPECT_FALSE(store.wants({1, 2, 3}, 10));
  EXPECT_FALSE(store.put(entry({1, 2, 3}, 10)));
  EXPECT_EQ(store.entries(), 0u);
}

TEST(PromptStore, KeepsWhatNoEntryHoldsAndDropsWhatTheNewOneHolds) {
  PromptStore store(-1);  // no limit
  EXPECT_TRUE(store.put(entry({1, 2, 3, 4}, 40)));
  // Held all of already (a prefix, or the same): nothing to add.
  EXPECT_FALSE(store.wants({1, 2}, 20));
  EXPECT_FALSE(store.put(entry({1, 2, 3, 4}, 40)));
  EXPECT_FALSE(store.wants({}, 0));
  // A longer one replaces the entry it holds all of; one that parts keeps both.
  EXPECT_TRUE(store.put(entry({1, 2, 3, 4, 5, 6}, 60)));
  EXPECT_EQ(store.entries(), 1u);
  EXPECT_TRUE(store.put(entry({1, 2, 9}, 30)));
  EXPECT_EQ(store.entries(), 2u);
  EXPECT_EQ(store.bytes(), 90);
  EXPECT_EQ(store.tokens(), 9);
}

TEST(PromptStore, TheOldestGoFirstToStayWithinTheLimit) {
  PromptStore store(100);
  ASSERT_TRUE(store.put(entry({1}, 40)));
  ASSERT_TRUE(store.put(entry({2}, 40)));
  ASSERT_TRUE(store.put(entry({3}, 40)));  // {1} goes
  EXPECT_EQ(store.entries(), 2u);
  EXPECT_EQ(store.bytes(), 80);
  EXPECT_FALSE(store.best({1, 5}, 0, 0).has_value());
  EXPECT_TRUE(store.best({2, 5}, 0, 0).has_value());
  // Larger than the whole limit: not stored, and nothing is dropped for it.
  EXPECT_FALSE(store.put(entry({4}, 101)));
  EXPECT_EQ(store.entries(), 2u);
}

TEST(PromptStore, BestMustBeatTheResidentCacheAndKeepAQuarterOfItself) {
  PromptStore store(-1);
  store.put(entry({1, 2, 3, 4, 5, 6, 7, 8}, 8));  // index 0
  // One token of eight: under a quarter of the entry, not worth restoring.
  EXPECT_FALSE(store.best({1, 40}, 0, 0).has_value());
  EXPECT_TRUE(store.best({1, 2, 40}, 0, 0).has_value());
  store.put(entry({1, 2, 9, 9}, 4));              // index 1
  const TokenSeq prompt = {1, 2, 3, 4, 5, 6, 20, 21};
  // An empty sequence: the entry sharing most wins.
  auto m = store.best(prompt, 0, 0);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->index, 0u);
  EXPECT_EQ(m->shared, 6u);
  // A resident cache that already shares as much of the prompt: nothing to gain.
  EXPECT_FALSE(store.best(prompt, 6, 8).has_value());
  // Sharing the whole prompt spares no more than all but its last token.
  EXPECT_EQ(store.best({1, 2, 3, 4}, 0, 0)->shared, 3u);
  EXPECT_FALSE(store.best({1, 2, 3, 4}, 3, 8).has_value());
  // Two tokens of the long entry (a quarter of it), three of the short one: the short one
  // spares more of the prompt and keeps more of itself.
  m = store.best({1, 2, 9, 30}, 0, 0);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->index, 1u);
  // Taken out, it is gone from the store.
  const PromptStore::Entry e = store.take(0);
  EXPECT_EQ(e.tokens.size(), 8u);
  EXPECT_EQ(store.entries(), 1u);
  EXPECT_EQ(store.bytes(), 4);
}

class PromptStoreScheduler : public test::TinyModelTest {
 protected:
  // One sequence, so a second conversation overwrites the first one's cache.
  static ContextSettings one_sequence(int cache_ram_mib, bool unified) {
    ContextSettings ctx;
    ctx.n_ctx = 1024;
    ctx.n_parallel = 1;
    ctx.n_threads = 1;
    ctx.unified_kv = unified;
    ctx.cache_ram_mib = cache_ram_mib;
    return ctx;
  }
  static GenerationRequest conversation(const std::string& user) {
    return test::raw_conversation(*model_, user, {8, 0, 0, 4});
  }
  static std::string repeat(const std::string& word, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += word;
    return s;
  }
};

// Conversation A, then B on the one sequence (A's cache is overwritten), then A's next
// turn: with host memory A's cells come back and only the new turn is decoded, and the
// rows match those of a run where A's cache stayed in place (within the stated
// tolerance: the cells are the same bytes, but a restore may lay them out elsewhere).
// Without host memory A's turn decodes all but what it shares with B.
TEST_F(PromptStoreScheduler, AConversationComesBackFromHostMemory) {
  const GenerationRequest a = conversation(repeat(" apples", 60));
  const GenerationRequest b = conversation(repeat(" pears", 60));
  GenerationRequest a_next = a;
  const TokenSeq more = model_->tokenize(" And what about plums?", false);
  a_next.prompt.insert(a_next.prompt.end(), more.begin(), more.end());
  size_t shared_with_b = 0;
  while (a.prompt[shared_with_b] == b.prompt[shared_with_b]) ++shared_with_b;

  for (bool unified : {false, true}) {
    SCOPED_TRACE(unified ? "one KV buffer" : "a KV stream per sequence");
    // A's cache in place: the rows to match.
    std::vector<std::vector<float>> resident_rows, restored_rows;
    Scheduler resident(*model_, *vocab_, one_sequence(0, unified));
    test::run_on(resident, a);
    const SequenceResult in_place = test::run_on(resident, a_next, &resident_rows);
    ASSERT_GE(in_place.cached_tokens, static_cast<int>(a.prompt.size()));

    Scheduler s(*model_, *vocab_, one_sequence(64, unified));
    test::run_on(s, a);
    test::run_on(s, b);
    EXPECT_EQ(s.stats().store_saves, 1);
    EXPECT_EQ(s.prompt_store().entries(), 1u);
    EXPECT_GT(s.prompt_store().bytes(), 0);
    const int64_t decoded_before = s.stats().prompt_tokens;
    const SequenceResult back = test::run_on(s, a_next, &restored_rows);
    EXPECT_EQ(s.stats().store_restores, 1);
    EXPECT_EQ(back.cached_tokens, in_place.cached_tokens);
    EXPECT_EQ(s.stats().prompt_tokens - decoded_before,
              static_cast<int64_t>(a_next.prompt.size()) - back.cached_tokens);
    // B's cache went to host memory in turn; A's is in the sequence, not stored twice.
    EXPECT_EQ(s.prompt_store().entries(), 1u);
    EXPECT_GE(test::expect_rows_close(restored_rows, resident_rows, "restored vs in place"), 4u);

    // Off: A's turn finds only what it shares with B.
    Scheduler off(*model_, *vocab_, one_sequence(0, unified));
    test::run_on(off, a);
    test::run_on(off, b);
    EXPECT_EQ(test::run_on(off, a_next).cached_tokens, static_cast<int>(shared_with_b));
    EXPECT_EQ(off.stats().store_saves, 0);
    EXPECT_EQ(off.prompt_store().entries(), 0u);
  }
}

// A request that opts out of the cache (cache_prompt: false) is not given a stored state.
TEST_F(PromptStoreScheduler, ARequestWithoutTheCacheGetsNoStoredState) {
  Scheduler s(*model_, *vocab_, one_sequence(64, false));
  const GenerationRequest a = conversation(repeat(" apples", 60));
  test::run_on(s, a);
  test::run_on(s, conversation(repeat(" pears", 60)));
  ASSERT_EQ(s.prompt_store().entries(), 1u);
  GenerationRequest again = a;
  again.cache_prompt = false;
  EXPECT_EQ(test::run_on(s, again).cached_tokens, 0);
  EXPECT_EQ(s.stats().store_restores, 0);
  // With the cache, B (stored when `again` took the sequence) comes back.
  const GenerationRequest b = conversation(repeat(" pears", 60));
  EXPECT_EQ(test::run_on(s, b).cached_tokens, static_cast<int>(b.prompt.size()) - 1);
  EXPECT_EQ(s.stats().store_restores, 1);
}

}  // namespace
}  // namespace s1
