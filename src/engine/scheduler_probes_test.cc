// Adaptive thinking in the scheduler: probes decoded beside their samples, and the exits
// they decide. The tiny model's text is gibberish, so probes are steered with the answer
// phase's logit bias (a probe is an answer attempt): a token such as ")}" closes the box
// at once, every probe then answers the same, and exits come where the rules say.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "engine/forcing_vocab.h"
#include "engine/prompt.h"
#include "engine/scheduler.h"
#include "logit_rows.h"
#include "test_util.h"
#include "tiny_model_fixture.h"

namespace s1 {
namespace {

class ProbeTest : public test::TinyModelTest {
 protected:
  static void SetUpTestSuite() {
    TinyModelTest::SetUpTestSuite();
    // A single token that closes the box after some text: the probe's whole answer.
    for (const char* text : {")}", "]}", "$}", "+}", "-}"}) {
      const TokenSeq t = model_->tokenize(text, false);
      if (t.size() == 1) {
        closing_token_ = t[0];
        closing_answer_ = std::string(text).substr(0, 1);
        break;
      }
    }
  }
  static GenerationRequest request(const std::string& question, BudgetRules rules, ProbeRules probe) {
    const Prompt p = build_prompt(*model_, *format_, question_messages(question, ""));
    GenerationRequest r;
    r.prompt = p.tokens;
    r.prompt_ends_with_newline = p.ends_with_newline;
    r.rules = rules;
    r.probe = std::move(probe);
    return r;
  }

  // Every `every` thinking tokens, short probes; exit after W agreeing ones.
  static ProbeRules every(int n, int consistent) {
    ProbeRules p;
    p.every = n;
    p.consistent = consistent;
    p.probe_tokens = 4;
    return p;
  }

  // Probes answer closing_answer_ at once.
  static void steer_probes(GenerationRequest& r) {
    ASSERT_GE(closing_token_, 0) << "no single-token closing brace in the vocabulary";
    r.answer_sampling.logit_bias = {{closing_token_, 100.0f}};
  }

  static ContextSettings context(int parallel, int probes, int per_sequence = 512) {
    ContextSettings ctx;
    ctx.n_ctx = (parallel + probes) * per_sequence;
    ctx.n_parallel = parallel;
    ctx.probe_sequences = probes;
    ctx.n_threads = 1;  // ctest runs tests in parallel
    return ctx;
  }

  static std::vector<SequenceResult> run(std::vector<GenerationRequest> requests, ContextSettings ctx,
                                         SchedulerStats* stats = nullptr) {
    Scheduler s(*model_, *vocab_, ctx);
    std::vector<SequenceResult> out(requests.size());
    for (size_t i = 0; i < requests.size(); ++i) {
      requests[i].on_done = [&out, i](int, const SequenceResult& r) { out[i] = r; };
      s.submit(std::move(requests[i]));
    }
    s.run();
    // Probes leave nothing behind: no busy sequence, no cell held by a running one, and
    // only samples' cells in the cache.
    EXPECT_EQ(s.busy_sequences(), 0);
    EXPECT_EQ(s.used_cells(), 0);
    EXPECT_EQ(s.cached_cells(), s.cached_tokens());
    if (stats) *stats = s.stats();
    return out;
  }

  static const ForcingEvent* exit_event(const SequenceResult& r) {
    for (const auto& e : r.events) {
      if (e.kind == ForcingKind::kExit) return &e;
    }
    return nullptr;
  }

