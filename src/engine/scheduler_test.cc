// Budget forcing through the real engine, on generated random-weight models with the
// real Qwen2 tokenizer.
#include "engine/scheduler.h"

#include <gtest/gtest.h>

#include <memory>

#include "engine/forcing_vocab.h"
#include "engine/prompt.h"
#include "test_util.h"

namespace s1 {
namespace {

class SchedulerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    init_llama_backend(false);
    model_ = Model::load({test::tiny_model()}).release();
    format_ = new ThinkingFormat(resolve_thinking_format(*model_, {}));
    vocab_ = new ForcingVocab(make_forcing_vocab(*model_, *format_, {}));
    trigger_ = model_->tokenize("<|im_start|>", true).at(0);
  }
  static void TearDownTestSuite() {
    delete vocab_;
    delete format_;
    delete model_;
  }

  static GenerationRequest request(const std::string& question, BudgetRules rules) {
    const Prompt p = build_prompt(*model_, *format_, question_messages(question, ""));
    GenerationRequest r;
    r.prompt = p.tokens;
    r.prompt_ends_with_newline = p.ends_with_newline;
    r.rules = rules;
    return r;
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

  static Model* model_;
  static ThinkingFormat* format_;
  static ForcingVocab* vocab_;
  static Token trigger_;
};

Model* SchedulerTest::model_ = nullptr;
ThinkingFormat* SchedulerTest::format_ = nullptr;
ForcingVocab* SchedulerTest::vocab_ = nullptr;
Token SchedulerTest::trigger_ = 0;

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
    EXPECT_EQ(r[0].finish_reason, "length");
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
  EXPECT_EQ(none[0].finish_reason, "length");
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
  EXPECT_EQ(r[0].finish_reason, "length");
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
  // they would in one shared KV buffer, where nothing moves.
  auto go = [](bool unified, SchedulerStats* stats) {
    ContextSettings ctx;
    ctx.n_ctx = 3 * 256;
    ctx.n_parallel = 3;
    ctx.n_threads = 1;
    ctx.unified_kv = unified;
    Scheduler s(*model_, *vocab_, ctx);
    std::vector<SequenceResult> out(3);
    const BudgetRules rules[3] = {{2, 0, 0, 1}, {60, 0, 0, 8}, {40, 0, 0, 8}};
    for (int i = 0; i < 3; ++i) {
      auto req = request("Question number " + std::to_string(i), rules[i]);
      req.on_done = [&out, i](int, const SequenceResult& r) { out[static_cast<size_t>(i)] = r; };
      s.submit(std::move(req));
    }
    s.run();
    EXPECT_EQ(s.used_cells(), 0);
    *stats = s.stats();
    return out;
  };
  SchedulerStats split, unified;
  const auto moved = go(false, &split);
  const auto shared = go(true, &unified);
  EXPECT_GE(split.moved_sequences, 1);
  EXPECT_EQ(unified.moved_sequences, 0);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(moved[i].thinking, shared[i].thinking) << "request " << i;
    EXPECT_EQ(moved[i].answer, shared[i].answer) << "request " << i;
  }
  EXPECT_EQ(moved[1].thinking_tokens, 60);
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
  std::string reason;
  auto req = request("long", {200, 0, 0, 10});
  req.n_samples = 2;
  req.on_done = [&](int, const SequenceResult& r) { reason = r.finish_reason; };
  const int id = s.submit(std::move(req));
  for (int i = 0; i < 5; ++i) s.step();
  EXPECT_GT(s.used_cells(), 0);
  EXPECT_TRUE(s.cancel(id));
  EXPECT_EQ(reason, "cancelled");
  EXPECT_EQ(s.busy_sequences(), 0);
  EXPECT_EQ(s.used_cells(), 0);
  EXPECT_FALSE(s.cancel(id));
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
