// Budget forcing through the real engine, on generated random-weight models with the
// real Qwen2 tokenizer.
#include "engine/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "engine/forcing_vocab.h"
#include "engine/prompt.h"
#include "logit_rows.h"
#include "scheduler_runs.h"
#include "test_util.h"
#include "tiny_model_fixture.h"

namespace s1 {
namespace {

using test::expect_rows_close;
using test::kRowTolerance;
using test::max_difference;
using test::run_bounded;
using test::run_on;

class SchedulerTest : public test::TinyModelTest {
 protected:
  static void SetUpTestSuite() {
    TinyModelTest::SetUpTestSuite();
    trigger_ = model_->tokenize("<|im_start|>", true).at(0);
  }

  static GenerationRequest from_prompt(const Prompt& p, BudgetRules rules) {
    GenerationRequest r;
    r.prompt = p.tokens;
    r.prompt_ends_with_newline = p.ends_with_newline;
    r.rules = rules;
    return r;
  }
  static GenerationRequest request(const std::string& question, BudgetRules rules,
                                   const std::string& system = "") {
    return from_prompt(build_prompt(*model_, *format_, question_messages(question, system)), rules);
  }

  // `parallel` sequences of `per_sequence` cells each, one thread (ctest runs tests in
  // parallel: one thread each never oversubscribes).
  static ContextSettings context(int parallel, int per_sequence, bool unified = false) {
    ContextSettings ctx;
    ctx.n_ctx = parallel * per_sequence;
    ctx.n_parallel = parallel;
    ctx.n_threads = 1;
    ctx.unified_kv = unified;
    return ctx;
  }

  // Runs one request alone and returns its samples.
  static std::vector<SequenceResult> run(GenerationRequest r, int n_ctx = 4096,
                                         SchedulerStats* stats = nullptr, int n_threads = 1) {
    ContextSettings ctx;
    ctx.n_ctx = n_ctx;
    ctx.n_parallel = r.n_samples;
    ctx.n_threads = n_threads;  // 1: ctest runs tests in parallel, never oversubscribed
    Scheduler s(*model_, *vocab_, ctx);
    std::vector<SequenceResult> out(static_cast<size_t>(r.n_samples));
    r.on_done = [&](int i, const SequenceResult& res) { out[static_cast<size_t>(i)] = res; };
    s.submit(std::move(r));
    s.run();
    EXPECT_EQ(s.busy_sequences(), 0);
    EXPECT_EQ(s.used_cells(), 0);
    if (stats) *stats = s.stats();
    return out;
  }

  static void bias_trigger(GenerationRequest& r, float bias) {
    r.thinking_sampling.logit_bias = {{trigger_, bias}};
  }

  static int count(const SequenceResult& r, ForcingKind kind) {
    int n = 0;
    for (const auto& e : r.events) n += e.kind == kind;
    return n;
  }

  static inline Token trigger_ = 0;
};

TEST_F(SchedulerTest, DetectsTheS1Format) {
  EXPECT_EQ(format_->name, "s1");
  EXPECT_EQ(vocab_->end_delimiter.tokens.size(), 2u);  // <|im_start|> answer
}

TEST_F(SchedulerTest, CapHoldsToTheToken) {
  for (int cap : {1, 7, 64}) {
    auto r = run(request("What is 1+1?", {cap, 0, 0, 8}));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].thinking_tokens + r[0].events.back().retracted, cap) << cap;
    ASSERT_EQ(count(r[0], ForcingKind::kCap), 1);
    EXPECT_EQ(r[0].events.back().thinking_tokens, r[0].thinking_tokens);
    EXPECT_NE(r[0].answer.find("Final Answer:"), std::string::npos);
    EXPECT_EQ(r[0].answer_tokens, 8);
    EXPECT_EQ(r[0].finish_reason, FinishReason::kLength);
  }
}

TEST_F(SchedulerTest, ZeroCapAnswersWithoutThinking) {
  SchedulerStats stats;
  auto r = run(request("What is 1+1?", {0, 0, 0, 3}), 4096, &stats);
  EXPECT_EQ(r[0].thinking_tokens, 0);
  // The prompt ends with <|im_start|>think: the cap decodes "\n" before the delimiter,
  // but that closes thinking and is not shown as thinking.
  EXPECT_EQ(r[0].thinking, "");
  ASSERT_EQ(r[0].events.size(), 1u);
  EXPECT_EQ(r[0].events[0].kind, ForcingKind::kCap);
  EXPECT_EQ(r[0].events[0].text.rfind("\n<|im_start|>answer", 0), 0u);
  EXPECT_EQ(r[0].answer.rfind("\nFinal Answer:", 0), 0u);
  EXPECT_EQ(r[0].answer_tokens, 3);
  EXPECT_EQ(stats.decoded_tokens, r[0].prompt_tokens + r[0].sampled_tokens + r[0].injected_tokens);

  auto none = run(request("What is 1+1?", {0, 0, 0, 0}));
  EXPECT_EQ(none[0].sampled_tokens, 0);
  EXPECT_EQ(none[0].answer_tokens, 0);
  EXPECT_EQ(none[0].finish_reason, FinishReason::kLength);
}

