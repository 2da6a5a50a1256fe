#include "core/symbolic.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/expression_parser.h"

namespace s1 {
namespace {

Comparison compare(const char* a, const char* b, ScalarTolerance tolerance = {}) {
  WorkBudget budget(100000, std::chrono::milliseconds(10000));
  return symbolic_compare(parse_expression(a, budget), parse_expression(b, budget), tolerance,
                          budget);
}

TEST(SymbolicCompare, ExactValues) {
  EXPECT_EQ(compare("\\sqrt8", "2\\sqrt2"), Comparison::kEqual);
  EXPECT_EQ(compare("\\sqrt8", "3\\sqrt2"), Comparison::kNotEqual);
  EXPECT_EQ(compare("10^{30}", "10^{30}+1"), Comparison::kNotEqual);
  EXPECT_EQ(compare("\\pi", "3.14159"), Comparison::kNotEqual);
}

TEST(SymbolicCompare, InexactTolerance) {
  ScalarTolerance tolerance;
  tolerance.inexact = true;
  EXPECT_EQ(compare("\\pi", "3.14", tolerance), Comparison::kNotEqual);  // relative 5e-4
  EXPECT_EQ(compare("\\pi", "3.1416", tolerance), Comparison::kEqual);
  EXPECT_EQ(compare("\\pi", "3.1415", tolerance), Comparison::kEqual);  // relative 3e-5
  tolerance.decimal_places = 4;
  EXPECT_EQ(compare("\\pi", "3.1415", tolerance), Comparison::kNotEqual);  // not rounded
  EXPECT_EQ(compare("\\pi", "3.1416", tolerance), Comparison::kEqual);
  tolerance.decimal_places = 2;
  EXPECT_EQ(compare("\\pi", "3.14", tolerance), Comparison::kNotEqual);
}

TEST(SymbolicCompare, Variables) {
  EXPECT_EQ(compare("(x+1)^2", "x^2+2x+1"), Comparison::kEqual);
  EXPECT_EQ(compare("\\sin^2 x+\\cos^2 x", "1"), Comparison::kEqual);
  EXPECT_EQ(compare("x", "y"), Comparison::kNotEqual);
  EXPECT_EQ(compare("0.5x", "\\frac{x}{2}"), Comparison::kEqual);
}

TEST(SymbolicCompare, UndefinedValuesAreUnknown) {
  EXPECT_EQ(compare("\\frac{1}{0}", "1"), Comparison::kUnknown);
  EXPECT_EQ(compare("(-1)!", "1"), Comparison::kUnknown);
}

TEST(SymbolicCompare, PointsWithHugePowersAreSkipped) {
  // At every sample point the power is 2^(-10^7) or smaller: GiNaC would work it out
  // exactly, for seconds. Such points are skipped, so nothing is known.
  EXPECT_EQ(compare("2^{-10^{7}x}", "4"), Comparison::kUnknown);
  // Where only some points are so ("2^{-3W^{25}L}" at W near 2.5), the others decide.
  EXPECT_EQ(compare("2^{-3W^{25}L}", "4"), Comparison::kNotEqual);
  EXPECT_EQ(compare("2^{x^{2}}", "2^{x \\cdot x}"), Comparison::kEqual);
}

TEST(SymbolicCompare, GuardsThrow) {
  EXPECT_THROW(compare("10^{10^{10}}", "1"), WorkBudgetExceeded);
  EXPECT_THROW(compare("5000!", "1"), WorkBudgetExceeded);
  EXPECT_THROW(compare("e^{10^{9}}", "1"), WorkBudgetExceeded);
  EXPECT_THROW(compare("(x+1)^{1000}", "1"), WorkBudgetExceeded);
}

TEST(SymbolicProportional, Equations) {
  WorkBudget budget(100000, std::chrono::milliseconds(10000));
  auto expr = [&](const char* s) { return parse_expression(s, budget); };
  EXPECT_EQ(symbolic_proportional(expr("x+y-1"), expr("2x+2y-2"), false, budget),
            Comparison::kEqual);
  EXPECT_EQ(symbolic_proportional(expr("x+y-1"), expr("-x-y+1"), false, budget),
            Comparison::kEqual);
  EXPECT_EQ(symbolic_proportional(expr("x+y-1"), expr("-x-y+1"), true, budget),
            Comparison::kNotEqual);
  EXPECT_EQ(symbolic_proportional(expr("x+y-1"), expr("x-y-1"), false, budget),
            Comparison::kNotEqual);
}

TEST(SymbolicCompare, SafeFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<int> equal(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &equal] {
      for (int i = 0; i < 50; ++i) {
        if (compare("(x+1)^3", "x^3+3x^2+3x+1") == Comparison::kEqual) ++equal[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : equal) EXPECT_EQ(count, 50);
}

}  // namespace
}  // namespace s1
