// The test-time scaling strategies on the tiny random-weight model: what they send, how
// they share the prompt, retry and judge.
#include "methods/strategies.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "methods/prompts.h"
#include "scripted_backend.h"
#include "test_util.h"

namespace s1 {
namespace {

constexpr Token kImStart = 151644;  // <|im_start|>: the s1-format end trigger
constexpr Token kA = 64;             // "a"

std::unique_ptr<LocalBackend> backend(int n_parallel) {
  init_llama_backend(false);
  LoadSettings load;
  load.path = test::tiny_model();
  ContextSettings ctx;
  ctx.n_ctx = 512 * n_parallel;
  ctx.n_parallel = n_parallel;
  ctx.n_threads = 1;
  return std::make_unique<LocalBackend>(load, ctx, ForcingSettings{});
}

std::vector<SampleRun> run(LocalBackend& b, const MethodConfig& c, const MethodContext& ctx,
                           const std::vector<int>& samples) {
  RequestPump pump(b);
  std::vector<SampleRun> out;
  start_method(pump, c, ctx, {"What is 2+2?"}, samples,
               [&](SampleRun r) { out.push_back(std::move(r)); });
  while (pump.step()) {
  }
  std::sort(out.begin(), out.end(),
            [](const SampleRun& x, const SampleRun& y) { return x.sample < y.sample; });
  return out;
}

std::vector<int> all(int n) {
  std::vector<int> v;
  for (int i = 0; i < n; ++i) v.push_back(i);
  return v;
}

TEST(Strategies, MajorityOfEightDecodesThePromptOnce) {
  auto b = backend(8);
  MethodConfig c;
  c.kind = MethodKind::kMajority;
  c.n = 8;
  c.budget = 12;
  MethodContext ctx;
  ctx.max_answer = 4;
  const auto runs = run(*b, c, ctx, all(8));
  ASSERT_EQ(runs.size(), 8u);
  BackendRequest probe;
  probe.messages = question_messages("What is 2+2?", "");
  const int prompt = b->count_prompt_tokens(probe);
  const SchedulerStats st = b->stats();
  EXPECT_EQ(st.prompt_tokens, prompt);
  EXPECT_EQ(st.decoded_tokens, prompt + st.sampled_tokens + st.injected_tokens);
  std::set<std::string> texts;
  for (const auto& r : runs) {
    EXPECT_EQ(r.result.prompt_tokens, prompt);
    texts.insert(r.result.thinking);
  }
  EXPECT_GT(texts.size(), 1u);  // sampled at --sample-temp, not greedy copies
}

TEST(Strategies, ASubsetOfSamplesReproducesTheirSeeds) {
  MethodConfig c;
  c.kind = MethodKind::kMajority;
  c.n = 4;
  c.budget = 10;
  MethodContext ctx;
  ctx.max_answer = 3;
  std::vector<SampleRun> whole, part;
  {
    auto b = backend(1);
    whole = run(*b, c, ctx, all(4));
  }
  {
    auto b = backend(1);
    part = run(*b, c, ctx, {1, 3});
  }
  ASSERT_EQ(whole.size(), 4u);
  ASSERT_EQ(part.size(), 2u);
  EXPECT_EQ(part[0].sample, 1);
  EXPECT_EQ(part[0].result.thinking, whole[1].result.thinking);
  EXPECT_EQ(part[1].result.thinking, whole[3].result.thinking);
  EXPECT_EQ(part[1].result.answer, whole[3].result.answer);
}

TEST(Strategies, RejectionSamplingRetriesUntilTheCapOfTries) {
  auto b = backend(2);
  MethodConfig c;
  c.kind = MethodKind::kRejection;
  c.budget = 6;
  c.max_tries = 3;
  MethodContext ctx;
  ctx.max_answer = 2;
  // The random model never ends thinking by itself: every try passes the budget.
  auto runs = run(*b, c, ctx, {0});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].tries, 3);
  EXPECT_FALSE(runs[0].fits);
  EXPECT_GT(runs[0].rejected_thinking_tokens, 2 * 6);
  // A retry sends the same prompt again: it comes from the prefix cache, all of it but
  // the last token, whose row starts the new try.
  EXPECT_EQ(runs[0].result.cached_tokens, runs[0].result.prompt_tokens - 1);
  EXPECT_GE(b->stats().cache_hits, 2);
  // Pushed to end at once, the first try fits.
  ctx.thinking.logit_bias = {{kImStart, 100.0f}};
  runs = run(*b, c, ctx, {0});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].tries, 1);
  EXPECT_TRUE(runs[0].fits);
  EXPECT_LE(runs[0].result.thinking_tokens, 6);
}

