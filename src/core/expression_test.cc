#include "core/expression.h"

#include <gtest/gtest.h>

#include "core/expression_parser.h"

namespace s1 {
namespace {

WorkBudget plenty() {
  return WorkBudget(100000, std::chrono::milliseconds(10000));
}

TEST(HasDecimal, FindsDecimalLiterals) {
  WorkBudget budget = plenty();
  EXPECT_TRUE(has_decimal(parse_expression("2x+0.5", budget)));
  EXPECT_FALSE(has_decimal(parse_expression("2x+\\frac12", budget)));
}

TEST(Expression, RendersAsPrefixText) {
  const Expr e = make_expr(ExprKind::kAdd, {},
                           {make_expr(ExprKind::kNumber, "1"),
                            make_expr(ExprKind::kMul, {},
                                      {make_expr(ExprKind::kNumber, "2"),
                                       make_expr(ExprKind::kSymbol, "x")})});
  EXPECT_EQ(to_string(e), "(+ 1 (* 2 x))");
  EXPECT_EQ(to_string(make_expr(ExprKind::kFunction, "sin", {make_expr(ExprKind::kSymbol, "x")})),
            "(sin x)");
}

}  // namespace
}  // namespace s1
