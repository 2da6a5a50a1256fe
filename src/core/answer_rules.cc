#include "core/answer_rules.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "core/answer_forms.h"
#include "core/answer_units.h"
#include "core/answer_words.h"
#include "core/ascii.h"
#include "core/latex_forms.h"
#include "core/latex_normalize.h"
#include "core/math_equivalence.h"
#include "core/math_parse.h"
#include "core/symbolic.h"

namespace s1 {
namespace {

constexpr size_t kMaxItems = 16;            // labelled values in one answer
constexpr size_t kMaxAnswerChars = 2000;    // longer answers are left to the plain verdict

using ascii::is_alpha;
using ascii::is_digit;
using ascii::is_space;
using ascii::to_lower;
using ascii::trim;
using words::extreme_group;
using words::is_filler;
using words::is_negation;
using words::is_qualifier;
using words::letter_words;
using words::one_of;
using words::plain_text;
using words::same_yes_or_no;
using words::sentence_holds;
using words::Word;

// ---- Clock times ----

struct ClockTime {
  int minutes = 0;        // after midnight
  bool half_day = false;  // says AM or PM
  bool seconds = false;   // has a seconds field ("20:34:00")
};

// The clock time "2:30", "14:30", "20:34:00", "2:30 PM", "2:30 p.m." (the whole answer);
// nullopt otherwise, and for seconds other than ":00".
std::optional<ClockTime> clock_time(std::string_view raw) {
  std::string text = ascii::lowercase(plain_text(raw));
  std::string_view t = trim(text);
  size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || colon + 3 > t.size()) {
    return std::nullopt;
  }
  int hours = 0;
  for (size_t i = 0; i < colon; ++i) {
    if (!is_digit(t[i])) return std::nullopt;
    hours = hours * 10 + (t[i] - '0');
  }
  if (!is_digit(t[colon + 1]) || !is_digit(t[colon + 2])) return std::nullopt;
  int minutes = (t[colon + 1] - '0') * 10 + (t[colon + 2] - '0');
  std::string_view rest = trim(t.substr(colon + 3));
  bool seconds = ascii::starts_with(rest, ":00");
  if (seconds) rest = trim(rest.substr(3));
  bool marked = false;
  if (!rest.empty()) {
    std::string mark;
    for (char c : rest) {
      if (is_alpha(c)) mark += c;
    }
    if (mark != "am" && mark != "pm") return std::nullopt;
    if (hours < 1 || hours > 12) return std::nullopt;
    hours = hours % 12 + (mark == "pm" ? 12 : 0);
    marked = true;
  }
  if (hours > 24 || minutes > 59) return std::nullopt;
  return ClockTime{hours * 60 + minutes, marked, seconds};
}

// ---- Labelled values ----

struct Item {
  std::vector<std::string> labels;  // words naming the value ("max", "apples"), no filler
  std::string value;
};

struct Items {
  std::vector<Item> items;
  bool had_words = false;  // words were taken off some value
  bool negated = false;
};

// Words at the start of `part` ("The maximum is", "Max:", "y ="), moved into `item`.
// Returns the offset where the value starts.
size_t take_leading_words(std::string_view part, Item& item, bool& negated) {
  size_t i = 0;
  std::vector<std::string> words;
  bool separator = false, long_word = false;
  while (i < part.size()) {
    while (i < part.size() && is_space(part[i])) ++i;
    size_t j = i;
    while (j < part.size() && is_alpha(part[j])) ++j;
    if (j == i || (j < part.size() && !is_space(part[j]) && part[j] != ':' && part[j] != '=')) {
      break;
    }
    std::string w;
    for (size_t k = i; k < j; ++k) w += to_lower(part[k]);
    long_word = long_word || w.size() >= 3;
    words.push_back(std::move(w));
    i = j;
    while (i < part.size() && is_space(part[i])) ++i;
    if (i < part.size() && (part[i] == ':' || part[i] == '=')) {
      ++i;
      separator = true;
      break;
    }
    if (one_of(words.back(), {"is", "are", "equals", "was"})) {
      separator = true;
      break;
    }
  }
  // "y - 2 = ..." and "x + 1" start with a variable, not a label.
  if (words.empty() || (!separator && !long_word)) return 0;
  // "a = 2" names the variable a, not the article.
  bool variable = words.size() == 1 && words[0].size() == 1 && separator;
  for (size_t k = 0; k < words.size(); ++k) {
    std::string& w = words[k];
    // "at least 5", "at most 5" bound the value.
    if (is_negation(w) || (w == "at" && k + 1 < words.size())) negated = true;
    if (variable || !is_filler(w)) item.labels.push_back(std::move(w));
  }
  return i;
}

// One comma part: label words, the value, trailing words ("3 apples").
std::optional<Item> read_item(std::string_view part, bool& negated) {
  Item item;
  part = trim(part);
  size_t start = take_leading_words(part, item, negated);
  std::string_view value = trim(part.substr(start));
  // Trailing words of two letters or more ("apples", "students").
  for (;;) {
    size_t end = value.size();
    size_t begin = end;
    while (begin > 0 && is_alpha(value[begin - 1])) --begin;
    if (end - begin < 2 || begin == 0 || !is_space(value[begin - 1])) break;
    std::string w;
    for (size_t k = begin; k < end; ++k) w += to_lower(value[k]);
    if (is_qualifier(w)) return std::nullopt;  // "7 or more": another claim
    // A bound after the value: "7 or more", "5 at most".
    if (is_negation(w) || words::one_of(w, {"more", "less", "fewer", "least", "most"})) {
      negated = true;
    }
    if (!is_filler(w)) item.labels.push_back(std::move(w));
    value = trim(value.substr(0, begin));
  }
  if (value.empty()) return std::nullopt;
  for (const Word& w : letter_words(value)) {
    if (w.text.size() >= 3) return std::nullopt;  // words inside the value: a sentence
  }
  item.value = std::string(value);
  return item;
}

// Splits at top-level commas, semicolons and " and ".
std::vector<std::string_view> split_parts(std::string_view s) {
  std::vector<size_t> cuts;
  for (std::string_view token : {",", ";", " and "}) {
    for (size_t at : top_level_positions(s, token)) cuts.push_back(at);
  }
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t at : cuts) {
    parts.push_back(s.substr(start, at - start));
    start = at + (s[at] == ' ' ? 5 : 1);
  }
  parts.push_back(s.substr(start));
  return parts;
}

