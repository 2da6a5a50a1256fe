#include "core/number_notation.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/latex_normalize.h"

namespace s1 {

using ascii::ends_with;
using ascii::is_alpha;
using ascii::is_digit;
using ascii::is_space;
using ascii::starts_with;
using ascii::trim;

int number_word_value(std::string_view word) {
  static constexpr std::string_view kOnes[] = {
      "zero",    "one",     "two",       "three",    "four",     "five",    "six",
      "seven",   "eight",   "nine",      "ten",      "eleven",   "twelve",  "thirteen",
      "fourteen", "fifteen", "sixteen",  "seventeen", "eighteen", "nineteen"};
  static constexpr std::string_view kTens[] = {"twenty", "thirty",  "forty",  "fifty",
                                               "sixty",  "seventy", "eighty", "ninety"};
  for (int i = 0; i < 20; ++i) {
    if (word == kOnes[i]) return i;
  }
  for (int i = 0; i < 8; ++i) {
    if (word == kTens[i]) return 20 + 10 * i;
  }
  return -1;
}

int ordinal_word_value(std::string_view word) {
  static constexpr std::pair<std::string_view, int> kIrregular[] = {
      {"first", 1}, {"second", 2}, {"third", 3}, {"fifth", 5}, {"eighth", 8}, {"ninth", 9},
      {"twelfth", 12}};
  for (auto [name, value] : kIrregular) {
    if (word == name) return value;
  }
  if (ends_with(word, "ieth")) {  // "twentieth" from "twenty"
    int tens = number_word_value(std::string(word.substr(0, word.size() - 4)) + "y");
    return tens >= 20 ? tens : -1;
  }
  if (ends_with(word, "th")) {  // "fourth", "sixteenth"
    int ones = number_word_value(word.substr(0, word.size() - 2));
    return ones >= 4 ? ones : -1;
  }
  return -1;
}

bool rewrite_number_words(std::string& s) {
  std::string_view v = trim(s);
  while (!v.empty() && v.back() == '.') v.remove_suffix(1);
  if (v.empty() || v.size() > 40 || !std::all_of(v.begin(), v.end(), [](char c) {
        return is_alpha(c) || c == ' ' || c == '-';
      })) {
    return false;
  }
  std::string lower = ascii::lowercase(v);
  // The number: "fifteen", "twenty-one", "twenty one"; then at most one more word.
  std::vector<std::string_view> words;
  for (size_t start = 0; start < lower.size();) {
    size_t end = lower.find_first_of(" -", start);
    if (end == std::string::npos) end = lower.size();
    if (end > start) words.push_back(std::string_view(lower).substr(start, end - start));
    start = end + 1;
  }
  if (!words.empty() && words[0] == "the") words.erase(words.begin());  // "the twelfth"
  if (words.empty()) return false;
  int value = number_word_value(words[0]);
  bool ordinal = value < 0 && (value = ordinal_word_value(words[0])) >= 0;
  size_t used = 1;
  if (value >= 20 && value % 10 == 0 && !ordinal && words.size() > 1) {  // "twenty-one"
    int unit = number_word_value(words[1]);
    if (unit < 0 && (unit = ordinal_word_value(words[1])) >= 0) ordinal = true;  // "twenty-first"
    if (unit >= 1 && unit <= 9) value += unit, used = 2;
  }
  if (value < 0 || words.size() > used + 1) return false;
  if (words.size() > used && !ordinal) {  // "one hundred", "two thirds": a larger number or a fraction
    for (std::string_view w : {"hundred", "thousand", "million", "billion", "half", "halves",
                               "third", "thirds", "quarter", "quarters", "fourth", "fourths",
                               "fifth", "fifths", "sixth", "sixths", "eighth", "eighths"}) {
      if (words[used] == w) return false;
    }
  }
  // The word after the number is kept ("15 days"); the unit rules decide about it.
  s = std::to_string(value);
  if (words.size() > used) s += " " + std::string(words[used]);
  return true;
}

void trig_degrees_to_radians(std::string& s) {
  if (s.find("circ") == std::string::npos && s.find("\u00b0") == std::string::npos &&
      s.find("degree") == std::string::npos) {
    return;
  }
  static constexpr std::string_view kTrig[] = {"\\sin", "\\cos", "\\tan",
                                               "\\cot", "\\sec", "\\csc"};
  static constexpr std::string_view kMarks[] = {"^{\\circ}", "^\\circ", "\u00b0", "\\degree",
                                                "^{\\circ }", "^ \\circ", "\\circ"};
  for (size_t at = s.find('\\'); at != std::string::npos; at = s.find('\\', at + 1)) {
    std::string_view rest = std::string_view(s).substr(at);
    auto name = std::find_if(std::begin(kTrig), std::end(kTrig), [&rest](std::string_view t) {
      return starts_with(rest, t) && (rest.size() == t.size() || !is_alpha(rest[t.size()]));
    });
    if (name == std::end(kTrig)) continue;
    size_t i = at + name->size();
    if (i < s.size() && s[i] == '^') {  // "\sin^2 30^\circ"
      ++i;
      if (i < s.size() && s[i] == '{') {
        size_t close = matching_brace(s, i);
        if (close == std::string::npos) continue;
        i = close + 1;
      } else if (i < s.size()) {
        ++i;
      }
    }
    while (i < s.size() && (is_space(s[i]) || s[i] == '(' || s[i] == '{')) ++i;
    size_t number = i;
    while (i < s.size() && (is_digit(s[i]) || s[i] == '.')) ++i;
    if (i == number) continue;
    size_t end = i;
    while (end < s.size() && is_space(s[end])) ++end;
    std::string_view after = std::string_view(s).substr(end);
    auto mark = std::find_if(std::begin(kMarks), std::end(kMarks),
                             [&after](std::string_view m) { return starts_with(after, m); });
    if (mark == std::end(kMarks)) continue;
    std::string radians = "(" + s.substr(number, i - number) + "\\pi/180)";
    s.replace(number, end + mark->size() - number, radians);
  }
}

void rewrite_degrees_minutes(std::string& s) {
  if (s.find('\'') == std::string::npos && s.find("\u2032") == std::string::npos &&
      s.find("prime") == std::string::npos) {
    return;
  }
  static constexpr std::string_view kDegree[] = {"^{\\circ}", "^\\circ", "\u00b0",
                                                 "^{\\textcirc}", "^\\textcirc", "\\degree"};
  static constexpr std::string_view kMinute[] = {"'", "\u2032", "^{\\prime}", "^\\prime"};
  static constexpr std::string_view kSecond[] = {"''", "\"", "\u2033", "^{\\prime\\prime}"};
  auto digits = [&s](size_t& i) {  // a whole number at i, or empty
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return s.substr(start, i - start);
  };
  auto mark = [&s](size_t& i, const auto& marks) {
    while (i < s.size() && is_space(s[i])) ++i;
    for (std::string_view m : marks) {
      if (s.compare(i, m.size(), m) == 0) {
        i += m.size();
        return true;
      }
    }
    return false;
  };
  for (size_t at = 0; at < s.size(); ++at) {
    if (!is_digit(s[at]) || (at > 0 && (is_digit(s[at - 1]) || s[at - 1] == '.'))) {
      continue;
    }
    size_t i = at;
    std::string degrees = digits(i);
    if (!mark(i, kDegree)) continue;
    while (i < s.size() && is_space(s[i])) ++i;
    std::string minutes = digits(i);
    // A minute mark, but not the first of a second mark.
    if (minutes.empty() || s.compare(i, 2, "''") == 0 || !mark(i, kMinute)) continue;
    std::string value = degrees + "+" + minutes + "/60";
    size_t end = i;
    while (end < s.size() && is_space(s[end])) ++end;
    size_t j = end;
    if (std::string seconds = digits(j); !seconds.empty() && mark(j, kSecond)) {
      value += "+" + seconds + "/3600";
      i = j;
    }
    std::string replacement = "(" + value + ")^\\circ";
    s.replace(at, i - at, replacement);
    at += replacement.size() - 1;
  }
}

void rewrite_counting_notation(std::string& s) {
  // One pass decides whether anything here can apply: a capital C, P or A, "\choose"
  // (its "c" after a backslash) or "^o".
  bool maybe = false;
  for (size_t i = 0; i < s.size() && !maybe; ++i) {
    char c = s[i];
    maybe = c == 'C' || c == 'P' || c == 'A' || (c == '^' && i + 1 < s.size() && s[i + 1] == 'o') ||
            (c == '\\' && s.compare(i + 1, 6, "choose") == 0);
  }
  if (!maybe) return;
  // "{10 \choose 2}" -> "\binom{10}{2}".
  for (size_t at = s.find("\\choose"); at != std::string::npos; at = s.find("\\choose", at + 1)) {
    size_t open = s.rfind('{', at), close = std::string::npos;
    if (open != std::string::npos) close = matching_brace(s, open);
    if (close == std::string::npos || close < at) continue;
    std::string n(trim(std::string_view(s).substr(open + 1, at - open - 1)));
    std::string k(trim(std::string_view(s).substr(at + 7, close - at - 7)));
    std::string binom = "\\binom{" + n + "}{" + k + "}";
    s.replace(open, close + 1 - open, binom);
    at = open + binom.size() - 1;
  }
  // "C_{10}^{2}", "A_{10}^{2}" with whole numbers: combinations and arrangements.
  for (std::string_view head : {"C_", "A_"}) {
    const char letter = head[0];
    for (size_t at = s.find(head); at != std::string::npos; at = s.find(head, at + 1)) {
      if (at > 0 && (is_alpha(s[at - 1]) || s[at - 1] == '\\')) continue;
      size_t i = at + 2;
      auto script = [&s](size_t& j) -> std::string {  // "{10}" or "7" at j
        if (j < s.size() && s[j] == '{') {
          size_t close = matching_brace(s, j);
          if (close == std::string::npos) return {};
          std::string inside(trim(std::string_view(s).substr(j + 1, close - j - 1)));
          j = close + 1;
          return inside;
        }
        return j < s.size() && (is_digit(s[j]) || is_alpha(s[j])) ? std::string(1, s[j++])
                                                                   : std::string();
      };
      std::string n = script(i);
      if (n.empty() || i >= s.size() || s[i] != '^') continue;
      ++i;
      std::string k = script(i);
      auto whole = [](const std::string& t) {
        return !t.empty() && std::all_of(t.begin(), t.end(), is_digit);
      };
      // Whole numbers, or a count with a letter ("C_n^2", "C_{2n}^{n}"): both scripts
      // written make it a count, not a constant C_n.
      auto count = [&whole](const std::string& t) {
        return whole(t) || (!t.empty() && t.size() <= 8 &&
                            std::all_of(t.begin(), t.end(), [](char c) {
                              return is_alpha(c) || is_digit(c) || c == '+' || c == '-';
                            }));
      };
      if (!count(n) || !count(k) || (!whole(n) && !whole(k) && letter == 'A')) continue;
      std::string value = letter == 'C' ? "\\binom{" + n + "}{" + k + "}"
                                        : "\\frac{(" + n + ")!}{(" + n + "-" + k + ")!}";
      s.replace(at, i - at, value);
    }
  }
  // "10C3", "10P3" (calculator notation) and "^{10}C_{3}", "{}^{10}P_3" with whole numbers.
  for (size_t at = 0; at < s.size(); ++at) {
    char letter = s[at];
    if ((letter != 'C' && letter != 'P') || at == 0) continue;
    size_t n_end = at, n_begin = at;
    bool raised = false;  // "^{10}C"
    if (s[at - 1] == '}' && s.rfind("^{", at) != std::string::npos) {
      size_t open = s.rfind("^{", at) + 1;
      if (matching_brace(s, open) != at - 1) continue;
      n_begin = open + 1, n_end = at - 1, raised = true;
    } else {
      while (n_begin > 0 && is_digit(s[n_begin - 1])) --n_begin;
    }
    if (n_begin == n_end) continue;
    std::string n = s.substr(n_begin, n_end - n_begin);
    size_t k_begin = at + 1;
    if (raised && k_begin < s.size() && s[k_begin] == '_') ++k_begin;
    bool braced = k_begin < s.size() && s[k_begin] == '{';
    size_t k_end = braced ? matching_brace(s, k_begin) : k_begin;
    if (braced && k_end == std::string::npos) continue;
    if (!braced) {
      while (k_end < s.size() && is_digit(s[k_end])) ++k_end;
    }
    std::string k = s.substr(k_begin + braced, k_end - k_begin - braced);
    if (k.empty() || !std::all_of(n.begin(), n.end(), is_digit) ||
        !std::all_of(k.begin(), k.end(), is_digit) || (k_end < s.size() && !braced && is_alpha(s[k_end]))) {
      continue;
    }
    size_t begin = raised ? n_begin - 2 : n_begin;  // "^{" before the count
    if (raised && begin >= 2 && s.compare(begin - 2, 2, "{}") == 0) {
      begin -= 2;  // "{}^{10}"
    } else if (raised && begin > 0 && !is_space(s[begin - 1]) &&
               std::string_view("+-=,(").find(s[begin - 1]) == std::string_view::npos) {
      continue;  // "x^{2}C_1": a power of what stands before
    }
    if (!raised && begin > 0 && is_alpha(s[begin - 1])) continue;  // part of a name
    std::string value = letter == 'C' ? "\\binom{" + n + "}{" + k + "}"
                                      : "\\frac{" + n + "!}{(" + n + "-" + k + ")!}";
    s.replace(begin, k_end + braced - begin, value);
    at = begin + value.size() - 1;
  }
  // "45^o": a degree mark written as a letter o.
  for (size_t at = s.find("^o"); at != std::string::npos; at = s.find("^o", at + 1)) {
    if (at > 0 && is_digit(s[at - 1]) && (at + 2 == s.size() || !is_alpha(s[at + 2]))) {
      s.replace(at, 2, "^\\circ");
    }
  }
}

}  // namespace s1
