#include "core/latex_normalize.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "core/answer_names.h"
#include "core/answer_units.h"
#include "core/ascii.h"
#include "core/latex_forms.h"
#include "core/number_notation.h"
#include "core/plain_math.h"
#include "core/set_forms.h"

namespace s1 {
namespace {

using ascii::ends_with;
using ascii::is_alpha;
using ascii::is_digit;
using ascii::is_space;
using ascii::replace_all;
using ascii::starts_with;
using ascii::trim;

// Commands removed with nothing left behind: sizes, styles and font switches that do not
// change the value ("{\large 5}", "{\rm cm}"), and "\therefore" before a result.
constexpr std::array<std::string_view, 33> kDroppedCommands = {
    "left",        "right",  "bigl",     "bigr",     "Bigl",     "Bigr",         "big",
    "Big",         "biggl",  "biggr",    "bigg",     "Bigg",     "displaystyle", "textstyle",
    "scriptstyle", "limits", "nolimits", "middle",   "tiny",     "small",        "normalsize",
    "large",       "Large",  "LARGE",    "huge",     "Huge",     "rm",           "bf",
    "it",          "sf",     "tt",       "boldmath", "therefore"};
// Commands that become a space; those with a braced argument drop it too.
constexpr std::array<std::string_view, 8> kSpacingCommands = {
    "quad", "qquad", "enspace", "thinspace", "medspace", "hspace", "vspace", "phantom"};
// Commands dropped with their braced argument: "\tag{1}", "\label{eq}", "\color{red}".
constexpr std::array<std::string_view, 4> kDroppedWithArgument = {"tag", "label", "color",
                                                                   "hphantom"};
// Commands whose braced argument is kept and the command dropped.
constexpr std::array<std::string_view, 23> kUnwrappedCommands = {
    "text",   "textbf", "textit",   "textrm", "textnormal", "textsf",    "texttt",
    "mathrm", "mathbf", "mathit",   "mathsf", "mathtt",     "mbox",      "hbox",
    "boxed",  "fbox",   "framebox", "emph",   "bm",         "boldsymbol", "underline",
    "textup", "mathnormal"};

struct Rename {
  std::string_view from, to;
};
constexpr Rename kRenamedCommands[] = {
    {"dfrac", "\\frac"},
    {"tfrac", "\\frac"},
    {"cfrac", "\\frac"},
    {"dbinom", "\\binom"},
    {"tbinom", "\\binom"},
    {"leq", "\\le"},
    {"leqslant", "\\le"},
    {"geq", "\\ge"},
    {"geqslant", "\\ge"},
    {"leqq", "\\le"},
    {"geqq", "\\ge"},
    {"lVert", "\\|"},
    {"rVert", "\\|"},
    {"Vert", "\\|"},
    {"neq", "\\ne"},
    {"lt", "<"},
    {"gt", ">"},
    {"infinity", "\\infty"},
    {"infin", "\\infty"},
    {"degree", ""},
    {"circ", ""},
    {"textcirc", ""},
    {"textdegree", ""},
    {"cdotp", "\\cdot"},
    {"ast", "*"},
    {"div", "/"},
    {"lbrace", "\\{"},
    {"rbrace", "\\}"},
    {"lbrack", "["},
    {"rbrack", "]"},
    {"vert", "|"},
    {"lvert", "|"},
    {"rvert", "|"},
    {"varnothing", "\\emptyset"},
    {"dots", ""},
    {"ldots", ""},
    {"cdots", ""},
    {"colon", ":"},
    {"deg", ""},
    {"lg", "\\log_{10}"},
    {"langle", "("},
    {"rangle", ")"},
    {"backslash", "\\setminus"},
};

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// One pass over the commands: drops, renames and unwraps. Braces that closed an unwrapped
// command are removed, keeping the contents.
std::string rewrite_commands(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  std::vector<char> drop_close(in.size(), 0);
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (drop_close[i]) continue;
    if (c == '~') {
      out += ' ';
      continue;
    }
    if (c != '\\' || i + 1 >= in.size()) {
      out += c;
      continue;
    }
    char next = in[i + 1];
    if (!is_alpha(next)) {
      ++i;
      switch (next) {
        case '!':  // thin negative space; "10,\!080" is a thousands separator
          break;
        case ',':
        case ';':
        case ':':
        case ' ':
          out += ' ';
          break;
        case '$':
          break;
        case '%':
          out += '%';
          break;
        default:
          out += '\\';
          out += next;
      }
      continue;
    }
    size_t end = i + 1;
    while (end < in.size() && is_alpha(in[end])) ++end;
    std::string_view name = in.substr(i + 1, end - i - 1);
    if (contains(kDroppedCommands, name)) {
      if (end < in.size() && in[end] == '.') ++end;  // \left. and \right.
      i = end - 1;
      continue;
    }
    bool spacing = contains(kSpacingCommands, name);
    if (spacing || contains(kDroppedWithArgument, name) || name == "textcolor") {
      size_t j = end;
      while (j < in.size() && is_space(in[j])) ++j;
      if (j < in.size() && in[j] == '{') {  // the argument ("\textcolor" keeps its second)
        size_t close = matching_brace(in, j);
        if (close != std::string_view::npos) end = close + 1;
      }
      if (spacing) out += ' ';
      i = end - 1;
      continue;
    }
    if (contains(kUnwrappedCommands, name) || name == "operatorname") {
      size_t j = end;
      while (j < in.size() && is_space(in[j])) ++j;
      if (name == "framebox" && j < in.size() && in[j] == '[') {  // \framebox[width]{...}
        size_t close = in.find(']', j);
        if (close != std::string_view::npos) j = close + 1;
      }
      if (j < in.size() && in[j] == '{') {
        size_t close = matching_brace(in, j);
        if (close != std::string_view::npos) {
          drop_close[close] = 1;
          // "\operatorname{sin}" is "\sin"; "\operatorname{x}" is the letter.
          if (name == "operatorname" && close > j + 2) out += '\\';
          i = j;  // the contents are copied by the following iterations
          continue;
        }
      }
      i = end - 1;
      continue;
    }
    bool renamed = false;
    for (const Rename& r : kRenamedCommands) {
      if (r.from == name) {
        out += r.to;
        if (!r.to.empty() && is_alpha(r.to.back()) && end < in.size() && is_alpha(in[end])) {
          out += ' ';
        }
        renamed = true;
        break;
      }
    }
    if (!renamed) out.append(in.substr(i, end - i));
    i = end - 1;
  }
  return out;
}

// Braces around a word after a number, which no command or script takes: "5 {cm}" (what
// "{\rm cm}" leaves) -> "5 cm"; and around a whole plain answer, "{ 5}" (what
// "\color{red}{5}" leaves) -> " 5". A group after a command, a closing brace ("\frac {a}
// {bc}"), "^" or "_" is kept.
void unwrap_plain_groups(std::string& s) {
  size_t open = s.find('{');
  if (open == std::string::npos) return;
  auto plain = [](std::string_view t, bool letters_only) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [letters_only](char c) {
      return is_alpha(c) || c == ' ' || (!letters_only && (is_digit(c) || c == '.'));
    });
  };
  std::string_view whole = trim(s);
  if (whole.size() > 2 && whole.front() == '{' && matching_brace(whole, 0) == whole.size() - 1 &&
      plain(whole.substr(1, whole.size() - 2), false)) {
    s = std::string(whole.substr(1, whole.size() - 2));
    return;
  }
  for (; open != std::string::npos; open = s.find('{', open + 1)) {
    size_t before = open;
    while (before > 0 && s[before - 1] == ' ') --before;
    if (before == 0 || before == open || !is_digit(s[before - 1])) continue;
    size_t close = matching_brace(s, open);
    if (close == std::string::npos) continue;
    std::string_view inside = std::string_view(s).substr(open + 1, close - open - 1);
    if (trim(inside).size() < 2 || !plain(inside, true)) continue;
    s.erase(close, 1);
    s.erase(open, 1);
  }
}