TEST_F(SchedulerTest, TwoIgnoresThenTheEnd) {
  auto req = request("What is 2+2?", {-1, 0, 2, 4});
  bias_trigger(req, 100.0f);
  auto r = run(std::move(req));
  ASSERT_EQ(r[0].events.size(), 3u);
  EXPECT_EQ(count(r[0], ForcingKind::kIgnore), 2);
  EXPECT_EQ(r[0].events[0].text, "Wait");
  EXPECT_EQ(r[0].events[2].kind, ForcingKind::kEnd);
  EXPECT_EQ(r[0].thinking, "WaitWait");
  EXPECT_EQ(r[0].answer_tokens, 4);
}

TEST_F(SchedulerTest, MinThinkHolds) {
  auto req = request("What is 3+3?", {-1, 40, 0, 4});
  bias_trigger(req, 100.0f);
  auto r = run(std::move(req));
  EXPECT_GE(r[0].thinking_tokens, 40);
  EXPECT_EQ(r[0].events.back().kind, ForcingKind::kEnd);
  for (size_t i = 0; i + 1 < r[0].events.size(); ++i) {
    EXPECT_EQ(r[0].events[i].reason, "min_think");
    EXPECT_LT(r[0].events[i].thinking_tokens, 40);
  }
}

TEST_F(SchedulerTest, MaxAnswerHolds) {
  auto r = run(request("Say something.", {16, 0, 0, 5}));
  EXPECT_EQ(r[0].answer_tokens, 5);
  EXPECT_EQ(r[0].finish_reason, FinishReason::kLength);
}

TEST_F(SchedulerTest, GreedyIsRepeatable) {
  auto a = run(request("Is greedy decoding deterministic?", {48, 0, 1, 16}));
  auto b = run(request("Is greedy decoding deterministic?", {48, 0, 1, 16}));
  EXPECT_EQ(a[0].thinking, b[0].thinking);
  EXPECT_EQ(a[0].answer, b[0].answer);
  EXPECT_FALSE(a[0].thinking.empty());
}

TEST_F(SchedulerTest, SamplesDrawnOnThreadsAreTheSame) {
  auto req = [] {
    auto r = request("Draw in parallel.", {40, 0, 0, 4});
    r.n_samples = 6;
    r.thinking_sampling.temperature = 1.0f;
    r.thinking_sampling.seed = 11;
    r.answer_sampling = r.thinking_sampling;
    return r;
  };
  const auto one = run(req(), 4096, nullptr, 1);
  const auto two = run(req(), 4096, nullptr, 2);  // draws split over two threads
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].thinking, two[i].thinking) << "sample " << i;
    EXPECT_EQ(one[i].answer, two[i].answer) << "sample " << i;
  }
  EXPECT_NE(one[0].thinking, one[1].thinking);  // distinct streams
}