TEST(Strategies, BudgetForcingUsesItsOwnIgnoreString) {
  auto b = backend(2);
  MethodConfig c;
  c.kind = MethodKind::kBudgetForcing;
  c.budget = 20;
  c.num_ignore = 2;
  c.ignore_strings = {"Hmm"};
  MethodContext ctx;
  ctx.max_answer = 2;
  ctx.thinking.logit_bias = {{kImStart, 100.0f}};
  const auto runs = run(*b, c, ctx, {0});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].result.thinking, "HmmHmm");
  EXPECT_EQ(c.name(), "budget-forcing max=20 ignore=2 str=Hmm");
}

// Suppressed words reach the engine (every request of the configuration) and end its name.
TEST(Strategies, SuppressedWordsAreMaskedAndNamed) {
  auto b = backend(2);
  MethodConfig c;
  c.kind = MethodKind::kBudgetForcing;
  c.budget = 12;
  MethodContext ctx;
  ctx.max_answer = 2;
  ctx.thinking.logit_bias = {{kA, 100.0f}};  // thinking is "a" repeated
  auto runs = run(*b, c, ctx, {0});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].result.thinking, std::string(12, 'a'));
  EXPECT_FALSE(c.to_json().contains("suppress_words"));  // runs without it keep their ids

  c.suppress_words = {"A", "hmm"};
  runs = run(*b, c, ctx, {0});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].result.thinking_tokens, 12);
  EXPECT_EQ(runs[0].result.thinking.find_first_of("aA"), std::string::npos) << runs[0].result.thinking;
  EXPECT_EQ(c.name(), "budget-forcing max=12 ignore=0 suppress=A|hmm");
  EXPECT_EQ(c.rules_name(), "budget-forcing max=12 ignore=0");
  EXPECT_EQ(c.point_label(), "max=12 ignore=0 suppress=A|hmm");
  EXPECT_EQ(c.to_json()["suppress_words"], nlohmann::json::array({"A", "hmm"}));
}

int count_kind(const SequenceResult& r, ForcingKind kind) {
  return static_cast<int>(std::count_if(r.events.begin(), r.events.end(),
                                        [&](const ForcingEvent& e) { return e.kind == kind; }));
}

TEST(Strategies, StepConditionalCountsStepsDownWithMarkers) {
  auto b = backend(2);
  MethodContext ctx;
  ctx.max_answer = 2;
  // The model may not end thinking on its own: only the steps can.
  ctx.thinking.logit_bias = {{kImStart, -INFINITY}, {151643, -INFINITY}, {151645, -INFINITY}};
  MethodConfig c;
  c.kind = MethodKind::kStepConditional;
  c.budget = 250;  // 3 steps of 100 tokens
  c.forcing = true;
  auto runs = run(*b, c, ctx, {0});
  ASSERT_EQ(runs.size(), 1u);
  const SequenceResult& forced = runs[0].result;
  EXPECT_EQ(runs[0].prompt, "What is 2+2?\n\nThink for up to 3 steps.");
  // The first marker opens thinking (on a line of its own).
  EXPECT_LE(forced.thinking.find("3 steps left\n"), 1u) << forced.thinking;
  EXPECT_NE(forced.thinking.find("\n2 steps left\n"), std::string::npos);
  EXPECT_NE(forced.thinking.find("\n1 steps left\n"), std::string::npos);
  EXPECT_EQ(forced.thinking.find("0 steps left"), std::string::npos);
  EXPECT_EQ(count_kind(forced, ForcingKind::kStep), 3);
  ASSERT_FALSE(forced.events.empty());
  EXPECT_EQ(forced.events.back().kind, ForcingKind::kCap);
  EXPECT_EQ(forced.events.back().reason, "max_steps");
  EXPECT_EQ(forced.thinking_tokens, 300);
  // Markers start at the step boundaries, counted in thinking tokens.
  EXPECT_EQ(forced.events[1].thinking_tokens, 100);
  EXPECT_EQ(forced.events[2].thinking_tokens, 200);

  // Unforced, the count reaches 0 and thinking goes on.
  c.forcing = false;
  runs = run(*b, c, ctx, {0});
  ASSERT_EQ(runs.size(), 1u);
  const SequenceResult& free = runs[0].result;
  EXPECT_NE(free.thinking.find("\n0 steps left\n"), std::string::npos);
  EXPECT_EQ(count_kind(free, ForcingKind::kStep), 4);
  EXPECT_GT(free.thinking_tokens, 300);
}

