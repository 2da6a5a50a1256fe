// The names an answer assigns its value to ("x = 5", "AB = BC = 2", "\angle C = 120^\circ",
// "f(x) = x + 1", "(x, y) = (1, 2)"), and taking them off, for normalize_answer()
// (latex_normalize.h).
//
// All functions are pure and thread-safe, linear in the input size; they never throw
// except std::bad_alloc.
#pragma once

#include <string>
#include <string_view>

namespace s1 {

// The name at the start of `s` that a value may be assigned to, or empty: a variable ("x",
// "y_1", "x_{12}", "\theta"); a point name "AB" (also spaced, "A B"); a set of named sets
// "A \cup B"; an angle "\angle C", "m\angle ABC"; a length or vector "|AB|", "\overline{AB}",
// "\vec{a}", "\overrightarrow{AB}", "|\vec a|"; an area "[ABC]"; a function of a name
// "\sin A", "\cos\alpha"; an extreme or a limit "\max", "\min f(x)", "f(x)_{\max}",
// "\lim_{x \to 0} f(x)"; an expectation "E[X]"; a function at a constant "f(2)", a
// derivative "f'(x)" or an inverse "f^{-1}(x)".
std::string_view leading_name(std::string_view s);

// `part` without the names its value is assigned to: "x = 5" -> "5", "x \in [1,2]" ->
// "[1,2]", "(x, y) = (1, 2)" -> "(1, 2)", a chain "x = y = 5" or "AB = BC = 2" -> the value,
// a function "f(x) = x + 1" -> "x + 1". Unchanged when the value uses a name ("x = x + 1"),
// relates named quantities ("AB = CD"), or holds a relation.
std::string strip_variable_prefix(std::string_view part);

}  // namespace s1
