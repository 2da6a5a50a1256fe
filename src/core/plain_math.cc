#include "core/plain_math.h"

#include <string_view>
#include <vector>

#include "core/ascii.h"

namespace s1 {
namespace {

using ascii::ends_with;
using ascii::is_alpha;
using ascii::is_digit;
using ascii::is_space;
using ascii::starts_with;
using ascii::trim;

// "**73**", "__73__", "*73*" around the whole answer, once or nested.
void drop_markdown_emphasis(std::string& s) {
  std::string_view t = trim(s);
  if (t.empty() || (t.front() != '*' && t.front() != '_')) return;
  for (bool changed = true; changed;) {
    changed = false;
    std::string_view v = trim(s);
    for (std::string_view mark : {"**", "__", "*"}) {
      if (v.size() <= 2 * mark.size() || !starts_with(v, mark) || !ends_with(v, mark)) continue;
      std::string_view inner = v.substr(mark.size(), v.size() - 2 * mark.size());
      // Emphasis hugs its text ("** 2" is a power), and "2*3*4" is a product.
      if (is_space(inner.front()) || is_space(inner.back()) ||
          inner.find(mark[0]) != std::string_view::npos) {
        continue;
      }
      s.assign(inner);
      changed = true;
      break;
    }
  }
}

// Index of the ')' closing each '(' of `s` (npos for the other characters and for a '('
// that never closes), in one pass.
std::vector<size_t> closing_parens(std::string_view s) {
  std::vector<size_t> close(s.size(), std::string_view::npos);
  std::vector<size_t> open;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(') {
      open.push_back(i);
    } else if (s[i] == ')' && !open.empty()) {
      close[open.back()] = i;
      open.pop_back();
    }
  }
  return close;
}

// The LaTeX command for a function name written in plain text, or "" when `word` is none.
std::string_view function_command(std::string_view word) {
  static constexpr std::string_view kSame[] = {
      "sin",  "cos",  "tan",  "cot",    "sec",    "csc",    "sinh", "cosh",
      "tanh", "ln",   "log",  "arcsin", "arccos", "arctan", "lg"};
  for (std::string_view name : kSame) {
    if (word == name) return name;
  }
  if (word == "asin") return "arcsin";
  if (word == "acos") return "arccos";
  if (word == "atan") return "arctan";
  return {};
}

// Functions written with parentheses that become a bracket of their own: "sqrt(x)" ->
// "\sqrt{x}", "abs(x)" -> "|x|".
struct Bracketed {
  std::string_view name, open;
  char close;
};
constexpr Bracketed kBracketed[] = {
    {"sqrt", "\\sqrt{", '}'}, {"cbrt", "\\sqrt[3]{", '}'}, {"exp", "e^{", '}'}, {"abs", "|", '|'}};

const Bracketed* bracketed(std::string_view word) {
  for (const Bracketed& b : kBracketed) {
    if (b.name == word) return &b;
  }
  return nullptr;
}

bool is_infinity_word(std::string_view word) {
  return word == "inf" || word == "infty" || word == "infinity" || word == "Infinity" ||
         word == "oo";
}

// The last character of `out` that is not a space, or '\0'.
char last_visible(std::string_view out) {
  std::string_view v = trim(out);
  return v.empty() ? '\0' : v.back();
}

// The first character of `s` from `from` on that is not a space, or '\0'.
char next_visible(std::string_view s, size_t from) {
  while (from < s.size() && is_space(s[from])) ++from;
  return from < s.size() ? s[from] : '\0';
}

// Whether `out` ends with a variable: one letter (spaces after it allowed) that is no part
// of a word or a command name.
bool ends_with_variable(std::string_view out) {
  std::string_view v = trim(out);
  if (v.empty() || !is_alpha(v.back())) return false;
  return v.size() == 1 || (!is_alpha(v[v.size() - 2]) && v[v.size() - 2] != '\\');
}

// Whether `s` holds anything plain_math_to_latex() rewrites: a word it knows outside a
// command name, "*", "+-" or "!=". Most answers hold none.
bool has_plain_math(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      while (i + 1 < s.size() && is_alpha(s[i + 1])) ++i;
      continue;
    }
    if (c == '*' ||
        (i + 1 < s.size() && ((c == '+' && s[i + 1] == '-') || (c == '!' && s[i + 1] == '=')))) {
      return true;
    }
    if (!is_alpha(c)) continue;
    size_t j = i;
    while (j < s.size() && is_alpha(s[j])) ++j;
    std::string_view word = s.substr(i, j - i);
    if (word.size() == 1) {  // a variable, or the "U" of a union
      if (word == "U") return true;
      continue;
    }
    if (bracketed(word) != nullptr || word == "pi" || word == "in" || is_infinity_word(word) ||
        !function_command(word).empty()) {
      return true;
    }
    i = j - 1;
  }
  return false;
}

}  // namespace

