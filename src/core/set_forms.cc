#include "core/set_forms.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/answer_names.h"
#include "core/ascii.h"
#include "core/latex_forms.h"
#include "core/latex_normalize.h"

namespace s1 {
namespace {

using ascii::ends_with;
using ascii::is_alpha;
using ascii::starts_with;
using ascii::trim;

// The terms and operators of a chain of "<", ">", "\le", "\ge" at top level of `s`.
struct Chain {
  std::vector<std::string_view> terms;
  std::vector<std::string_view> ops;
};

Chain read_chain(std::string_view s) {
  Chain c;
  size_t start = 0, depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (ch == '(' || ch == '[' || ch == '{') ++depth;
    if ((ch == ')' || ch == ']' || ch == '}') && depth > 0) --depth;
    if (depth != 0) continue;
    std::string_view op;
    if (ch == '<' || ch == '>') {
      op = s.substr(i, 1);
    } else if (starts_with(s.substr(i), "\\le") || starts_with(s.substr(i), "\\ge")) {
      if (i + 3 < s.size() && is_alpha(s[i + 3])) continue;  // "\left"
      op = s.substr(i, 3);
    } else {
      continue;
    }
    c.terms.push_back(trim(s.substr(start, i - start)));
    c.ops.push_back(op);
    start = i + op.size();
    i = start - 1;
  }
  c.terms.push_back(trim(s.substr(start)));
  return c;
}

bool is_less(std::string_view op) { return op == "<" || op == "\\le"; }

// "\mathbb{R}" written any way (after the command rewrite, so "\mathbbR" too).
bool is_real_line(std::string_view s) {
  return s == "\\mathbb{R}" || s == "\\mathbb R" || s == "\\mathbbR" || s == "R" || s == "\\R";
}

// The chain `c` (on the variable `x`) with the point `p` removed: "1 \le x < 5" without 3
// is "1 \le x < 3 or 3 < x < 5"; "x > 1" without 2 is "1 < x < 2 or x > 2". Empty when the
// chain has another shape.
std::string chain_without_point(const Chain& c, std::string_view x, std::string_view p) {
  std::string point(p), var(x);
  std::string low, low_op, high, high_op;  // low low_op x high_op high
  if (c.terms.size() == 3 && c.terms[1] == x && is_less(c.ops[0]) == is_less(c.ops[1])) {
    bool less = is_less(c.ops[0]);
    low = std::string(less ? c.terms[0] : c.terms[2]);
    high = std::string(less ? c.terms[2] : c.terms[0]);
    auto flip = [](std::string_view op) { return std::string(op == ">" ? "<" : "\\le"); };
    low_op = less ? std::string(c.ops[0]) : flip(c.ops[1]);
    high_op = less ? std::string(c.ops[1]) : flip(c.ops[0]);
  } else if (c.terms.size() == 2 && (c.terms[0] == x || c.terms[1] == x)) {
    bool x_first = c.terms[0] == x;
    std::string bound(x_first ? c.terms[1] : c.terms[0]);
    bool x_below = is_less(c.ops[0]) == x_first;
    std::string op = c.ops[0] == "<" || c.ops[0] == ">" ? "<" : "\\le";
    if (x_below) {
      high = bound, high_op = op;
    } else {
      low = bound, low_op = op;
    }
  } else {
    return {};
  }
  std::string left = (low.empty() ? "" : low + " " + low_op + " ") + var + " < " + point;
  std::string right = point + " < " + var + (high.empty() ? "" : " " + high_op + " " + high);
  return left + " or " + right;
}

// The equations of a system "\begin{cases} x = 1 \\ y = 2 \end{cases}" (also "\{" with
// "array", "aligned"...) as "x = 1, y = 2"; empty when `v` is no such system.
std::string system_as_list(std::string_view v) {
  v = trim(v);
  if (starts_with(v, "\\{")) v = trim(v.substr(2));  // "\left\{" with "\left" gone
  while (!v.empty() && (v.back() == '.' || ends_with(v, "\\}"))) {
    v.remove_suffix(v.back() == '.' ? 1 : 2);
    v = trim(v);
  }
  std::string_view body;
  for (std::string_view env : {"cases", "array", "aligned", "align*", "gathered"}) {
    std::string begin = "\\begin{" + std::string(env) + "}";
    std::string end = "\\end{" + std::string(env) + "}";
    if (!starts_with(v, begin) || !ends_with(v, end)) continue;
    body = v.substr(begin.size(), v.size() - begin.size() - end.size());
    if (env == "array" && starts_with(body, "{")) {  // the column spec
      size_t close = matching_brace(body, 0);
      if (close == std::string_view::npos) return {};
      body = body.substr(close + 1);
    }
    break;
  }
  // One environment: not "\begin{cases}...\end{cases} or \begin{cases}...".
  if (body.empty() || body.find("\\end{") != std::string_view::npos) return {};
  std::string out;
  size_t start = 0;
  std::vector<size_t> breaks = top_level_positions(body, "\\\\");
  breaks.push_back(body.size());
  for (size_t at : breaks) {
    std::string row(trim(body.substr(start, at - start)));
    start = at + 2;
    row.erase(std::remove(row.begin(), row.end(), '&'), row.end());
    if (trim(row).empty()) continue;
    // An equation per row; a condition ("x > 0", "if") makes it a piecewise function.
    if (row.find('=') == std::string::npos || row.find_first_of("<>,") != std::string::npos ||
        row.find("\\le") != std::string::npos || row.find("\\ge") != std::string::npos ||
        row.find("if") != std::string::npos) {
      return {};
    }
    out += (out.empty() ? "" : ", ") + std::string(trim(row));
  }
  return out;
}

}  // namespace