TEST_F(SchedulerTest, SequencesMoveDownAsOthersFinish) {
  // A short request finishes first; the long ones move into its KV stream and go on as
  // they would in one shared KV buffer, where nothing moves: their logits agree within
  // the stated tolerance (not bit for bit: the layouts sum in different orders).
  using Rows = std::vector<std::vector<float>>;
  auto go = [](bool unified, SchedulerStats* stats, std::vector<Rows>* rows) {
    ContextSettings ctx;
    ctx.n_ctx = 3 * 256;
    ctx.n_parallel = 3;
    ctx.n_threads = 1;
    ctx.unified_kv = unified;
    Scheduler s(*model_, *vocab_, ctx);
    std::vector<SequenceResult> out(3);
    rows->assign(3, {});
    const BudgetRules rules[3] = {{2, 0, 0, 1}, {60, 0, 0, 8}, {40, 0, 0, 8}};
    for (int i = 0; i < 3; ++i) {
      auto req = request("Question number " + std::to_string(i), rules[i]);
      req.on_done = [&out, i](int, const SequenceResult& r) { out[static_cast<size_t>(i)] = r; };
      req.on_logits = [rows, i](int, const float* row, int n) {
        (*rows)[static_cast<size_t>(i)].emplace_back(row, row + n);
      };
      s.submit(std::move(req));
    }
    s.run();
    EXPECT_EQ(s.used_cells(), 0);
    EXPECT_EQ(s.busy_sequences(), 0);
    *stats = s.stats();
    return out;
  };
  SchedulerStats split, unified;
  std::vector<Rows> moved_rows, shared_rows;
  const auto moved = go(false, &split, &moved_rows);
  const auto shared = go(true, &unified, &shared_rows);
  EXPECT_GE(split.moved_sequences, 1);
  EXPECT_EQ(unified.moved_sequences, 0);
  for (size_t i = 0; i < 3; ++i) {
    const size_t compared =
        expect_rows_close(moved_rows[i], shared_rows[i], "request " + std::to_string(i));
    // The move happens once request 0 is done (a few steps in): rows after it count.
    if (i > 0) {
      EXPECT_GE(compared, 16u) << "request " << i;
    }
  }
  // The tolerance tells contexts apart: the rows of two requests differ far beyond it.
  ASSERT_GE(moved_rows[1].size(), 16u);
  ASSERT_GE(moved_rows[2].size(), 16u);
  float scale = 1.0f;
  for (float v : moved_rows[1][15]) scale = std::max(scale, std::fabs(v));
  EXPECT_GT(max_difference(moved_rows[1][15], moved_rows[2][15]), 10 * kRowTolerance * scale);
  // Every rule holds in both layouts, whatever the text.
  for (const auto* run : {&moved, &shared}) {
    EXPECT_EQ((*run)[1].thinking_tokens, 60);
    EXPECT_EQ((*run)[2].thinking_tokens, 40);
    EXPECT_EQ((*run)[1].events.back().kind, ForcingKind::kCap);
  }
}

TEST_F(SchedulerTest, NoRePrefill) {
  auto req = request("Count the tokens.", {30, 0, 2, 6});
  bias_trigger(req, 6.0f);  // ends now and then, so ignores and the cap both happen
  req.n_samples = 3;
  req.thinking_sampling.temperature = 1.0f;
  req.thinking_sampling.seed = 7;
  SchedulerStats stats;
  auto r = run(std::move(req), 4096, &stats);
  int64_t sampled = 0, injected = 0;
  for (const auto& s : r) {
    sampled += s.sampled_tokens;
    injected += s.injected_tokens;
  }
  // The prompt is decoded once for the three samples.
  EXPECT_EQ(stats.prompt_tokens, r[0].prompt_tokens);
  EXPECT_EQ(stats.decoded_tokens, r[0].prompt_tokens + sampled + injected);
  EXPECT_EQ(stats.sampled_tokens, sampled);
  EXPECT_EQ(stats.injected_tokens, injected);
}

TEST_F(SchedulerTest, EachSequenceFollowsItsOwnBudget) {
  ContextSettings ctx;
  ctx.n_ctx = 4096;
  ctx.n_parallel = 4;
  ctx.n_threads = 1;  // ctest runs tests in parallel: one thread each never oversubscribes
  Scheduler s(*model_, *vocab_, ctx);
  const BudgetRules rules[4] = {{5, 0, 0, 3}, {-1, 0, 1, 3}, {-1, 0, 3, 3}, {-1, 12, 0, 3}};
  std::vector<SequenceResult> out(4);
  for (int i = 0; i < 4; ++i) {
    auto req = request("Question " + std::to_string(i), rules[i]);
    if (i > 0) bias_trigger(req, 100.0f);
    req.on_done = [&out, i](int, const SequenceResult& r) { out[static_cast<size_t>(i)] = r; };
    s.submit(std::move(req));
  }
  EXPECT_EQ(s.busy_sequences(), 4);
  s.run();
  EXPECT_EQ(count(out[0], ForcingKind::kCap), 1);
  EXPECT_EQ(out[0].thinking_tokens, 5);
  EXPECT_EQ(count(out[1], ForcingKind::kIgnore), 1);
  EXPECT_EQ(count(out[2], ForcingKind::kIgnore), 3);
  EXPECT_EQ(out[3].thinking_tokens, 12);  // one "Wait" per attempt until 12
  EXPECT_EQ(count(out[3], ForcingKind::kIgnore), 12);
  for (int i = 1; i < 4; ++i) EXPECT_EQ(out[static_cast<size_t>(i)].events.back().kind, ForcingKind::kEnd);
  EXPECT_EQ(s.used_cells(), 0);
}

