#include "core/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace s1 {
namespace {

TEST(Control, ShareOfRunsWithinBounds) {
  EXPECT_DOUBLE_EQ(control({100, 200, 300, 400}, 150, 300), 0.5);
  EXPECT_DOUBLE_EQ(control({150, 300}, 150, 300), 1.0);  // bounds are inclusive
  EXPECT_DOUBLE_EQ(control({10}, 150, 300), 0.0);
  EXPECT_THROW(control({}, 0, 1), std::invalid_argument);
  EXPECT_THROW(control({1}, 2, 1), std::invalid_argument);
}

TEST(Scaling, MeanSlopeOverAllPairs) {
  // Slopes: (0.5-0.3)/1000 = 2e-4, (0.6-0.3)/3000 = 1e-4, (0.6-0.5)/2000 = 5e-5.
  std::vector<ComputePoint> runs = {{1000, 0.3}, {2000, 0.5}, {4000, 0.6}};
  EXPECT_NEAR(scaling(runs), (2e-4 + 1e-4 + 5e-5) / 3, 1e-15);
  // Order of runs does not matter.
  std::vector<ComputePoint> shuffled = {{4000, 0.6}, {1000, 0.3}, {2000, 0.5}};
  EXPECT_NEAR(scaling(shuffled), scaling(runs), 1e-15);
  // Falling accuracy gives a negative slope.
  EXPECT_LT(scaling({{1000, 0.5}, {2000, 0.4}}), 0);
}

TEST(Scaling, EqualComputePairsCountButAddNothing) {
  // Pairs: (a,b) slope 1e-3, (a,c) same compute -> 0, (b,c) slope -1e-3 ... over 3 pairs.
  std::vector<ComputePoint> runs = {{1000, 0.2}, {2000, 1.2}, {1000, 0.4}};
  double expected = ((1.2 - 0.2) / 1000 + 0 + (1.2 - 0.4) / 1000) / 3;
  EXPECT_NEAR(scaling(runs), expected, 1e-15);
  EXPECT_THROW(scaling({{1, 1}}), std::invalid_argument);
}

TEST(Performance, BestAccuracy) {
  EXPECT_DOUBLE_EQ(performance({{1, 0.2}, {2, 0.7}, {3, 0.5}}), 0.7);
  EXPECT_THROW(performance({}), std::invalid_argument);
}

TEST(Accuracy, WilsonInterval) {
  // 50/100 at 95%: centre 0.5, half-width 1.96*sqrt(0.0025 + 0.0000960)/(1.0384) ~ 0.0962.
  ProportionEstimate e = accuracy_with_interval(50, 100);
  EXPECT_DOUBLE_EQ(e.value, 0.5);
  EXPECT_NEAR(e.low, 0.4038, 1e-4);
  EXPECT_NEAR(e.high, 0.5962, 1e-4);
  // At the edges the interval stays inside [0, 1] and is not degenerate.
  ProportionEstimate none = accuracy_with_interval(0, 30);
  EXPECT_DOUBLE_EQ(none.low, 0);
  EXPECT_NEAR(none.high, 0.1135, 1e-4);
  ProportionEstimate all = accuracy_with_interval(30, 30);
  EXPECT_NEAR(all.low, 0.8865, 1e-4);
  EXPECT_DOUBLE_EQ(all.high, 1);
  EXPECT_THROW(accuracy_with_interval(1, 0), std::invalid_argument);
  EXPECT_THROW(accuracy_with_interval(3, 2), std::invalid_argument);
}

TEST(PassAtK, UnbiasedEstimator) {
  EXPECT_DOUBLE_EQ(pass_at_k(10, 0, 1), 0.0);
  EXPECT_DOUBLE_EQ(pass_at_k(10, 10, 5), 1.0);
  EXPECT_NEAR(pass_at_k(10, 3, 1), 0.3, 1e-12);  // pass@1 is c/n
  // 1 - C(7,2)/C(10,2) = 1 - 21/45.
  EXPECT_NEAR(pass_at_k(10, 3, 2), 1.0 - 21.0 / 45.0, 1e-12);
  EXPECT_DOUBLE_EQ(pass_at_k(10, 8, 3), 1.0);  // n - c < k
  // Stable for large n where binomials overflow doubles: 1 - C(900,100)/C(1000,100).
  double p = pass_at_k(1000, 100, 100);
  EXPECT_GT(p, 0.99997);
  EXPECT_LT(p, 1.0);
  EXPECT_THROW(pass_at_k(5, 1, 6), std::invalid_argument);
  EXPECT_THROW(pass_at_k(5, 6, 1), std::invalid_argument);
  EXPECT_THROW(pass_at_k(5, 1, 0), std::invalid_argument);
}

TEST(MajorityVote, MostVotesWin) {
  std::vector<Vote> votes = {{"1", false}, {"2", true}, {"2", true}, {"3", false}};
  MajorityResult r = majority_vote(votes, 4);
  EXPECT_EQ(r.key, "2");
  EXPECT_EQ(r.votes, 2u);
  EXPECT_TRUE(r.correct);
  // Only the first k votes count.
  EXPECT_EQ(majority_vote(votes, 1).key, "1");
  EXPECT_FALSE(majority_vote(votes, 1).correct);
}

TEST(MajorityVote, TiesGoToTheEarliestFirstVote) {
  std::vector<Vote> votes = {{"b", false}, {"a", true}, {"a", true}, {"b", false}};
  EXPECT_EQ(majority_vote(votes, 4).key, "b");
  std::vector<Vote> later = {{"a", true}, {"b", false}, {"b", false}, {"a", true}};
  EXPECT_EQ(majority_vote(later, 4).key, "a");
}

TEST(MajorityVote, AbstentionsDoNotVote) {
  std::vector<Vote> votes = {{"", false}, {"", false}, {"7", true}};
  EXPECT_EQ(majority_vote(votes, 3).key, "7");
  MajorityResult none = majority_vote({{"", false}}, 1);
  EXPECT_EQ(none.key, "");
  EXPECT_FALSE(none.correct);
  EXPECT_THROW(majority_vote(votes, 0), std::invalid_argument);
}

TEST(MajAtK, MeanOverProblems) {
  std::vector<std::vector<Vote>> problems = {
      {{"1", true}, {"1", true}, {"2", false}},
      {{"3", false}, {"3", false}, {"4", true}},
  };
  EXPECT_DOUBLE_EQ(maj_at_k(problems, 3), 0.5);
  EXPECT_THROW(maj_at_k({}, 1), std::invalid_argument);
}

TEST(ThinkingTokens, MeanAndMedian) {
  TokenStats odd = thinking_token_stats({300, 100, 200});
  EXPECT_DOUBLE_EQ(odd.mean, 200);
  EXPECT_DOUBLE_EQ(odd.median, 200);
  TokenStats even = thinking_token_stats({400, 100, 200, 1000});
  EXPECT_DOUBLE_EQ(even.mean, 425);
  EXPECT_DOUBLE_EQ(even.median, 300);
  EXPECT_DOUBLE_EQ(even.min, 100);
  EXPECT_DOUBLE_EQ(even.max, 1000);
  EXPECT_THROW(thinking_token_stats({}), std::invalid_argument);
}

}  // namespace
}  // namespace s1
