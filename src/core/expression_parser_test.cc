#include "core/expression_parser.h"

#include <gtest/gtest.h>

namespace s1 {
namespace {

WorkBudget plenty() {
  return WorkBudget(100000, std::chrono::milliseconds(10000));
}

std::string parse(const char* s) {
  WorkBudget budget = plenty();
  return to_string(parse_expression(s, budget));
}

TEST(ParseExpression, Precedence) {
  EXPECT_EQ(parse("1+2*3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(parse("-2^2"), "(- (^ 2 2))");
  EXPECT_EQ(parse("2^-1"), "(^ 2 (- 1))");
  EXPECT_EQ(parse("a-b"), "(+ a (- b))");
  EXPECT_EQ(parse("6/2*3"), "(* (/ 6 2) 3)");
}

TEST(ParseExpression, LatexArguments) {
  EXPECT_EQ(parse("\\frac12"), "(/ 1 2)");
  EXPECT_EQ(parse("\\frac{1}{2}"), "(/ 1 2)");
  EXPECT_EQ(parse("x^23"), "(* (^ x 2) 3)");
  EXPECT_EQ(parse("\\sqrt2"), "(root 2 2)");
  EXPECT_EQ(parse("\\sqrt[3]{x}"), "(root x 3)");
  EXPECT_EQ(parse("\\binom{5}{2}"), "(binom 5 2)");
}

TEST(ParseExpression, ImplicitMultiplicationAndMixedNumbers) {
  EXPECT_EQ(parse("2\\sqrt{3}"), "(* 2 (root 3 2))");
  EXPECT_EQ(parse("(a+5)(b+2)"), "(* (+ a 5) (+ b 2))");
  EXPECT_EQ(parse("3\\frac{1}{2}"), "(+ 3 (/ 1 2))");
  EXPECT_EQ(parse("3\\frac{x}{2}"), "(* 3 (/ x 2))");
  EXPECT_EQ(parse("2|x|"), "(* 2 (abs x))");
}

TEST(ParseExpression, NumbersConstantsAndSymbols) {
  EXPECT_EQ(parse(".5"), ".5");
  EXPECT_EQ(parse("1.5e3"), "(* 1.5 (^ 10 3))");
  EXPECT_EQ(parse("2516_8"), "2516");
  EXPECT_EQ(parse("x_{12}+y_1"), "(+ x_12 y_1)");
  EXPECT_EQ(parse("e^{i\\pi}"), "(^ e (* i pi))");
  EXPECT_EQ(parse("\\theta"), "\\theta");
  EXPECT_EQ(parse("5!"), "(! 5)");
}

TEST(ParseExpression, Functions) {
  EXPECT_EQ(parse("\\sin^2 x"), "(^ (sin x) 2)");
  EXPECT_EQ(parse("\\log_2 8"), "(log 8 2)");
  EXPECT_EQ(parse("\\cos(2x)"), "(cos (* 2 x))");
  EXPECT_EQ(parse("\\lfloor x \\rfloor"), "(floor x)");
}

TEST(ParseExpression, SyntaxErrors) {
  WorkBudget budget = plenty();
  for (const char* bad :
       {"", "1+", "(1", "\\frac{1}", "x^", "1)", "\\sqrt", "\\begin", ".x", "B.x"}) {
    EXPECT_THROW(parse_expression(bad, budget), std::invalid_argument) << bad;
  }
}

TEST(ParseExpression, DepthAndBudgetLimits) {
  WorkBudget budget = plenty();
  std::string deep(200, '(');
  deep += "1" + std::string(200, ')');
  EXPECT_THROW(parse_expression(deep, budget), WorkBudgetExceeded);
  WorkBudget tiny(5, std::chrono::milliseconds(1000));
  EXPECT_THROW(parse_expression("1+2+3+4+5+6+7+8", tiny), WorkBudgetExceeded);
  WorkBudget ok = plenty();
  EXPECT_THROW(parse_expression(std::string(500, '9'), ok), WorkBudgetExceeded);
}

}  // namespace
}  // namespace s1