TEST_F(SchedulerTest, CapNeverCutsACharacterWithTheRealTokenizer) {
  // Find a byte-level token that starts a 3-byte character and never finishes one.
  Token lead = -1;
  for (Token t = 0; t < model_->n_vocab() && lead < 0; ++t) {
    if (model_->piece(t) == "\xE4") lead = t;
  }
  ASSERT_GE(lead, 0);
  auto req = request("Write Chinese.", {9, 0, 0, 2});
  req.thinking_sampling.logit_bias = {{lead, 100.0f}};
  auto r = run(std::move(req));
  const ForcingEvent& cap = r[0].events.back();
  EXPECT_EQ(cap.kind, ForcingKind::kCap);
  EXPECT_GT(cap.retracted, 0);
  EXPECT_EQ(r[0].thinking_tokens + cap.retracted, 9);
  EXPECT_EQ(r[0].retracted_tokens, cap.retracted - 1);  // the last one was never decoded
}

TEST_F(SchedulerTest, ContextLimits) {
  ContextSettings ctx;
  ctx.n_ctx = 64;
  ctx.n_threads = 1;  // ctest runs tests in parallel: one thread each never oversubscribes
  Scheduler s(*model_, *vocab_, ctx);
  ASSERT_LE(s.sequence_context(), 256);
  std::string long_question(1200, 'x');
  for (size_t i = 0; i < long_question.size(); i += 2) long_question[i] = ' ';
  EXPECT_THROW(s.submit(request(long_question, {})), std::invalid_argument);
  EXPECT_THROW(s.submit(request("hi", {-1, 0, 0, 1000})), std::invalid_argument);
  EXPECT_THROW(s.submit(request("hi", {-1, 500, 0, -1})), std::invalid_argument);
  std::vector<SequenceResult> out(1);
  auto req = request("hi", {1000, 0, 0, -1});
  req.on_done = [&](int, const SequenceResult& r) { out[0] = r; };
  s.submit(std::move(req));
  s.run();
  EXPECT_TRUE(out[0].clamped);
  EXPECT_LT(out[0].max_think, s.sequence_context());
  EXPECT_LE(out[0].prompt_tokens + out[0].thinking_tokens + out[0].answer_tokens, s.sequence_context());
}

TEST_F(SchedulerTest, CancelFreesTheSequence) {
  ContextSettings ctx;
  ctx.n_parallel = 2;
  ctx.n_threads = 1;  // ctest runs tests in parallel: one thread each never oversubscribes
  Scheduler s(*model_, *vocab_, ctx);
  FinishReason reason = FinishReason::kNone;
  auto req = request("long", {200, 0, 0, 10});
  req.n_samples = 2;
  req.on_done = [&](int, const SequenceResult& r) { reason = r.finish_reason; };
  const int id = s.submit(std::move(req));
  for (int i = 0; i < 5; ++i) s.step();
  EXPECT_GT(s.used_cells(), 0);
  EXPECT_TRUE(s.cancel(id));
  EXPECT_EQ(reason, FinishReason::kCancelled);
  EXPECT_EQ(s.busy_sequences(), 0);
  EXPECT_EQ(s.used_cells(), 0);
  EXPECT_FALSE(s.cancel(id));
}


TEST_F(SchedulerTest, EmptyIgnoreStringDrawsAgainInTheSameStep) {
  // An ignored end with nothing to append used to leave the sequence with nothing to
  // decode, and step() returned true on empty batches for ever.
  ForcingSettings fs;
  fs.ignore_strings = {""};
  auto vocab = std::make_shared<ForcingVocab>(make_forcing_vocab(*model_, *format_, fs));
  for (float temperature : {0.0f, 1.0f}) {
    ContextSettings ctx;
    ctx.n_threads = 1;
    ctx.n_parallel = 2;
    Scheduler s(*model_, *vocab_, ctx);
    auto req = request("hi", {-1, 0, 2, 3});
    req.vocab = vocab;
    req.n_samples = 2;  // the second sample draws from its leader's prompt row
    req.thinking_sampling.temperature = temperature;
    req.thinking_sampling.seed = 5;
    bias_trigger(req, 100.0f);  // every draw is an end attempt unless masked
    std::vector<SequenceResult> out(2);
    req.on_done = [&](int i, const SequenceResult& r) { out[static_cast<size_t>(i)] = r; };
    s.submit(std::move(req));
    // Prompt, then per ignore one redraw in the same step, the end, 3 answer tokens.
    run_bounded(s, 16);
    for (const SequenceResult& r : out) {
      ASSERT_EQ(r.events.size(), 3u) << "temperature " << temperature;
      EXPECT_EQ(r.events[0].kind, ForcingKind::kIgnore);
      EXPECT_EQ(r.events[0].text, "");
      EXPECT_EQ(r.events[1].kind, ForcingKind::kIgnore);
      EXPECT_EQ(r.events[2].kind, ForcingKind::kEnd);
      EXPECT_EQ(r.thinking_tokens, 2);  // one redrawn token per ignored end
      EXPECT_NE(r.finish_reason, FinishReason::kCancelled);
      EXPECT_LE(r.answer_tokens, 3);
    }
    EXPECT_EQ(s.busy_sequences(), 0);
    EXPECT_EQ(s.used_cells(), 0);
    EXPECT_EQ(s.stats().refed_tokens, 0);
  }
}