// Numbers that only spaces separate, which compaction would run together: "1 000 000" (groups
// of three) is one number; "2 1/2" is the mixed number "(2+1/2)"; other runs, "1 2", are a
// list "1,2". Numbers right after a command or a script ("\\frac 1 2", "x^2 3") are left
// alone.
void separate_spaced_numbers(std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (!is_digit(s[i])) continue;
    size_t begin = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    size_t end = i;  // the digit run [begin, end)
    size_t next = end;
    while (next < s.size() && s[next] == ' ') ++next;
    if (next == end || next >= s.size() || !is_digit(s[next])) {
      i = end - 1;
      continue;
    }
    // What stands before the run: a command, a script, a decimal point or more of a
    // number make this no separate number.
    size_t before = begin;
    while (before > 0 && s[before - 1] == ' ') --before;
    if (before > 0 && (is_alpha(s[before - 1]) || std::string_view("^_.,/}").find(s[before - 1]) !=
                                                     std::string_view::npos)) {
      i = end - 1;
      continue;
    }
    // Groups of three after one to three digits: a thousands separator.
    size_t j = end;
    bool thousands = end - begin <= 3;
    while (thousands && j < s.size() && s[j] == ' ') {
      size_t k = j + 1;
      size_t digits = 0;
      while (k < s.size() && is_digit(s[k])) ++k, ++digits;
      if (digits != 3) {
        thousands = digits == 0 && j != end;  // a space after the last group
        break;
      }
      j = k;
    }
    if (thousands && j > end && (j == s.size() || !is_digit(s[j]))) {
      i = j - 1;
      continue;  // compaction joins the groups
    }
    size_t k = next;
    while (k < s.size() && is_digit(s[k])) ++k;
    if (k + 1 < s.size() && s[k] == '/' && is_digit(s[k + 1])) {  // "2 1/2"
      size_t m = k + 1;
      while (m < s.size() && is_digit(s[m])) ++m;
      std::string mixed = "(" + s.substr(begin, end - begin) + "+" + s.substr(next, m - next) + ")";
      s.replace(begin, m - begin, mixed);
      i = begin + mixed.size() - 1;
      continue;
    }
    s.replace(end, next - end, ",");  // "1 2" is a list
    i = end;
  }
}