TEST(Strategies, ConditionalPromptsCarryTheirInstruction) {
  auto b = backend(2);
  MethodContext ctx;
  ctx.max_answer = 2;
  MethodConfig c;
  c.kind = MethodKind::kTokenConditional;
  c.budget = 8;
  c.forcing = true;
  auto runs = run(*b, c, ctx, {0});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].prompt, "What is 2+2?\n\nThink for up to 8 tokens.");
  EXPECT_LE(runs[0].result.thinking_tokens, 8);  // forcing caps at the stated budget
  EXPECT_EQ(c.family(), "token-conditional+forcing");
  c.kind = MethodKind::kStepConditional;
  c.budget = 250;
  EXPECT_EQ(c.name(), "step-conditional+forcing steps=3");
  c.kind = MethodKind::kClassConditional;
  c.thinking_class = "short";
  c.forcing = false;
  ctx.thinking.logit_bias = {{kImStart, 100.0f}};
  runs = run(*b, c, ctx, {0});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].prompt,
            "What is 2+2?\n\nAnswer after a short amount of thinking. Do not spend excessive "
            "time double-checking your work.");
}

TEST(Strategies, BestOfNJudgesEveryCandidate) {
  constexpr Token kYes = 9693, kNo = 2152;  // "yes", "no"
  auto b = backend(4);
  MethodConfig c;
  c.kind = MethodKind::kBestOfN;
  c.n = 3;
  c.budget = 6;
  c.verify_budget = 5;
  MethodContext ctx;
  ctx.max_answer = 1;
  // The judge's one answer token is pushed to "yes", then to "no": its verdict follows.
  for (const auto& [word, verdict] : {std::pair{kYes, 1}, std::pair{kNo, 0}}) {
    ctx.answer.logit_bias = {{word, 100.0f}};
    const auto runs = run(*b, c, ctx, all(3));
    ASSERT_EQ(runs.size(), 3u);
    for (const auto& r : runs) {
      ASSERT_TRUE(r.verification.has_value());
      EXPECT_LE(r.verification->thinking_tokens, 5);
      const std::string said = verdict ? "yes" : "no";
      const std::string& answer = r.verification->answer;
      ASSERT_GE(answer.size(), said.size());
      EXPECT_EQ(answer.substr(answer.size() - said.size()), said) << answer;
      EXPECT_EQ(r.verdict, verdict);
    }
  }
}

TEST(Strategies, BestOfNShowsTheVerifierTheAnswerGradingReads) {
  // The candidate names a number and a letter: a math problem's final answer is the
  // number, a multiple-choice problem's the letter (core/grading.h's final_answer()).
  const std::string candidate = "x = 3.5, so I pick (C).";
  MethodConfig c;
  c.kind = MethodKind::kBestOfN;
  c.n = 1;
  for (size_t choices : {size_t{0}, size_t{4}}) {
    test::ScriptedBackend b({candidate, "\\boxed{yes}"});
    RequestPump pump(b);
    std::vector<SampleRun> out;
    const std::string question = choices ? multiple_choice_prompt("Which?", {"1", "2", "3.5", "4"})
                                         : std::string("Solve for x.");
    start_method(pump, c, MethodContext{}, {question, choices}, {0},
                 [&](SampleRun r) { out.push_back(std::move(r)); });
    while (pump.step()) {
    }
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].verdict, 1);
    ASSERT_EQ(b.requests.size(), 2u);
    const std::string& prompt = b.requests[1].messages.back().content;
    EXPECT_EQ(prompt, verification_prompt(question, candidate, choices ? "C" : "3.5", choices > 0));
    if (choices) {
      EXPECT_EQ(prompt.rfind("Here is a multiple-choice problem and a proposed solution.", 0), 0u);
      EXPECT_NE(prompt.find("\n\nProposed final answer: C"), std::string::npos);
    } else {
      EXPECT_EQ(prompt.rfind("Here is a math problem and a proposed solution.", 0), 0u);
      EXPECT_NE(prompt.find("\n\nProposed final answer: 3.5"), std::string::npos);
    }
  }
}