TEST_F(SchedulerTest, EmptyIgnoreStringAfterAMultiTokenTrigger) {
  // " the the" is two tokens: the first is decoded before the second completes the
  // trigger, so the row at hand comes after a token that is taken back. The last kept
  // token is decoded again for a row at the right position, then masked.
  const TokenSeq the = model_->tokenize(" the", false);
  ASSERT_EQ(the.size(), 1u);
  ASSERT_EQ(model_->tokenize(" the the", false), (TokenSeq{the[0], the[0]}));
  ForcingSettings fs;
  fs.think_start = "<think>";
  fs.think_end = " the the";
  fs.ignore_strings = {""};
  const ThinkingFormat format = resolve_thinking_format(*model_, fs);
  const ForcingVocab vocab = make_forcing_vocab(*model_, format, fs);
  ContextSettings ctx;
  ctx.n_threads = 1;
  Scheduler s(*model_, vocab, ctx);
  GenerationRequest req = from_prompt(build_prompt(*model_, format, question_messages("hi", "")),
                                      {-1, 0, 1, 2});
  req.thinking_sampling.logit_bias = {{the[0], 100.0f}};
  SequenceResult out;
  req.on_done = [&](int, const SequenceResult& r) { out = r; };
  s.submit(std::move(req));
  run_bounded(s, 16);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].kind, ForcingKind::kIgnore);
  EXPECT_EQ(out.events[0].retracted, 1);
  EXPECT_EQ(out.events[1].kind, ForcingKind::kEnd);
  EXPECT_EQ(s.stats().refed_tokens, 1);
  EXPECT_EQ(out.thinking.find(" the the"), std::string::npos) << out.thinking;
  EXPECT_EQ(s.used_cells(), 0);
}


TEST_F(SchedulerTest, PrefixCacheReusesAFinishedConversation) {
  for (bool unified : {false, true}) {
    SCOPED_TRACE(unified ? "one KV buffer" : "a KV stream per sequence");
    const ContextSettings ctx = context(2, 1024, unified);
    Scheduler s(*model_, *vocab_, ctx);
    const GenerationRequest first = request("What is 6 times 7?", {12, 0, 0, 4});
    const SequenceResult a = run_on(s, first);
    EXPECT_EQ(a.cached_tokens, 0);
    EXPECT_GE(s.cached_tokens(), a.prompt_tokens);
    // The next turn: the same conversation and more.
    GenerationRequest next = first;
    const TokenSeq more = model_->tokenize(" And what is 6 times 8?", false);
    next.prompt.insert(next.prompt.end(), more.begin(), more.end());
    const int64_t decoded_before = s.stats().prompt_tokens;
    std::vector<std::vector<float>> warm_rows, cold_rows;
    const SequenceResult b = run_on(s, next, &warm_rows);
    EXPECT_EQ(b.cached_tokens, a.prompt_tokens);
    EXPECT_EQ(s.stats().cache_hits, 1);
    EXPECT_EQ(s.stats().prompt_tokens - decoded_before, static_cast<int64_t>(more.size()));
    // The same request cold: the rows agree within the stated tolerance (the cached cells
    // were computed in other batches, which sum in other orders).
    Scheduler cold(*model_, *vocab_, ctx);
    const SequenceResult c = run_on(cold, next, &cold_rows);
    EXPECT_EQ(c.cached_tokens, 0);
    EXPECT_GE(expect_rows_close(warm_rows, cold_rows, "warm vs cold"), 4u);
    EXPECT_EQ(b.thinking_tokens, c.thinking_tokens);
  }
}

// A cache that shares less than a tenth of the prompt is not worth choosing over an
// empty sequence, but the sequence that is taken keeps what its cache shares: with one
// sequence, a new conversation under the same system prompt decodes only what differs.
TEST_F(SchedulerTest, TheTakenSequenceKeepsTheFewTokensItsCacheShares) {
  Scheduler s(*model_, *vocab_, context(1, 1024));
  auto conversation = [](const std::string& user) {
    return test::raw_conversation(*model_, user, {4, 0, 0, 2});
  };
  std::string long_a, long_b;
  for (int i = 0; i < 200; ++i) long_a += " apples", long_b += " pears";
  const GenerationRequest a = conversation(long_a);
  const GenerationRequest b = conversation(long_b);
  size_t shared = 0;
  while (a.prompt[shared] == b.prompt[shared]) ++shared;
  ASSERT_GT(shared, 0u);
  ASSERT_LT(shared * 10, b.prompt.size());  // below the tenth that makes a cache worth choosing
  run_on(s, a);
  const int64_t decoded_before = s.stats().prompt_tokens;
  const SequenceResult r = run_on(s, b);
  EXPECT_EQ(r.cached_tokens, static_cast<int>(shared));
  EXPECT_EQ(s.stats().prompt_tokens - decoded_before, static_cast<int64_t>(b.prompt.size() - shared));
}