// Removes degree marks: "^\circ", "^{\circ}", "^{ \circ }" (after \circ itself was dropped,
// these are "^", "^{}" and "^{ }" at the end of a number).
void remove_empty_superscripts(std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '^') {
      size_t j = i + 1;
      while (j < s.size() && is_space(s[j])) ++j;
      if (j >= s.size()) continue;  // dangling '^' left by ^\circ at the end
      if (s[j] == '{') {
        size_t k = j + 1;
        while (k < s.size() && is_space(s[k])) ++k;
        if (k < s.size() && s[k] == '}') {
          i = k;
          continue;
        }
      }
      if (s[j] == '\\' || s[j] == ',' || s[j] == ')' || s[j] == ']' || s[j] == '}' || s[j] == '$' ||
          s[j] == ' ' || s[j] == '.' || s[j] == ';') {
        // "^" followed by a separator: the degree mark was its argument.
        if (s[j] == '\\' && j + 1 < s.size() && is_alpha(s[j + 1])) {
          out += s[i];
          continue;
        }
        continue;
      }
    }
    out += s[i];
  }
  s.swap(out);
}

// Collapses whitespace; keeps one space only between two letters, so "\cot x" and
// "north east" stay apart while "2 \sqrt{3}" becomes "2\sqrt{3}".
std::string compact_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (!is_space(s[i])) {
      out += s[i];
      continue;
    }
    while (i + 1 < s.size() && is_space(s[i + 1])) ++i;
    if (out.empty() || i + 1 >= s.size()) continue;
    // Between two letters the space matters: "\cot x" is not "\cotx".
    if (is_alpha(out.back()) && is_alpha(s[i + 1])) out += ' ';
  }
  return out;
}