std::optional<Items> read_items(std::string_view raw) {
  std::string text = words::digits_for_number_words(plain_text(raw));
  std::string_view t = trim(text);
  while (!t.empty() && (t.back() == '.' || t.back() == ';')) t = trim(t.substr(0, t.size() - 1));
  // One bracketed tuple "(2, 9)" lists its items.
  if (t.size() > 2 && t.front() == '(' && t.back() == ')' &&
      top_level_positions(t, ",").empty()) {
    std::string_view inside = t.substr(1, t.size() - 2);
    if (!top_level_positions(inside, ",").empty()) t = inside;
  }
  Items out;
  for (std::string_view part : split_parts(t)) {
    if (out.items.size() == kMaxItems) return std::nullopt;
    std::optional<Item> item = read_item(part, out.negated);
    if (!item) return std::nullopt;
    if (trim(part).size() != item->value.size()) out.had_words = true;
    out.items.push_back(std::move(*item));
  }
  return out;
}

// "a = 3, b = 2" against "a = 2, b = 3": both sides name each of their values once, by the
// same names, and the values under some name differ. The values alone, compared as a list,
// would pass.
bool named_values_differ(std::string_view a, std::string_view b, const AnswerComparer& compare) {
  if (a.find_first_of("=:") == std::string_view::npos ||
      b.find_first_of("=:") == std::string_view::npos) {
    return false;
  }
  auto by_name = [](std::string_view side) -> std::optional<std::map<std::string, std::string>> {
    std::optional<Items> items = read_items(side);
    if (!items || items->negated || items->items.size() < 2) return std::nullopt;
    std::map<std::string, std::string> values;
    for (Item& item : items->items) {
      if (item.labels.size() != 1 || values.count(item.labels[0])) return std::nullopt;
      values[item.labels[0]] = std::move(item.value);
    }
    return values;
  };
  auto x = by_name(a), y = by_name(b);
  if (!x || !y || x->size() != y->size()) return false;
  for (const auto& [name, value] : *x) {
    if (!y->count(name)) return false;
  }
  for (const auto& [name, value] : *x) {
    if (!compare(value, y->at(name)).equivalent) return true;
  }
  return false;
}

