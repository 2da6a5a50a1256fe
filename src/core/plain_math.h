// Answers written in plain text rather than LaTeX, the way models write when they do not
// typeset (and the way Python and SymPy print): "sqrt(3)/2", "pi/4", "x**2", "exp(2)",
// "(-inf, 2) U (3, oo)", "1 +- sqrt(2)", "**73**". normalize_answer() (latex_normalize.h)
// rewrites them into the LaTeX the comparison reads.
//
// All functions are pure and thread-safe, linear in the input size; they never throw
// except std::bad_alloc.
#pragma once

#include <string>

namespace s1 {

// Rewrites plain-text math in `s` as LaTeX, leaving LaTeX commands and their names alone:
//  - Markdown emphasis around the whole answer is dropped: "**73**", "*73*", "__73__";
//  - functions written with parentheses: "sqrt(x)" -> "\sqrt{x}", "cbrt(x)" ->
//    "\sqrt[3]{x}", "exp(x)" -> "e^{x}", "abs(x)" -> "|x|", "sin(x)" -> "\sin(x)" (also cos,
//    tan, cot, sec, csc, their hyperbolic forms, ln, log, arcsin/asin, arccos/acos,
//    arctan/atan), "log2(x)" -> "\log_{2}(x)"; "ln 2" and "log 2" before a number too;
//  - constants: "pi" -> "\pi", "inf", "infty", "infinity", "Infinity", "oo" -> "\infty";
//  - operators: "**" -> "^" (a power of several digits or a negative one braced: "x**10"
//    -> "x^{10}"), "+-" -> "\pm", "!=" -> "\ne";
//  - "U" between two intervals -> "\cup"; "x in [0, 1]" -> "x \in [0, 1]".
// A word is rewritten only as a whole word ("pi" but not "pipe" or "\pi"; "sin" but not
// "since"); the words of a sentence are otherwise left as written.
void plain_math_to_latex(std::string& s);

}  // namespace s1
