#include "core/math_parse.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "core/latex_normalize.h"

namespace s1 {
namespace {

constexpr int kMaxDepth = 64;  // nesting of structures, to bound recursion

std::vector<std::string_view> split_at(std::string_view s, const std::vector<size_t>& at,
                                       size_t token_size) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t p : at) {
    parts.push_back(s.substr(start, p - start));
    start = p + token_size;
  }
  parts.push_back(s.substr(start));
  return parts;
}

MathAnswer parse_structure(std::string_view s, WorkBudget& budget, int depth);

MathAnswer make_expr_answer(Expr e) {
  MathAnswer a;
  a.kind = AnswerKind::kExpr;
  a.expr = std::move(e);
  return a;
}

// If `s` is wholly enclosed in one bracket pair, returns the kinds and the inside.
bool enclosed(std::string_view s, std::string_view& open, std::string_view& close,
              std::string_view& inside) {
  if (s.size() < 2) return false;
  size_t open_len = 0;
  if (s[0] == '(' || s[0] == '[') {
    open_len = 1;
  } else if (s.substr(0, 2) == "\\{") {
    open_len = 2;
  } else {
    return false;
  }
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    size_t len = 1;
    bool opens = c == '(' || c == '[' || c == '{';
    bool closes = c == ')' || c == ']' || c == '}';
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '{' || s[i + 1] == '}')) {
      opens = s[i + 1] == '{';
      closes = !opens;
      len = 2;
    }
    if (opens) ++depth;
    if (closes && --depth == 0) {
      if (i + len != s.size()) return false;
      open = s.substr(0, open_len);
      close = s.substr(i, len);
      inside = s.substr(open_len, i - open_len);
      return true;
    }
    i += len - 1;
  }
  return false;
}

bool is_word(std::string_view s) {
  size_t letters = 0;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      ++letters;
    } else if (c != ' ') {
      return false;
    }
  }
  if (letters < 3) return false;
  // Function applications like "\cot x" never reach here (they contain '\').
  return true;
}

const std::pair<std::string_view, std::string_view> kRelations[] = {
    {"\\le", "\\le"}, {"\\ge", "\\ge"}, {"\\ne", "\\ne"}, {"<=", "\\le"},
    {">=", "\\ge"},   {"=", "="},       {"<", "<"},       {">", ">"},
};

// Splits "a < b \le c" into sides and operators; false when there is no relation.
bool split_relations(std::string_view s, std::vector<std::string_view>& sides,
                     std::vector<std::string>& ops) {
  std::vector<std::pair<size_t, size_t>> hits;  // position, index into kRelations
  for (size_t r = 0; r < sizeof(kRelations) / sizeof(kRelations[0]); ++r) {
    for (size_t p : top_level_positions(s, kRelations[r].first)) {
      bool overlaps = false;
      for (auto& [q, rq] : hits) {
        size_t qlen = kRelations[rq].first.size();
        if (p < q + qlen && q < p + kRelations[r].first.size()) overlaps = true;
      }
      if (!overlaps) hits.emplace_back(p, r);
    }
  }
  if (hits.empty()) return false;
  std::sort(hits.begin(), hits.end());
  size_t start = 0;
  for (auto& [p, r] : hits) {
    sides.push_back(trim_spaces(s.substr(start, p - start)));
    ops.emplace_back(kRelations[r].second);
    start = p + kRelations[r].first.size();
  }
  sides.push_back(trim_spaces(s.substr(start)));
  return true;
}

Expr infinity(bool negative) {
  Expr inf = make_expr(ExprKind::kConstant, "infty");
  return negative ? make_expr(ExprKind::kNeg, {}, {std::move(inf)}) : inf;
}

// "x < 5" -> (-\infty, 5); "-2 \le x < 7" -> [-2, 7). Relations are already '<'/'\le'.
bool relation_to_interval(const MathAnswer& rel, MathAnswer& interval) {
  auto is_variable = [](const MathAnswer& a) {
    return a.kind == AnswerKind::kExpr && a.expr.kind == ExprKind::kSymbol;
  };
  auto strict = [](const std::string& op) { return op == "<"; };
  auto ordering = [](const std::string& op) { return op == "<" || op == "\\le"; };
  for (const std::string& op : rel.relations) {
    if (!ordering(op)) return false;
  }
  for (const MathAnswer& side : rel.items) {
    if (side.kind != AnswerKind::kExpr) return false;
  }
  interval = MathAnswer{};
  interval.kind = AnswerKind::kTuple;
  MathAnswer low, high;
  if (rel.items.size() == 2 && is_variable(rel.items[0]) && !is_variable(rel.items[1])) {
    low = make_expr_answer(infinity(true));
    high = rel.items[1];
    interval.open = '(';
    interval.close = strict(rel.relations[0]) ? ')' : ']';
  } else if (rel.items.size() == 2 && is_variable(rel.items[1]) && !is_variable(rel.items[0])) {
    low = rel.items[0];
    high = make_expr_answer(infinity(false));
    interval.open = strict(rel.relations[0]) ? '(' : '[';
    interval.close = ')';
  } else if (rel.items.size() == 3 && is_variable(rel.items[1]) && !is_variable(rel.items[0]) &&
             !is_variable(rel.items[2])) {
    low = rel.items[0];
    high = rel.items[2];
    interval.open = strict(rel.relations[0]) ? '(' : '[';
    interval.close = strict(rel.relations[1]) ? ')' : ']';
  } else {
    return false;
  }
  interval.items.push_back(std::move(low));
  interval.items.push_back(std::move(high));
  return true;
}

