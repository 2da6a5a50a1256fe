#include "core/question_cues.h"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/answer_forms.h"
#include "core/answer_words.h"
#include "core/ascii.h"
#include "core/number_notation.h"

namespace s1 {
namespace {

constexpr size_t kMaxQuestionChars = 50000;  // the rest of a longer question is not read

using ascii::is_alpha;
using ascii::is_digit;
using ascii::is_space;
using ascii::starts_with;
using ascii::to_lower;
using ascii::trim;
using words::extreme_group;
using words::is_filler;
using words::letter_words;
using words::one_of;
using words::Word;

bool is_question_word(std::string_view w) {
  return one_of(w, {"find", "compute", "what", "which", "who", "determine", "calculate",
                    "evaluate", "express", "give", "how", "solve", "enter", "simplify", "write",
                    "is", "are"});
}

// Offset where the part that asks starts: the first question word of a sentence.
size_t asked_start(std::string_view q) {
  size_t start = 0;
  bool in_math = false;
  for (size_t i = 0; i <= q.size(); ++i) {
    bool end = i == q.size();
    if (!end && q[i] == '$') in_math = !in_math;
    bool stop = !end && !in_math && (q[i] == '.' || q[i] == '?' || q[i] == '!') &&
                (i + 1 == q.size() || is_space(q[i + 1]));
    if (!end && !stop) continue;
    std::vector<Word> words = letter_words(q.substr(start, i - start));
    // "Is f even?" asks; "is" inside a statement ("AB is 10") does not.
    for (size_t k = 0; k < words.size(); ++k) {
      const std::string& w = words[k].text;
      if (is_question_word(w) && ((w != "is" && w != "are") || k == 0)) {
        return start + words[k].pos;
      }
    }
    start = i + 1;
  }
  return 0;
}

int number_word(std::string_view w) {
  if (w.size() == 1 && is_digit(w[0])) return w[0] - '0';
  return number_word_value(w);
}

// The count written just before offset `at` of `q` ("three decimal places", "3 decimal").
int count_before(std::string_view q, size_t at) {
  size_t end = at;
  while (end > 0 && is_space(q[end - 1])) --end;
  size_t begin = end;
  while (begin > 0 && (is_alpha(q[begin - 1]) || is_digit(q[begin - 1]))) --begin;
  std::string w;
  for (size_t i = begin; i < end; ++i) w += to_lower(q[i]);
  return number_word(w);
}

void read_precision(std::string_view lower_q, QuestionCues& cues) {
  struct Place {
    std::string_view phrase;
    int places;
  };
  static constexpr Place kPlaces[] = {
      {"nearest ten-thousandth", 4}, {"nearest ten thousandth", 4}, {"nearest thousandth", 3},
      {"nearest hundredth", 2},      {"nearest tenth", 1},          {"nearest whole", 0},
      {"nearest integer", 0},        {"nearest dollar", 0},         {"nearest degree", 0},
      {"nearest percent", 0},        {"nearest cent", 2},
  };
  for (const Place& p : kPlaces) {
    if (lower_q.find(p.phrase) != std::string_view::npos) {
      cues.decimal_places = p.places;
      return;
    }
  }
  // "to the nearest hundred": a multiple of a power of ten.
  static constexpr Place kPowers[] = {
      {"nearest million", 6}, {"nearest hundred thousand", 5}, {"nearest ten thousand", 4},
      {"nearest thousand", 3}, {"nearest hundred", 2},         {"nearest ten", 1}};
  for (const Place& p : kPowers) {
    size_t at = lower_q.find(p.phrase);
    size_t after = at + p.phrase.size();
    if (at != std::string_view::npos && (after == lower_q.size() || !is_alpha(lower_q[after]))) {
      cues.rounds_to_power = p.places;
      return;
    }
  }
  // "three decimal places", "2 decimals", "2 d.p.", "1 decimal." (not "a decimal").
  for (std::string_view phrase : {"decimal place", "decimals", "d.p.", "decimal"}) {
    for (size_t at = lower_q.find(phrase); at != std::string_view::npos;
         at = lower_q.find(phrase, at + 1)) {
      size_t after = at + phrase.size();
      if (phrase == "decimal" && after < lower_q.size() && is_alpha(lower_q[after])) continue;
      cues.decimal_places = count_before(lower_q, at);
      if (cues.decimal_places >= 0) return;
    }
  }
  // "保留两位小数" (keep two decimal places), "保留整数" (keep a whole number).
  static constexpr std::pair<std::string_view, int> kChinesePlaces[] = {
      {"\u4fdd\u7559\u6574\u6570", 0},               {"\u4fdd\u7559\u4e00\u4f4d\u5c0f\u6570", 1},
      {"\u4fdd\u7559\u4e24\u4f4d\u5c0f\u6570", 2}, {"\u4fdd\u7559\u4e8c\u4f4d\u5c0f\u6570", 2},
      {"\u4fdd\u7559\u4e09\u4f4d\u5c0f\u6570", 3}, {"\u4fdd\u7559\u56db\u4f4d\u5c0f\u6570", 4}};
  for (auto [phrase, places] : kChinesePlaces) {
    if (lower_q.find(phrase) != std::string_view::npos) {
      cues.decimal_places = places;
      return;
    }
  }
  // "accurate to 0.01", "to the nearest 0.1", "精确到0.01": the unit to round to.
  for (std::string_view phrase : {"accurate to ", "nearest ", "correct to ", "rounded to ",
                                  "round to ", "\u7cbe\u786e\u5230"}) {
    for (size_t at = lower_q.find(phrase); at != std::string_view::npos;
         at = lower_q.find(phrase, at + 1)) {
      std::string_view unit = trim(lower_q.substr(at + phrase.size()));
      if (!starts_with(unit, "0.")) continue;
      size_t digits = 2;
      while (digits < unit.size() && is_digit(unit[digits])) ++digits;
      if (digits > 2 && unit[digits - 1] == '1' &&
          unit.substr(2, digits - 3).find_first_not_of('0') == std::string_view::npos) {
        cues.decimal_places = static_cast<int>(digits - 2);
        return;
      }
    }
  }
  for (std::string_view phrase : {"significant figure", "significant digit"}) {
    if (size_t at = lower_q.find(phrase); at != std::string_view::npos) {
      cues.significant_figures = count_before(lower_q, at);
    }
  }
  if (cues.significant_figures == 0) cues.significant_figures = -1;
}

void read_asked(std::string_view asked, QuestionCues& cues) {
  std::vector<Word> words = letter_words(asked);
  for (size_t k = 0; k < words.size(); ++k) {
    const std::string& w = words[k].text;
    const std::string next = k + 1 < words.size() ? words[k + 1].text : "";
    const std::string prev = k > 0 ? words[k - 1].text : "";
    if (w == "angle" || w == "angles" || w == "radian" || w == "radians") cues.angle = true;
    if (one_of(w, {"length", "lengths", "area", "distance", "perimeter", "volume", "arc",
                   "radius", "height", "side", "speed", "time", "long", "far", "circumference"})) {
      cues.other_measure = true;
    }
    // A count ("how many", "the number of") is no angle either.
    if ((w == "many" && prev == "how") || (w == "number" && next == "of")) cues.other_measure = true;
    // Degrees of an angle, not of a polynomial or a temperature.
    if ((w == "degree" || w == "degrees") &&
        !one_of(next, {"of", "fahrenheit", "celsius", "kelvin", "f", "c"})) {
      cues.angle = cues.degrees = true;
    }
    std::string_view group = extreme_group(w);
    // "at least", "greatest common divisor", "least common multiple" name no extreme.
    if (group.empty() || prev == "at" || next == "common") continue;
    if (std::find(cues.extremes.begin(), cues.extremes.end(), group) == cues.extremes.end()) {
      cues.extremes.emplace_back(group);
    }
  }
  if (asked.find("\\angle") != std::string_view::npos) cues.angle = true;
  if (cues.extremes.size() >= 2) cues.order = cues.extremes;
}

// Words offered as alternatives: quoted ("odd") or beside " or " ("Alice or Bob").
void read_options(std::string_view q, const std::vector<Word>& words, QuestionCues& cues) {
  auto add = [&cues](const std::string& w) {
    if (!is_filler(w) && std::find(cues.options.begin(), cues.options.end(), w) ==
                             cues.options.end()) {
      cues.options.push_back(w);
    }
  };
  bool quoted = false;
  size_t w = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    if (q[i] == '"') quoted = !quoted;
    while (w < words.size() && words[w].pos < i) ++w;
    if (quoted && w < words.size() && words[w].pos == i + 1) add(words[w].text);
  }
  for (size_t k = 0; k < words.size(); ++k) {
    if (words[k].text != "or") continue;
    if (k > 0) add(words[k - 1].text);
    if (k + 1 < words.size()) add(words[k + 1].text);
  }
}

}  // namespace

