// Quantities written with units of one kind, for the answer rules (answer_rules.h):
// "2 hours and 30 minutes", "150 minutes", "1 kg 950 g", "3 feet 4 inches",
// "5 dollars and 25 cents".
//
// All functions are pure and thread-safe, linear in the input size; they never throw
// except std::bad_alloc.
#pragma once

#include <optional>
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

}  // namespace s1