// "x \ne 1" -> (-\infty, 1) \cup (1, \infty), the set it describes.
bool relation_to_union(const MathAnswer& rel, MathAnswer& both) {
  if (rel.relations.size() != 1 || rel.relations[0] != "\\ne") return false;
  const MathAnswer& var = rel.items[0];
  const MathAnswer& point = rel.items[1];
  if (var.kind != AnswerKind::kExpr || var.expr.kind != ExprKind::kSymbol ||
      point.kind != AnswerKind::kExpr || point.expr.kind == ExprKind::kSymbol) {
    return false;
  }
  both = MathAnswer{};
  both.kind = AnswerKind::kUnion;
  for (int side = 0; side < 2; ++side) {
    MathAnswer interval;
    interval.kind = AnswerKind::kTuple;
    interval.open = '(';
    interval.close = ')';
    interval.items.push_back(side == 0 ? make_expr_answer(infinity(true)) : point);
    interval.items.push_back(side == 0 ? point : make_expr_answer(infinity(false)));
    both.items.push_back(std::move(interval));
  }
  return true;
}

// Whether `e` is a constant that cannot be negative: numbers, \pi and e joined by sums,
// products, quotients, powers and roots (no minus sign anywhere).
bool is_nonnegative_constant(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kNumber:
      return true;
    case ExprKind::kConstant:
      return e.text == "pi" || e.text == "e";
    case ExprKind::kAdd:
    case ExprKind::kMul:
    case ExprKind::kDiv:
    case ExprKind::kPow:
    case ExprKind::kRoot:
      return std::all_of(e.args.begin(), e.args.end(), is_nonnegative_constant);
    default:
      return false;
  }
}

// Whether `e` holds no variable.
bool is_constant(const Expr& e) {
  if (e.kind == ExprKind::kSymbol) return false;
  if (e.kind == ExprKind::kConstant && e.text == "infty") return false;
  return std::all_of(e.args.begin(), e.args.end(), is_constant);
}

// An absolute value of a variable less a constant, "|x|", "|x - 1|", "|x + 2|": sets
// `center` (0, 1, -2) and returns true.
bool centered_abs(const Expr& e, Expr& center) {
  if (e.kind != ExprKind::kFunction || e.text != "abs" || e.args.size() != 1) return false;
  const Expr& u = e.args[0];
  if (u.kind == ExprKind::kSymbol) {
    center = make_expr(ExprKind::kNumber, "0");
    return true;
  }
  if (u.kind != ExprKind::kAdd || u.args.size() != 2) return false;
  for (int v = 0; v < 2; ++v) {
    const Expr& other = u.args[1 - v];
    if (u.args[v].kind == ExprKind::kSymbol && is_constant(other)) {
      center = make_expr(ExprKind::kNeg, {}, {other});
      return true;
    }
  }
  return false;
}