TEST(Strategies, CancelledSamplesAreReportedAsCancelled) {
  auto b = backend(2);
  MethodConfig c;
  c.kind = MethodKind::kRejection;
  c.budget = 400;
  c.max_tries = 5;
  MethodContext ctx;
  RequestPump pump(*b);
  std::vector<SampleRun> out;
  start_method(pump, c, ctx, {"Q"}, {0}, [&](SampleRun r) { out.push_back(std::move(r)); });
  for (int i = 0; i < 5; ++i) pump.step();
  pump.cancel_all();
  while (pump.step()) {
  }
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].result.finish_reason, FinishReason::kCancelled);
  EXPECT_EQ(out[0].tries, 1);  // no retry after a cancel
}

TEST(Strategies, MethodNamesParse) {
  EXPECT_EQ(parse_method_kind("rejection-sampling"), MethodKind::kRejection);
  EXPECT_EQ(parse_method_kind("adaptive"), MethodKind::kAdaptive);
  EXPECT_THROW(parse_method_kind("beam"), std::invalid_argument);
}

MethodConfig adaptive(int budget, int every, int consistent, double confidence) {
  MethodConfig c;
  c.kind = MethodKind::kAdaptive;
  c.budget = budget;
  c.probe.every = every;
  c.probe.consistent = consistent;
  c.probe.confidence = confidence;
  return c;
}

TEST(Strategies, AdaptiveNamesItsRulesExactly) {
  MethodConfig c = adaptive(512, 32, 2, 0.95);
  EXPECT_EQ(c.name(), "adaptive max=512 every=32 consistent=2 confidence=0.95");
  EXPECT_EQ(c.point_label(), "N=32 W=2 tau=0.95 max=512");
  MethodConfig near = c;
  near.probe.confidence = 0.9500001;  // another threshold is another name
  EXPECT_NE(near.name(), c.name());
  c.probe.consistent = 0;
  c.probe.confidence = 0;
  c.probe.at_reflection = true;
  c.budget = -1;
  EXPECT_EQ(c.name(), "adaptive max=auto every=32 consistent=0 confidence=0 reflection");
  EXPECT_EQ(c.point_label(), "N=32+refl max=auto");
  EXPECT_EQ(c.family(), "adaptive");
  EXPECT_FALSE(c.sampled());
}

// Probes reach the engine with the configuration's rules: a rule that cannot fire
// (tau above 1) records probes at every N thinking tokens and never exits.
TEST(Strategies, AdaptiveProbesEveryNTokensUnderTheCap) {
  init_llama_backend(false);
  LoadSettings load;
  load.path = test::tiny_model();
  ContextSettings ctx;
  ctx.n_ctx = 512 * 2;
  ctx.n_parallel = 1;
  ctx.probe_sequences = 1;
  ctx.n_threads = 1;
  LocalBackend b(load, ctx, ForcingSettings{});
  MethodConfig c = adaptive(24, 8, 0, 2.0);
  c.probe.probe_tokens = 3;
  const auto out = run(b, c, MethodContext{}, {0});
  ASSERT_EQ(out.size(), 1u);
  const SequenceResult& r = out[0].result;
  EXPECT_LE(r.thinking_tokens, 24);
  ASSERT_FALSE(r.probes.empty());
  for (const auto& p : r.probes) {
    EXPECT_EQ(p.thinking_tokens % 8, 0) << p.thinking_tokens;
    EXPECT_FALSE(p.confident);
  }
  EXPECT_GT(r.probe_tokens, 0);
  for (const auto& e : r.events) EXPECT_NE(e.kind, ForcingKind::kExit);
  // Without probes the configuration is refused.
  c.probe.every = 0;
  RequestPump pump(b);
  EXPECT_THROW(start_method(pump, c, MethodContext{}, {"?"}, {0}, [](SampleRun) {}),
               std::invalid_argument);
}

}  // namespace
}  // namespace s1
