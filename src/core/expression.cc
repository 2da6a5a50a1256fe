#include "core/expression.h"

#include <utility>

namespace s1 {
namespace {

bool has_decimal_impl(const Expr& e) {
  if (e.kind == ExprKind::kNumber) return e.text.find('.') != std::string::npos;
  for (const Expr& arg : e.args) {
    if (has_decimal_impl(arg)) return true;
  }
  return false;
}

}  // namespace

Expr make_expr(ExprKind kind, std::string text, std::vector<Expr> args) {
  Expr e;
  e.kind = kind;
  e.text = std::move(text);
  e.args = std::move(args);
  return e;
}

bool has_decimal(const Expr& e) {
  return has_decimal_impl(e);
}

std::string to_string(const Expr& e) {
  auto list = [&](const char* op) {
    std::string s = std::string("(") + op;
    for (const Expr& a : e.args) s += " " + to_string(a);
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

}  // namespace s1
