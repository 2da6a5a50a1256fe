// Parsing of one normalised LaTeX expression (see latex_normalize.h) into an expression
// tree, under a work budget. Pure and thread-safe given distinct WorkBudget objects.
#pragma once

#include <string_view>

#include "core/expression.h"
#include "core/work_budget.h"

namespace s1 {

// Parses one expression ("2\sqrt{3}+\frac{\pi}{2}", "x^2-1", "\sin^2 x"). Implicit
// multiplication is allowed; "3\frac{1}{2}" (a mixed number) means 3 + 1/2; "1.5e3" is
// scientific notation; a base subscript on a number ("2516_8") is ignored; "\tan^{-1} x"
// (also sin, cos) is \arctan x; an exponent may be parenthesised ("10^(-10)").
// Throws std::invalid_argument on a syntax error and WorkBudgetExceeded when out of budget.
Expr parse_expression(std::string_view normalized, WorkBudget& budget);

// `s` without the spaces (' ', '\t', '\n', '\r') the parsers skip at either end.
std::string_view trim_spaces(std::string_view s);

}  // namespace s1