// True when `s` (whole) is -?d{1,3}(,ddd)+(.d+)?
bool is_thousands_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  size_t lead = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++lead;
  if (lead == 0 || lead > 3) return false;
  int groups = 0;
  while (i < s.size() && s[i] == ',') {
    for (int d = 1; d <= 3; ++d) {
      if (i + d >= s.size() || !is_digit(s[i + d])) return false;
    }
    i += 4;
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t frac = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac;
    if (frac == 0) return false;
  }
  return i == s.size();
}

// Replaces the words " or " and " and " separating answers by commas; after a comma
// ("7, -2, and -5") the word goes without one. Lists of one length joined by "or" become
// tuples.
void words_to_commas(std::string& s) {
  // Lists of one length joined by "or" are tuples: "1,2,3 or 1,-1,1" -> "(1,2,3),(1,-1,1)".
  if (std::vector<std::string_view> ways = split_top_level(s, " or "); ways.size() >= 2) {
    size_t commas = top_level_positions(ways[0], ",").size();
    bool tuples = commas > 0;
    for (std::string_view way : ways) {
      tuples = tuples && top_level_positions(way, ",").size() == commas &&
               way.find('=') == std::string_view::npos && !starts_with(trim(way), "(");
    }
    if (tuples) {
      std::string joined;
      for (std::string_view way : ways) {
        joined += (joined.empty() ? "(" : ",(") + std::string(trim(way)) + ")";
      }
      s = joined;
      return;
    }
  }
  for (std::string_view word : {"or", "and"}) {
    std::string padded = " " + std::string(word) + " ";
    for (size_t at = s.find(padded); at != std::string::npos; at = s.find(padded, at)) {
      size_t before = at;
      while (before > 0 && is_space(s[before - 1])) --before;
      bool after_comma = before > 0 && s[before - 1] == ',';
      s.replace(at, padded.size(), after_comma ? " " : ",");
    }
  }
}

// ---- Rewrites of whole-answer notations ----

// Digits of `s` from `begin` to `end` as an integer; false past 18 digits.
bool digits_value(std::string_view s, uint64_t& out) {
  if (s.size() > 18) return false;
  out = 0;
  for (char c : s) out = out * 10 + static_cast<uint64_t>(c - '0');
  return true;
}

uint64_t power_of_ten(size_t n) {
  uint64_t p = 1;
  for (size_t i = 0; i < n; ++i) p *= 10;
  return p;
}

// "\frac{N}{D}" for the decimal whole.frac followed by `repeat` repeating forever.
std::optional<std::string> repeating_fraction(std::string_view whole, std::string_view frac,
                                              std::string_view repeat) {
  if (repeat.empty() || whole.size() + frac.size() + repeat.size() > 18) return std::nullopt;
  uint64_t with_repeat = 0, without_repeat = 0;
  if (!digits_value(std::string(whole) + std::string(frac) + std::string(repeat), with_repeat) ||
      !digits_value(std::string(whole) + std::string(frac), without_repeat)) {
    return std::nullopt;
  }
  uint64_t den = (power_of_ten(repeat.size()) - 1) * power_of_ten(frac.size());
  return "\\frac{" + std::to_string(with_repeat - without_repeat) + "}{" + std::to_string(den) +
         "}";
}