// A label's place in the question: its extreme's rank in cues.order, else the index of
// its word (or its singular/plural) among the question's words; -1 when absent.
int label_position(const std::vector<std::string>& labels, const QuestionCues& cues) {
  int best = -1;
  for (const std::string& label : labels) {
    std::string_view group = extreme_group(label);
    if (!group.empty()) {
      auto it = std::find(cues.order.begin(), cues.order.end(), group);
      if (it != cues.order.end()) {
        int rank = static_cast<int>(it - cues.order.begin());
        if (best < 0 || rank < best) best = rank;
      }
      continue;
    }
    // Places in the part that asks come first, then those in the rest of the question.
    const size_t asked = cues.asked_words.size();
    for (size_t k = 0; k < asked + cues.words.size(); ++k) {
      const std::string& q = k < asked ? cues.asked_words[k] : cues.words[k - asked];
      bool same = q == label || q + "s" == label || label + "s" == q;
      if (same) {
        if (best < 0 || static_cast<int>(k) < best) best = static_cast<int>(k);
        break;
      }
    }
  }
  return best;
}

// The values in the order the question asks for them, when every item has a label found
// in the question at distinct places.
std::optional<std::vector<std::string>> values_in_question_order(const Items& items,
                                                                 const QuestionCues& cues) {
  std::vector<std::pair<int, std::string>> placed;
  for (const Item& item : items.items) {
    int position = label_position(item.labels, cues);
    if (position < 0) return std::nullopt;
    for (const auto& [p, v] : placed) {
      if (p == position) return std::nullopt;
    }
    placed.emplace_back(position, item.value);
  }
  std::sort(placed.begin(), placed.end());
  std::vector<std::string> values;
  for (auto& [p, v] : placed) values.push_back(std::move(v));
  return values;
}

std::vector<std::string> values_as_written(const Items& items) {
  std::vector<std::string> values;
  for (const Item& item : items.items) values.push_back(item.value);
  return values;
}

bool has_labels(const Items& items) {
  return std::all_of(items.items.begin(), items.items.end(),
                     [](const Item& i) { return !i.labels.empty(); });
}

bool no_labels(const Items& items) {
  return std::none_of(items.items.begin(), items.items.end(),
                      [](const Item& i) { return !i.labels.empty(); });
}

// False when an item's label names an extreme the question does not ask for ("The
// minimum is 9" when the maximum is asked).
bool names_what_is_asked(const Items& items, const QuestionCues& cues) {
  if (cues.extremes.empty()) return true;
  for (const Item& item : items.items) {
    for (const std::string& label : item.labels) {
      std::string_view group = extreme_group(label);
      if (!group.empty() &&
          std::find(cues.extremes.begin(), cues.extremes.end(), group) == cues.extremes.end()) {
        return false;
      }
    }
  }
  return true;
}

// Whether every label of `side` names something the question mentions but the part that
// asks does not ("Paolo" in "... Paolo, Qing and Rayna is 13. Determine their ages."): the
// question then fixes no order for the values. Letters and extremes do not count.
bool names_unasked(const Items& side, const QuestionCues& cues) {
  if (!cues.known || !cues.order.empty() || !has_labels(side)) return false;
  auto among = [](const std::string& label, const std::vector<std::string>& words) {
    return std::any_of(words.begin(), words.end(), [&label](const std::string& q) {
      return q == label || q + "s" == label || label + "s" == q;
    });
  };
  for (const Item& item : side.items) {
    for (const std::string& label : item.labels) {
      if (label.size() < 2 || !extreme_group(label).empty() || !among(label, cues.words) ||
          among(label, cues.asked_words)) {
        return false;
      }
    }
  }
  return true;
}

// Multiset equality of two lists of values; greedy matching is exact because equivalence
// is transitive.
bool any_order_equal(const std::vector<std::string>& a, const std::vector<std::string>& b,
                     const AnswerComparer& compare) {
  if (a.size() != b.size()) return false;
  std::vector<char> used(b.size(), 0);
  for (const std::string& x : a) {
    bool found = false;
    for (size_t j = 0; j < b.size() && !found; ++j) {
      if (!used[j] && compare(x, b[j]).equivalent) used[j] = 1, found = true;
    }
    if (!found) return false;
  }
  return true;
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

bool in_order_equal(const std::vector<std::string>& a, const std::vector<std::string>& b,
                    const AnswerComparer& compare) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!compare(a[i], b[i]).equivalent) return false;
  }
  return true;
}

// ---- Angles and precision ----

bool has_degree_mark(std::string_view raw) {
  for (std::string_view mark : {"\\circ", "\u00b0", "\\deg", "degree", "\\textcirc", "^o"}) {
    if (raw.find(mark) != std::string_view::npos) return true;
  }
  return false;
}

bool has_pi(std::string_view raw) {
  return raw.find("\\pi") != std::string_view::npos ||
         raw.find("\u03c0") != std::string_view::npos;
}