// "|x - c| < r" -> (c - r, c + r); "r < |x - c|" -> (-\infty, c - r) \cup (c + r, \infty);
// "a < |x - c| < b" -> (c - b, c - a) \cup (c + a, c + b), for bounds that cannot be
// negative. Relations are already '<'/'\le'.
bool abs_relation_to_set(const MathAnswer& rel, MathAnswer& set) {
  for (const std::string& op : rel.relations) {
    if (op != "<" && op != "\\le") return false;
  }
  for (const MathAnswer& side : rel.items) {
    if (side.kind != AnswerKind::kExpr) return false;
  }
  auto plus = [](const Expr& a, const Expr& b) { return make_expr(ExprKind::kAdd, {}, {a, b}); };
  auto minus = [](const Expr& a, const Expr& b) {
    return make_expr(ExprKind::kAdd, {}, {a, make_expr(ExprKind::kNeg, {}, {b})});
  };
  auto interval = [](Expr low, Expr high, bool open_low, bool open_high) {
    MathAnswer t;
    t.kind = AnswerKind::kTuple;
    t.open = open_low ? '(' : '[';
    t.close = open_high ? ')' : ']';
    t.items.push_back(make_expr_answer(std::move(low)));
    t.items.push_back(make_expr_answer(std::move(high)));
    return t;
  };
  auto both = [&](MathAnswer left, MathAnswer right) {
    MathAnswer u;
    u.kind = AnswerKind::kUnion;
    u.items.push_back(std::move(left));
    u.items.push_back(std::move(right));
    return u;
  };
  Expr c;
  const std::vector<MathAnswer>& it = rel.items;
  if (it.size() == 2 && centered_abs(it[0].expr, c) && is_nonnegative_constant(it[1].expr)) {
    bool open = rel.relations[0] == "<";
    set = interval(minus(c, it[1].expr), plus(c, it[1].expr), open, open);
    return true;
  }
  if (it.size() == 2 && centered_abs(it[1].expr, c) && is_nonnegative_constant(it[0].expr)) {
    bool open = rel.relations[0] == "<";
    set = both(interval(infinity(true), minus(c, it[0].expr), true, open),
               interval(plus(c, it[0].expr), infinity(false), open, true));
    return true;
  }
  if (it.size() == 3 && centered_abs(it[1].expr, c) && is_nonnegative_constant(it[0].expr) &&
      is_nonnegative_constant(it[2].expr)) {
    bool open_low = rel.relations[0] == "<", open_high = rel.relations[1] == "<";
    set = both(interval(minus(c, it[2].expr), minus(c, it[0].expr), open_high, open_low),
               interval(plus(c, it[0].expr), plus(c, it[2].expr), open_low, open_high));
    return true;
  }
  return false;
}

MathAnswer parse_relation(std::vector<std::string_view>& sides, std::vector<std::string>& ops,
                          WorkBudget& budget, int depth) {
  // Write every ordering with '<' / '\le': "a > b > c" is "c < b < a".
  bool greater = false, less = false;
  for (const std::string& op : ops) {
    if (op == ">" || op == "\\ge") greater = true;
    if (op == "<" || op == "\\le") less = true;
  }
  if (greater && less) throw std::invalid_argument("mixed inequality directions");
  if (greater) {
    std::reverse(sides.begin(), sides.end());
    std::reverse(ops.begin(), ops.end());
    for (std::string& op : ops) op = op == ">" ? "<" : op == "\\ge" ? "\\le" : op;
  }
  MathAnswer rel;
  rel.kind = AnswerKind::kRelation;
  for (std::string_view side : sides) {
    if (side.empty()) throw std::invalid_argument("empty side of a relation");
    rel.items.push_back(parse_structure(side, budget, depth + 1));
  }
  rel.relations = ops;
  // A \pm in an equation makes two: "x \pm 2y = 0" is "x + 2y = 0" and "x - 2y = 0".
  if (ops.size() == 1 && ops[0] == "=" &&
      (rel.items[0].kind == AnswerKind::kList || rel.items[1].kind == AnswerKind::kList)) {
    MathAnswer both;
    both.kind = AnswerKind::kList;
    for (size_t i = 0; i < 2; ++i) {
      MathAnswer one = rel;
      for (MathAnswer& side : one.items) {
        if (side.kind != AnswerKind::kList) continue;
        if (side.items.size() != 2) throw std::invalid_argument("a list in an equation");
        MathAnswer pick = std::move(side.items[i]);
        side = std::move(pick);
      }
      both.items.push_back(std::move(one));
    }
    return both;
  }
  MathAnswer interval;
  if (relation_to_interval(rel, interval) || relation_to_union(rel, interval) ||
      abs_relation_to_set(rel, interval)) {
    return interval;
  }
  return rel;
}

MathAnswer parse_matrix(std::string_view s, WorkBudget& budget, int depth) {
  static constexpr std::string_view kEnvs[] = {"pmatrix", "bmatrix",     "matrix", "vmatrix",
                                               "Bmatrix", "smallmatrix", "array"};
  for (std::string_view env : kEnvs) {
    std::string begin = "\\begin{" + std::string(env) + "}";
    std::string end = "\\end{" + std::string(env) + "}";
    if (s.size() < begin.size() + end.size() || s.substr(0, begin.size()) != begin ||
        s.substr(s.size() - end.size()) != end) {
      continue;
    }
    std::string_view body = s.substr(begin.size(), s.size() - begin.size() - end.size());
    if (env == "array" && !body.empty() && body.front() == '{') {  // column spec
      size_t close = matching_brace(body, 0);
      if (close == std::string_view::npos) throw std::invalid_argument("bad array");
      body = body.substr(close + 1);
    }
    MathAnswer m;
    m.kind = AnswerKind::kMatrix;
    std::vector<std::string_view> rows = split_at(body, top_level_positions(body, "\\\\"), 2);
    while (!rows.empty() && trim_spaces(rows.back()).empty()) rows.pop_back();
    for (std::string_view row : rows) {
      std::vector<std::string_view> cells = split_at(row, top_level_positions(row, "&"), 1);
      if (m.cols == 0) m.cols = cells.size();
      if (cells.size() != m.cols) throw std::invalid_argument("ragged matrix");
      for (std::string_view cell : cells) {
        m.items.push_back(parse_structure(trim_spaces(cell), budget, depth + 1));
      }
    }
    m.rows = rows.size();
    if (m.rows == 0) throw std::invalid_argument("empty matrix");
    return m;
  }
  throw std::invalid_argument("unknown environment");
}