// Rewrites repeating decimals as fractions: "0.\overline{6}", "1.2\overline{3}",
// "0.\dot{6}" and "0.666\ldots" (the last digit repeats) become "\frac{N}{D}".
void rewrite_repeating_decimals(std::string& s) {
  for (std::string_view mark : {"\\overline", "\\dot"}) {
    for (size_t at = s.find(mark); at != std::string::npos; at = s.find(mark, at + 1)) {
      size_t after = at + mark.size();
      if (after < s.size() && is_alpha(s[after])) continue;  // "\dots"
      size_t frac_begin = at;
      while (frac_begin > 0 && is_digit(s[frac_begin - 1])) --frac_begin;
      if (frac_begin == 0 || s[frac_begin - 1] != '.') continue;
      size_t whole_begin = frac_begin - 1;
      while (whole_begin > 0 && is_digit(s[whole_begin - 1])) --whole_begin;
      while (after < s.size() && is_space(s[after])) ++after;
      std::string_view repeat;
      size_t end = after;
      if (after < s.size() && s[after] == '{') {
        size_t close = matching_brace(s, after);
        if (close == std::string::npos) continue;
        repeat = trim(std::string_view(s).substr(after + 1, close - after - 1));
        end = close + 1;
      } else if (after < s.size() && is_digit(s[after])) {
        repeat = std::string_view(s).substr(after, 1);
        end = after + 1;
      }
      if (repeat.empty() || !std::all_of(repeat.begin(), repeat.end(), is_digit)) continue;
      std::string_view view(s);
      auto fraction = repeating_fraction(view.substr(whole_begin, frac_begin - 1 - whole_begin),
                                         view.substr(frac_begin, at - frac_begin), repeat);
      if (!fraction) continue;
      s.replace(whole_begin, end - whole_begin, *fraction);
      at = whole_begin;
    }
  }
  // "0.666\ldots" at the end of the answer: the repeated last digit goes on forever.
  std::string_view v = trim(s);
  for (std::string_view mark : {"\\ldots", "\\cdots", "\\dots", "..."}) {
    if (!ends_with(v, mark)) continue;
    std::string_view number = trim(v.substr(0, v.size() - mark.size()));
    size_t frac_begin = number.size();
    while (frac_begin > 0 && is_digit(number[frac_begin - 1])) --frac_begin;
    std::string_view frac = number.substr(frac_begin);
    if (frac.size() < 2 || frac_begin == 0 || number[frac_begin - 1] != '.' ||
        frac.back() != frac[frac.size() - 2]) {
      return;
    }
    size_t whole_begin = frac_begin - 1;
    while (whole_begin > 0 && is_digit(number[whole_begin - 1])) --whole_begin;
    size_t fixed = frac.size();
    while (fixed > 0 && frac[fixed - 1] == frac.back()) --fixed;
    auto fraction = repeating_fraction(number.substr(whole_begin, frac_begin - 1 - whole_begin),
                                       frac.substr(0, fixed), frac.substr(frac.size() - 1));
    if (fraction) s = std::string(number.substr(0, whole_begin)) + *fraction;
    return;
  }
}

// Drops a unit written as text after a number: "9.8\,\mathrm{m/s^2}", "20\text{ km/h}".
void strip_unit_command(std::string& s) {
  std::string_view v = trim(s);
  // A power of the unit after it: "8\mathrm{~m}^{2}".
  for (std::string_view power : {"^{2}", "^{3}", "^2", "^3"}) {
    if (ends_with(v, power) && v.size() > power.size() && v[v.size() - power.size() - 1] == '}') {
      v.remove_suffix(power.size());
      break;
    }
  }
  if (v.empty() || v.back() != '}') return;
  for (std::string_view command : {"\\mathrm{", "\\text{", "\\textrm{", "\\mbox{"}) {
    size_t at = v.rfind(command);
    if (at == std::string_view::npos) continue;
    size_t open = at + command.size() - 1;
    if (matching_brace(v, open) != v.size() - 1) continue;
    std::string_view unit = trim(v.substr(open + 1, v.size() - open - 2));
    bool letter = false;
    for (char c : unit) {
      if (is_alpha(c)) {
        letter = true;
      } else if (!is_digit(c) &&
                 std::string_view("/^{}.-~ \\").find(c) == std::string_view::npos) {
        return;
      }
    }
    if (!letter || unit == "i" || unit == "e") return;
    // Words that join or bound the value are no unit: "7 \text{ or more}", "\text{ at least}".
    for (size_t w = 0; w < unit.size();) {
      size_t end = w;
      while (end < unit.size() && is_alpha(unit[end])) ++end;
      std::string word = ascii::lowercase(unit.substr(w, end - w));
      for (std::string_view bound : {"or", "and", "more", "less", "least", "most", "fewer",
                                     "than", "at", "over", "under", "about", "not", "only",
                                     "approximately", "roughly", "nearly", "almost"}) {
        if (word == bound) return;
      }
      w = end == w ? w + 1 : end;
    }
    std::string_view before = v.substr(0, at);
    for (bool changed = true; changed;) {  // spacing between the number and its unit
      changed = false;
      before = trim(before);
      for (std::string_view space : {"\\,", "\\ ", "\\;", "\\!", "\\quad", "~"}) {
        if (ends_with(before, space)) {
          before.remove_suffix(space.size());
          changed = true;
        }
      }
    }
    if (before.empty() ||
        (!is_digit(before.back()) && before.back() != '}' && !ends_with(before, "\\pi"))) {
      return;
    }
    s = std::string(before);
    return;
  }
}