TEST_F(SchedulerTest, PrefixCacheSurvivesSequencesMovingDown) {
  Scheduler s(*model_, *vocab_, context(3, 512));
  // A short request finishes in stream 0 while a long one runs above it: the long one
  // moves down, and the short one's cache moves up instead of being overwritten.
  const GenerationRequest short_one = request("Short question?", {2, 0, 0, 1});
  std::vector<SequenceResult> out(2);
  auto a = short_one;
  a.on_done = [&](int, const SequenceResult& r) { out[0] = r; };
  auto b = request("A much longer question about many things?", {80, 0, 0, 4});
  b.on_done = [&](int, const SequenceResult& r) { out[1] = r; };
  s.submit(std::move(a));
  s.submit(std::move(b));
  run_bounded(s, 1000);
  EXPECT_GE(s.stats().moved_sequences, 1);
  EXPECT_EQ(s.cached_cells(), s.cached_tokens());
  const SequenceResult again = run_on(s, short_one);
  EXPECT_EQ(again.cached_tokens, again.prompt_tokens - 1);  // all but the last token
  EXPECT_EQ(again.thinking_tokens, out[0].thinking_tokens);
}

TEST_F(SchedulerTest, AFreshCacheWaitsOutItsGraceBeforeCompactionDropsIt) {
  // Every stream busy: a short request finishes in stream 0 under two long ones, so
  // moving a long one down would drop its cache. Its follow-up comes one step later (a
  // client's round trip): within the grace it finds the cache; without one it does not.
  auto go = [&](int grace, SchedulerStats* stats) {
    ContextSettings ctx = context(3, 512);
    ctx.cache_grace_steps = grace;
    Scheduler s(*model_, *vocab_, ctx);
    const GenerationRequest short_one = request("Short question?", {2, 0, 0, 1});
    bool done = false;
    auto a = short_one;
    a.on_done = [&](int, const SequenceResult&) { done = true; };
    s.submit(std::move(a));
    // The long ones cannot end thinking or generation early: they hold their streams.
    for (const char* q : {"A much longer question about many things?",
                          "Another long question, about other things?"}) {
      GenerationRequest r = request(q, {80, 0, 0, 4});
      for (const char* t : {"<|im_start|>", "<|im_end|>", "<|endoftext|>"}) {
        r.thinking_sampling.logit_bias.emplace_back(model_->tokenize(t, true).at(0), -INFINITY);
      }
      s.submit(std::move(r));
    }
    for (int i = 0; i < 200 && !done; ++i) s.step();
    EXPECT_TRUE(done);
    EXPECT_TRUE(s.step());  // the round trip
    SequenceResult again;
    auto b = short_one;
    b.on_done = [&](int, const SequenceResult& r) { again = r; };
    s.submit(std::move(b));
    run_bounded(s, 1000);
    EXPECT_EQ(s.busy_sequences(), 0);
    EXPECT_EQ(s.cached_cells(), s.cached_tokens());
    *stats = s.stats();
    return again;
  };
  SchedulerStats kept, dropped;
  const SequenceResult with_grace = go(4, &kept);
  EXPECT_EQ(with_grace.cached_tokens, with_grace.prompt_tokens - 1);
  // Without: at most the chat template's opening, copied from a running sequence.
  const SequenceResult without = go(0, &dropped);
  EXPECT_LT(without.cached_tokens, without.prompt_tokens / 2);
  EXPECT_GE(dropped.moved_sequences, 1);
  EXPECT_GE(dropped.cache_evictions, 1);
}

