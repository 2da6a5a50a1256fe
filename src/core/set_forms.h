// Rewrites of answers that are sets, systems and groups of solutions, applied by
// normalize_answer() (latex_normalize.h): set-builder sets and chains less a point, sets less
// a point, the real line, systems of equations, groups of assignments and a tuple with one
// "\pm" item. Each turns one way of writing an answer into the form the comparison reads.
//
// All functions are pure and thread-safe, linear in the input size; they never throw
// except std::bad_alloc.
#pragma once

#include <string>

namespace s1 {

// A set-builder set "\{x \mid 2 < x < 3\}" ("|", ":" and "x \in \mathbb{R} |" too) as its
// condition "2 < x < 3", which the parser reads as an interval; "x < 1 or x > 2" becomes a
// list of intervals (see words_to_commas), "x \ne 1" two intervals (math_parse.h).
// A condition that removes one point, "\{x \mid 1 \le x < 5, x \ne 3\}", becomes the chain
// split at it, "1 \le x < 3 or 3 < x < 5". A condition "x \in \mathbb{R}" among others is
// dropped ("\{x \mid x \in \mathbb{R}, x \ne 0\}"; alone it is the real line), and a union of set-builder sets becomes
// their conditions joined by "or".
void rewrite_set_builder(std::string& s);

// A chain less a point written without braces, "-1 < x < 1, x \ne 0" (also "and"), as the
// chain split there, "-1 < x < 0 or 0 < x < 1"; other text is unchanged.
void rewrite_chain_less_point(std::string& s);

// A system of equations, "\begin{cases} x = 1 \\ y = 2 \end{cases}" (also "\{" with
// "array", "aligned"... and "&" alignment), as the list "x = 1, y = 2". A row with a
// condition ("x > 0", "if", a comma) is a piecewise function and is left alone. Runs on the
// output of the command rewrite ("\left" gone).
void rewrite_system(std::string& s);

// A piecewise function or sequence "\begin{cases} 1 & n = 1 \\ 2^{n-1} & n \geq 2
// \end{cases}" (also "1, \text{if } n = 1", "2^{n-1} \quad (n \ge 2)", "otherwise") as the set
// of its pieces "\{(1,n = 1),(2^{n-1},n \geq 2)\}", each a value and its condition, which
// compare in any order; a name before it ("a_n =", "f(x) =") is dropped. Runs after the
// command rewrite.
void rewrite_piecewise(std::string& s);

// Solutions written as groups of assignments, "x=1, y=2 or x=2, y=1" (also ";" between
// groups, and systems "\begin{cases} x=1 \\ y=2 \end{cases}" as groups), as the tuples
// "(1,2),(2,1)" when every group assigns the same names in the same order (two or more).
// Runs on the output of the command rewrite.
void rewrite_assignment_groups(std::string& s);

// A set less one point: "\mathbb{R} \setminus \{2\}" (or "- \{2\}") as "x \ne 2", and
// "[1, 5) \setminus \{3\}" as "[1,3)\cup(3,5)". Runs on the output of the command rewrite.
void rewrite_set_difference(std::string& s);

// The real line named in words or as a set as the interval "(-\infty,\infty)":
// "\mathbb{R}", "All real numbers", "every real number" (the whole answer). Runs on
// compacted text.
void rewrite_real_line(std::string& s);

// Other sets of numbers named in words or in another notation as one notation (the whole
// answer): "all integers", "the integers" -> "\mathbb{Z}"; "all positive integers",
// "\mathbb{N}^*", "\mathbb{N}_+", "\mathbb{Z}_{>0}" -> "\mathbb{Z}^+"; "all rational
// numbers" -> "\mathbb{Q}"; "all complex numbers" -> "\mathbb{C}". ("\mathbb{N}" alone, with
// or without 0, stays as written.) Runs on compacted text.
void rewrite_number_sets(std::string& s);

// A tuple with one item signed "\pm", "(\pm 1, 2)", as its two tuples "((1),2),(-(1),2)".
// Runs on the output of the command rewrite.
void expand_pm_in_tuple(std::string& s);

}  // namespace s1