namespace {

// A piece's condition without its wording: "if x > 0", "(x > 0)", "\quad x > 0",
// "for n \geq 2, n \in \mathbb{N}" -> "x > 0", "n \geq 2".
std::string piece_condition(std::string_view c) {
  for (bool changed = true; changed;) {
    changed = false;
    c = trim(c);
    for (std::string_view lead : {",", "\\quad", "\\qquad", "if ", "when ", "for ", "where "}) {
      if (starts_with(c, lead)) c.remove_prefix(lead.size()), changed = true;
    }
    if (c.size() > 2 && c.front() == '(' && matching_paren(c, 0) == c.size() - 1) {
      c = c.substr(1, c.size() - 2);
      changed = true;
    }
  }
  std::vector<std::string_view> parts = split_top_level(c, ",");
  // A last part that only says where the letter lives: "n \in \mathbb{N}^*".
  if (parts.size() > 1 && parts.back().find("\\in") != std::string_view::npos &&
      parts.back().find("\\mathbb") != std::string_view::npos) {
    parts.pop_back();
  }
  std::string out;
  for (std::string_view part : parts) out += (out.empty() ? "" : ",") + std::string(part);
  return out;
}

}  // namespace

void rewrite_piecewise(std::string& s) {
  size_t begin = s.find("\\begin{cases}");
  if (begin == std::string::npos) return;
  size_t body_begin = begin + 13;
  size_t end = s.find("\\end{cases}", body_begin);
  if (end == std::string::npos || s.find("\\begin{", body_begin) != std::string::npos ||
      !trim(std::string_view(s).substr(end + 11)).empty()) {
    return;
  }
  std::string_view body = std::string_view(s).substr(body_begin, end - body_begin);
  std::string pieces;
  size_t start = 0;
  std::vector<size_t> breaks = top_level_positions(body, "\\\\");
  breaks.push_back(body.size());
  for (size_t at : breaks) {
    std::string_view row = trim(body.substr(start, at - start));
    start = at + 2;
    if (row.empty()) continue;
    // "value & condition", else "value, condition" or "value \quad condition".
    std::string_view value, condition;
    std::vector<size_t> cut = top_level_positions(row, "&");
    size_t cut_size = 1;
    if (cut.empty()) cut = top_level_positions(row, ",");
    if (cut.empty()) cut = top_level_positions(row, "\\quad"), cut_size = 5;
    if (cut.empty()) return;
    value = trim(row.substr(0, cut[0]));
    condition = row.substr(cut[0] + cut_size);
    while (!value.empty() && value.back() == ',') value = trim(value.substr(0, value.size() - 1));
    std::string c = piece_condition(condition);
    if (value.empty() || c.empty() || (!has_relation(c) && c != "otherwise" && c != "else")) return;
    pieces += (pieces.empty() ? "" : ",") + ("(" + std::string(value) + "," + c + ")");
  }
  if (pieces.empty()) return;
  // The name the function is given ("a_n =", "f(x) =") is no part of its value.
  std::string_view before = trim(std::string_view(s).substr(0, begin));
  if (ends_with(before, "=")) {
    std::string_view name = trim(before.substr(0, before.size() - 1));
    if (!name.empty() && leading_name(name).size() == name.size()) before = {};
  }
  s = std::string(before) + "\\{" + pieces + "\\}";
}

void rewrite_system(std::string& s) {
  if (s.find("\\begin{") == std::string::npos) return;
  if (std::string list = system_as_list(s); !list.empty()) s = list;
}