void plain_math_to_latex(std::string& s) {
  drop_markdown_emphasis(s);
  if (!has_plain_math(s)) return;
  const std::vector<size_t> close = closing_parens(s);
  // What a ')' becomes when its '(' opened a function rewritten with braces or bars.
  std::vector<char> closer(s.size(), '\0');
  std::string out;
  out.reserve(s.size() + 16);
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\\') {  // a command, copied with its name
      size_t j = i + 1;
      while (j < s.size() && is_alpha(s[j])) ++j;
      if (j == i + 1 && j < s.size()) ++j;
      out.append(s, i, j - i);
      i = j;
      continue;
    }
    if (c == ')' && closer[i] != '\0') {
      out += closer[i];
      ++i;
      continue;
    }
    if (c == '*' && i + 1 < s.size() && s[i + 1] == '*') {
      out += '^';
      i += 2;
      size_t j = i;
      if (j < s.size() && s[j] == '-') ++j;
      while (j < s.size() && is_digit(s[j])) ++j;
      if (j > i + 1 && is_digit(s[j - 1])) {
        out += '{';
        out.append(s, i, j - i);
        out += '}';
        i = j;
      }
      continue;
    }
    if (c == '+' && i + 1 < s.size() && s[i + 1] == '-') {
      out += "\\pm ";
      i += 2;
      continue;
    }
    // "x != 3", but not "3!=6" (a factorial).
    if (c == '!' && i + 1 < s.size() && s[i + 1] == '=' &&
        (i == 0 || (!is_digit(s[i - 1]) && s[i - 1] != ')'))) {
      out += "\\ne ";
      i += 2;
      continue;
    }
    if (!is_alpha(c)) {
      out += c;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && is_alpha(s[j])) ++j;
    std::string_view word(s.data() + i, j - i);
    char next = j < s.size() ? s[j] : '\0';
    bool opens = next == '(' && close[j] != std::string_view::npos;
    if (const Bracketed* b = bracketed(word); opens && b != nullptr) {
      out += b->open;
      closer[close[j]] = b->close;
      i = j + 1;
      continue;
    }
    if (std::string_view command = function_command(word); !command.empty()) {
      size_t digits_end = j;
      while (digits_end < s.size() && is_digit(s[digits_end])) ++digits_end;
      if (word == "log" && digits_end > j && digits_end < s.size() && s[digits_end] == '(') {
        out += "\\log_{";  // "log2(8)"
        out.append(s, j, digits_end - j);
        out += '}';
        i = digits_end;
        continue;
      }
      bool before_number = next == ' ' && (word == "ln" || word == "log" || word == "lg") &&
                           is_digit(next_visible(s, j));
      if (opens || before_number) {
        out += '\\';
        out += command;
        i = j;
        continue;
      }
    }
    if (word == "pi" || is_infinity_word(word)) {
      out += word == "pi" ? "\\pi" : "\\infty";
      if (is_alpha(next)) out += ' ';
      i = j;
      continue;
    }
    if (word == "U" && last_visible(out) != '\0' &&
        std::string_view(")]}").find(last_visible(out)) != std::string_view::npos) {
      char after = next_visible(s, j);
      if (after == '(' || after == '[' || after == '\\') {
        out += "\\cup";
        i = j;
        continue;
      }
    }
    if (word == "in" && ends_with_variable(out)) {
      char after = next_visible(s, j);
      if (after == '(' || after == '[' || after == '\\') {
        out += "\\in";
        i = j;
        continue;
      }
    }
    out += word;
    i = j;
  }
  s.swap(out);
}

}  // namespace s1
