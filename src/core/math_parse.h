// Parsing of normalised LaTeX answers (see latex_normalize.h) into answer structures
// (tuples, sets, intervals, matrices, relations) over expression trees
// (expression_parser.h), under a work budget (work_budget.h).
//
// All functions are pure and thread-safe given distinct WorkBudget objects.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/expression.h"
#include "core/expression_parser.h"
#include "core/work_budget.h"

namespace s1 {

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
// ("x > 5", "-2 \le x < 7") becomes the equivalent interval (a kTuple, with \infty ends),
// "x \ne 1" the union of the two intervals beside the point, and one on an absolute value
// with bounds that cannot be negative ("|x - 1| < 2", "|k| > 1", "1 < |x| < 2") the
// interval or union it describes.
// Throws std::invalid_argument on a syntax error and WorkBudgetExceeded when out of budget.
MathAnswer parse_answer(std::string_view normalized, WorkBudget& budget);

}  // namespace s1