QuestionCues read_question(std::string_view question) {
  QuestionCues cues;
  if (question.empty()) return cues;
  question = question.substr(0, std::min(question.size(), kMaxQuestionChars));
  cues.known = true;
  std::string lower_q(question);
  for (char& c : lower_q) c = to_lower(c);
  read_precision(lower_q, cues);
  // "Round 6287215 to ...": a number between "round" and "to" is what to round.
  if (std::string_view t = trim(lower_q); starts_with(t, "round ")) {
    std::string_view what = t.substr(0, std::min(t.find(" to "), t.size()));
    cues.rounding_task = what.find_first_of("0123456789") != std::string_view::npos;
  }
  const std::string_view asked = question.substr(asked_start(question));
  read_asked(asked, cues);
  std::vector<Word> words = letter_words(question);
  std::unordered_set<std::string> seen;
  for (const Word& w : words) {
    if (seen.insert(w.text).second) cues.words.push_back(w.text);
  }
  seen.clear();
  for (const Word& w : letter_words(asked)) {
    if (seen.insert(w.text).second) cues.asked_words.push_back(w.text);
  }
  read_options(question, words, cues);
  cues.fraction_letters = fraction_letters(question, cues.asked_words);
  cues.choice_letters = words::choice_letters(question);
  if (!cues.choice_letters.empty()) {
    cues.choice_texts = words::choice_texts(question, cues.choice_letters);
  }
  bool larger = false, smaller = false;
  for (const std::string& w : cues.asked_words) {
    larger = larger || one_of(w, {"larger", "greater", "bigger"});
    smaller = smaller || one_of(w, {"smaller", "less", "lesser"});
  }
  cues.compares = larger == smaller ? 0 : larger ? 1 : -1;
  cues.yes_no = words::asks_yes_or_no(question);
  for (std::string_view phrase : {"what time", "o'clock", "clock", "a.m.", "p.m."}) {
    cues.clock = cues.clock || lower_q.find(phrase) != std::string::npos;
  }
  return cues;
}

}  // namespace s1