MathAnswer parse_structure(std::string_view s, WorkBudget& budget, int depth) {
  if (depth > kMaxDepth) throw WorkBudgetExceeded("answer nested too deeply");
  budget.charge(1 + static_cast<int64_t>(s.size()) / 16);
  s = trim_spaces(s);
  if (s.empty()) throw std::invalid_argument("empty answer");
  MathAnswer result;
  if (s.back() == '%') {
    result = parse_structure(s.substr(0, s.size() - 1), budget, depth + 1);
    result.percent = true;
    return result;
  }
  if (is_word(s)) {
    result.kind = AnswerKind::kText;
    for (char c : s) result.text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return result;
  }
  auto collection = [&](AnswerKind kind, std::vector<std::string_view> parts) {
    MathAnswer c;
    c.kind = kind;
    for (std::string_view part : parts) c.items.push_back(parse_structure(part, budget, depth + 1));
    return c;
  };
  if (std::vector<size_t> at = top_level_positions(s, "\\cup"); !at.empty()) {
    return collection(AnswerKind::kUnion, split_at(s, at, 4));
  }
  if (std::vector<size_t> at = top_level_positions(s, ","); !at.empty()) {
    return collection(AnswerKind::kList, split_at(s, at, 1));
  }
  if (s.substr(0, 7) == "\\begin{") return parse_matrix(s, budget, depth);
  std::vector<std::string_view> sides;
  std::vector<std::string> ops;
  if (split_relations(s, sides, ops)) return parse_relation(sides, ops, budget, depth);
  std::string_view open, close, inside;
  if (enclosed(s, open, close, inside)) {
    bool has_comma = !top_level_positions(inside, ",").empty();
    if (open == "\\{") {
      if (close != "\\}") throw std::invalid_argument("unbalanced set braces");
      MathAnswer set = has_comma ? collection(AnswerKind::kList,
                                              split_at(inside, top_level_positions(inside, ","), 1))
                                 : collection(AnswerKind::kList, {inside});
      set.kind = AnswerKind::kSet;
      return set;
    }
    if (has_comma && (close == ")" || close == "]")) {
      MathAnswer tuple =
          collection(AnswerKind::kList, split_at(inside, top_level_positions(inside, ","), 1));
      tuple.kind = AnswerKind::kTuple;
      tuple.open = open[0];
      tuple.close = close[0];
      return tuple;
    }
  }
  // a \pm b: both values, in no order.
  for (std::string_view pm : {"\\pm", "\\mp"}) {
    std::vector<size_t> at = top_level_positions(s, pm);
    if (at.empty()) continue;
    std::string left(s.substr(0, at[0]));
    std::string right(s.substr(at[0] + pm.size()));
    if (trim_spaces(right).empty()) throw std::invalid_argument("dangling \\pm");
    // The sign binds the next term only: "\pm\frac{\pi}{3} + 2k\pi".
    std::string rest;
    size_t term_end = std::string::npos;
    for (std::string_view sign : {"+", "-"}) {
      for (size_t p : top_level_positions(right, sign)) {
        size_t q = p;
        while (q > 0 && right[q - 1] == ' ') --q;
        if (q == 0 || std::string_view("+-*/^_(,{").find(right[q - 1]) != std::string_view::npos) {
          continue;  // a sign of the term itself, or of an exponent
        }
        term_end = std::min(term_end, p);
        break;
      }
    }
    if (term_end != std::string::npos) {
      rest = right.substr(term_end);
      right.resize(term_end);
    }
    MathAnswer both;
    both.kind = AnswerKind::kList;
    both.items.push_back(parse_structure(left + "+(" + right + ")" + rest, budget, depth + 1));
    both.items.push_back(parse_structure(left + "-(" + right + ")" + rest, budget, depth + 1));
    return both;
  }
  return make_expr_answer(parse_expression(s, budget));
}

}  // namespace

MathAnswer parse_answer(std::string_view normalized, WorkBudget& budget) {
  return parse_structure(normalized, budget, 0);
}

}  // namespace s1
