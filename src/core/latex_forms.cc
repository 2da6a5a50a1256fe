#include "core/latex_forms.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "core/answer_names.h"
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

// A parameter's set: "\mathbb{Z}", "\mathbb Z", "Z", "\mathbb{N}", "\mathbb{Z}^+", "\mathbb{N}^*"...
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
  if (letter != 'Z' && letter != 'N' && letter != 'R') return false;
  s = trim(s);
  return s.empty() || s == "^+" || s == "^{+}" || s == "_+" || s == "_{+}" || s == "^*" ||
         s == "^{*}" || s == "*";
}

// "k \in \mathbb{Z}" (a letter in a number set).
bool is_parameter_range(std::string_view part) {
  part = trim(part);
  if (part.size() < 2 || !is_alpha(part[0])) return false;
  std::string_view rest = trim(part.substr(1));
  if (!starts_with(rest, "\\in") || (rest.size() > 3 && is_alpha(rest[3]))) return false;
  return is_number_set(rest.substr(3));
}

// "3 at x = 1", "3 \text{ (attained when } x = 1)": the place where a value is reached,
// "L = C" with a constant C and a letter L the value does not hold, is dropped.
void drop_witness(std::string& s) {
  std::string_view v = trim(s);
  if (v.find('=') == std::string_view::npos) return;
  for (std::string_view word : {" at ", " when ", " where ", " if "}) {
    size_t at = v.rfind(word);
    if (at == std::string_view::npos) continue;
    std::string_view clause = trim(v.substr(at + word.size()));
    bool closed = !clause.empty() && clause.back() == ')';
    if (closed) clause = trim(clause.substr(0, clause.size() - 1));
    if (clause.size() < 3 || !is_alpha(clause[0]) || trim(clause.substr(1)).empty() ||
        trim(clause.substr(1))[0] != '=') {
      return;
    }
    std::string_view constant = trim(trim(clause.substr(1)).substr(1));
    if (constant.empty() || !free_letters(constant).empty() || has_relation(constant)) return;
    std::string_view value = trim(v.substr(0, at));
    // "(attained", "achieved", "obtained": the words that lead to the clause.
    for (bool changed = true; changed;) {
      changed = false;
      for (std::string_view lead : {"attained", "achieved", "obtained", "reached", "which is",
                                    ","}) {
        if (ends_with(value, lead)) {
          value = trim(value.substr(0, value.size() - lead.size()));
          changed = true;
        }
      }
    }
    if (closed) {
      if (value.empty() || value.back() != '(') return;
      value = trim(value.substr(0, value.size() - 1));
    }
    if (value.empty() || free_letters(value).find(clause[0]) != std::string::npos) return;
    s = std::string(value);
    return;
  }
}

// "n \ge 1" after "2^n - 1": a bound on the one letter of an answer that holds no
// inequality itself (so "x > 1, x \ne 2" keeps its second condition).
bool is_parameter_bound(std::string_view part, std::string_view rest) {
  part = trim(part);
  if (part.size() < 3 || !is_alpha(part[0]) || is_alpha(part[1])) return false;
  std::string_view op = trim(part.substr(1));
  size_t op_size = 0;
  for (std::string_view o : {"\\ge", "\\le", "\\ne", ">", "<"}) {
    if (starts_with(op, o) && (o.size() == 1 || op.size() == o.size() || !is_alpha(op[o.size()]))) {
      op_size = o.size();
      break;
    }
  }
  if (op_size == 0) return false;
  std::string_view bound = trim(op.substr(op_size));
  if (bound.empty() || !std::all_of(bound.begin(), bound.end(), [](char c) {
        return is_digit(c) || c == '-' || c == '.';
      })) {
    return false;
  }
  if (rest.find_first_of("<>") != std::string_view::npos || rest.find("\\le") != rest.npos ||
      rest.find("\\ge") != rest.npos || rest.find("\\ne") != rest.npos) {
    return false;
  }
  return free_letters(rest).find(part[0]) != std::string::npos;
}

