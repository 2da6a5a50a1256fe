#include "core/math_parse.h"

#include <gtest/gtest.h>

namespace s1 {
namespace {

WorkBudget plenty() {
  return WorkBudget(100000, std::chrono::milliseconds(10000));
}

// A compact rendering of the tree, for assertions.
std::string show(const Expr& e) {
  auto list = [&](const char* op) {
    std::string s = std::string("(") + op;
    for (const Expr& a : e.args) s += " " + show(a);
    return s + ")";
  };
  switch (e.kind) {
    case ExprKind::kNumber:
    case ExprKind::kSymbol:
    case ExprKind::kConstant:
      return e.text;
    case ExprKind::kAdd:
      return list("+");
    case ExprKind::kMul:
      return list("*");
    case ExprKind::kNeg:
      return list("-");
    case ExprKind::kDiv:
      return list("/");
    case ExprKind::kPow:
      return list("^");
    case ExprKind::kRoot:
      return list("root");
    case ExprKind::kFactorial:
      return list("!");
    case ExprKind::kFunction:
      return list(e.text.c_str());
  }
  return "?";
}

std::string parse(const char* s) {
  WorkBudget budget = plenty();
  return show(parse_expression(s, budget));
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
  for (const char* bad : {"", "1+", "(1", "\\frac{1}", "x^", "1)", "\\sqrt", "\\begin"}) {
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

TEST(WorkBudget, CountsSteps) {
  WorkBudget budget(10, std::chrono::milliseconds(1000));
  budget.charge(4);
  budget.charge(6);
  EXPECT_EQ(budget.steps_used(), 10);
  EXPECT_THROW(budget.charge(), WorkBudgetExceeded);
}

MathAnswer answer(const char* s) {
  WorkBudget budget = plenty();
  return parse_answer(s, budget);
}

TEST(ParseAnswer, Structures) {
  MathAnswer tuple = answer("(1,2]");
  EXPECT_EQ(tuple.kind, AnswerKind::kTuple);
  EXPECT_EQ(tuple.open, '(');
  EXPECT_EQ(tuple.close, ']');
  EXPECT_EQ(tuple.items.size(), 2u);
  EXPECT_EQ(answer("\\{1,2,3\\}").kind, AnswerKind::kSet);
  EXPECT_EQ(answer("1,2,3").items.size(), 3u);
  EXPECT_EQ(answer("(0,1)\\cup(2,3)").kind, AnswerKind::kUnion);
  MathAnswer matrix = answer("\\begin{pmatrix}1&2\\\\3&4\\\\5&6\\end{pmatrix}");
  EXPECT_EQ(matrix.kind, AnswerKind::kMatrix);
  EXPECT_EQ(matrix.rows, 3u);
  EXPECT_EQ(matrix.cols, 2u);
  EXPECT_EQ(answer("(x+1)").kind, AnswerKind::kExpr);
  EXPECT_EQ(answer("evelyn").kind, AnswerKind::kText);
  EXPECT_TRUE(answer("50%").percent);
  EXPECT_EQ(answer("1\\pm\\sqrt2").kind, AnswerKind::kList);
}

TEST(ParseAnswer, InequalitiesBecomeIntervals) {
  MathAnswer below = answer("x<5");
  EXPECT_EQ(below.kind, AnswerKind::kTuple);
  EXPECT_EQ(below.open, '(');
  EXPECT_EQ(below.close, ')');
  EXPECT_EQ(show(below.items[0].expr), "(- infty)");
  MathAnswer between = answer("7\\ge x>-2");
  EXPECT_EQ(between.open, '(');
  EXPECT_EQ(between.close, ']');
  EXPECT_EQ(show(between.items[0].expr), "(- 2)");
  MathAnswer equation = answer("x+y=1");
  EXPECT_EQ(equation.kind, AnswerKind::kRelation);
  EXPECT_EQ(equation.relations, std::vector<std::string>{"="});
  EXPECT_THROW(answer("1<x>2"), std::invalid_argument);
}

TEST(HasDecimal, FindsDecimalLiterals) {
  WorkBudget budget = plenty();
  EXPECT_TRUE(has_decimal(parse_expression("2x+0.5", budget)));
  EXPECT_FALSE(has_decimal(parse_expression("2x+\\frac12", budget)));
}

}  // namespace
}  // namespace s1