TEST_F(SchedulerTest, PrefixCacheBoundEvictsLeastRecentlyUsed) {
  ContextSettings ctx = context(3, 512);
  ctx.cache_tokens = 60;
  Scheduler s(*model_, *vocab_, ctx);
  // Raw prompts with nothing in common, so each keeps a cache of its own.
  auto raw = [](const std::string& text) {
    GenerationRequest r;
    r.prompt = model_->tokenize(text + "<|im_start|>think", true);
    r.rules = {20, 0, 0, 4};
    return r;
  };
  const GenerationRequest q1 = raw("Apples are red, are they not?");
  const GenerationRequest q2 = raw("Pears are green, are they not?");
  run_on(s, q1);
  EXPECT_LE(s.cached_tokens(), 60);
  EXPECT_GT(s.cached_tokens(), 0);
  run_on(s, q2);
  EXPECT_LE(s.cached_tokens(), 60);
  EXPECT_GE(s.stats().cache_evictions, 1);
  // q2 is the most recent: it stays, q1 went.
  EXPECT_EQ(run_on(s, q2).cached_tokens, static_cast<int>(q2.prompt.size()) - 1);
  // With the cache off per request, nothing is reused (its cells are kept all the same).
  GenerationRequest off = q2;
  off.cache_prompt = false;
  const int64_t hits = s.stats().cache_hits;
  EXPECT_EQ(run_on(s, off).cached_tokens, 0);
  EXPECT_EQ(s.stats().cache_hits, hits);
  EXPECT_EQ(run_on(s, q2).cached_tokens, static_cast<int>(q2.prompt.size()) - 1);
  // Off for the scheduler.
  ctx.cache_tokens = 0;
  Scheduler none(*model_, *vocab_, ctx);
  run_on(none, q1);
  EXPECT_EQ(none.cached_tokens(), 0);
  EXPECT_EQ(run_on(none, q1).cached_tokens, 0);
}

TEST_F(SchedulerTest, PrefixCacheWithConcurrentRequestsAndCancels) {
  Scheduler s(*model_, *vocab_, context(4, 512));
  const std::string system = "You are a careful assistant who checks every step twice.";
  auto with_system = [&](const std::string& q, BudgetRules rules) {
    return request(q, rules, system);
  };
  run_on(s, with_system("Warm up?", {4, 0, 0, 2}));
  // Three at once share the system prompt; one is cancelled midway.
  std::vector<SequenceResult> out(3);
  std::vector<int> ids;
  for (int i = 0; i < 3; ++i) {
    auto r = with_system("Question " + std::to_string(i) + "?", {40, 0, 0, 4});
    r.on_done = [&out, i](int, const SequenceResult& res) { out[static_cast<size_t>(i)] = res; };
    ids.push_back(s.submit(std::move(r)));
  }
  for (int k = 0; k < 6; ++k) s.step();
  EXPECT_TRUE(s.cancel(ids[2]));
  run_bounded(s, 1000);
  EXPECT_EQ(out[2].finish_reason, FinishReason::kCancelled);
  int hits = 0;
  for (const auto& r : out) hits += r.cached_tokens > 0 ? 1 : 0;
  EXPECT_GE(hits, 1);
  EXPECT_EQ(s.busy_sequences(), 0);
  EXPECT_EQ(s.used_cells(), 0);
  EXPECT_EQ(s.cached_cells(), s.cached_tokens());
  // What a cancelled request left is whole: reusing it gives a sound sequence.
  const SequenceResult again = run_on(s, with_system("Question 2?", {10, 0, 0, 2}));
  EXPECT_GT(again.cached_tokens, 0);
  EXPECT_EQ(again.thinking_tokens, 10);
}

TEST_F(SchedulerTest, ConcurrentPromptsShareARunningSequencesPrefix) {
  std::string words;
  for (int i = 0; i < 60; ++i) words += " step " + std::to_string(i);
  auto ask = [&](const std::string& q) { return request(q, {16, 0, 0, 4}, "Check every" + words); };
  for (bool unified : {false, true}) {
    SCOPED_TRACE(unified ? "one KV buffer" : "a KV stream per sequence");
    const ContextSettings ctx = context(4, 512, unified);
    Scheduler s(*model_, *vocab_, ctx);
    // Arriving together: the first decodes the shared part, the others copy it.
    std::vector<SequenceResult> out(3);
    std::vector<std::vector<std::vector<float>>> rows(3);
    for (int i = 0; i < 3; ++i) {
      auto r = ask("Question " + std::to_string(i) + "?");
      r.on_done = [&out, i](int, const SequenceResult& res) { out[static_cast<size_t>(i)] = res; };
      r.on_logits = [&rows, i](int, const float* row, int n) { rows[static_cast<size_t>(i)].emplace_back(row, row + n); };
      s.submit(std::move(r));
    }
    run_bounded(s, 1000);
    EXPECT_EQ(out[0].cached_tokens, 0);
    const int prefix = out[0].prompt_tokens - 12;  // all but the question and the end
    EXPECT_GT(out[1].cached_tokens, prefix);
    EXPECT_GT(out[2].cached_tokens, prefix);
    EXPECT_EQ(s.stats().cache_hits, 2);
    // Decoded once: the prompt tokens are one prompt and two questions' ends.
    EXPECT_LT(s.stats().prompt_tokens, out[0].prompt_tokens + 2 * 16);
    for (const auto& r : out) EXPECT_EQ(r.thinking_tokens, 16);
    EXPECT_EQ(s.used_cells(), 0);
    EXPECT_EQ(s.cached_cells(), s.cached_tokens());
    // The copied cells hold what a cold run computes (within the tolerance).
    Scheduler cold(*model_, *vocab_, ctx);
    std::vector<std::vector<float>> cold_rows;
    run_on(cold, ask("Question 2?"), &cold_rows);
    EXPECT_GE(expect_rows_close(rows[2], cold_rows, "copied vs cold"), 4u);
  }
}