// Drops a currency sign or code before a number: "€15", "Rs. 15", "USD 15" ("\$" is
// dropped everywhere later).
void strip_currency(std::string& s) {
  std::string_view v = trim(s);
  for (std::string_view sign : {"\u20ac", "\u00a3", "\u00a5", "\u20b9", "\\euro", "\\pounds",
                                "Rs.", "Rs", "USD", "EUR"}) {
    if (!starts_with(v, sign)) continue;
    std::string_view rest = trim(v.substr(sign.size()));
    if (!rest.empty() && (is_digit(rest[0]) || (rest[0] == '-' && rest.size() > 1))) {
      s = std::string(rest);
    }
    return;
  }
}

// "\emptyset" for the ways of writing an empty set: "\{\}", "none", "no solution"...
bool is_empty_set(std::string_view s) {
  if (s == "\\{\\}") return true;
  if (s.size() > 48) return false;
  std::string letters;
  for (char c : s) {
    if (is_alpha(c)) {
      letters += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c != ' ' && c != '\\' && c != '.') {  // "\{\emptyset\}" is not empty
      return false;
    }
  }
  static constexpr std::string_view kEmpty[] = {
      "emptyset",          "none",
      "nosolution",        "nosolutions",
      "norealsolution",    "norealsolutions",
      "thereisnosolution", "therearenosolutions",
      "therearenorealsolutions", "thereisnorealsolution",
      "noroots",           "norealroots",
      "therearenorealroots", "therearenoroots"};
  if (std::find(std::begin(kEmpty), std::end(kEmpty), letters) != std::end(kEmpty)) return true;
  // "No such x exists", "There is no such number".
  for (std::string_view prefix : {"nosuch", "thereisnosuch", "therearenosuch"}) {
    if (starts_with(letters, prefix) && letters.size() - prefix.size() <= 14) return true;
  }
  return false;
}

}  // namespace

std::vector<size_t> top_level_positions(std::string_view s, std::string_view token) {
  std::vector<size_t> hits;
  if (token.empty() || s.find(token) == std::string_view::npos) return hits;
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '{' || s[i + 1] == '}')) {
      depth += s[i + 1] == '{' ? 1 : -1;
      ++i;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (depth == 0 && s.substr(i, token.size()) == token) {
      // A command token must not be the prefix of a longer command ("\le" in "\left").
      size_t after = i + token.size();
      if (token[0] == '\\' && is_alpha(token.back()) && after < s.size() && is_alpha(s[after])) {
        continue;
      }
      hits.push_back(i);
      i += token.size() - 1;  // "\\\\\frac": the row break, not a second "\\"
    }
  }
  return hits;
}

size_t matching_brace(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == '{') ++depth;
    if (s[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

std::vector<std::string_view> split_top_level(std::string_view s, std::string_view token) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t at : top_level_positions(s, token)) {
    out.push_back(trim(s.substr(start, at - start)));
    start = at + token.size();
  }
  out.push_back(trim(s.substr(start)));
  return out;
}

