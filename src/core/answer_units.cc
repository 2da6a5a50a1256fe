#include "core/answer_units.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "core/answer_forms.h"
#include "core/answer_words.h"
#include "core/ascii.h"
#include "core/utf8.h"

namespace s1 {
namespace {

using ascii::ends_with;
using ascii::is_alpha;
using ascii::is_digit;
using ascii::trim;

struct Unit {
  std::string_view name;
  Dimension dimension;
  double size;  // in the base unit of its dimension
};

constexpr Unit kUnits[] = {
    {"s", Dimension::kTime, 1},         {"sec", Dimension::kTime, 1},
    {"secs", Dimension::kTime, 1},      {"second", Dimension::kTime, 1},
    {"seconds", Dimension::kTime, 1},   {"min", Dimension::kTime, 60},
    {"mins", Dimension::kTime, 60},     {"minute", Dimension::kTime, 60},
    {"minutes", Dimension::kTime, 60},  {"h", Dimension::kTime, 3600},
    {"hr", Dimension::kTime, 3600},     {"hrs", Dimension::kTime, 3600},
    {"hour", Dimension::kTime, 3600},   {"hours", Dimension::kTime, 3600},
    {"day", Dimension::kTime, 86400},   {"days", Dimension::kTime, 86400},
    {"week", Dimension::kTime, 604800}, {"weeks", Dimension::kTime, 604800},
    {"mg", Dimension::kMass, 0.001},    {"g", Dimension::kMass, 1},
    {"gram", Dimension::kMass, 1},      {"grams", Dimension::kMass, 1},
    {"kg", Dimension::kMass, 1000},     {"kilogram", Dimension::kMass, 1000},
    {"kilograms", Dimension::kMass, 1000}, {"lb", Dimension::kMass, 453.59237},
    {"lbs", Dimension::kMass, 453.59237}, {"pound", Dimension::kMass, 453.59237},
    {"pounds", Dimension::kMass, 453.59237}, {"oz", Dimension::kMass, 28.349523125},
    {"ounce", Dimension::kMass, 28.349523125}, {"ounces", Dimension::kMass, 28.349523125},
    {"mm", Dimension::kLength, 1},      {"cm", Dimension::kLength, 10},
    {"m", Dimension::kLength, 1000},    {"meter", Dimension::kLength, 1000},
    {"meters", Dimension::kLength, 1000}, {"metre", Dimension::kLength, 1000},
    {"metres", Dimension::kLength, 1000}, {"km", Dimension::kLength, 1e6},
    {"in", Dimension::kLength, 25.4},   {"inch", Dimension::kLength, 25.4},
    {"inches", Dimension::kLength, 25.4}, {"ft", Dimension::kLength, 304.8},
    {"foot", Dimension::kLength, 304.8}, {"feet", Dimension::kLength, 304.8},
    {"yd", Dimension::kLength, 914.4},  {"yard", Dimension::kLength, 914.4},
    {"yards", Dimension::kLength, 914.4}, {"mile", Dimension::kLength, 1609344},
    {"miles", Dimension::kLength, 1609344}, {"cent", Dimension::kMoney, 1},
    {"cents", Dimension::kMoney, 1},    {"dollar", Dimension::kMoney, 100},
    {"dollars", Dimension::kMoney, 100},
};

const Unit* find_unit(std::string_view word) {
  for (const Unit& u : kUnits) {
    if (u.name == word) return &u;
  }
  return nullptr;
}

constexpr size_t kMaxChars = 120;

// Unit words removed from the end of an answer ("15 cm^2", "5.4 cents").
constexpr std::string_view kUnitWords[] = {
    "cm",     "mm",      "km",       "meters",  "meter",   "metres",  "inches",  "inch",   "feet",
    "foot",   "ft",      "yards",    "yard",    "miles",   "mile",    "units",   "unit",   "square",
    "sq",     "cubic",   "cents",    "cent",    "dollars", "dollar",  "degrees", "degree", "hours",
    "hour",   "minutes", "minute",   "seconds", "second",  "mph",     "kg",      "grams",  "gram",
    "pounds", "lbs",     "days",     "weeks",   "years",   "ounces",  "liters",  "litres", "mL",
    "ml",     "people",  "students", "ways",    "points",  "radians", "day",     "deg",    "m",
    "g",      "L",       "h",        "kgs",     "litre",   "liter",   "hrs",
};

}  // namespace

std::optional<Quantity> read_quantity(std::string_view raw) {
  if (raw.size() > kMaxChars) return std::nullopt;
  // A quantity starts with its number, after math delimiters or a text wrapper.
  std::string_view v = raw;
  for (bool more = true; more;) {
    more = false;
    while (!v.empty() && (v.front() == ' ' || v.front() == '$')) v.remove_prefix(1);
    for (std::string_view open : {"\\(", "\\text{", "\\mathrm{", "\\textbf{"}) {
      if (v.substr(0, open.size()) == open) v.remove_prefix(open.size()), more = true;
    }
  }
  if (v.empty() || !is_digit(v.front())) return std::nullopt;
  // ... and its unit follows the number: a letter, or a text wrapper.
  while (!v.empty() && (is_digit(v.front()) || v.front() == '.' || v.front() == ' ' ||
                        v.front() == '~' || v.front() == ',')) {
    v.remove_prefix(1);
  }
  if (v.substr(0, 2) == "\\," || v.substr(0, 2) == "\\ ") v.remove_prefix(2);
  bool wrapped = false;
  for (std::string_view open : {"\\text{", "\\mathrm{", "\\mbox{", "\\textbf{"}) {
    wrapped = wrapped || v.substr(0, open.size()) == open;
  }
  if (v.empty() || !(is_alpha(v.front()) || wrapped)) return std::nullopt;
  std::string text = ascii::lowercase(words::plain_text(raw));
  Quantity q;
  size_t i = 0, parts = 0;
  auto skip_joins = [&]() {
    for (bool more = true; more;) {
      more = false;
      while (i < text.size() && (text[i] == ' ' || text[i] == ',' || text[i] == '\\')) ++i;
      if (text.compare(i, 4, "and ") == 0) i += 4, more = true;
    }
  };
  skip_joins();
  while (i < text.size()) {
    // A number: digits with at most one decimal point.
    size_t start = i;
    while (i < text.size() && (is_digit(text[i]) || text[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    char* end = nullptr;
    std::string digits = text.substr(start, i - start);
    double number = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size()) return std::nullopt;
    while (i < text.size() && text[i] == ' ') ++i;
    // Its unit.
    start = i;
    while (i < text.size() && is_alpha(text[i])) ++i;
    const Unit* unit = find_unit(std::string_view(text).substr(start, i - start));
    if (unit == nullptr || (parts > 0 && unit->dimension != q.dimension) ||
        std::find(q.factors.begin(), q.factors.end(), unit->size) != q.factors.end()) {
      return std::nullopt;
    }
    if (i < text.size() && text[i] == '.') ++i;  // "2 hrs."
    q.dimension = unit->dimension;
    q.base += number * unit->size;
    q.factors.push_back(unit->size);
    ++parts;
    skip_joins();
  }
  if (parts == 0) return std::nullopt;
  return q;
}

bool same_quantity(std::string_view a, std::string_view b) {
  auto close = [](double x, double y) {
    return std::fabs(x - y) <= 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)});
  };
  std::optional<Quantity> qa = read_quantity(a), qb = read_quantity(b);
  if (qa && qb) {
    bool differ_in_units = qa->factors.size() > 1 || qb->factors.size() > 1 ||
                           qa->factors != qb->factors;
    return differ_in_units && qa->dimension == qb->dimension && close(qa->base, qb->base);
  }
  for (int swap = 0; swap < 2; ++swap) {
    const std::optional<Quantity>& mixed = swap ? qb : qa;
    std::string_view plain = swap ? a : b;
    if (!mixed || mixed->factors.size() < 2) continue;
    std::optional<double> number = numeric_value(plain);
    if (!number) continue;
    for (double factor : mixed->factors) {
      if (close(mixed->base / factor, *number)) return true;
    }
  }
  return false;
}

