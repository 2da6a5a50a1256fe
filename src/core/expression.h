// The expression tree of a parsed scalar answer: what the expression parser
// (expression_parser.h) builds and the symbolic comparison (symbolic.h) reads.
#pragma once

#include <string>
#include <vector>

namespace s1 {

enum class ExprKind {
  kNumber,     // text: a decimal literal without sign, e.g. "12", "0.5", ".25"
  kSymbol,     // text: a variable name, e.g. "x", "x_1", "\theta"
  kConstant,   // text: "pi", "e", "i" or "infty"
  kAdd,        // args: two or more terms
  kMul,        // args: two or more factors
  kNeg,        // args: the operand
  kDiv,        // args: numerator, denominator
  kPow,        // args: base, exponent
  kRoot,       // args: radicand, index (2 for \sqrt)
  kFunction,   // text: "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan",
               // "sinh", "cosh", "tanh", "ln", "log", "exp", "abs", "floor", "ceil", "binom";
               // args: the arguments (log: the argument then an optional base)
  kFactorial,  // args: the operand
};

struct Expr {
  ExprKind kind = ExprKind::kNumber;
  std::string text;
  std::vector<Expr> args;
};

// True when `e` contains a decimal literal such as "0.5" (an inexact value).
bool has_decimal(const Expr& e);

// A compact prefix rendering, e.g. "(+ 1 (* 2 x))", for tests and diagnostics.
std::string to_string(const Expr& e);

// A node of `kind`.
Expr make_expr(ExprKind kind, std::string text = {}, std::vector<Expr> args = {});

}  // namespace s1