size_t matching_paren(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

std::string normalize_answer(std::string_view latex, bool strip_variable) {
  std::string s(latex);
  repair_control_escapes(s);
  s.assign(trim(s));
  // Math delimiters around the whole answer.
  for (bool changed = true; changed;) {
    changed = false;
    std::string_view v = trim(s);
    for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"$$", "$$"},
                               {"$", "$"},
                               {"\\(", "\\)"},
                               {"\\[", "\\]"}}) {
      if (v.size() >= open.size() + close.size() && starts_with(v, open) && ends_with(v, close)) {
        s = std::string(v.substr(open.size(), v.size() - open.size() - close.size()));
        changed = true;
        break;
      }
    }
    // A box around the whole answer, so that what ends the answer ends it: "\boxed{25^\circ C}".
    if (!changed && starts_with(v, "\\boxed{") && matching_brace(v, 6) == v.size() - 1) {
      s = std::string(v.substr(7, v.size() - 8));
      changed = true;
    }
  }
  // Delimiters inside: "\(\boxed{1}\) and \(\boxed{-2}\)" (not "\\[2pt]", a row break).
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != '\\') continue;
    if (std::string_view("()[]").find(s[i + 1]) != std::string_view::npos) {
      s.erase(i, 2);
      --i;
    } else {
      ++i;  // an escaped character or the first letter of a command
    }
  }
  plain_math_to_latex(s);
  rewrite_degrees_minutes(s);
  trig_degrees_to_radians(s);
  rewrite_counting_notation(s);
  replace_unicode(s);
  if (s.find("\\overline") != std::string::npos || s.find("dot") != std::string::npos ||
      s.find("...") != std::string::npos) {
    rewrite_repeating_decimals(s);
  }
  // "\mathrm{~km} / \mathrm{h}" is one unit, "\mathrm{~km/h}".
  for (std::string_view joint : {"}/\\mathrm{", "} / \\mathrm{", "}/\\text{", "} / \\text{"}) {
    replace_all(s, joint, "/");
  }
  strip_unit_command(s);
  strip_currency(s);
  // "1{.}5": a decimal point in braces.
  for (size_t pos = s.find("{.}"); pos != std::string::npos; pos = s.find("{.}", pos)) {
    if (pos > 0 && is_digit(s[pos - 1]) && pos + 3 < s.size() && is_digit(s[pos + 3])) {
      s.replace(pos, 3, ".");
    } else {
      pos += 3;
    }
  }
  // "14{,}916" is a thousands separator.
  for (size_t pos = s.find("{,}"); pos != std::string::npos; pos = s.find("{,}", pos + 1)) {
    if (pos > 0 && is_digit(s[pos - 1]) && pos + 6 <= s.size() && is_digit(s[pos + 3]) &&
        is_digit(s[pos + 4]) && is_digit(s[pos + 5]) &&
        (pos + 6 == s.size() || !is_digit(s[pos + 6]))) {
      s.erase(pos, 3);
    }
  }
  // "10,\!080" and "11,\! 111" are thousands separators: drop the comma with the \!.
  for (size_t pos = s.find(",\\!"); pos != std::string::npos; pos = s.find(",\\!", pos)) {
    size_t after = pos + 3;
    while (after < s.size() && s[after] == ' ') ++after;
    bool digits_follow = after + 2 < s.size() && is_digit(s[after]) && is_digit(s[after + 1]) &&
                         is_digit(s[after + 2]);
    if (pos > 0 && is_digit(s[pos - 1]) && digits_follow) {
      s.erase(pos, after - pos);
    } else {
      pos += 3;
    }
  }
  s = rewrite_commands(s);
  unwrap_plain_groups(s);
  separate_spaced_numbers(s);
  semicolons_to_commas(s);
  remove_empty_superscripts(s);
  replace_all(s, "\\$", "");
  s.erase(std::remove(s.begin(), s.end(), '$'), s.end());
  drop_answer_lead(s);
  drop_group_labels(s);
  if (!rewrite_infinity_words(s)) rewrite_number_words(s);
  drop_approx_trailer(s);
  drop_qualifiers(s);
  rewrite_matrix_lists(s);
  rewrite_piecewise(s);
  rewrite_system(s);
  rewrite_assignment_groups(s);
  if (starts_with(trim(s), "\\{")) {
    rewrite_set_builder(s);
    drop_qualifiers(s);  // "\{x \mid x = k\pi, k \in \mathbb{Z}\}"
  }
  rewrite_chain_less_point(s);
  expand_pm_in_tuple(s);
  rewrite_set_difference(s);
  words_to_commas(s);
  if (ends_with(trim(s), "percent")) s = std::string(trim(s).substr(0, trim(s).size() - 7)) + "%";
  replace_all(s, "sq. ", "sq ");  // "24 sq. cm"
  // Trailing punctuation and units, repeatedly ("15 cm^2.", "5 square units").
  for (bool changed = true; changed;) {
    changed = false;
    std::string_view v = trim(s);
    // A trailing "\" is what is left of a spacing "\ " at the end.
    if (!v.empty() && (v.back() == '.' || v.back() == ',' || v.back() == ';' ||
                       (v.back() == '\\' && (v.size() < 2 || v[v.size() - 2] != '\\')))) {
      v.remove_suffix(1);
      changed = true;
    }
    // A unit or a word in parentheses: "12 (\text{units})" -> "12".
    if (v.size() > 4 && v.back() == ')') {
      size_t open = v.rfind('(');
      std::string_view word = open == std::string_view::npos ? std::string_view()
                                                              : v.substr(open + 1, v.size() - open - 2);
      if (open > 0 && word.size() >= 2 &&
          std::all_of(word.begin(), word.end(), [](char c) { return is_alpha(c) || c == ' '; }) &&
          !trim(v.substr(0, open)).empty()) {
        v = trim(v.substr(0, open));
        changed = true;
      }
    }
    s.assign(v);
    if (strip_trailing_unit(s) || strip_trailing_ordinal(s) || strip_trailing_cjk_unit(s)) {
      changed = true;
    }
  }
  if (is_thousands_number(trim(s))) s.erase(std::remove(s.begin(), s.end(), ','), s.end());
  // Leading "x =" in the whole answer and in each element of a top-level list.
  std::vector<std::string_view> parts = split_top_level(s, ",");
  std::string joined;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) joined += ',';
    std::string part =
        strip_variable ? strip_variable_prefix(parts[i]) : std::string(trim(parts[i]));
    // A set named before its set-builder ("A \cup B = \{x \mid x < 9\}") is read again as
    // the set, which the rewrites above turn into its interval.
    if (starts_with(part, "\\{") && part.size() < trim(parts[i]).size()) {
      part = normalize_answer(part, strip_variable);
    }
    joined += part;
  }
  std::string out = compact_spaces(joined);
  rewrite_ratio(out);
  if (ends_with(out, "+c") && out.size() > 2) out.back() = 'C';  // a constant of integration
  // Redundant parentheses around a whole tuple: "((1,2))".
  while (out.size() > 4 && starts_with(out, "((") && ends_with(out, "))") &&
         matching_paren(out, 0) == out.size() - 1) {
    out = out.substr(1, out.size() - 2);
  }
  // Bare braces around a list are a set: "{1, 2}" (a group "{5}" stays a group).
  if (out.size() > 2 && out[0] == '{' && matching_brace(out, 0) == out.size() - 1 &&
      !top_level_positions(std::string_view(out).substr(1, out.size() - 2), ",").empty()) {
    out = "\\{" + out.substr(1, out.size() - 2) + "\\}";
  }
  // Brackets around a whole matrix: "\left[\begin{array}{cc}1&2\\3&4\end{array}\right]".
  if (out.size() > 2 && (starts_with(out, "(\\begin{") || starts_with(out, "[\\begin{")) &&
      (out.back() == ')' || out.back() == ']') && ends_with(out.substr(0, out.size() - 1), "}") &&
      out.rfind("\\end{") != std::string::npos &&
      top_level_positions(std::string_view(out).substr(1, out.size() - 2), ",").empty()) {
    std::string_view inner = std::string_view(out).substr(1, out.size() - 2);
    if (starts_with(inner, "\\begin{") && inner.find("\\begin{", 1) == std::string_view::npos) {
      out = std::string(inner);
    }
  }
  if (is_empty_set(out)) return "\\emptyset";
  rewrite_real_line(out);
  rewrite_number_sets(out);
  if (out.size() == 3 && out[0] == '(' && out[2] == ')' && out[1] >= 'A' && out[1] <= 'Z') {
    out = std::string(1, out[1]);
  }
  return out;
}

}  // namespace s1