// "x \in (4, 50)" after a function of x ("400(x + \frac{200}{x}), x \in (4, 50)"): the
// domain it is defined on, not part of its value.
bool is_domain(std::string_view part, std::string_view rest) {
  part = trim(part);
  if (part.size() < 8 || !is_alpha(part[0]) || is_alpha(part[1])) return false;
  std::string_view in = trim(part.substr(1));
  if (!starts_with(in, "\\in") || (in.size() > 3 && is_alpha(in[3]))) return false;
  std::string_view interval = trim(in.substr(3));
  if (interval.size() < 5 || (interval[0] != '(' && interval[0] != '[') ||
      (interval.back() != ')' && interval.back() != ']') ||
      top_level_positions(interval.substr(1, interval.size() - 2), ",").size() != 1) {
    return false;
  }
  // "y = ..." and "f(x) = ...": the value is what follows its name.
  std::vector<size_t> eq = top_level_positions(rest, "=");
  if (std::string_view name = trim(rest.substr(0, eq.empty() ? 0 : eq[0]));
      eq.size() == 1 && !name.empty() && leading_name(name) == name) {
    rest = rest.substr(eq[0] + 1);
  }
  return !has_relation(rest) && free_letters(rest).find(part[0]) != std::string::npos;
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

// Vulgar fractions "½", "⅔" (U+00BC..BE, U+2150..215E) as "\frac{1}{2}"; "1½" becomes the
// mixed number "1\frac{1}{2}".
void replace_vulgar_fractions(std::string& s) {
  static constexpr std::pair<std::string_view, std::string_view> kFractions[] = {
      {"\u00bd", "\\frac{1}{2}"},  {"\u00bc", "\\frac{1}{4}"},  {"\u00be", "\\frac{3}{4}"},
      {"\u2150", "\\frac{1}{7}"},  {"\u2151", "\\frac{1}{9}"},  {"\u2152", "\\frac{1}{10}"},
      {"\u2153", "\\frac{1}{3}"},  {"\u2154", "\\frac{2}{3}"},  {"\u2155", "\\frac{1}{5}"},
      {"\u2156", "\\frac{2}{5}"},  {"\u2157", "\\frac{3}{5}"},  {"\u2158", "\\frac{4}{5}"},
      {"\u2159", "\\frac{1}{6}"},  {"\u215a", "\\frac{5}{6}"},  {"\u215b", "\\frac{1}{8}"},
      {"\u215c", "\\frac{3}{8}"},  {"\u215d", "\\frac{5}{8}"},  {"\u215e", "\\frac{7}{8}"},
  };
  for (auto [from, to] : kFractions) replace_all(s, from, to);
}

// Superscript and subscript characters ("10⁻¹⁰", "x²", "a₁₂") as "^{-10}", "^{2}", "_{12}".
void replace_script_runs(std::string& s) {
  // The ASCII meaning of a script character at `i` and its byte length, or 0.
  auto script = [&s](size_t i, bool& super) -> std::pair<char, size_t> {
    unsigned char b0 = static_cast<unsigned char>(s[i]);
    unsigned char b1 = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    unsigned char b2 = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0;
    if (b0 == 0xc2 && (b1 == 0xb2 || b1 == 0xb3 || b1 == 0xb9)) {
      super = true;
      return {b1 == 0xb2 ? '2' : b1 == 0xb3 ? '3' : '1', 2};
    }
    if (b0 != 0xe2) return {0, 0};
    if (b1 == 0x81 && (b2 == 0xb0 || (b2 >= 0xb4 && b2 <= 0xbf))) {
      super = true;
      static constexpr char kSuper[] = "0???456789+-=()n";
      char c = kSuper[b2 - 0xb0];
      return {c == '?' ? 0 : c, c == '?' ? 0 : 3};
    }
    if (b1 == 0x82 && b2 >= 0x80 && b2 <= 0x8e) {
      super = false;
      static constexpr char kSub[] = "0123456789+-=()";
      return {kSub[b2 - 0x80], 3};
    }
    return {0, 0};
  };
  if (s.find("\xc2") == std::string::npos && s.find("\xe2\x81") == std::string::npos &&
      s.find("\xe2\x82") == std::string::npos) {
    return;
  }
  std::string out;
  for (size_t i = 0; i < s.size();) {
    bool super = false;
    if (script(i, super).second == 0) {
      out += s[i++];
      continue;
    }
    std::string run;
    const bool first = super;
    while (i < s.size()) {
      auto [d, n] = script(i, super);
      if (n == 0 || super != first) break;
      run += d;
      i += n;
    }
    out += first ? "^{" : "_{";
    out += run;
    out += '}';
  }
  s.swap(out);
}

// "√10", "∛8", "∜16", "√x" (before the other replacements) as "\sqrt{10}", "\sqrt[3]{8}",
// "\sqrt[4]{16}", "\sqrt{x}": the radicand is the run of digits (or the one letter) after the
// sign; other radicands ("√(3)", "√{3}") keep their brackets.
void replace_root_signs(std::string& s) {
  static constexpr std::pair<std::string_view, std::string_view> kRoots[] = {
      {"\u221a", "\\sqrt"}, {"\u221b", "\\sqrt[3]"}, {"\u221c", "\\sqrt[4]"}};
  for (auto [sign, command] : kRoots) {
    for (size_t at = s.find(sign); at != std::string::npos; at = s.find(sign, at + 1)) {
      size_t begin = at + sign.size(), end = begin;
      while (end < s.size() && (is_digit(s[end]) || (s[end] == '.' && end > begin))) ++end;
      if (end == begin && end < s.size() && is_alpha(s[end])) ++end;
      std::string radicand = s.substr(begin, end - begin);
      std::string replacement(command);
      if (!radicand.empty()) replacement += "{" + radicand + "}";
      s.replace(at, end - at, replacement);
    }
  }
}

// "\sqrt(3)" (from "√(3)") as "\sqrt{3}".
void parenthesized_roots_to_braces(std::string& s) {
  for (size_t at = s.find("\\sqrt("); at != std::string::npos; at = s.find("\\sqrt(", at + 1)) {
    if (size_t close = matching_paren(s, at + 5); close != std::string::npos) {
      s[at + 5] = '{';
      s[close] = '}';
    }
  }
}

constexpr size_t kMaxRatioTerms = 16;

// A name of a quantity: a letter or a Greek letter, then letters, digits and subscripts
// ("BD", "S_{MBCN}", "V_1", "\omega_{L}", "\Delta p").
bool is_quantity_name(std::string_view t) {
  auto name_char = [](char c) {
    return is_alpha(c) || is_digit(c) || c == '_' || c == '{' || c == '}';
  };
  if (starts_with(t, "\\")) {
    size_t end = 1;
    while (end < t.size() && is_alpha(t[end])) ++end;
    if (!is_greek_letter(t.substr(1, end - 1))) return false;
    std::string_view rest = trim(t.substr(end));
    return std::all_of(rest.begin(), rest.end(), name_char);
  }
  if (t.empty() || !is_alpha(t[0])) return false;
  return std::all_of(t.begin(), t.end(), name_char);
}

// Drops the label of a ratio, "BD:DC=1:3" -> "1:3", "\frac{BD}{DC}=\frac{1}{3}" ->
// "\frac{1}{3}" (compacted text).
void drop_ratio_label(std::string& s) {
  if (s.find(':') == std::string::npos && s.find("\\frac{") == std::string::npos) return;
  std::vector<size_t> eq = top_level_positions(s, "=");
  if (eq.size() != 1) return;
  std::string_view label = std::string_view(s).substr(0, eq[0]);
  std::string_view value = std::string_view(s).substr(eq[0] + 1);
  if (value.empty()) return;
  bool ratio = false;
  if (starts_with(label, "\\frac{") && label.back() == '}') {
    size_t close = matching_brace(label, 5);
    ratio = close != std::string_view::npos && close + 1 < label.size() &&
            label[close + 1] == '{' && matching_brace(label, close + 1) == label.size() - 1 &&
            is_quantity_name(label.substr(6, close - 6)) &&
            is_quantity_name(label.substr(close + 2, label.size() - close - 3));
  } else {
    std::vector<size_t> colons = top_level_positions(label, ":");
    ratio = !colons.empty() && !top_level_positions(value, ":").empty();
    size_t start = 0;
    for (size_t i = 0; ratio && i <= colons.size(); ++i) {
      size_t end = i < colons.size() ? colons[i] : label.size();
      ratio = is_quantity_name(label.substr(start, end - start));
      start = end + 1;
    }
  }
  if (ratio) s = std::string(value);
}

}  // namespace

