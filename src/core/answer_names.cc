#include "core/answer_names.h"

#include <algorithm>
#include <vector>

#include "core/ascii.h"
#include "core/latex_forms.h"
#include "core/latex_normalize.h"

namespace s1 {
namespace {

using ascii::is_alpha;
using ascii::is_digit;
using ascii::is_space;
using ascii::is_upper;
using ascii::starts_with;
using ascii::trim;

// The variable name at the start of `s` ("x", "y_1", "x_{12}", "\theta"), or empty.
std::string_view leading_variable(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '\\') {
    ++i;
    while (i < s.size() && is_alpha(s[i])) ++i;
    if (!is_greek_letter(s.substr(1, i - 1))) return {};
  } else if (i < s.size() && is_alpha(s[i])) {
    ++i;
  } else {
    return {};
  }
  if (i < s.size() && s[i] == '_') {
    ++i;
    if (i < s.size() && s[i] == '{') {
      size_t close = matching_brace(s, i);
      if (close == std::string_view::npos) return {};
      i = close + 1;
    } else if (i < s.size() && (is_alpha(s[i]) || is_digit(s[i]))) {
      ++i;
    } else {
      return {};
    }
  }
  return s.substr(0, i);
}

// True when `var` occurs in `s` as a symbol (not inside a command name).
bool uses_variable(std::string_view s, std::string_view var) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      size_t j = i + 1;
      while (j < s.size() && is_alpha(s[j])) ++j;
      if (var[0] == '\\' && s.substr(i, j - i) == var.substr(0, j - i) && j - i == var.size()) {
        return true;
      }
      i = j - 1;
      continue;
    }
    if (s.substr(i, var.size()) == var) return true;
  }
  return false;
}

// The variables of a leading "(x, y)", or empty.
std::vector<std::string_view> leading_variable_tuple(std::string_view v, size_t& length) {
  std::vector<std::string_view> vars;
  if (v.empty() || v[0] != '(') return vars;
  size_t close = v.find(')');
  if (close == std::string_view::npos) return vars;
  std::string_view inside = v.substr(1, close - 1);
  size_t start = 0;
  for (size_t comma = 0; comma != std::string_view::npos; start = comma + 1) {
    comma = inside.find(',', start);
    std::string_view name = trim(inside.substr(start, comma - start));
    if (name.empty() || leading_variable(name) != name) return {};
    vars.push_back(name);
  }
  if (vars.size() < 2) return {};
  length = close + 1;
  return vars;
}

// What may follow a function's name before its argument: a derivative "f'(x)",
// "f^{\prime}(x)" or an inverse "f^{-1}(x)".
constexpr std::string_view kFunctionMarks[] = {"'", "^{\\prime}", "^\\prime", "^{-1}"};

// Whether `v` holds \le, \leq, \ge, \geq, \leqslant or \geqslant as a whole command
// (not the start of \left or \geometry).
bool has_inequality_command(std::string_view v) {
  for (size_t at = v.find('\\'); at != std::string_view::npos; at = v.find('\\', at + 1)) {
    size_t end = at + 1;
    while (end < v.size() && is_alpha(v[end])) ++end;
    const std::string_view name = v.substr(at + 1, end - at - 1);
    if (name == "le" || name == "leq" || name == "ge" || name == "geq" || name == "leqslant" ||
        name == "geqslant") {
      return true;
    }
  }
  return false;
}

// The body of a function definition "f(x) = x + 1", "\Phi(x, y) = x + y" (a named function),
// or empty.
std::string_view function_body(std::string_view v) {
  std::string_view name = leading_variable(v);
  if (name.empty()) return {};
  size_t at = name.size();
  for (std::string_view mark : kFunctionMarks) {
    if (starts_with(v.substr(at), mark)) {
      at += mark.size();
      break;
    }
  }
  while (at < v.size() && is_space(v[at])) ++at;  // "\Phi (x, y)"
  if (at >= v.size() || v[at] != '(') return {};
  std::string_view rest = v.substr(at + 1);
  size_t close = rest.find(')');
  if (close == std::string_view::npos) return {};
  // One variable or several: "f(x)", "\Phi(x, y)".
  std::string_view vars = rest.substr(0, close);
  for (size_t start = 0, comma = 0; comma != std::string_view::npos; start = comma + 1) {
    comma = vars.find(',', start);
    std::string_view var = trim(vars.substr(start, comma - start));
    if (var.empty() || leading_variable(var) != var) return {};
  }
  rest = trim(rest.substr(close + 1));
  if (!starts_with(rest, "=")) return {};
  std::string_view body = trim(rest.substr(1));
  if (body.find('=') != std::string_view::npos || body.find('<') != std::string_view::npos ||
      body.find('>') != std::string_view::npos || has_inequality_command(body)) {
    return {};
  }
  return body;
}

