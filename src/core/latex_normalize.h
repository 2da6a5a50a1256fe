// LaTeX clean-up of short final answers, before they are compared or counted as votes.
//
// All functions are pure and thread-safe; they never throw except std::bad_alloc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace s1 {

// Index of the '}' that closes the '{' at `open` in `s`, or std::string_view::npos when it
// never closes. Escaped braces ("\{", "\}") are skipped. Requires s[open] == '{'.
size_t matching_brace(std::string_view s, size_t open);

// Index of the ')' that closes the '(' at `open` in `s`, or std::string_view::npos when it
// never closes. Requires s[open] == '('.
size_t matching_paren(std::string_view s, size_t open);

// Positions of the occurrences of `token` in `s` at bracket depth 0, counting (, [ and {
// alike (so "[1,2)" is one level) and "\{", "\}" as braces. A command token ("\le") does
// not match the start of a longer command ("\left"); matches do not overlap.
std::vector<size_t> top_level_positions(std::string_view s, std::string_view token);

// The pieces of `s` between the top-level positions of `token` (as top_level_positions()
// finds them), each trimmed of spaces; `s` trimmed alone when `token` is not there.
std::vector<std::string_view> split_top_level(std::string_view s, std::string_view token);

// Normalises a final answer written in LaTeX so that equal answers written differently
// usually become the same string:
//  - math delimiters ($, \(, \[) and \displaystyle, \left, \right, \big... are dropped;
//  - \dfrac/\tfrac/\cfrac -> \frac, \dbinom/\tbinom -> \binom, \leq -> \le, \geq -> \ge;
//  - \text{}, \mathrm{}, \mbox{}, \textbf{}, \boxed{}... are unwrapped to their contents;
//  - spacing (\! \, \; \quad ~), degrees (^\circ, °), \$ and trailing unit words
//    ("cm^2", "inches", "cents", "degrees"...) are removed; \% and "percent" become "%";
//  - thousands separators ("10,\!080", "1,000,000", "1 000 000") are removed; "2 1/2" is a
//    mixed number and "1 2" the list "1,2";
//  - trailing '.', ',' and ';' are removed;
//  - when `strip_variable`, a leading "x =" or "x \in" (a single variable not used on the
//    right), "x = y =" (a chain of them), "(x, y) =" (a tuple of them) or "f(x) =" (a
//    function of one variable) is removed, also in each element of a top-level comma list;
//  - repeating decimals ("0.\overline{6}", "1.2\overline{3}", "0.\dot{6}", a final
//    "0.666\ldots") become fractions; a unit written as text after a number or a
//    multiple of \pi ("9.8\,\mathrm{m/s^2}", "20\text{ km/h}", "9\pi cm^2", "15 km/h") is
//    removed;
//  - an empty set written any way ("\{\}", "\varnothing", "none", "no solution",
//    "There are no real solutions") becomes "\emptyset";
//  - plain-text math ("sqrt(3)/2", "pi/4", "x**2", "(-inf, 2) U (3, oo)", "**73**";
//    plain_math.h) is written as LaTeX;
//  - Unicode and HTML math, "A \approx 1.36", "x = y = 5", "f(x) = x + 1", a trailing
//    "for all x" or "k \in \mathbb{Z}", set-builder sets "\{x \mid 2 < x < 3\}", sets less
//    a point, ordinals "12^{th}", numbers in words, semicolon lists, degrees inside
//    \sin and \cos, and ratios "5:8" are rewritten (latex_forms.h, number_notation.h,
//    set_forms.h); a backslash that became a control character in JSON ("\t" in "\text")
//    is put back;
//  - math delimiters inside the answer ("\(1\) and \(2\)") are dropped;
//  - a value assigned to names is kept: "AB = BC = 2", "\angle C = 120^\circ",
//    "|AB| = 5" -> the value (not "AB = CD");
//  - " or " / " and " between answers become ",";
//  - a lone choice letter "(C)" becomes "C";
//  - whitespace is removed except where it separates a command from a following letter.
// The result is meant for comparisons and vote keys, not for display.
std::string normalize_answer(std::string_view latex, bool strip_variable = true);

}  // namespace s1
