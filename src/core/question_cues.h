// What a question asks, as far as the answer rules (answer_rules.h) need it: the part that
// asks, a stated precision, the alternatives and choices it offers, whether it asks yes or
// no, a time of day, the larger or smaller of two.
//
// read_question() is pure and thread-safe, linear in the question's size (of which it reads
// the first 50,000 characters); it never throws except std::bad_alloc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace s1 {

// What a question asks, as far as the rules need it.
struct QuestionCues {
  bool known = false;    // a question was given
  bool angle = false;    // the part that asks mentions an angle, radians or degrees
  bool degrees = false;  // ... and degrees ("in degrees")
  bool other_measure = false;  // the part that asks names a length, an area, a time...
  int decimal_places = -1;       // "to the nearest hundredth": 2; "nearest integer": 0
  int significant_figures = -1;  // "to 3 significant figures": 3
  int rounds_to_power = 0;       // "to the nearest hundred": 2 (a multiple of 10^2)
  bool rounding_task = false;    // the question asks to round a number it gives ("Round 6287215
                                 // to the nearest ten thousand."): answers must be rounded
  // Extremes asked for ("max", "min": "largest", "minimum"...), in the order asked; and
  // the same when both are asked (the order a list of two answers them in).
  std::vector<std::string> extremes;
  std::vector<std::string> order;
  // The question's words (letter runs, lower case, also inside math), in order of first
  // appearance; and those offered as alternatives ("odd" in "\"odd\" or \"even\"").
  std::vector<std::string> words;
  std::vector<std::string> options;
  // The words of the part that asks, in order of first appearance: the order in which
  // labelled values are asked for ("if y = 2x, find x and y": x, then y).
  std::vector<std::string> asked_words;
  // The answer is a fraction named by two letters the part that asks asks for
  // ("determine integers m and n for which ... = \frac{m}{n}"): "mn", else empty.
  std::string fraction_letters;
  // The letters of the choices the question offers ("A: 1 B: 2 C: 3", "(A) ... (B) ..."),
  // "ABC"; empty when it offers none (A and B at least).
  std::string choice_letters;
  // The text of each of those choices, in order ("2\sqrt{2}" for "A: $2\sqrt{2}$"); empty
  // when one cannot be read.
  std::vector<std::string> choice_texts;
  // The part that asks asks for the larger (1) or the smaller (-1) of what it compares
  // ("Which is larger, 2^{100} or 3^{60}?"), else 0.
  int compares = 0;
  // The question is a yes-or-no question ("Can Peter do this?", "Is it possible ...?").
  bool yes_no = false;
  // The question asks for a time of day ("At what time ...", "o'clock", "a.m."): "2:30" is
  // then a clock time, not the ratio 2:30.
  bool clock = false;
};

// Reads `question` (may be empty). The part that asks is the text from the first
// question word ("find", "what", "compute"...) on, so "angle C is 90°. Find the length
// of AB." asks for a length, and "if y = 2x, find x and y" asks for x first.
QuestionCues read_question(std::string_view question);

}  // namespace s1