// The end of a name that starts at `i` of `s` (see leading_name()), or 0.
size_t name_end(std::string_view s, size_t i, int depth = 0) {
  if (depth > 3 || i >= s.size()) return 0;
  auto command = [&s, i](std::string_view c) {  // "\sin" but not "\sinh"
    return starts_with(s.substr(i), c) &&
           (i + c.size() == s.size() || !is_alpha(s[i + c.size()]));
  };
  auto skip_spaces = [&s](size_t j) {
    while (j < s.size() && is_space(s[j])) ++j;
    return j;
  };
  // The end of a run of 1 to 3 capital letters at j, also spaced ("A P D").
  auto points = [&s](size_t j) {
    size_t k = j, letters = 0;
    while (k < s.size() && letters < 4 && is_upper(s[k])) {
      ++k, ++letters;
      if (k + 1 < s.size() && s[k] == ' ' && is_upper(s[k + 1]) &&
          (k + 2 == s.size() || !is_alpha(s[k + 2]))) {
        ++k;  // "A P": one space between single capitals
      }
    }
    return letters > 0 && letters <= 3 && (k == s.size() || !is_alpha(s[k])) ? k : 0;
  };
  // "|AB|", "|\vec{a}|": a length.
  if (s[i] == '|') {
    size_t end = name_end(s, i + 1, depth + 1);
    return end && end < s.size() && s[end] == '|' ? end + 1 : 0;
  }
  // "[ABC]", "[ABCD]": the area of a figure named by its three or four vertices.
  if (s[i] == '[') {
    size_t end = i + 1;
    while (end < s.size() && is_upper(s[end])) ++end;
    return end - i - 1 >= 3 && end - i - 1 <= 4 && end < s.size() && s[end] == ']' ? end + 1 : 0;
  }
  for (std::string_view angle : {"\\angle", "m\\angle", "\\measuredangle"}) {
    if (command(angle)) return points(skip_spaces(i + angle.size()));
  }
  // "\vec{a}", "\overrightarrow{AB}", "\overline{AB}": letters under an accent.
  for (std::string_view accent : {"\\vec", "\\overrightarrow", "\\overline", "\\mathbf", "\\bar",
                                  "\\boldsymbol", "\\hat"}) {
    if (!command(accent)) continue;
    size_t open = skip_spaces(i + accent.size());
    if (open < s.size() && is_alpha(s[open])) return open + 1;  // "\vec a"
    if (open >= s.size() || s[open] != '{') return 0;
    size_t close = matching_brace(s, open);
    if (close == std::string_view::npos || close == open + 1) return 0;
    std::string_view inside = s.substr(open + 1, close - open - 1);
    return std::all_of(inside.begin(), inside.end(), is_alpha) ? close + 1 : 0;
  }
  // "\sin A", "\cos\alpha": a function of a name.
  for (std::string_view f : {"\\sin", "\\cos", "\\tan", "\\cot", "\\sec", "\\csc"}) {
    if (command(f)) return name_end(s, skip_spaces(i + f.size()), depth + 1);
  }
  // "\max", "\min f(x)", "\lim_{x \to 0} f(x)": an extreme or a limit, of a name or alone.
  for (std::string_view extreme : {"\\max", "\\min", "\\lim"}) {
    if (!command(extreme)) continue;
    size_t bare = i + extreme.size();  // the end of "\lim_{x \to 0}" alone
    if (starts_with(s.substr(skip_spaces(bare)), "_{")) {
      size_t sub = matching_brace(s, skip_spaces(bare) + 1);
      if (sub == std::string_view::npos) return 0;
      bare = sub + 1;
    }
    size_t after = skip_spaces(bare);
    size_t end = after < s.size() && s[after] != '=' ? name_end(s, after, depth + 1) : 0;
    return end ? end : bare;
  }
  // "A \cup B", "A \cap B": a set built from named sets.
  if (size_t end = points(i); end > i) {
    size_t after = skip_spaces(end);
    for (std::string_view op : {"\\cup", "\\cap"}) {
      if (!starts_with(s.substr(after), op)) continue;
      if (size_t other = points(skip_spaces(after + op.size())); other) return other;
    }
  }
  if (size_t end = points(i); end >= i + 2) return end;
  // "E[X]", "\mathbb{E}[X]": an expectation (or a variance, a probability).
  for (std::string_view e : {"\\mathbb{E}", "\\mathbb{P}", "E", "P", "D", "V"}) {
    size_t open = i + e.size();
    if (starts_with(s.substr(i), e) && open < s.size() && s[open] == '[') {
      size_t close = s.find(']', open);
      return close == std::string_view::npos ? 0 : close + 1;
    }
  }
  size_t end = i + leading_variable(s.substr(i)).size();
  if (end == i) return 0;
  // "f'(x)", "y'", "f^{\prime}(x)", "f^{-1}(x)": a derivative or an inverse.
  for (bool marked = true; marked;) {
    marked = false;
    for (std::string_view mark : kFunctionMarks) {
      if (starts_with(s.substr(end), mark)) {
        end += mark.size();
        marked = true;
      }
    }
  }
  // "f(2)", "f(x)": a function at an argument; then "_{\max}" may follow.
  if (end < s.size() && s[end] == '(') {
    size_t close = s.find(')', end);
    if (close == std::string_view::npos) return 0;
    end = close + 1;
    if (starts_with(s.substr(end), "_{")) {
      size_t sub = matching_brace(s, end + 1);
      if (sub == std::string_view::npos) return 0;
      end = sub + 1;
    }
  }
  return end;
}

}  // namespace

