#include "core/curation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/datasets.h"

namespace s1 {
namespace {

TEST(Curation, OverlapWords) {
  EXPECT_EQ(overlap_words("Find $\\frac{a}{B_2}$, x-ray!"),
            (std::vector<std::string>{"find", "\\frac", "a", "b", "2", "x", "ray"}));
}

TEST(Curation, QualityIssues) {
  EXPECT_EQ(quality_issue("What is $1+1$?", "Easy: 2.", "2"), "");
  EXPECT_EQ(quality_issue("  ", "t", "a"), "missing question");
  EXPECT_EQ(quality_issue("q", "\n", "a"), "missing reasoning trace");
  EXPECT_EQ(quality_issue("q", "Error code: 429 - rate limit", ""), "API error text");
  EXPECT_EQ(quality_issue("In the figure ![tri](tri.png) find x.", "t", "a"),
            "references an image that is not included");
  EXPECT_EQ(quality_issue("Find $x", "t", "a"), "broken formatting (unbalanced braces or $)");
  EXPECT_EQ(quality_issue("Find \\frac{1}{2", "t", "a"), "broken formatting (unbalanced braces or $)");
  EXPECT_EQ(quality_issue("Costs \\$5 and $x$", "t", "a"), "");
  EXPECT_EQ(quality_issue("q", "bad \xEF\xBF\xBD", "a"), "replacement character");
  EXPECT_EQ(quality_issue("q\xFF", "t", "a"), "invalid UTF-8");
}

TEST(Curation, ExactDuplicatesIgnoreCaseAndSpacing) {
  EXPECT_EQ(normalized_question_hash("What is  1+1?"), normalized_question_hash("what is 1 + 1"));
  EXPECT_NE(normalized_question_hash("What is 1+1?"), normalized_question_hash("What is 1+2?"));
}

TEST(Curation, DecontaminationCatchesANearCopyOfAnAimeProblem) {
  const auto aime = load_problems(std::string(S1_SHARED_DATA) + "/aime24.jsonl");
  ASSERT_EQ(aime.size(), 30u);
  NgramIndex index(8);
  for (const auto& p : aime) index.add(p.problem, "aime24:" + p.id);
  // 2024-I-1 reworded at the start and the end, the middle kept.
  const std::string copy =
      "Each day Aya goes for a $9$-kilometer-long walk and stops at a coffee shop afterwards. "
      "When she walks at a constant speed of $s$ kilometers per hour, the walk takes her 4 "
      "hours, including $t$ minutes spent in the coffee shop. How long at s+1/2?";
  EXPECT_EQ(index.find_overlap(copy), "aime24:2024-I-1");
  EXPECT_EQ(index.find_overlap("Let $x$ be a real number such that $x^2 = 4$. Find the sum of "
                               "all possible values of $x$ and explain your reasoning."),
            "");
}

TEST(Curation, NearDuplicates) {
  NearDuplicateIndex index(0.8);
  const std::string base =
      "A bag contains 5 red marbles, 7 blue marbles and 9 green marbles. Two marbles are "
      "drawn at random without replacement. What is the probability that both marbles are "
      "the same colour? Express your answer as a common fraction in lowest terms please.";
  EXPECT_EQ(index.find_or_add(base, "a"), "");
  EXPECT_EQ(index.find_or_add(base + " Thanks.", "b"), "a");
  EXPECT_EQ(index.find_or_add("Compute the number of ordered pairs of integers (x, y) with "
                              "1 <= x < y <= 100 such that x + y divides xy exactly.",
                              "c"),
            "");
}

std::vector<SelectionCandidate> one_domain(int n) {
  std::vector<SelectionCandidate> pool;
  for (int i = 0; i < n; ++i) pool.push_back({"q" + std::to_string(i), "algebra", 1000 - i});
  return pool;
}

TEST(Curation, SelectionIsDeterministicPerSeed) {
  std::vector<SelectionCandidate> pool;
  for (int i = 0; i < 300; ++i) {
    pool.push_back({"q" + std::to_string(i), "d" + std::to_string(i % 7), (i * 7919) % 1000});
  }
  const auto a = select_diverse(pool, 50, 42);
  EXPECT_EQ(a, select_diverse(pool, 50, 42));
  EXPECT_NE(a, select_diverse(pool, 50, 43));
  EXPECT_EQ(a.size(), 50u);
  EXPECT_EQ(std::set<size_t>(a.begin(), a.end()).size(), 50u);  // no item twice
  EXPECT_EQ(select_diverse(pool, 1000, 1).size(), 300u);          // the pool runs out
}

TEST(Curation, SelectionFavoursLongTracesByPowersOfTwo) {
  // First draw from one domain: rank r with probability 2^-(r+1) (over a long list).
  const auto pool = one_domain(40);
  const int trials = 20000;
  std::vector<int> hits(4, 0);
  for (int seed = 0; seed < trials; ++seed) {
    const size_t first = select_diverse(pool, 1, static_cast<uint64_t>(seed)).at(0);
    if (first < 4) ++hits[first];
  }
  for (int r = 0; r < 4; ++r) {
    const double p = std::ldexp(1.0, -(r + 1));
    const double sigma = std::sqrt(trials * p * (1 - p));
    EXPECT_NEAR(hits[static_cast<size_t>(r)], trials * p, 5 * sigma) << "rank " << r;
  }
}

TEST(Curation, SelectionPicksDomainsUniformly) {
  std::vector<SelectionCandidate> pool = one_domain(100);
  pool.push_back({"lonely", "topology", 1});
  int topology = 0;
  const int trials = 10000;
  for (int seed = 0; seed < trials; ++seed) {
    topology += pool[select_diverse(pool, 1, static_cast<uint64_t>(seed)).at(0)].domain == "topology";
  }
  EXPECT_NEAR(topology, trials / 2, 5 * std::sqrt(trials * 0.25));
}

}  // namespace
}  // namespace s1
