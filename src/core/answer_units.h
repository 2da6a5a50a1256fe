// Quantities written with units of one kind, for the answer rules (answer_rules.h):
// "2 hours and 30 minutes", "150 minutes", "1 kg 950 g", "3 feet 4 inches",
// "5 dollars and 25 cents"; and a unit stripped from the end of an answer, for
// normalize_answer() (latex_normalize.h).
//
// All functions are pure and thread-safe, linear in the input size; they never throw
// except std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace s1 {

// What a quantity measures.
enum class Dimension { kTime, kMass, kLength, kMoney };

struct Quantity {
  Dimension dimension = Dimension::kTime;
  double base = 0;              // in seconds, grams, millimetres or cents
  std::vector<double> factors;  // the base size of each unit written, in order
};

// The quantity `raw` states: one or more "number unit" parts of one dimension, joined by
// spaces, commas or "and" ("2 hours and 30 minutes", "1 kg 950 g", "2h 30min", "150
// \text{ minutes}"); nullopt for anything else (a part without a unit, units of two kinds,
// a unit twice).
std::optional<Quantity> read_quantity(std::string_view raw);

// Whether `a` and `b` state the same quantity where units are the difference: both with
// units of one kind and equal when converted ("2.5 \text{ hours}" and "150 minutes"), or one
// with several units ("2 hours and 30 minutes") and the other a plain number
// (answer_forms.h: numeric_value) equal to it in one of the units it is written in (2.5 in
// hours, 150 in minutes). Symmetric.
bool same_quantity(std::string_view a, std::string_view b);

// Strips one trailing unit word ("15 cm^2", "5.4 cents", "60 km/h", "24 m" after a number,
// with an optional "^2" / "^{3}") from `s` when a quantity precedes it. A one-letter unit
// must stand apart after a number and is kept when the rest uses the letter as a symbol
// ("8 m - 2 m = 6 m"). Returns whether it stripped one.
bool strip_trailing_unit(std::string& s);

// Strips a unit in Chinese after the quantity, "50元", "3天", "12平方厘米": one to four CJK
// ideographs (U+4E00..U+9FFF) ending `s` after a digit, "}" or ")". Returns whether it
// stripped one.
bool strip_trailing_cjk_unit(std::string& s);

}  // namespace s1
