#include "core/math_parse.h"

#include <gtest/gtest.h>

namespace s1 {
namespace {

WorkBudget plenty() {
  return WorkBudget(100000, std::chrono::milliseconds(10000));
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
  EXPECT_EQ(to_string(below.items[0].expr), "(- infty)");
  MathAnswer between = answer("7\\ge x>-2");
  EXPECT_EQ(between.open, '(');
  EXPECT_EQ(between.close, ']');
  EXPECT_EQ(to_string(between.items[0].expr), "(- 2)");
  MathAnswer equation = answer("x+y=1");
  EXPECT_EQ(equation.kind, AnswerKind::kRelation);
  EXPECT_EQ(equation.relations, std::vector<std::string>{"="});
  EXPECT_THROW(answer("1<x>2"), std::invalid_argument);
}

}  // namespace
}  // namespace s1
