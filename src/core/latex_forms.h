// Rewrites of whole-answer notations that normalize_answer() (latex_normalize.h) applies,
// each turning one way of writing an answer into the form the comparison reads:
// Unicode and HTML math, set-builder sets, ratios, ordinals, "\approx" trailers,
// qualifiers ("for all x", "k \in \mathbb{Z}") and "infinitely many". Also the free letters
// of an answer and renaming one, for the answer rules (answer_rules.h).
//
// All functions are pure and thread-safe, linear in the input size; they never throw
// except std::bad_alloc.
#pragma once

#include <string>
#include <string_view>

namespace s1 {

// Repairs LaTeX commands whose backslash became a control character when a JSON string
// was written without escaping it: TAB "ext{" is "\text{", form feed "rac" is "\frac",
// backspace "oxed" is "\boxed", carriage return "ight" is "\right" (a control character
// directly followed by a letter). Other text is unchanged.
void repair_control_escapes(std::string& s);

// Unicode and HTML math as LaTeX: "−" "×" "·" "÷" "≤" "≥" "≠" "≈" "±" "∞" "∪" "∩" "∈" "∅"
// "π" and a few Greek letters, "。" as ".", zero-width spaces dropped, "√" "∛" "∜" (with the digits
// after them: "√10"), "°" (and "°C" as a unit), "²" "³", full-width forms ("＞", "（", "０"),
// "<sup>x</sup>" as "^{x}", "<sub>" as "_{"; circled numbers "②③" as the list "2,3".
void replace_unicode(std::string& s);

// Whether `name` (without its backslash) is a Greek letter a quantity may be named by:
// "theta", "omega", "Delta"; not "pi", which is a number.
bool is_greek_letter(std::string_view name);

// "A \approx 1.36" -> "A" (what is approximated is the answer); "\approx 1.36" -> "1.36",
// also after a name ("x \approx 11", "AB \approx 2.5", "\Delta p \approx -\frac{h}{c}" -> the
// value).
// Runs on the output of the command rewrite (no "\left", "\dfrac").
void drop_approx_trailer(std::string& s);

// Drops a trailing qualifier at top level: " for all ..." / "\forall ..." (also " for some
// constant c", " where c is a constant") and a final
// "k \in \mathbb{Z}" (also "(k \in \mathbb{Z})", "\mathbb{N}", "Z") naming a parameter, and
// a domain after a comma ("400(x + \frac{200}{x}), x \in (4, 50)").
void drop_qualifiers(std::string& s);




// Strips an ordinal suffix after a number at the end: "12^{th}", "12^th", "21st" -> "12",
// "21". Returns whether it did.
bool strip_trailing_ordinal(std::string& s);

// A ratio of two numbers "5:8", "1:(4/3)", "5 to 8" as the fraction "\frac{5}{8}", without
// a label of named quantities ("BD:DC = 1:3", "\frac{BD}{DC} = \frac{1}{3}"); a ratio of
// three whole numbers or more in lowest terms ("2:4:6" -> "1:2:3"). Ratios of letters and
// labels "Max: 9" are left alone. Runs on compacted text.
void rewrite_ratio(std::string& s);

// The letters of `s` that are variables: single letters outside command names and words
// (not "e" or "i", which are constants), sorted, each once. "\frac{k\pi}{2}" gives "k".
std::string free_letters(std::string_view s);

// `s` with the variable letter `from` (as free_letters() finds it) replaced by `to`.
std::string rename_letter(std::string_view s, char from, char to);

// `s` with each occurrence of the variable letter `from` replaced by `text` (put in
// parentheses by the caller when it needs them); `count` receives the number replaced.
std::string substitute_letter(std::string_view s, char from, std::string_view text,
                              size_t* count = nullptr);

// An answer in words that says there is no end to a count as "\infty": "infinitely many",
// "infinitely many solutions" (one more word), "infinite", "infinity" (any case, the whole
// answer). Runs after text wrappers are removed. Returns whether it did.
bool rewrite_infinity_words(std::string& s);

// Semicolons that separate items as commas: inside a bracket group with no comma
// ("(0;-2;6)" -> "(0,-2,6)") and at top level when no comma is there ("-12;-11" ->
// "-12,-11"). Runs on the output of the command rewrite, where "\;" is gone.
void semicolons_to_commas(std::string& s);

// Whether `s` holds a relation: "<", ">", "=", "\le", "\ge", "\ne" (also as the start of a
// longer command such as "\left": callers look at short answers).
bool has_relation(std::string_view s);

// Drops a leading "The answer is", "Final answer:" or "Answer:" (any case) written into the
// answer itself, a quantifier before a condition on a letter ("All n \geq 3", "all integers
// n \geq 3") and a trailing "only" ("n = 1 only"). Runs after text wrappers are removed.
void drop_answer_lead(std::string& s);

// Matrices written as lists of rows, "[[1,2],[3,4]]", as "\begin{pmatrix}1&2\\3&4\end{pmatrix}";
// a transposed tuple "(1, 2)^T" as the tuple (a vector, either way). Runs on the output of
// the command rewrite.
void rewrite_matrix_lists(std::string& s);

// Labels of two groups or more are dropped: "Sequence 1: -2, -1 and Sequence 2: 10, 11" ->
// "-2, -1 and 10, 11"; also "Case 1:", "Part (a):", "(a)", "b)". Runs after text wrappers
// are removed.
void drop_group_labels(std::string& s);

}  // namespace s1