// `degrees` read as degrees, against `other` in radians.
bool same_angle(std::string_view degrees, std::string_view other, const QuestionCues& cues,
                const AnswerComparer& compare) {
  if (!has_degree_mark(degrees) && !cues.degrees) return false;
  if (has_degree_mark(other)) return false;
  std::string d = normalize_answer(degrees);
  // Only a number of degrees: no \pi, no variables.
  if (d.empty() || d.find("\\pi") != std::string::npos || !letter_words(d).empty()) return false;
  auto radians = [](std::string_view deg) { return "\\frac{(" + std::string(deg) + ")\\pi}{180}"; };
  // An interval or a tuple of plain numbers of degrees: "[30, 90]" is [\frac{\pi}{6}, \frac{\pi}{2}].
  bool bracketed = d.size() > 4 && (d.front() == '(' || d.front() == '[') &&
                   (d.back() == ')' || d.back() == ']');
  std::vector<std::string_view> items;
  if (bracketed) items = split_top_level(std::string_view(d).substr(1, d.size() - 2), ",");
  if (items.size() < 2) return compare(radians(d), other).equivalent;
  std::string converted(1, d.front());
  for (std::string_view item : items) {
    if (item.empty() || !std::all_of(item.begin(), item.end(), [](char c) {
          return is_digit(c) || c == '.' || c == '-';
        })) {
      return false;
    }
    converted += (converted.size() > 1 ? "," : "") + radians(item);
  }
  return compare(converted + d.back(), other).equivalent;
}

// Whether `raw` defines a named function of one letter: "f(z) = ...".
bool has_function_head(std::string_view raw) {
  for (size_t at = raw.find(')'); at != std::string_view::npos; at = raw.find(')', at + 1)) {
    if (at < 3 || raw[at - 2] != '(' || !is_alpha(raw[at - 1]) || !is_alpha(raw[at - 3])) continue;
    std::string_view rest = trim(raw.substr(at + 1));
    if (!rest.empty() && rest[0] == '=') return true;
  }
  return false;
}

// The same answer with its one variable renamed: a function's argument ("f(z) = z" for
// "f(x) = x") or, beside \pi, an integer parameter k, m or n ("x = n\pi" for "x = k\pi").
bool same_after_renaming(std::string_view predicted, std::string_view gold,
                         const AnswerComparer& compare) {
  bool function = has_function_head(predicted) || has_function_head(gold);
  if (!function && !(has_pi(predicted) && has_pi(gold))) return false;
  std::string p = normalize_answer(predicted), g = normalize_answer(gold);
  std::string lp = free_letters(p), lg = free_letters(g);
  if (lp.size() == lg.size() && lp.size() > 1 && lp.size() <= 3 && function) {
    // A function with a constant named otherwise: "f(x) = cx" for "f(x) = kx". The one
    // letter each side has alone is renamed, when both are letters constants go by.
    std::string only_p, only_g;
    for (char c : lp) {
      if (lg.find(c) == std::string::npos) only_p += c;
    }
    for (char c : lg) {
      if (lp.find(c) == std::string::npos) only_g += c;
    }
    auto constant = [](char c) { return std::string_view("abckmtC").find(c) != std::string_view::npos; };
    if (only_p.size() != 1 || only_g.size() != 1 || !constant(only_p[0]) || !constant(only_g[0])) {
      return false;
    }
    return compare(rename_letter(p, only_p[0], only_g[0]), g).equivalent;
  }
  if (lp.size() != 1 || lg.size() != 1 || lp == lg) return false;
  auto parameter = [](const std::string& l) { return l == "k" || l == "m" || l == "n"; };
  if (!function && !(parameter(lp) && parameter(lg))) return false;
  return compare(rename_letter(p, lp[0], lg[0]), g).equivalent;
}

// A run of two letters or more that is not a command name (no allocation: this gates
// every comparison).
bool has_long_word(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (!is_alpha(s[i])) continue;
    size_t j = i;
    while (j < s.size() && is_alpha(s[j])) ++j;
    if (j - i >= 2 && (i == 0 || s[i - 1] != '\\')) return true;
    i = j;
  }
  return false;
}

