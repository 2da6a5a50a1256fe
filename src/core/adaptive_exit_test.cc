#include "core/adaptive_exit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/answer_extraction.h"

namespace s1 {
namespace {

ProbeRules dynasor(int every, int w) {
  ProbeRules r;
  r.every = every;
  r.consistent = w;
  return r;
}

ProbeRules deer(double tau, ProbeRules::Mean mean) {
  ProbeRules r;
  r.at_reflection = true;
  r.confidence = tau;
  r.mean = mean;
  r.suffix = kDeerProbeSuffix;
  return r;
}

// A probe at `at` whose text, after Dynasor's suffix, is `text`.
ProbeResult probe(int at, std::string text, std::vector<float> probs = {0.5f}) {
  return {at, std::move(text), std::move(probs)};
}

void expect_invalid(const ProbeRules& r, const std::string& what) {
  try {
    r.validate();
    ADD_FAILURE() << "accepted: " << what;
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
  }
}

TEST(ProbeRules, Validate) {
  EXPECT_NO_THROW(ProbeRules{}.validate());  // off
  EXPECT_NO_THROW(dynasor(32, 2).validate());
  EXPECT_NO_THROW(deer(0.95, ProbeRules::Mean::kGeometric).validate());
  EXPECT_NO_THROW(deer(1.5, ProbeRules::Mean::kArithmetic).validate());  // never fires
  ProbeRules r = dynasor(-1, 2);
  expect_invalid(r, "negative every");
  expect_invalid(dynasor(32, -1), "negative W");
  r = dynasor(32, 0);
  r.confidence = -0.1;
  expect_invalid(r, "negative tau");
  r.confidence = std::nan("");
  expect_invalid(r, "NaN tau");
  expect_invalid(dynasor(0, 2), "an exit with no probes");
  r = dynasor(32, 2);
  r.probe_tokens = 0;
  expect_invalid(r, "no probe tokens");
  r = dynasor(32, 2);
  r.suffix.clear();
  expect_invalid(r, "empty suffix");
  r = deer(0.9, ProbeRules::Mean::kArithmetic);
  r.reflection_words.clear();
  r.reflection_blank_line = false;
  expect_invalid(r, "reflection points that cannot occur");
  r = dynasor(32, 2);
  r.hesitation_words = {"wait", ""};
  expect_invalid(r, "an empty hesitation word");

  EXPECT_FALSE(ProbeRules{}.probing());
  EXPECT_FALSE(ProbeRules{}.can_exit());
  r = dynasor(32, 0);
  EXPECT_TRUE(r.probing());
  EXPECT_FALSE(r.can_exit());  // probes recorded, never an exit
  EXPECT_THROW(AdaptiveExit(dynasor(32, 2), -1), std::invalid_argument);
}

TEST(ProbeRules, DefaultsAreTheReferences) {
  const ProbeRules r;
  EXPECT_EQ(r.suffix,
            "... Oh, I suddenly got the answer to the whole problem, **Final Answer**\n\n\\[ \\boxed{");
  EXPECT_EQ(r.hesitation_words,
            (std::vector<std::string>{"wait", "hold", "but", "okay", "no", "hmm"}));
  EXPECT_EQ(r.probe_tokens, 20);
  EXPECT_TRUE(r.require_no_hesitation);
}

TEST(ProbeAnswer, UpToTheBraceThatClosesTheSuffixBox) {
  std::string a;
  EXPECT_TRUE(probe_answer(kDynasorProbeSuffix, "42}\n\\]", &a));
  EXPECT_EQ(a, "42");
  EXPECT_TRUE(probe_answer(kDynasorProbeSuffix, " \\frac{1}{2} } then \\boxed{7}", &a));
  EXPECT_EQ(a, "\\frac{1}{2}");  // the first box, balanced, trimmed
  EXPECT_FALSE(probe_answer(kDynasorProbeSuffix, "\\frac{1}{2", &a));
  EXPECT_EQ(a, "");
  EXPECT_TRUE(probe_answer(kDynasorProbeSuffix, "}", &a));
  EXPECT_EQ(a, "");  // closed on nothing
}

TEST(ProbeAnswer, ASuffixThatStopsBeforeTheBrace) {
  std::string a;
  EXPECT_TRUE(probe_answer(kDeerProbeSuffix, "{x^{2}}.", &a));
  EXPECT_EQ(a, "x^{2}");
  EXPECT_TRUE(probe_answer(kDeerProbeSuffix, " {5}", &a));
  EXPECT_EQ(a, "5");
  EXPECT_FALSE(probe_answer(kDeerProbeSuffix, "5}", &a));  // the box was never opened
  EXPECT_FALSE(probe_answer(kDeerProbeSuffix, "{5", &a));
}

TEST(ProbeAnswer, TheTextAnAnswerExitWrites) {
  EXPECT_EQ(probed_answer_text("\\frac{1}{2}"), " \\boxed{\\frac{1}{2}}");
  // The grader reads back what the probe said.
  EXPECT_EQ(extract_answer("\nFinal Answer:" + probed_answer_text("x^{2}")).answer, "x^{2}");
}

TEST(MeanProbability, ArithmeticAndGeometricDiffer) {
  const std::vector<float> p = {1.0f, 0.25f};
  EXPECT_DOUBLE_EQ(mean_probability(p, ProbeRules::Mean::kArithmetic), 0.625);
  EXPECT_NEAR(mean_probability(p, ProbeRules::Mean::kGeometric), 0.5, 1e-9);
  EXPECT_EQ(mean_probability({}, ProbeRules::Mean::kGeometric), 0.0);
  // A zero is floored, not fatal to the logarithm.
  EXPECT_NEAR(mean_probability({0.0f, 1.0f}, ProbeRules::Mean::kGeometric), 1e-5, 1e-9);
}

TEST(AdaptiveExit, ProbesAtEachMultipleOfN) {
  AdaptiveExit e(dynasor(32, 2), 0);
  std::vector<int> due;
  for (int t = 0; t <= 100; ++t) {
    if (e.probe_due(t, false)) due.push_back(t);
  }
  EXPECT_EQ(due, (std::vector<int>{32, 64, 96}));
  // A jump over a multiple (an ignore string) probes where it lands, once.
  AdaptiveExit j(dynasor(32, 2), 0);
  EXPECT_FALSE(j.probe_due(30, false));
  EXPECT_TRUE(j.probe_due(35, false));
  EXPECT_FALSE(j.probe_due(35, false));
  EXPECT_FALSE(j.probe_due(63, false));
  EXPECT_TRUE(j.probe_due(64, false));
}

TEST(AdaptiveExit, ProbesAtReflectionPointsNeverTwiceAtOnePosition) {
  ProbeRules r = dynasor(32, 2);
  r.at_reflection = true;
  AdaptiveExit e(r, 0);
  EXPECT_FALSE(e.probe_due(0, true));  // nothing thought yet
  EXPECT_TRUE(e.probe_due(5, true));
  EXPECT_FALSE(e.probe_due(5, true));  // an ignore string "Wait" the detector also saw
  EXPECT_FALSE(e.probe_due(6, false));
  EXPECT_TRUE(e.probe_due(32, true));  // both reasons: one probe
  EXPECT_FALSE(e.probe_due(32, false));
  AdaptiveExit by_count_only(dynasor(32, 2), 0);
  EXPECT_FALSE(by_count_only.probe_due(5, true));
}

TEST(AdaptiveExit, ExitsExactlyAtTheWthAgreeingProbe) {
  AdaptiveExit e(dynasor(32, 3), 0);
  EXPECT_FALSE(e.on_probe(probe(32, "0.5}")).exit);
  EXPECT_FALSE(e.on_probe(probe(64, "\\frac{1}{2}}")).exit);
  const ProbeOutcome out = e.on_probe(probe(96, "1/2}"));  // equivalent under the grader
  EXPECT_TRUE(out.exit);
  EXPECT_EQ(out.reason, "consistent");
  EXPECT_EQ(out.answer, "1/2");
  ASSERT_EQ(e.records().size(), 3u);
  EXPECT_FALSE(e.records()[1].agreed);
  EXPECT_TRUE(e.records()[2].agreed);
  EXPECT_TRUE(e.exited());
  // Later results are recorded and never exit again; no more probes are due.
  EXPECT_FALSE(e.on_probe(probe(128, "1/2}")).exit);
  EXPECT_EQ(e.records().size(), 4u);
  EXPECT_FALSE(e.probe_due(160, true));
}

TEST(AdaptiveExit, ADifferentAnswerRestartsTheWindow) {
  AdaptiveExit e(dynasor(32, 2), 0);
  EXPECT_FALSE(e.on_probe(probe(32, "42}")).exit);
  EXPECT_FALSE(e.on_probe(probe(64, "41}")).exit);
  EXPECT_FALSE(e.on_probe(probe(96, "42}")).exit);
  EXPECT_TRUE(e.on_probe(probe(128, "42}")).exit);
}

TEST(AdaptiveExit, UnclosedOrEmptyAnswersNeverAgree) {
  AdaptiveExit e(dynasor(32, 2), 0);
  EXPECT_FALSE(e.on_probe(probe(32, "4")).exit);
  EXPECT_FALSE(e.on_probe(probe(64, "4")).exit);
  EXPECT_FALSE(e.on_probe(probe(96, "}")).exit);
  EXPECT_FALSE(e.on_probe(probe(128, "}")).exit);
  EXPECT_FALSE(e.records()[0].closed);
  EXPECT_TRUE(e.records()[3].closed);
}

TEST(AdaptiveExit, MinThinkHoldsTheExitByTheProbesOwnPosition) {
  AdaptiveExit e(dynasor(32, 2), 100);
  EXPECT_FALSE(e.on_probe(probe(32, "7}")).exit);
  const ProbeOutcome held = e.on_probe(probe(64, "7}"));
  EXPECT_FALSE(held.exit);
  EXPECT_TRUE(held.held_by_min_think);
  // Reported when the sequence is past 100 tokens, but forked at 99: still held.
  EXPECT_TRUE(e.on_probe(probe(99, "7}")).held_by_min_think);
  const ProbeOutcome out = e.on_probe(probe(100, "7}"));
  EXPECT_TRUE(out.exit);
  EXPECT_FALSE(out.held_by_min_think);
}

TEST(AdaptiveExit, AHesitationBlocksConsistencyWhenRequired) {
  AdaptiveExit strict(dynasor(32, 2), 0);
  EXPECT_FALSE(strict.on_probe(probe(32, "9}")).exit);
  EXPECT_FALSE(strict.on_probe(probe(64, "9}\\]\n\nWait, no")).exit);
  EXPECT_TRUE(strict.records()[1].hesitated);
  EXPECT_FALSE(strict.records()[1].agreed);
  EXPECT_FALSE(strict.on_probe(probe(96, "9}")).exit);  // the hesitant probe is in the window
  EXPECT_TRUE(strict.on_probe(probe(128, "9} I know")).exit);  // "know" is not "no"

  ProbeRules r = dynasor(32, 2);
  r.require_no_hesitation = false;
  AdaptiveExit lax(r, 0);
  lax.on_probe(probe(32, "9}"));
  EXPECT_TRUE(lax.on_probe(probe(64, "9}\\]\n\nWait, no")).exit);
}

TEST(AdaptiveExit, ConfidenceArithmeticOrGeometric) {
  const std::vector<float> p = {1.0f, 0.81f};  // arithmetic 0.905, geometric 0.9
  AdaptiveExit arith(deer(0.903, ProbeRules::Mean::kArithmetic), 0);
  const ProbeOutcome a = arith.on_probe(probe(10, "{3}", p));
  EXPECT_TRUE(a.exit);
  EXPECT_EQ(a.reason, "confident");
  EXPECT_EQ(a.answer, "3");
  AdaptiveExit geo(deer(0.903, ProbeRules::Mean::kGeometric), 0);
  EXPECT_FALSE(geo.on_probe(probe(10, "{3}", p)).exit);
  EXPECT_NEAR(geo.records()[0].confidence, 0.9, 1e-6);
}

TEST(AdaptiveExit, ConfidenceAboveOneNeverFires) {
  AdaptiveExit e(deer(1.0000001, ProbeRules::Mean::kArithmetic), 0);
  for (int i = 1; i <= 5; ++i) EXPECT_FALSE(e.on_probe(probe(i, "{3}", {1.0f, 1.0f})).exit);
  AdaptiveExit one(deer(1.0, ProbeRules::Mean::kArithmetic), 0);
  EXPECT_TRUE(one.on_probe(probe(1, "{3}", {1.0f, 1.0f})).exit);
}

TEST(AdaptiveExit, ConfidenceNeedsAnAnswer) {
  AdaptiveExit e(deer(0.5, ProbeRules::Mean::kArithmetic), 0);
  EXPECT_FALSE(e.on_probe(probe(1, "{3", {1.0f})).exit);  // the box never closed
  EXPECT_FALSE(e.on_probe(probe(2, "{}", {1.0f})).exit);
  EXPECT_TRUE(e.on_probe(probe(3, "{3}", {1.0f})).exit);
}

TEST(AdaptiveExit, BothRulesHoldingSayConsistent) {
  ProbeRules r = dynasor(32, 1);
  r.confidence = 0.5;
  AdaptiveExit e(r, 0);
  const ProbeOutcome out = e.on_probe(probe(32, "8}", {0.9f}));
  EXPECT_TRUE(out.exit);
  EXPECT_EQ(out.reason, "consistent");
  EXPECT_TRUE(e.records()[0].confident);
}

TEST(AdaptiveExit, ProbingWithoutAnExitRuleOnlyRecords) {
  AdaptiveExit e(dynasor(32, 0), 0);
  EXPECT_TRUE(e.probe_due(32, false));
  for (int i = 1; i <= 3; ++i) EXPECT_FALSE(e.on_probe(probe(32 * i, "1}", {1.0f})).exit);
  EXPECT_EQ(e.records().size(), 3u);
}

// Feeds `pieces` and returns the indices of those that completed a reflection point.
std::vector<int> fire(const std::vector<std::string>& pieces, const ProbeRules& rules = {}) {
  ReflectionDetector d(rules);
  std::vector<int> at;
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (d.on_text(pieces[i])) at.push_back(static_cast<int>(i));
  }
  return at;
}

TEST(ReflectionDetector, WordsAtALineOrSentenceStartSplitAcrossPieces) {
  EXPECT_EQ(fire({"So x = 2.", " Wa", "it", ", no"}), (std::vector<int>{2}));
  EXPECT_EQ(fire({"Wait"}), (std::vector<int>{0}));  // the start of thinking
  EXPECT_EQ(fire({"x = 2\n", "altern", "atively", " y"}), (std::vector<int>{2}));
  EXPECT_EQ(fire({"Is it 5?", " WAIT,"}), (std::vector<int>{1}));
  EXPECT_EQ(fire({"x.\n", "Wait", "\n"}), (std::vector<int>{1}));
}

TEST(ReflectionDetector, NotInsideASentenceOrAsPartOfAWord) {
  EXPECT_TRUE(fire({"but wait, x"}).empty());
  EXPECT_TRUE(fire({"I", " said", " Wait", "."}).empty());
  EXPECT_TRUE(fire({"x.", " Wa", "iting", " here"}).empty());
  EXPECT_TRUE(fire({"x.", " Waiting"}).empty());
  EXPECT_TRUE(fire({"x.", " Await"}).empty());
  EXPECT_TRUE(fire({"3.5 Wait"}).empty());  // no space after the point: not a sentence end
}

TEST(ReflectionDetector, BlankLinesOncePerRun) {
  EXPECT_EQ(fire({"a\n", " \n", "\n", "b"}), (std::vector<int>{1}));
  EXPECT_EQ(fire({"a\n\nb\n\n"}), (std::vector<int>{0}));
  EXPECT_EQ(fire({"a\n\n", "b\n", "\n"}), (std::vector<int>{0, 2}));
  ProbeRules r;
  r.reflection_blank_line = false;
  EXPECT_TRUE(fire({"a\n", "\n", "b"}, r).empty());
  EXPECT_EQ(fire({"a\n", "\n", "Wait"}, r), (std::vector<int>{2}));
}

TEST(ReflectionDetector, TheRulesWords) {
  ProbeRules r;
  r.reflection_words = {"Hmm"};
  EXPECT_EQ(fire({"x.", " hmm", " Wait"}, r), (std::vector<int>{1}));
}

}  // namespace
}  // namespace s1
