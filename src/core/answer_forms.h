// Comparisons behind the answer rules (answer_rules.h) that need at most the precision a
// question states: values at a stated precision or at a gold decimal's own digits, an
// ordering written as a chain of inequalities against the list of its terms, and an
// equation against the expression of the variable it defines.
//
// All functions are pure and thread-safe; work is linear in the input sizes plus a bounded
// number of comparisons through `compare`. They never throw except std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/answer_rules.h"

namespace s1 {

// The value of a plain answer without variables ("\frac{84}{13}", "2\sqrt{3}", "6.46"), or
// nullopt (variables, a structure, a percentage, no value).
std::optional<double> numeric_value(std::string_view raw);

// Whether `a` and `b`, plain values, agree when both are rounded (half away from zero) to
// the decimal places or significant figures `cues` states.
bool same_at_precision(std::string_view a, std::string_view b, const QuestionCues& cues);

// Whether the plain value `a` already is at the precision `cues` states (rounding it
// changes nothing): "6290000" at the nearest ten thousand, not "6287000".
bool states_precision_only(std::string_view a, const QuestionCues& cues);

// "\frac{84}{13}" against "6.46": a decimal of three significant digits or more states the
// digits it has, and an exact value (no decimal in it) that rounds to it at those digits, or
// with four significant digits or more is cut off there ("41.494" for 17 + 10\sqrt{6} =
// 41.4949...), is that answer. A decimal percentage takes an exact value a hundred times
// smaller, or an exact percentage ("16.67\%" for \frac{1}{6} and for \frac{50}{3}\%).
// Never a looser tolerance; "6.5" (two digits) may be exact and is left alone.
bool rounds_to_decimal(std::string_view exact_side, std::string_view decimal_side);

// "\frac{10}{2} = 5" against "5": an answer written as a computation, terms joined by "=",
// each equal to the other answer ("2 + 3 = 6" is not 5; "8m - 2m = 6m" is 6m), after a name
// the chain may start with ("BD = \sqrt{4225} = 65"; then steps in letters may lead to the
// value: "b = \frac{3}{2}\sin B = \frac{1}{2}"), after a quantity built from names
// ("f(9) - f(3) = 210", "x + y = 4027"), or after any expression computed to it in a step
// without letters ("\log_2 \sqrt{x} = \log_2 2^5 = 5"). Symmetric.
bool computation_matches(std::string_view a, std::string_view b, const AnswerComparer& compare);

// "2^{100} > 3^{60}" (or "3^{60} < 2^{100}") against "2^{100}": `inequality` compares two
// terms with one strict relation, and `value` equals the larger one (`larger`) or the
// smaller one.
bool states_the_extreme(std::string_view inequality, std::string_view value, bool larger,
                        const AnswerComparer& compare);

// "3,14" against "3.14": a number written with a decimal comma (one comma, then other than
// three digits, which would group thousands; three digits after "0," or after four digits or
// more, as in "0,111", since those cannot be thousands) against the same number (as
// `compare` finds it). Symmetric.
bool decimal_comma_matches(std::string_view a, std::string_view b, const AnswerComparer& compare);

// "b < a < d < c" against "b, a, d, c": a chain of three terms or more joined by one strict
// relation ("<" throughout or ">" throughout) lists its terms in the order written; the
// other answer, a list of as many items without relations, equals it item by item.
// Symmetric in its two answers.
bool chain_matches_list(std::string_view a, std::string_view b, const AnswerComparer& compare);

// "x = y = z = 1" against "(1, 1, 1)": names joined by "=" to one value, against a tuple (or
// bare list) of that value once per name. Symmetric in its two answers.
bool shared_value_matches_tuple(std::string_view a, std::string_view b,
                                const AnswerComparer& compare);

// "-4x^2 + 4x - 2" against "y + 1 = -(2x - 1)^2": `equation` has one "=" and one letter
// that `expression` (no "=", no relation, no list) lacks; that letter occurs once, neither
// raised to a power nor applied as a function ("f(n)"), and every letter of `expression`
// occurs in `equation`. They agree when the
// equation holds with the expression put in for that letter. Not symmetric: the caller
// tries both ways.
bool expression_solves_equation(std::string_view expression, std::string_view equation,
                                const AnswerComparer& compare);

// The two letters of a fraction `question` writes ("\frac{m}{n}", "\dfrac{m}{n}") when both are
// among `asked_words` (the words of the part that asks), e.g. "mn"; else "".
std::string fraction_letters(std::string_view question,
                             const std::vector<std::string>& asked_words);

// "\frac{221}{8}" against "221, 8": a fraction of two integers (no sign, written with
// \frac or "/") against a list of two items equal to its numerator and denominator in
// order. Symmetric in its two answers; the caller checks the question asks for the pair.
bool fraction_matches_pair(std::string_view a, std::string_view b, const AnswerComparer& compare);

}  // namespace s1