TEST_F(SchedulerTest, TheSamePromptFromSeveralRequestsIsDecodedOnce) {
  Scheduler s(*model_, *vocab_, context(3, 512));
  std::vector<SequenceResult> out(3);
  std::vector<int> ids;
  for (int i = 0; i < 3; ++i) {
    auto r = request("The same question for everyone?", {8, 0, 0, 2});
    r.on_done = [&out, i](int, const SequenceResult& res) { out[static_cast<size_t>(i)] = res; };
    ids.push_back(s.submit(std::move(r)));
  }
  run_bounded(s, 1000);
  EXPECT_EQ(s.stats().prompt_tokens, out[0].prompt_tokens);  // decoded once
  EXPECT_EQ(out[1].cached_tokens, out[1].prompt_tokens);
  EXPECT_EQ(out[2].cached_tokens, out[2].prompt_tokens);
  // Greedy from the same row and the same cells: the very same text, by construction.
  EXPECT_EQ(out[1].thinking, out[0].thinking);
  EXPECT_EQ(out[2].answer, out[0].answer);
  // A follower whose leader is cancelled before the prompt is in decodes it alone.
  std::vector<SequenceResult> again(2);
  for (int i = 0; i < 2; ++i) {
    auto r = request("Another shared question?", {8, 0, 0, 2});
    r.on_done = [&again, i](int, const SequenceResult& res) { again[static_cast<size_t>(i)] = res; };
    ids.push_back(s.submit(std::move(r)));
  }
  EXPECT_TRUE(s.cancel(ids[3]));
  run_bounded(s, 1000);
  EXPECT_EQ(again[0].finish_reason, FinishReason::kCancelled);
  EXPECT_EQ(again[1].thinking_tokens, 8);
  EXPECT_EQ(again[1].cached_tokens, 0);
  EXPECT_EQ(s.busy_sequences(), 0);
  EXPECT_EQ(s.cached_cells(), s.cached_tokens());
}

TEST_F(SchedulerTest, ThinkTagsModel) {
  auto m = Model::load({test::tiny_think_model()});
  const ThinkingFormat f = resolve_thinking_format(*m, {});
  EXPECT_EQ(f.name, "think-tags");
  const Prompt p = build_prompt(*m, f, question_messages("q", ""));
  EXPECT_EQ(p.text.substr(p.text.size() - 8), "<think>\n");  // the template opened it
  const ForcingVocab v = make_forcing_vocab(*m, f, {});
  ContextSettings ctx;
  ctx.n_threads = 1;  // ctest runs tests in parallel: one thread each never oversubscribes
  Scheduler s(*m, v, ctx);
  GenerationRequest req;
  req.prompt = p.tokens;
  req.prompt_ends_with_newline = p.ends_with_newline;
  req.rules = {-1, 0, 1, 3};
  req.thinking_sampling.logit_bias = {{m->tokenize("</think>", true).at(0), 100.0f}};
  SequenceResult out;
  req.on_done = [&](int, const SequenceResult& r) { out = r; };
  s.submit(std::move(req));
  s.run();
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].kind, ForcingKind::kIgnore);
  EXPECT_EQ(out.events[1].kind, ForcingKind::kEnd);
  EXPECT_EQ(out.events[1].text, "");  // the model's own </think> was kept
}

TEST_F(SchedulerTest, DelimiterThatDoesNotTokenizeIsRefused) {
  ForcingSettings bad;
  bad.think_start = "<think>";
  bad.think_end = "</think>";
  // A custom multi-token delimiter is fine...
  EXPECT_NO_THROW(make_forcing_vocab(*model_, resolve_thinking_format(*model_, bad), bad));
  // ...but the s1 format needs <|im_start|> as one token, which a think-tags-only
  // format string cannot provide.
  ThinkingFormat broken = s1_thinking_format();
  broken.end_trigger = "<|im_start|>x";
  broken.end = "<|im_start|>xanswer";
  EXPECT_THROW(make_forcing_vocab(*model_, broken, {}), std::runtime_error);
}

}  // namespace
}  // namespace s1