bool is_greek_letter(std::string_view name) {
  static constexpr std::string_view kGreek[] = {
      "alpha", "beta",  "gamma",  "delta", "Delta", "epsilon", "varepsilon", "theta", "lambda",
      "mu",    "nu",    "rho",    "sigma", "tau",   "phi",     "varphi",     "psi",   "omega",
      "Omega", "Phi",   "Psi",    "Gamma", "Theta", "Lambda",  "Sigma",      "ell"};
  return std::find(std::begin(kGreek), std::end(kGreek), name) != std::end(kGreek);
}

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
      {"\u2013", "-"},       {"\u00a0", " "},
      {"\u2026", "\\ldots "}, {"\u03b1", "\\alpha "},  {"\u03b2", "\\beta "},  {"\u03b8", "\\theta "},
      {"\u03c6", "\\varphi "}, {"\u03bb", "\\lambda "}, {"\u3001", ","},       {"\uff1e", ">"},
      {"\uff1c", "<"},       {"\uff1d", "="},          {"\uff08", "("},        {"\uff09", ")"},
      {"\uff0c", ","},       {"\uff1a", ":"},          {"\uff0b", "+"},        {"\uff0d", "-"},
      {"\uff0e", "."},       {"\u3002", "."},          {"\u200b", ""},         {"\ufeff", ""},
      {"<sup>", "^{"},       {"</sup>", "}"},          {"<sub>", "_{"},         {"</sub>", "}"},
      {"\u2044", "/"},          {"\u2215", "/"},        {"\u211d", "\\mathbb{R}"},
      {"\u2124", "\\mathbb{Z}"}, {"\u2115", "\\mathbb{N}"}, {"\u211a", "\\mathbb{Q}"},
      {"\u2102", "\\mathbb{C}"}, {"\u2223", "\\mid "},  {"\u2216", "\\setminus "},
      {"\u2220", "\\angle "}, {"\u2266", "\\le "},     {"\u2267", "\\ge "},   {"\u2213", "\\mp "},
      {"\u03b3", "\\gamma "}, {"\u03b4", "\\delta "},  {"\u03bc", "\\mu "},   {"\u03c3", "\\sigma "},
      {"\u03c9", "\\omega "}, {"\u0394", "\\Delta "},  {"\u03d5", "\\varphi "},
      {"\u6216", " or "},     {"\u4e14", " and "},       {"\uff1b", ";"},        {"\u2236", ":"},
      {"\uff0f", "/"},        {"\uff3b", "["},          {"\uff3d", "]"},        {"\uff5b", "\\{"},
      {"\uff5d", "\\}"},      {"\u22ef", "\\cdots "},  {"\u25b3", "\\triangle "}, {"\u22a5", "\\perp "},
      {"\u2225", "\\parallel "},
  };
  replace_root_signs(s);
  // Degrees Celsius and Fahrenheit are a unit, not a product with C: "25°C", "25℃".
  for (std::string_view temperature : {"\u00b0C", "\u00b0F", "\u2103", "\u2109"}) {
    replace_all(s, temperature, "");
  }
  for (const Replacement& r : kUnicode) replace_all(s, r.from, r.to);
  replace_vulgar_fractions(s);
  replace_script_runs(s);
  parenthesized_roots_to_braces(s);
  // Full-width digits U+FF10..U+FF19 (EF BC 90..99) and letters U+FF21..U+FF3A (EF BC A1..BA),
  // U+FF41..U+FF5A (EF BD 81..9A).
  for (size_t pos = s.find("\xef\xbc"); pos != std::string::npos; pos = s.find("\xef\xbc", pos)) {
    unsigned char last = pos + 2 < s.size() ? static_cast<unsigned char>(s[pos + 2]) : 0;
    if (last >= 0x90 && last <= 0x99) {
      s.replace(pos, 3, 1, static_cast<char>('0' + (last - 0x90)));
    } else if (last >= 0xa1 && last <= 0xba) {
      s.replace(pos, 3, 1, static_cast<char>('A' + (last - 0xa1)));
    } else {
      pos += 2;
    }
  }
  for (size_t pos = s.find("\xef\xbd"); pos != std::string::npos; pos = s.find("\xef\xbd", pos)) {
    unsigned char last = pos + 2 < s.size() ? static_cast<unsigned char>(s[pos + 2]) : 0;
    if (last >= 0x81 && last <= 0x9a) {
      s.replace(pos, 3, 1, static_cast<char>('a' + (last - 0x81)));
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
  // "x \approx 11": a name is not what is approximated but what is given a value.
  if (at.size() == 1 && is_quantity_name(before)) before = {};
  if (!before.empty()) {
    s.assign(before);
  } else if (at.size() == 1) {
    s.assign(trim(std::string_view(s).substr(at[0] + 7)));
  }
}

void drop_qualifiers(std::string& s) {
  // Every qualifier holds a relation, "\in" or one of the words "for", "where".
  bool maybe = false;
  for (size_t i = 0; i < s.size() && !maybe; ++i) {
    char c = s[i];
    if (c == '=' || c == '<' || c == '>') maybe = true;
    if (c == '\\' && i + 3 <= s.size()) {
      std::string_view name = std::string_view(s).substr(i + 1, 2);
      bool ends = i + 3 == s.size() || !is_alpha(s[i + 3]);
      maybe = (ends && (name == "in" || name == "le" || name == "ge" || name == "ne")) ||
              name == "fo";
    }
    if ((c == 'f' && s.compare(i, 3, "for") == 0) || (c == 'w' && s.compare(i, 5, "where") == 0)) {
      maybe = true;
    }
  }
  if (!maybe) return;
  drop_witness(s);
  for (std::string_view token : {" for all ", " for every ", " for any ", "\\forall",
                                  " for some ", " where "}) {
    if (s.find(token) == std::string::npos) continue;
    std::vector<size_t> at = top_level_positions(s, token);
    if (at.empty() || trim(std::string_view(s).substr(0, at[0])).empty()) continue;
    s.resize(at[0]);
    while (!s.empty() && (is_space(s.back()) || s.back() == ',')) s.pop_back();
  }
  std::string_view v = trim(s);
  if (v.size() > 2 && v.back() == ')') {  // "(k \in \mathbb{Z})", "(n \ge 1)"
    size_t open = v.rfind('(');
    if (open != std::string_view::npos && open > 0) {
      std::string_view part = v.substr(open + 1, v.size() - open - 2), rest = v.substr(0, open);
      if (is_parameter_range(part) || is_parameter_bound(part, rest)) {
        s.assign(trim(rest));
        v = trim(s);
      }
    }
  }
  std::vector<size_t> commas = top_level_positions(v, ",");
  if (!commas.empty()) {
    std::string_view part = v.substr(commas.back() + 1), rest = v.substr(0, commas.back());
    if (is_parameter_range(part) || is_parameter_bound(part, rest) || is_domain(part, rest)) {
      s.assign(trim(rest));
    }
  }
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
  drop_ratio_label(s);
  // "1 to 3" (compacted "1to3").
  if (size_t to = s.find("to"); to != std::string::npos && to > 0 && s.find(':') == s.npos &&
      is_numeric_side(std::string_view(s).substr(0, to)) &&
      is_numeric_side(std::string_view(s).substr(to + 2))) {
    s.replace(to, 2, ":");
  }
  if (s.find(':') == std::string::npos) return;
  std::vector<std::string_view> terms = split_top_level(s, ":");
  if (terms.size() < 2 || terms.size() > kMaxRatioTerms) return;
  for (std::string_view t : terms) {
    if (t.empty() || !is_numeric_side(t)) return;
  }
  if (terms.size() == 2) {
    s = "\\frac{" + std::string(terms[0]) + "}{" + std::string(terms[1]) + "}";
    return;
  }
  // Three terms or more: whole numbers in lowest terms ("2:4:6" is "1:2:3").
  std::vector<uint64_t> values;
  uint64_t divisor = 0;
  for (std::string_view t : terms) {
    if (t.size() > 15 || !std::all_of(t.begin(), t.end(), is_digit)) return;
    values.push_back(std::stoull(std::string(t)));
    divisor = std::gcd(divisor, values.back());
  }
  if (divisor <= 1) return;
  std::string out;
  for (uint64_t v : values) out += (out.empty() ? "" : ":") + std::to_string(v / divisor);
  s = out;
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

void semicolons_to_commas(std::string& s) {
  if (s.find(';') == std::string::npos) return;
  // Inside each bracket group that holds no comma: "(0;-2;6)", "\{1; 2\}".
  std::vector<size_t> opens;
  for (size_t i = 0; i < s.size(); ++i) {
    bool brace = s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '{' || s[i + 1] == '}');
    if (s[i] == '\\' && !brace) {  // "\;" and commands are no brackets
      ++i;
      continue;
    }
    if (s[i] == '(' || s[i] == '[' || (brace && s[i + 1] == '{')) opens.push_back(i);
    if ((s[i] == ')' || s[i] == ']' || (brace && s[i + 1] == '}')) && !opens.empty()) {
      size_t open = opens.back();
      opens.pop_back();
      std::string_view inside = std::string_view(s).substr(open + 1, i - open - 1);
      if (inside.find(',') == std::string_view::npos && inside.find(';') != inside.npos) {
        std::replace(s.begin() + static_cast<std::ptrdiff_t>(open), s.begin() +
                     static_cast<std::ptrdiff_t>(i), ';', ',');
      }
    }
    if (brace) ++i;
  }
  // At top level when no comma is there: "-12;-11;-10".
  if (!top_level_positions(s, ",").empty()) return;
  for (size_t at : top_level_positions(s, ";")) s[at] = ',';
}

void drop_answer_lead(std::string& s) {
  std::string_view v = trim(s);
  // "n = 1 only": the word says there is no other.
  if (ends_with(v, " only") && v.size() > 5) {
    s = std::string(trim(v.substr(0, v.size() - 5)));
    v = trim(s);
  }
  // "All n \geq 3", "all integers n \geq 3": a quantifier before a condition on a letter.
  if (!v.empty() && std::string_view("aAeE").find(v.front()) != std::string_view::npos) {
    std::string lower = ascii::lowercase(v.substr(0, 40));
    for (std::string_view lead : {"all ", "every ", "any "}) {
      if (!starts_with(lower, lead)) continue;
      size_t at = lead.size();
      for (bool more = true; more;) {
        more = false;
        for (std::string_view kind : {"positive ", "natural ", "real ", "integers ", "integer ",
                                      "numbers ", "number ", "values of ", "values "}) {
          if (lower.compare(at, kind.size(), kind) == 0) at += kind.size(), more = true;
        }
      }
      std::string_view rest = trim(v.substr(at));
      if (rest.size() > 1 && is_alpha(rest[0]) && !is_alpha(rest[1]) && has_relation(rest)) {
        s = std::string(rest);
        v = trim(s);
      }
      break;
    }
  }
  if (v.size() < 8 || std::string_view("tTfFaA").find(v.front()) == std::string_view::npos) return;
  std::string lower = ascii::lowercase(v.substr(0, 24));
  for (std::string_view lead : {"the final answer is", "final answer:", "the answer is",
                                "answer:", "final answer is"}) {
    if (starts_with(lower, lead)) {
      std::string_view rest = trim(v.substr(lead.size()));
      while (!rest.empty() && rest.front() == ':') rest = trim(rest.substr(1));
      if (!rest.empty()) s = std::string(rest);
      return;
    }
  }
}

void rewrite_matrix_lists(std::string& s) {
  std::string_view v = trim(s);
  // "(1, 2)^T", "[1,2]^{T}", "(1,2)^{\top}": a transposed tuple is a column vector.
  for (std::string_view mark : {"^T", "^{T}", "^{\\top}", "^\\top", "^{\\mathrm{T}}", "^\\mathrm{T}"}) {
    if (ends_with(v, mark) && v.size() > mark.size() + 2) {
      std::string_view tuple = trim(v.substr(0, v.size() - mark.size()));
      if ((tuple.front() == '(' || tuple.front() == '[') &&
          (tuple.back() == ')' || tuple.back() == ']')) {
        s = "(" + std::string(tuple.substr(1, tuple.size() - 2)) + ")";  // not the interval "[1,2]"
        return;
      }
    }
  }
  // "[[1,2],[3,4]]": rows of a matrix.
  if (v.size() < 9 || !starts_with(v, "[[") || !ends_with(v, "]]")) return;
  std::string body;
  size_t columns = 0;
  for (std::string_view row : split_top_level(v.substr(1, v.size() - 2), ",")) {
    if (row.size() < 2 || row.front() != '[' || row.back() != ']') return;
    std::vector<std::string_view> cells = split_top_level(row.substr(1, row.size() - 2), ",");
    if (columns != 0 && cells.size() != columns) return;
    columns = cells.size();
    if (!body.empty()) body += "\\\\";
    for (size_t k = 0; k < cells.size(); ++k) body += (k ? "&" : "") + std::string(cells[k]);
  }
  s = "\\begin{pmatrix}" + body + "\\end{pmatrix}";
}

void drop_group_labels(std::string& s) {
  if (s.find(':') == std::string::npos && s.find(')') == std::string::npos) return;
  // The end of a group label at `i` ("Case 1:", "Sequence 2:", "Part (a):", "(a)", "b)"), or 0.
  auto label_end = [&s](size_t i) -> size_t {
    size_t j = i;
    while (j < s.size() && is_alpha(s[j])) ++j;
    bool word = j - i >= 3;
    while (j < s.size() && is_space(s[j])) ++j;
    size_t mark = j;
    if (j < s.size() && s[j] == '(') ++j;
    while (j < s.size() && (is_digit(s[j]) || (is_alpha(s[j]) && j - mark <= 2))) ++j;
    if (j == mark || (s[mark] == '(' && (j >= s.size() || s[j] != ')'))) return 0;
    if (s[mark] == '(') ++j;
    if (word && j < s.size() && s[j] == ':') return j + 1;
    // "(a)" or "a)" alone: a letter or number in parentheses, no word before it.
    if (!word && i == mark && j > i && s[j - 1] == ')' && j - i <= 4) return j;
    return 0;
  };
  std::vector<std::pair<size_t, size_t>> labels;  // [start, end) of each label
  for (size_t i = 0; i < s.size(); ++i) {
    bool group_start = i == 0 || (i >= 2 && s[i - 1] == ' ' && (s[i - 2] == ',' || s[i - 2] == ';')) ||
                       (i >= 5 && s.compare(i - 5, 5, " and ") == 0);
    if (!group_start) continue;
    if (size_t end = label_end(i)) labels.emplace_back(i, end);
  }
  if (labels.size() < 2) return;
  for (size_t k = labels.size(); k-- > 0;) s.erase(labels[k].first, labels[k].second - labels[k].first);
}

bool has_relation(std::string_view s) {
  return s.find_first_of("<>=") != std::string_view::npos || s.find("\\le") != s.npos ||
         s.find("\\ge") != s.npos || s.find("\\ne") != s.npos;
}

bool rewrite_infinity_words(std::string& s) {
  std::string_view v = trim(s);
  if (v.size() < 8 || v.size() > 40) return false;
  std::string lower = ascii::lowercase(v);
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