std::string_view leading_name(std::string_view s) {
  return s.substr(0, name_end(s, 0));
}

// "x = 5" -> "5", "x \in [1,2]" -> "[1,2]", "(x, y) = (1, 2)" -> "(1, 2)", a chain
// "x = y = 5" -> "5", a function "f(x) = x + 1" -> "x + 1"; other strings unchanged.
std::string strip_variable_prefix(std::string_view part) {
  std::string_view v = trim(part);
  if (std::string_view body = function_body(v); !body.empty()) return std::string(body);
  // "P(2, 3)": a named point is its coordinates.
  if (v.size() > 5 && is_upper(v[0]) && v[1] == '(' && v.back() == ')' &&
      matching_paren(v, 1) == v.size() - 1 &&
      !top_level_positions(v.substr(2, v.size() - 3), ",").empty()) {
    return std::string(v.substr(1));
  }
  std::string_view var = leading_name(v);
  // "C: x^2 + y^2 = 1", "\ell: y = 2x + 1": a curve named before its equation.
  if (!var.empty()) {
    std::string_view rest = trim(v.substr(var.size()));
    if (starts_with(rest, ":") && rest.find('=') != std::string_view::npos &&
        rest.find(':', 1) == std::string_view::npos) {  // not the ratio "V_1:V_2 = 11:21"
      return strip_variable_prefix(rest.substr(1));
    }
  }
  size_t length = var.size();
  std::vector<std::string_view> vars = {var};
  if (var.empty()) vars = leading_variable_tuple(v, length);
  if (vars.empty()) return std::string(v);
  std::string_view rest = trim(v.substr(length));
  std::string_view rhs;
  if (starts_with(rest, "=")) {
    rhs = trim(rest.substr(1));
    // A chain of variables: "x = y = z = 5".
    for (std::string_view next = leading_name(rhs); !next.empty(); next = leading_name(rhs)) {
      std::string_view after = trim(rhs.substr(next.size()));
      if (!starts_with(after, "=")) break;
      vars.push_back(next);
      rhs = trim(after.substr(1));
    }
  } else if (starts_with(rest, "\\in") && (rest.size() == 3 || !is_alpha(rest[3]))) {
    rhs = trim(rest.substr(3));
  } else {
    return std::string(v);
  }
  for (std::string_view name : vars) {
    if (uses_variable(rhs, name)) return std::string(v);
    // "f(2) = f(3) + 1" relates two values of f.
    if (size_t paren = name.find('('); paren != std::string_view::npos &&
        rhs.find(name.substr(0, paren + 1)) != std::string_view::npos) {
      return std::string(v);
    }
    // "AB = CD" and "\angle A = \angle B" relate two named quantities: no value.
    if (leading_variable(name) != name && free_letters(rhs).find_first_of(
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) {
      return std::string(v);
    }
  }
  // A set-builder set holds its condition: "A \cup B = \{x \mid -1 \le x < 9\}".
  bool set = starts_with(rhs, "\\{") && ascii::ends_with(rhs, "\\}");
  bool relation =
      rhs.find('=') != std::string_view::npos || rhs.find("\\le") != std::string_view::npos ||
      rhs.find("\\ge") != std::string_view::npos || rhs.find('<') != std::string_view::npos ||
      rhs.find('>') != std::string_view::npos;
  if (rhs.empty() || (relation && !set)) {
    return std::string(v);
  }
  return std::string(rhs);
}

}  // namespace s1
