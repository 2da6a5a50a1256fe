#include "core/latex_forms.h"

#include <algorithm>
#include <vector>

#include "core/ascii.h"
#include "core/latex_normalize.h"

namespace s1 {
namespace {

using ascii::ends_with;
using ascii::is_alpha;
using ascii::is_digit;
using ascii::is_space;
using ascii::replace_all;
using ascii::starts_with;
using ascii::trim;

struct Replacement {
  std::string_view from, to;
};

// Circled numbers U+2460..U+2473 ("①".."⑳"): E2 91 A0..B3 in UTF-8. Runs of them (with
// spaces, commas or "、" between) become "2,3".
void replace_circled_numbers(std::string& s) {
  if (s.find("\xe2\x91") == std::string::npos) return;
  std::string out;
  bool after_circled = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char b1 = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    unsigned char b2 = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0;
    if (static_cast<unsigned char>(s[i]) == 0xe2 && b1 == 0x91 && b2 >= 0xa0 && b2 <= 0xb3) {
      while (after_circled && !out.empty() && (out.back() == ' ' || out.back() == ',')) {
        out.pop_back();
      }
      if (after_circled) out += ',';
      out += std::to_string(b2 - 0xa0 + 1);
      after_circled = true;
      i += 2;
      continue;
    }
    if (after_circled && s[i] != ' ' && s[i] != ',') after_circled = false;
    out += s[i];
  }
  s.swap(out);
}

// A parameter's set: "\mathbb{Z}", "\mathbb Z", "Z", "\mathbb{N}", "\mathbb{Z}^+"...
bool is_number_set(std::string_view s) {
  s = trim(s);
  for (std::string_view prefix : {"\\mathbb", "\\Bbb"}) {
    if (starts_with(s, prefix)) s = trim(s.substr(prefix.size()));
  }
  char letter = 0;
  if (s.size() >= 3 && s[0] == '{' && s[2] == '}') {
    letter = s[1];
    s = s.substr(3);
  } else if (!s.empty()) {
    letter = s[0];
    s = s.substr(1);
  }
  if (letter != 'Z' && letter != 'N') return false;
  s = trim(s);
  return s.empty() || s == "^+" || s == "^{+}" || s == "_+" || s == "_{+}";
}

// "k \in \mathbb{Z}" (a letter in a number set).
bool is_parameter_range(std::string_view part) {
  part = trim(part);
  if (part.size() < 2 || !is_alpha(part[0])) return false;
  std::string_view rest = trim(part.substr(1));
  if (!starts_with(rest, "\\in") || (rest.size() > 3 && is_alpha(rest[3]))) return false;
  return is_number_set(rest.substr(3));
}

// Whether `side` is a number written with digits, + - * / ^ ( ) { } and the commands
// \frac, \sqrt, \pi, \cdot, \times only.
bool is_numeric_side(std::string_view side) {
  bool digit = false;
  for (size_t i = 0; i < side.size(); ++i) {
    char c = side[i];
    if (is_digit(c)) {
      digit = true;
    } else if (c == '\\') {
      size_t j = i + 1;
      while (j < side.size() && is_alpha(side[j])) ++j;
      std::string_view name = side.substr(i + 1, j - i - 1);
      if (name != "frac" && name != "sqrt" && name != "pi" && name != "cdot" && name != "times") {
        return false;
      }
      i = j - 1;
    } else if (std::string_view(".+-*/^(){} ").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return digit;
}

}  // namespace

void repair_control_escapes(std::string& s) {
  static constexpr std::pair<char, char> kEscapes[] = {
      {'\t', 't'}, {'\f', 'f'}, {'\b', 'b'}, {'\r', 'r'}};
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (!is_alpha(s[i + 1])) continue;
    for (auto [control, letter] : kEscapes) {
      if (s[i] != control) continue;
      s[i] = letter;
      s.insert(i, 1, '\\');
      ++i;
      break;
    }
  }
}

void replace_unicode(std::string& s) {
  bool ascii_only = std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
  if (ascii_only && s.find('<') == std::string::npos) return;
  static constexpr Replacement kUnicode[] = {
      {"\u2212", "-"},       {"\u00d7", "\\times "},   {"\u00b7", "\\cdot "},  {"\u22c5", "\\cdot "},
      {"\u00f7", "/"},       {"\u2264", "\\le "},      {"\u2265", "\\ge "},    {"\u2a7d", "\\le "},
      {"\u2a7e", "\\ge "},   {"\u2260", "\\ne "},      {"\u2248", "\\approx "}, {"\u00b1", "\\pm "},
      {"\u03c0", "\\pi "},   {"\u221e", "\\infty "},   {"\u222a", "\\cup "},   {"\u2229", "\\cap "},
      {"\u2208", "\\in "},   {"\u2205", "\\emptyset "}, {"\u221a", "\\sqrt"},  {"\u00b0", ""},
      {"\u2013", "-"},       {"\u00a0", " "},          {"\u00b2", "^2"},       {"\u00b3", "^3"},
      {"\u2026", "\\ldots "}, {"\u03b1", "\\alpha "},  {"\u03b2", "\\beta "},  {"\u03b8", "\\theta "},
      {"\u03c6", "\\varphi "}, {"\u03bb", "\\lambda "}, {"\u3001", ","},       {"\uff1e", ">"},
      {"\uff1c", "<"},       {"\uff1d", "="},          {"\uff08", "("},        {"\uff09", ")"},
      {"\uff0c", ","},       {"\uff1a", ":"},          {"\uff0b", "+"},        {"\uff0d", "-"},
      {"\uff0e", "."},       {"<sup>", "^{"},          {"</sup>", "}"},        {"<sub>", "_{"},
      {"</sub>", "}"},
  };
  for (const Replacement& r : kUnicode) replace_all(s, r.from, r.to);
  // Full-width digits U+FF10..U+FF19: EF BC 90..99.
  for (size_t pos = s.find("\xef\xbc"); pos != std::string::npos; pos = s.find("\xef\xbc", pos)) {
    unsigned char last = pos + 2 < s.size() ? static_cast<unsigned char>(s[pos + 2]) : 0;
    if (last >= 0x90 && last <= 0x99) {
      s.replace(pos, 3, 1, static_cast<char>('0' + (last - 0x90)));
    } else {
      pos += 2;
    }
  }
  replace_circled_numbers(s);
}

void drop_approx_trailer(std::string& s) {
  std::vector<size_t> at = top_level_positions(s, "\\approx");
  if (at.empty()) return;
  std::string_view before = trim(std::string_view(s).substr(0, at[0]));
  if (!before.empty()) {
    s.assign(before);
  } else if (at.size() == 1) {
    s.assign(trim(std::string_view(s).substr(at[0] + 7)));
  }
}

void drop_qualifiers(std::string& s) {
  for (std::string_view token : {" for all ", " for every ", " for any ", "\\forall"}) {
    std::vector<size_t> at = top_level_positions(s, token);
    if (at.empty() || trim(std::string_view(s).substr(0, at[0])).empty()) continue;
    s.resize(at[0]);
    while (!s.empty() && (is_space(s.back()) || s.back() == ',')) s.pop_back();
  }
  std::string_view v = trim(s);
  if (v.size() > 2 && v.back() == ')') {  // "(k \in \mathbb{Z})"
    size_t open = v.rfind('(');
    if (open != std::string_view::npos && open > 0 &&
        is_parameter_range(v.substr(open + 1, v.size() - open - 2))) {
      s.assign(trim(v.substr(0, open)));
      v = trim(s);
    }
  }
  std::vector<size_t> commas = top_level_positions(v, ",");
  if (!commas.empty() && is_parameter_range(v.substr(commas.back() + 1))) {
    s.assign(trim(v.substr(0, commas.back())));
  }
}

void rewrite_set_builder(std::string& s) {
  std::string_view v = trim(s);
  if (!starts_with(v, "\\{") || !ends_with(v, "\\}")) return;
  std::string_view inside = v.substr(2, v.size() - 4);
  // The set must close at the end: no "\}" at depth 0 inside.
  if (!top_level_positions(inside, "\\}").empty()) return;
  size_t bar = std::string_view::npos, bar_size = 0;
  for (std::string_view separator : {"\\mid", "|", ":"}) {
    std::vector<size_t> at = top_level_positions(inside, separator);
    if (!at.empty() && at[0] < bar) bar = at[0], bar_size = separator.size();
  }
  if (bar == std::string_view::npos) return;
  std::string_view head = trim(inside.substr(0, bar));
  std::string_view condition = trim(inside.substr(bar + bar_size));
  // "x" or "x \in \mathbb{R}".
  if (head.empty() || !is_alpha(head[0])) return;
  std::string_view rest = trim(head.substr(1));
  if (!rest.empty()) {
    if (!starts_with(rest, "\\in")) return;
    std::string_view set = trim(rest.substr(3));
    if (set != "\\mathbb{R}" && set != "\\mathbb R" && set != "R" && set != "\\R") return;
  }
  if (condition.empty()) return;
  s.assign(condition);
}

bool strip_trailing_ordinal(std::string& s) {
  std::string_view v = trim(s);
  for (std::string_view suffix : {"^{th}", "^{st}", "^{nd}", "^{rd}", "^th", "^st", "^nd", "^rd",
                                  "th", "st", "nd", "rd"}) {
    if (!ends_with(v, suffix)) continue;
    std::string_view number = v.substr(0, v.size() - suffix.size());
    if (number.empty() || !is_digit(number.back())) return false;
    s.assign(number);
    return true;
  }
  return false;
}

void rewrite_ratio(std::string& s) {
  size_t colon = s.find(':');
  if (colon == std::string::npos || s.find(':', colon + 1) != std::string::npos) return;
  std::string_view left = trim(std::string_view(s).substr(0, colon));
  std::string_view right = trim(std::string_view(s).substr(colon + 1));
  if (left.empty() || right.empty() || !is_numeric_side(left) || !is_numeric_side(right)) return;
  s = "\\frac{" + std::string(left) + "}{" + std::string(right) + "}";
}

std::string free_letters(std::string_view s) {
  std::string letters;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      while (i + 1 < s.size() && is_alpha(s[i + 1])) ++i;
      continue;
    }
    if (is_alpha(s[i]) && s[i] != 'e' && s[i] != 'i' &&
        letters.find(s[i]) == std::string::npos) {
      letters += s[i];
    }
  }
  std::sort(letters.begin(), letters.end());
  return letters;
}