bool strip_trailing_unit(std::string& s) {
  std::string_view v = trim(s);
  // Optional exponent.
  size_t end = v.size();
  if (end >= 2 && v[end - 2] == '^' && is_digit(v[end - 1])) {
    end -= 2;
  } else if (end >= 4 && v[end - 1] == '}' && is_digit(v[end - 2]) && v[end - 3] == '{' &&
             v[end - 4] == '^') {
    end -= 4;
  }
  size_t start = end;
  while (start > 0 && is_alpha(v[start - 1])) --start;
  if (start == end) return false;
  std::string_view word = v.substr(start, end - start);
  std::string lower(word);  // "15th Day"
  lower[0] = ascii::to_lower(lower[0]);
  bool unit =
      std::find(std::begin(kUnitWords), std::end(kUnitWords), word) != std::end(kUnitWords) ||
      std::find(std::begin(kUnitWords), std::end(kUnitWords), lower) != std::end(kUnitWords);
  // A rate "km/h", "m/s", "cm/s^2".
  if (start > 1 && v[start - 1] == '/') {
    size_t top = start - 1;
    while (top > 0 && is_alpha(v[top - 1])) --top;
    std::string_view over = v.substr(top, start - 1 - top);
    static constexpr std::string_view kLengths[] = {"km", "m", "cm", "mm", "mi", "ft", "kg", "g"};
    static constexpr std::string_view kTimes[] = {"h", "hr", "s", "min", "sec"};
    if (std::find(std::begin(kLengths), std::end(kLengths), over) != std::end(kLengths) &&
        std::find(std::begin(kTimes), std::end(kTimes), word) != std::end(kTimes)) {
      start = top;
      word = v.substr(start, end - start);
      unit = true;
    }
  }
  if (!unit) return false;
  // The word must stand apart from the quantity: "5 m", "5\,m" but not "5m" (a product)
  // unless it has more than one letter ("5cm").
  std::string_view before = v.substr(0, start);
  std::string_view kept = trim(before);
  if (kept.empty() || kept.back() == '\\') return false;
  bool separated = before.size() != kept.size();
  if (word.size() == 1 && (!separated || !is_digit(kept.back()))) return false;  // "5 m", not "a m"
  // A letter the rest uses as a symbol is one here too: "8 m - 2 m = 6 m".
  if (word.size() == 1) {
    for (size_t i = 0; i < kept.size(); ++i) {
      if (kept[i] == '\\') {
        while (i + 1 < kept.size() && is_alpha(kept[i + 1])) ++i;
      } else if (kept[i] == word[0] && (i == 0 || !is_alpha(kept[i - 1])) &&
                 (i + 1 == kept.size() || !is_alpha(kept[i + 1]))) {
        return false;
      }
    }
  }
  const bool after_pi = ends_with(kept, "\\pi");  // "9\pi cm^2"
  if (!is_digit(kept.back()) && kept.back() != '}' && kept.back() != ')' && !separated)
    return false;
  // Do not strip a "unit" that is really a symbol of an expression like "2m" or "x in".
  if (word.size() <= 2 && !is_digit(kept.back()) && kept.back() != '}' && !after_pi) return false;
  s.assign(kept);
  return true;
}

bool strip_trailing_cjk_unit(std::string& s) {
  std::string_view v = trim(s);
  size_t end = v.size(), count = 0;
  auto ideograph_ends_at = [&v](size_t e) { return e >= 3 && cjk_ideograph_at(v, e - 3); };
  while (ideograph_ends_at(end) && count < 5) end -= 3, ++count;
  if (count == 0 || count > 4) return false;
  std::string_view kept = trim(v.substr(0, end));
  if (kept.empty() || (!is_digit(kept.back()) && kept.back() != '}' && kept.back() != ')')) {
    return false;
  }
  s.assign(kept);
  return true;
}

}  // namespace s1
