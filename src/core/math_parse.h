// Parsing of normalised LaTeX answers (see latex_normalize.h) into expression trees and
// answer structures (tuples, sets, intervals, matrices, relations), under a work budget.
//
// All functions are pure and thread-safe given distinct WorkBudget objects.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace s1 {

// Thrown when a WorkBudget runs out: the comparison is abandoned.
struct WorkBudgetExceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A deterministic allowance of work steps for one comparison, with a wall-clock backstop.
// The step limit decides results (the same inputs always use the same steps); the wall
// clock only fires when the machine stalls, since the limits on sizes keep each step short.
// Not thread-safe: one budget per comparison.
class WorkBudget {
 public:
  WorkBudget(int64_t max_steps, std::chrono::milliseconds max_wall);

  // Spends `steps`; throws WorkBudgetExceeded when the total passes max_steps or the wall
  // time since construction passes max_wall.
  void charge(int64_t steps = 1);

  int64_t steps_used() const { return used_; }

 private:
  int64_t max_steps_;
  int64_t used_ = 0;
  int64_t next_clock_check_ = 0;
  std::chrono::steady_clock::time_point deadline_;
};

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

// Parses one expression ("2\sqrt{3}+\frac{\pi}{2}", "x^2-1", "\sin^2 x"). Implicit
// multiplication is allowed; "3\frac{1}{2}" (a mixed number) means 3 + 1/2; "1.5e3" is
// scientific notation; a base subscript on a number ("2516_8") is ignored.
// Throws std::invalid_argument on a syntax error and WorkBudgetExceeded when out of budget.
Expr parse_expression(std::string_view normalized, WorkBudget& budget);

enum class AnswerKind {
  kExpr,      // expr
  kText,      // text: a lower-case word or phrase ("evelyn", "east")
  kTuple,     // open/close: '(' or '[' and ')' or ']'; items in order. Also intervals.
  kList,      // items from a bare comma list or a \pm; compared without order
  kSet,       // items in \{ \}; compared without order
  kUnion,     // items (intervals) joined by \cup; compared without order
  kMatrix,    // rows x cols items, row-major
  kRelation,  // items[0] relations[0] items[1] ...: "=", "<", "\le", "\ne" (">" is flipped)
};

struct MathAnswer {
  AnswerKind kind = AnswerKind::kExpr;
  Expr expr;
  std::string text;
  char open = 0, close = 0;
  std::vector<MathAnswer> items;
  std::vector<std::string> relations;
  size_t rows = 0, cols = 0;
  bool percent = false;  // the answer ended in "%"
};

// Parses a normalised answer into its structure. A simple inequality in one variable
// ("x > 5", "-2 \le x < 7") becomes the equivalent interval (a kTuple, with \infty ends).
// Throws std::invalid_argument on a syntax error and WorkBudgetExceeded when out of budget.
MathAnswer parse_answer(std::string_view normalized, WorkBudget& budget);

}  // namespace s1
