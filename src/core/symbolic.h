// Symbolic and high-precision comparison of two parsed scalar expressions with GiNaC.
//
// Thread safety: GiNaC shares reference-counted objects and global settings without
// synchronisation, so every function here takes one process-wide mutex for its GiNaC work:
// they may be called from any thread, but calls run one at a time. Callers that want
// parallelism should try cheaper checks first (see math_equivalence.h).
#pragma once

#include <optional>

#include "core/expression.h"
#include "core/work_budget.h"

namespace s1 {

enum class Comparison { kEqual, kNotEqual, kUnknown };

// How strictly two scalar values must agree.
struct ScalarTolerance {
  // Exactly one side holds a decimal literal: the values need only agree to a relative
  // 1e-4 (and, for a plain decimal, to within half a unit of its last decimal place).
  // Otherwise values must agree exactly (to a relative 1e-20 at 40 significant digits).
  bool inexact = false;
  // Decimal places of the inexact side when it is a plain decimal such as "3.14", else -1.
  int decimal_places = -1;
  // The plain decimal has three significant digits or more ("1.41", "0.333"): it states its
  // digits, so the values agree when the exact one rounds to it, however far apart
  // relatively (1.41 for \sqrt{2}); "6.5" may be exact and keeps the relative bound.
  bool rounded = false;
};

// Compares `a` and `b`: equal when their difference simplifies to zero or, with free
// variables, when they agree at five deterministic pseudo-random points (the same points
// for every call); without variables the values are compared at 40 digits. A floor or
// ceiling of an expression with variables counts as an unknown of its own, named after its
// argument ("\lceil n/2 \rceil" matches only itself). A factorial or binomial of an
// expression with variables ("n!", "\binom{n}{2}") is compared at five whole-number points
// (4 to 14) instead, where it has a value.
// Returns kUnknown when the expressions cannot be evaluated (e.g. a pole at every point).
// Limits on literal sizes, exponents, factorials and expansion keep each call short;
// exceeding them throws WorkBudgetExceeded, as does running out of `budget`.
Comparison symbolic_compare(const Expr& a, const Expr& b, const ScalarTolerance& tolerance,
                            WorkBudget& budget);

// Whether a == k*b for one constant k != 0 (k > 0 when `positive_factor`), judged at
// pseudo-random points: used for equations (a and b being lhs - rhs). Same limits and
// exceptions as symbolic_compare.
Comparison symbolic_proportional(const Expr& a, const Expr& b, bool positive_factor,
                                 WorkBudget& budget);

// The real value of `e`, which must hold no variables, as a double; nullopt when it has
// variables, is not real or cannot be evaluated. Same limits and exceptions as
// symbolic_compare.
std::optional<double> symbolic_value(const Expr& e, WorkBudget& budget);

}  // namespace s1