  static inline Token closing_token_ = -1;
  static inline std::string closing_answer_;
};

TEST_F(ProbeTest, ProbesThatCannotExitLeaveTheSampleAsItWas) {
  // tau above 1 never fires. The sample's rows of logits match a run without probes
  // within the stated tolerance (probe rows in the batch may change the CPU's summation
  // order, so not bit for bit), and its budget plays out the same.
  using Rows = std::vector<std::vector<float>>;
  auto go = [](bool probing, Rows* rows, SchedulerStats* stats) {
    ProbeRules p;
    if (probing) {
      p.every = 8;
      p.confidence = 2.0;
      p.probe_tokens = 6;
    }
    auto r = request("Probe me gently.", {48, 0, 0, 4}, p);
    r.on_logits = [rows](int, const float* row, int n) { rows->emplace_back(row, row + n); };
    return run({std::move(r)}, context(1, 1), stats);
  };
  Rows plain_rows, probed_rows;
  SchedulerStats plain_stats, probed_stats;
  const auto plain = go(false, &plain_rows, &plain_stats);
  const auto probed = go(true, &probed_rows, &probed_stats);
  EXPECT_GE(test::expect_rows_close(plain_rows, probed_rows, "probed sample"), 16u);
  EXPECT_EQ(plain_stats.probes, 0);
  EXPECT_EQ(probed[0].thinking_tokens, plain[0].thinking_tokens);
  EXPECT_EQ(exit_event(probed[0]), nullptr);
  ASSERT_GE(probed[0].probes.size(), 4u);
  EXPECT_EQ(probed_stats.probes, static_cast<int64_t>(probed[0].probes.size()));
  EXPECT_GT(probed[0].probe_tokens, 0);
  EXPECT_EQ(probed_stats.probe_tokens, probed[0].probe_tokens);
  for (size_t k = 0; k < probed[0].probes.size(); ++k) {
    EXPECT_EQ(probed[0].probes[k].thinking_tokens, 8 * static_cast<int>(k + 1));
    EXPECT_FALSE(probed[0].probes[k].confident);
  }
  // The probes' tokens never entered the sample.
  EXPECT_EQ(probed[0].sampled_tokens, plain[0].sampled_tokens);
  EXPECT_EQ(probed[0].thinking.find("Oh, I suddenly got the answer"), std::string::npos);
}

TEST_F(ProbeTest, ExitComesAtTheWthAgreeingProbe) {
 for (const bool unified : {false, true}) {  // a probe copies a KV stream, or shares cells
  SCOPED_TRACE(unified ? "one KV buffer" : "a KV stream per sequence");
  auto r = request("When do I stop?", {200, 0, 0, 4}, every(8, 3));
  steer_probes(r);
  SchedulerStats stats;
  ContextSettings ctx = context(1, 1);
  ctx.unified_kv = unified;
  const auto out = run({std::move(r)}, ctx, &stats);
  const SequenceResult& res = out[0];
  ASSERT_EQ(res.probes.size(), 3u);
  EXPECT_FALSE(res.probes[0].agreed);
  EXPECT_FALSE(res.probes[1].agreed);
  EXPECT_TRUE(res.probes[2].agreed);
  for (const auto& p : res.probes) {
    EXPECT_EQ(p.answer, closing_answer_);
    EXPECT_TRUE(p.closed);
    EXPECT_GT(p.confidence, 0.99);  // the drawn token's probability under the bias
  }
  const ForcingEvent* e = exit_event(res);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->reason, "consistent");
  // The third probe forked at 24 and answered in one step; the sample went on meanwhile.
  EXPECT_GE(e->thinking_tokens, 24);
  EXPECT_LE(e->thinking_tokens, 24 + 3);
  EXPECT_EQ(res.thinking_tokens, e->thinking_tokens);
  EXPECT_EQ(stats.exits, 1);
  EXPECT_EQ(res.finish_reason, FinishReason::kLength);  // then it answered, up to max_answer
  EXPECT_EQ(res.answer_tokens, 4);
 }
}

TEST_F(ProbeTest, MinThinkHoldsTheExit) {
  // Probes at 8 and 16 agree, but both were taken below min_think (20): the exit waits
  // for the probe at 24, which agrees with the one at 16.
  auto r = request("Not yet.", {200, 20, 0, 4}, every(8, 2));
  steer_probes(r);
  const auto out = run({std::move(r)}, context(1, 1));
  ASSERT_EQ(out[0].probes.size(), 3u);
  const ForcingEvent* e = exit_event(out[0]);
  ASSERT_NE(e, nullptr);
  EXPECT_GE(e->thinking_tokens, 24);
  EXPECT_LE(e->thinking_tokens, 27);
}

TEST_F(ProbeTest, TheCapStillHolds) {
  auto r = request("Capped.", {20, 0, 0, 4}, every(8, 5));
  steer_probes(r);
  const auto out = run({std::move(r)}, context(1, 1));
  EXPECT_EQ(exit_event(out[0]), nullptr);
  EXPECT_EQ(out[0].thinking_tokens, 20);
  EXPECT_EQ(out[0].events.back().kind, ForcingKind::kCap);
  EXPECT_EQ(out[0].probes.size(), 2u);  // at 8 and 16
}

TEST_F(ProbeTest, FourSequencesWithTheirOwnRulesProbeInTheSameBatches) {
  std::vector<GenerationRequest> requests;
  for (int w = 1; w <= 4; ++w) {
    auto r = request("Question " + std::to_string(w), {200, 0, 0, 4}, every(8, w));
    steer_probes(r);
    requests.push_back(std::move(r));
  }
  SchedulerStats stats;
  const auto out = run(std::move(requests), context(4, 4), &stats);
  int64_t probes = 0;
  for (int w = 1; w <= 4; ++w) {
    const SequenceResult& r = out[static_cast<size_t>(w - 1)];
    EXPECT_EQ(r.probes.size(), static_cast<size_t>(w)) << "W = " << w;
    const ForcingEvent* e = exit_event(r);
    ASSERT_NE(e, nullptr) << "W = " << w;
    EXPECT_GE(e->thinking_tokens, 8 * w) << "W = " << w;
    EXPECT_LE(e->thinking_tokens, 8 * w + 3) << "W = " << w;
    probes += static_cast<int64_t>(r.probes.size());
  }
  EXPECT_EQ(stats.probes, probes);
  EXPECT_EQ(stats.probes_skipped, 0);
  // One decode call per step served the samples and their probes together.
  EXPECT_LT(stats.decode_calls, 4 * 40);
}

TEST_F(ProbeTest, ExitWithTheProbedAnswer) {
  ProbeRules p = every(8, 2);
  p.action = ProbeRules::ExitAction::kAnswer;
  auto r = request("Answer for me.", {200, 0, 0, 50}, p);
  steer_probes(r);
  const auto out = run({std::move(r)}, context(1, 1));
  EXPECT_EQ(out[0].finish_reason, FinishReason::kStop);
  EXPECT_NE(out[0].answer.find("\\boxed{" + closing_answer_ + "}"), std::string::npos) << out[0].answer;
  EXPECT_EQ(out[0].answer_tokens, 0);  // nothing was sampled after the exit
}

TEST_F(ProbeTest, WithoutAFreeSequenceProbesAreSkippedAndCounted) {
  // One sequence, none for probes: every due probe is skipped, the sample unharmed.
  auto r = request("Alone.", {24, 0, 0, 4}, every(8, 2));
  SchedulerStats stats;
  const auto out = run({std::move(r)}, context(1, 0), &stats);
  EXPECT_TRUE(out[0].probes.empty());
  EXPECT_EQ(out[0].probes_skipped, 2);  // at 8 and 16 (the cap closes at 24)
  EXPECT_EQ(stats.probes_skipped, 2);
  EXPECT_EQ(out[0].thinking_tokens, 24);
}

TEST_F(ProbeTest, EndThinkingFromOutside) {
  // A client ends thinking of a running request; the floor still holds.
  Scheduler s(*model_, *vocab_, context(2, 0));
  std::vector<SequenceResult> out(2);
  auto a = request("First.", {300, 0, 0, 4}, {});
  a.on_done = [&out](int, const SequenceResult& r) { out[0] = r; };
  auto b = request("Second.", {300, 40, 0, 4}, {});
  b.on_done = [&out](int, const SequenceResult& r) { out[1] = r; };
  const int ida = s.submit(std::move(a));
  const int idb = s.submit(std::move(b));
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(s.step());
  EXPECT_TRUE(s.end_thinking(ida, "client"));
  EXPECT_TRUE(s.end_thinking(idb, "client"));
  s.run();
  EXPECT_FALSE(s.end_thinking(ida, "client"));  // finished
  for (const auto& r : out) {
    const ForcingEvent* e = exit_event(r);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->reason, "client");
    EXPECT_EQ(r.thinking_tokens, e->thinking_tokens);
  }
  EXPECT_LT(out[0].thinking_tokens, 20);
  EXPECT_GE(out[1].thinking_tokens, 40);
  EXPECT_LE(out[1].thinking_tokens, 41);
}

}  // namespace
}  // namespace s1