void rewrite_assignment_groups(std::string& s) {
  if (s.find('=') == std::string::npos) return;
  std::vector<std::string_view> groups = split_top_level(s, " or ");
  if (groups.size() == 1) groups = split_top_level(s, ";");
  if (groups.size() < 2 || groups.size() > 16) return;
  std::vector<std::string> names;
  std::string tuples;
  for (std::string_view written : groups) {
    std::string group(written);
    if (std::string list = system_as_list(group); !list.empty()) group = list;
    std::vector<std::string> group_names, values;
    for (std::string_view item : split_top_level(group, ",")) {
      std::string_view name = leading_name(item);
      std::string_view rest = trim(item.substr(name.size()));
      if (name.empty() || !starts_with(rest, "=")) return;
      std::string_view value = trim(rest.substr(1));
      if (value.empty() || has_relation(value)) return;
      group_names.emplace_back(name);
      values.emplace_back(value);
    }
    if (group_names.size() < 2 || (!names.empty() && group_names != names)) return;
    names = group_names;
    std::string tuple;
    for (const std::string& v : values) tuple += (tuple.empty() ? "(" : ",") + v;
    tuples += (tuples.empty() ? "" : ",") + tuple + ")";
  }
  s = std::move(tuples);
}

void rewrite_chain_less_point(std::string& s) {
  if (s.find("\\ne") == std::string::npos) return;
  std::vector<size_t> at = top_level_positions(s, ",");
  size_t size = 1;
  if (at.empty()) at = top_level_positions(s, " and "), size = 5;
  if (at.size() != 1) return;
  std::string_view first = trim(std::string_view(s).substr(0, at[0]));
  std::string_view second = trim(std::string_view(s).substr(at[0] + size));
  for (int swap = 0; swap < 2; ++swap, std::swap(first, second)) {
    std::vector<size_t> ne = top_level_positions(second, "\\ne");
    if (ne.size() != 1) continue;
    std::string_view x = trim(second.substr(0, ne[0]));
    std::string_view point = trim(second.substr(ne[0] + 3));
    if (x.size() != 1 || !is_alpha(x[0]) || point.empty() || has_relation(point)) continue;
    std::string rewritten = chain_without_point(read_chain(first), x, point);
    if (!rewritten.empty()) s = rewritten;
    return;
  }
}

void rewrite_set_builder(std::string& s) {
  std::string_view v = trim(s);
  if (!starts_with(v, "\\{") || !ends_with(v, "\\}")) return;
  // A union of set-builder sets: "\{x \mid x \le -1\} \cup \{x \mid x \ge 3\}".
  if (std::vector<std::string_view> parts = split_top_level(v, "\\cup"); parts.size() > 1) {
    std::string joined;
    for (std::string_view part : parts) {
      std::string one(part);
      rewrite_set_builder(one);
      if (one == part) return;  // not a set-builder set
      joined += (joined.empty() ? "" : " or ") + one;
    }
    s = joined;
    return;
  }
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
    if (!is_real_line(set)) return;
  }
  // A condition that only says the letter is real: "x \in \mathbb{R}, x \ne 0".
  std::string kept;
  for (std::string_view part : split_top_level(condition, ",")) {
    std::vector<size_t> in = top_level_positions(part, "\\in");
    if (in.size() == 1 && trim(part.substr(0, in[0])) == head.substr(0, 1) &&
        is_real_line(trim(part.substr(in[0] + 3)))) {
      continue;
    }
    kept += (kept.empty() ? "" : ", ") + std::string(part);
  }
  s = kept.empty() ? "(-\\infty,\\infty)" : kept;
  rewrite_chain_less_point(s);
}

void rewrite_set_difference(std::string& s) {
  if (s.find("\\{") == std::string::npos) return;  // no point is taken away
  std::vector<size_t> at = top_level_positions(s, "\\setminus");
  size_t size = 9;  // the length of "\setminus"
  if (at.empty()) at = top_level_positions(s, "-"), size = 1;
  if (at.size() != 1) return;
  std::string_view whole = trim(std::string_view(s).substr(0, at[0]));
  std::string_view removed = trim(std::string_view(s).substr(at[0] + size));
  if (!starts_with(removed, "\\{") || !ends_with(removed, "\\}")) return;
  std::string_view point = trim(removed.substr(2, removed.size() - 4));
  if (point.empty() || !top_level_positions(point, ",").empty() || has_relation(point)) return;
  if (is_real_line(whole)) {
    s = "x \\ne " + std::string(point);
    return;
  }
  if (whole.size() < 5 || (whole[0] != '(' && whole[0] != '[') ||
      (whole.back() != ')' && whole.back() != ']')) {
    return;
  }
  std::vector<std::string_view> ends = split_top_level(whole.substr(1, whole.size() - 2), ",");
  if (ends.size() != 2 || ends[0].empty() || ends[1].empty()) return;
  std::string_view low = ends[0], high = ends[1];
  std::string p(point);
  s = std::string(1, whole[0]) + std::string(low) + "," + p + ")\\cup(" + p + "," +
      std::string(high) + whole.back();
}