// The alternatives of "\frac{1}{4} \text{ or } 25\%" ("or" between them at top level, also
// written "\text{ or }"), or nothing when there are not two to four.
std::vector<std::string> alternatives(std::string_view raw) {
  if (raw.find("or") == std::string_view::npos) return {};
  std::string s(raw);
  for (std::string_view or_word : {"\\text{ or }", "\\text{or}", "\\textrm{ or }", "\\mathrm{ or }"}) {
    ascii::replace_all(s, or_word, " or ");
  }
  ascii::replace_all(s, "\\quad", " ");
  std::vector<std::string_view> parts = split_top_level(s, " or ");
  if (parts.size() < 2 || parts.size() > 4) return {};
  return std::vector<std::string>(parts.begin(), parts.end());
}

EquivalenceResult decided(EquivalenceResult r, bool equivalent, const char* rule) {
  r.equivalent = equivalent;
  r.rule = rule;
  if (equivalent) r.plain_numbers = false;
  return r;
}

}  // namespace

EquivalenceResult apply_answer_rules(std::string_view predicted, std::string_view gold,
                                     const QuestionCues& cues, const EquivalenceResult& plain,
                                     const AnswerComparer& compare) {
  if (plain.budget_exceeded || predicted.empty() || gold.empty() ||
      predicted.size() > kMaxAnswerChars || gold.size() > kMaxAnswerChars) {
    return plain;
  }
  if (plain.equivalent && !cues.known) {
    return named_values_differ(predicted, gold, compare) ? decided(plain, false, "labels")
                                                          : plain;
  }
  // Clock times when the question asks for one, or when a side is written as a time
  // ("08:34 P.M.", "20:34:00"); "2:30" alone may be a ratio.
  bool colons =
      predicted.find(':') != std::string_view::npos && gold.find(':') != std::string_view::npos;
  if (auto p = colons ? clock_time(predicted) : std::nullopt,
      g = colons ? clock_time(gold) : std::nullopt;
      p && g && (cues.clock || p->half_day || g->half_day || p->seconds || g->seconds)) {
    // Without "AM"/"PM" on one side, "2:30" may be either half of the day.
    bool half = !p->half_day || !g->half_day;
    int day = half ? 12 * 60 : 24 * 60;
    return decided(plain, p->minutes % day == g->minutes % day, "clock");
  }
  bool words = has_long_word(predicted) || has_long_word(gold) ||
               predicted.find(':') != std::string_view::npos ||
               gold.find(':') != std::string_view::npos;
  // Labelled values and lists, in the order the question asks: these decide either way.
  std::optional<Items> p_items, g_items;
  bool assignments = cues.known && (predicted.find('=') != std::string_view::npos ||
                                    gold.find('=') != std::string_view::npos);
  if (words || assignments || !cues.order.empty()) {
    p_items = read_items(predicted);
    g_items = read_items(gold);
  }
  bool items = p_items && g_items && !p_items->negated && !g_items->negated;
  if (items && cues.known) {
    const Items& p = *p_items;
    const Items& g = *g_items;
    auto order = [&cues](const Items& side) -> std::optional<std::vector<std::string>> {
      if (side.items.size() < 2) return std::nullopt;
      if (has_labels(side)) return values_in_question_order(side, cues);
      if (no_labels(side)) return values_as_written(side);
      return std::nullopt;
    };
    bool labelled = (has_labels(p) || has_labels(g)) && p.items.size() >= 2;
    // Named values against a bare list, when the part that asks names none of them.
    bool unasked = (names_unasked(p, cues) && no_labels(g)) || (names_unasked(g, cues) && no_labels(p));
    if (labelled && unasked &&
        any_order_equal(values_as_written(p), values_as_written(g), compare)) {
      return decided(plain, true, "labels");
    }
    if (labelled) {
      auto pv = order(p), gv = order(g);
      if (pv && gv) return decided(plain, in_order_equal(*pv, *gv, compare), "labels");
    } else if (!cues.order.empty() && no_labels(p) && no_labels(g) &&
               p.items.size() == cues.order.size() && g.items.size() == cues.order.size()) {
      bool equal = in_order_equal(values_as_written(p), values_as_written(g), compare);
      return decided(plain, equal, "order");
    }
  }
  if (plain.equivalent) return plain;
  if (words) {
    if (sentence_holds(predicted, gold, cues) || sentence_holds(gold, predicted, cues) ||
        same_yes_or_no(predicted, gold, cues.yes_no) || words::same_sign(predicted, gold) ||
        words::same_content_words(predicted, gold) ||
        words::answers_by_restating(predicted, gold, cues)) {
      return decided(plain, true, "sentence");
    }
    if (items && (p_items->had_words || g_items->had_words) &&
        names_what_is_asked(*p_items, cues) && names_what_is_asked(*g_items, cues)) {
      std::string p = joined(values_as_written(*p_items));
      std::string g = joined(values_as_written(*g_items));
      if (compare(p, g).equivalent) {
        bool labels = !no_labels(*p_items) || !no_labels(*g_items);
        return decided(plain, true, labels ? "labels" : "sentence");
      }
    }
  }
  // A degree mark against a multiple of \pi is an angle unless another measure is asked.
  bool marked_angle = !cues.other_measure &&
                      ((has_degree_mark(predicted) && has_pi(gold)) ||
                       (has_degree_mark(gold) && has_pi(predicted)));
  if ((cues.angle || marked_angle) && (same_angle(predicted, gold, cues, compare) ||
                                       same_angle(gold, predicted, cues, compare))) {
    return decided(plain, true, "angle");
  }
  if ((cues.decimal_places >= 0 || cues.significant_figures > 0 || cues.rounds_to_power > 0) &&
      same_at_precision(predicted, gold, cues)) {
    // When rounding is the task, an answer with more digits has not done it.
    bool rounded = !cues.rounding_task ||
                   (states_precision_only(predicted, cues) && states_precision_only(gold, cues));
    return decided(plain, rounded, "precision");
  }
  if (decimal_comma_matches(predicted, gold, compare)) return decided(plain, true, "decimal comma");
  if (same_quantity(predicted, gold)) return decided(plain, true, "units");
  if (rounds_to_decimal(predicted, gold) || rounds_to_decimal(gold, predicted)) {
    return decided(plain, true, "rounding");
  }
  if (same_after_renaming(predicted, gold, compare)) return decided(plain, true, "rename");
  if (chain_matches_list(predicted, gold, compare)) return decided(plain, true, "chain");
  if (shared_value_matches_tuple(predicted, gold, compare)) return decided(plain, true, "names");
  if (computation_matches(predicted, gold, compare)) return decided(plain, true, "computation");
  if (!cues.choice_letters.empty() &&
      words::same_choices(predicted, gold, cues.choice_letters)) {
    return decided(plain, true, "choice");
  }
  // A choice's letter against its text ("B" for "x < 1" when B is "$x<1$"), when the text
  // is that choice's alone.
  if (!cues.choice_texts.empty()) {
    for (int swap = 0; swap < 2; ++swap) {
      std::string_view letter_side = swap ? predicted : gold, text_side = swap ? gold : predicted;
      char letter = words::single_choice(letter_side, cues.choice_letters);
      if (letter == 0 || words::single_choice(text_side, cues.choice_letters) != 0) continue;
      size_t chosen = cues.choice_letters.find(letter);
      if (!compare(text_side, cues.choice_texts[chosen]).equivalent) continue;
      bool alone = true;
      for (size_t k = 0; k < cues.choice_texts.size() && alone; ++k) {
        alone = k == chosen || !compare(text_side, cues.choice_texts[k]).equivalent;
      }
      if (alone) return decided(plain, true, "choice");
    }
  }
  if (cues.compares != 0 && (states_the_extreme(predicted, gold, cues.compares > 0, compare) ||
                             states_the_extreme(gold, predicted, cues.compares > 0, compare))) {
    return decided(plain, true, "comparison");
  }
  if (!cues.fraction_letters.empty() && fraction_matches_pair(predicted, gold, compare)) {
    return decided(plain, true, "fraction");
  }
  if (expression_solves_equation(predicted, gold, compare) ||
      expression_solves_equation(gold, predicted, compare)) {
    return decided(plain, true, "equation");
  }
  // One answer written two ways: "\frac{1}{4} \text{ or } 25\%", "60^\circ \text{ or }
  // \frac{\pi}{3}" against one answer (either side); each way must hold on its own (with
  // the rules).
  for (int swap = 0; swap < 2; ++swap) {
    std::string_view two = swap ? gold : predicted, one = swap ? predicted : gold;
    std::vector<std::string> ways = alternatives(two);
    if (ways.empty() || !alternatives(one).empty() || !top_level_positions(one, ",").empty()) {
      continue;
    }
    bool all = std::all_of(ways.begin(), ways.end(), [&](const std::string& way) {
      std::string_view p = swap ? one : std::string_view(way), g = swap ? std::string_view(way) : one;
      EquivalenceResult r = compare(p, g);
      return r.equivalent || apply_answer_rules(p, g, cues, r, compare).equivalent;
    });
    if (all) return decided(plain, true, "restated");
  }
  return plain;
}

}  // namespace s1
