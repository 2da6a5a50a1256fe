// Numbers written other ways than digits and plain LaTeX, as normalize_answer()
// (latex_normalize.h) rewrites them: numbers and ordinals in words, counting notation
// (binomials and arrangements), degrees with minutes, degrees inside trigonometric
// functions.
//
// All functions are pure and thread-safe, linear in the input size; they never throw
// except std::bad_alloc.
#pragma once

#include <string>
#include <string_view>

namespace s1 {

// The value of a number word in lower case, "zero" to "nineteen" and the tens "twenty" to
// "ninety"; -1 for any other word.
int number_word_value(std::string_view word);

// The value of an ordinal word in lower case, "first" to "nineteenth" and "twentieth" to
// "ninetieth"; -1 for any other word.
int ordinal_word_value(std::string_view word);

// A whole answer that is a number in words, from "zero" to "ninety-nine", optionally followed
// by one word, in digits: "fifteen" -> "15", "Twenty-one days" -> "21 days" (any case); also
// an ordinal, "third", "the twelfth", "twenty-first" -> "3", "12", "21".
// Runs after text wrappers are removed. Returns whether it did.
bool rewrite_number_words(std::string& s);

// Counting notation as binomials: "{10 \choose 2}", "C_{10}^{2}" -> "\binom{10}{2}";
// "A_{10}^{2}" -> "\frac{10!}{(10-2)!}" (whole numbers only); calculator and raised forms
// "10C3", "^{10}C_{3}", "10P3" likewise; and "45^o" as a degree mark.
// Runs on the raw answer.
void rewrite_counting_notation(std::string& s);

// Degrees and minutes (and seconds) as degrees: "60^\circ 42'" -> "(60+42/60)^\circ", also
// with "°", "′", "^{\prime}" and "30^\circ 15' 30''". Runs on the raw answer.
void rewrite_degrees_minutes(std::string& s);

// Degrees inside a trigonometric function as radians: "\cos 15^\circ" -> "\cos (15\pi/180)"
// ("^{\circ}", "°" and "\degree" too), so that they survive the removal of degree marks.
// Runs on the raw answer.
void trig_degrees_to_radians(std::string& s);

}  // namespace s1