void rewrite_real_line(std::string& s) {
  static constexpr std::string_view kWords[] = {
      "all real numbers", "all reals",       "every real number",           "any real number",
      "real numbers",     "all real x",      "the set of all real numbers", "x is any real number"};
  std::string_view v = trim(s);
  if (v.size() > 28 || (v.find("real") == v.npos && v.find("\\R") == v.npos &&
                        v.find("\\mathbb") == v.npos)) {
    return;
  }
  std::string lower = ascii::lowercase(v);
  // "R" alone is a letter, not the real line.
  if ((v != "R" && is_real_line(v)) ||
      std::find(std::begin(kWords), std::end(kWords), lower) != std::end(kWords)) {
    s = "(-\\infty,\\infty)";
  }
}

void expand_pm_in_tuple(std::string& s) {
  std::string_view v = trim(s);
  if (v.size() < 5 || v.front() != '(' || v.back() != ')' || v.find("\\pm") == v.npos) return;
  if (matching_paren(v, 0) != v.size() - 1) return;  // "(a, b), (c, d)"
  std::vector<std::string_view> items = split_top_level(v.substr(1, v.size() - 2), ",");
  if (items.size() < 2) return;
  size_t signed_item = items.size();
  for (size_t i = 0; i < items.size(); ++i) {
    if (starts_with(items[i], "\\pm") && (items[i].size() == 3 || !is_alpha(items[i][3]))) {
      if (signed_item != items.size()) return;  // two signs: which go together?
      signed_item = i;
    } else if (items[i].find("\\pm") != std::string_view::npos) {
      return;
    }
  }
  if (signed_item == items.size()) return;
  std::string magnitude(trim(items[signed_item].substr(3)));
  std::string out;
  for (std::string_view sign : {"", "-"}) {
    std::string tuple;
    for (size_t i = 0; i < items.size(); ++i) {
      tuple += i ? "," : "(";
      tuple += i == signed_item ? std::string(sign) + "(" + magnitude + ")" : std::string(items[i]);
    }
    out += (out.empty() ? "" : ",") + tuple + ")";
  }
  s = out;
}

void rewrite_number_sets(std::string& s) {
  if (s.size() > 40 || s.size() < 7 ||
      (s.find("mathbb") == std::string::npos && s.find("ers") == std::string::npos)) {
    return;  // "\mathbb{N}^*", "integers", "numbers"
  }
  static constexpr std::pair<std::string_view, std::string_view> kSets[] = {
      {"allintegers", "\\mathbb{Z}"},
      {"integers", "\\mathbb{Z}"},
      {"theintegers", "\\mathbb{Z}"},
      {"everyinteger", "\\mathbb{Z}"},
      {"allpositiveintegers", "\\mathbb{Z}^+"},
      {"positiveintegers", "\\mathbb{Z}^+"},
      {"everypositiveinteger", "\\mathbb{Z}^+"},
      {"\\mathbb{N}^*", "\\mathbb{Z}^+"},
      {"\\mathbb{N}^{*}", "\\mathbb{Z}^+"},
      {"\\mathbb{N}_+", "\\mathbb{Z}^+"},
      {"\\mathbb{N}_{+}", "\\mathbb{Z}^+"},
      {"\\mathbb{N}^+", "\\mathbb{Z}^+"},
      {"\\mathbb{N}^{+}", "\\mathbb{Z}^+"},
      {"\\mathbb{Z}^{+}", "\\mathbb{Z}^+"},
      {"\\mathbb{Z}_+", "\\mathbb{Z}^+"},
      {"\\mathbb{Z}_{+}", "\\mathbb{Z}^+"},
      {"\\mathbb{Z}_{>0}", "\\mathbb{Z}^+"},
      {"allrationalnumbers", "\\mathbb{Q}"},
      {"rationalnumbers", "\\mathbb{Q}"},
      {"allcomplexnumbers", "\\mathbb{C}"},
      {"complexnumbers", "\\mathbb{C}"},
  };
  std::string lower = ascii::lowercase(s);  // without spaces: "all integers"
  lower.erase(std::remove(lower.begin(), lower.end(), ' '), lower.end());
  for (auto [from, to] : kSets) {
    if (s == from || (from[0] != '\\' && lower == from)) {
      s = to;
      return;
    }
  }
}

}  // namespace s1