std::string rename_letter(std::string_view s, char from, char to) {
  return substitute_letter(s, from, std::string_view(&to, 1));
}

std::string substitute_letter(std::string_view s, char from, std::string_view text,
                              size_t* count) {
  std::string out;
  out.reserve(s.size());
  size_t replaced = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {  // a command name is no variable
      size_t j = i + 1;
      while (j < s.size() && is_alpha(s[j])) ++j;
      out.append(s.substr(i, j - i));
      i = j - 1;
      continue;
    }
    if (s[i] == from) {
      out.append(text);
      ++replaced;
    } else {
      out += s[i];
    }
  }
  if (count) *count = replaced;
  return out;
}

bool rewrite_infinity_words(std::string& s) {
  std::string_view v = trim(s);
  if (v.size() < 8 || v.size() > 40) return false;
  std::string lower;
  for (char c : v) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  while (!lower.empty() && (lower.back() == '.' || lower.back() == ' ')) lower.pop_back();
  bool infinite = lower == "infinite" || lower == "infinity" || lower == "infinitely many";
  if (!infinite && starts_with(lower, "infinitely many ")) {
    std::string_view noun = std::string_view(lower).substr(16);
    infinite = !noun.empty() &&
               std::all_of(noun.begin(), noun.end(), [](char c) { return is_alpha(c); });
  }
  if (!infinite) return false;
  s = "\\infty";
  return true;
}

}  // namespace s1
