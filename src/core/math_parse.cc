#include "core/math_parse.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "core/ascii.h"
#include "core/latex_normalize.h"

namespace s1 {
namespace {

constexpr int kMaxDepth = 64;             // nesting, to bound recursion
constexpr size_t kMaxNumberDigits = 400;  // digits in one literal

using ascii::is_alpha;
using ascii::is_digit;
using ascii::is_space;
using ascii::trim;

Expr make(ExprKind kind, std::string text = {}, std::vector<Expr> args = {}) {
  Expr e;
  e.kind = kind;
  e.text = std::move(text);
  e.args = std::move(args);
  return e;
}

Expr number(std::string digits) {
  return make(ExprKind::kNumber, std::move(digits));
}

[[noreturn]] void syntax_error(const std::string& what) {
  throw std::invalid_argument(what);
}

const char* const kFunctions[] = {"sin",  "cos",    "tan",    "cot",    "sec",
                                  "csc",  "arcsin", "arccos", "arctan", "sinh",
                                  "cosh", "tanh",   "ln",     "log",    "exp"};
// Commands that are operators or structure, never the start of an operand.
const char* const kNonOperands[] = {"cdot",   "times", "le",  "ge",  "ne",    "pm",
                                    "mp",     "cup",   "cap", "end", "begin", "right",
                                    "rfloor", "rceil", "to",  "in",  "approx"};

bool in_list(std::string_view name, const char* const* list, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (name == list[i]) return true;
  }
  return false;
}

class ExprParser {
 public:
  ExprParser(std::string_view s, WorkBudget& budget) : s_(s), budget_(budget) {}

  Expr parse_all() {
    Expr e = parse_sum();
    skip_spaces();
    if (pos_ != s_.size()) syntax_error("unexpected '" + std::string(1, s_[pos_]) + "'");
    return e;
  }

 private:
  struct DepthGuard {
    explicit DepthGuard(ExprParser& p) : p(p) {
      if (++p.depth_ > kMaxDepth) throw WorkBudgetExceeded("expression nested too deeply");
      p.budget_.charge();
    }
    ~DepthGuard() { --p.depth_; }
    ExprParser& p;
  };

  void skip_spaces() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }
  bool at_end() {
    skip_spaces();
    return pos_ >= s_.size();
  }
  char peek() {
    skip_spaces();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  // The command name at the cursor ("frac" for "\frac"), or empty.
  std::string_view peek_command() {
    skip_spaces();
    if (pos_ + 1 >= s_.size() || s_[pos_] != '\\' || !is_alpha(s_[pos_ + 1])) return {};
    size_t end = pos_ + 1;
    while (end < s_.size() && is_alpha(s_[end])) ++end;
    return s_.substr(pos_ + 1, end - pos_ - 1);
  }
  void expect(char c) {
    if (peek() != c) syntax_error(std::string("expected '") + c + "'");
    ++pos_;
  }

  Expr parse_sum() {
    DepthGuard guard(*this);
    std::vector<Expr> terms;
    terms.push_back(parse_product());
    for (;;) {
      char c = peek();
      if (c != '+' && c != '-') break;
      ++pos_;
      Expr term = parse_product();
      terms.push_back(c == '-' ? make(ExprKind::kNeg, {}, {std::move(term)}) : std::move(term));
    }
    if (terms.size() == 1) return std::move(terms.front());
    return make(ExprKind::kAdd, {}, std::move(terms));
  }

  bool starts_operand() {
    char c = peek();
    if (is_digit(c) || c == '.' || is_alpha(c) || c == '(' || c == '{') return true;
    if (c == '|') return abs_depth_ == 0;
    if (c == '\\') {
      std::string_view cmd = peek_command();
      return !cmd.empty() &&
             !in_list(cmd, kNonOperands, sizeof(kNonOperands) / sizeof(kNonOperands[0]));
    }
    return false;
  }

  Expr parse_product() {
    DepthGuard guard(*this);
    Expr first = parse_unary();
    std::vector<Expr> factors;
    factors.push_back(std::move(first));
    for (;;) {
      char c = peek();
      std::string_view cmd = peek_command();
      bool divide = false;
      if (c == '*' || cmd == "cdot" || cmd == "times") {
        pos_ += c == '*' ? 1 : cmd.size() + 1;
      } else if (c == '/') {
        ++pos_;
        divide = true;
      } else if (!starts_operand()) {
        break;
      }
      Expr next = parse_unary();
      if (divide) {
        Expr lhs = factors.size() == 1 ? std::move(factors.front())
                                       : make(ExprKind::kMul, {}, std::move(factors));
        factors.clear();
        factors.push_back(make(ExprKind::kDiv, {}, {std::move(lhs), std::move(next)}));
      } else {
        factors.push_back(std::move(next));
      }
    }
    if (factors.size() == 1) return std::move(factors.front());
    return make(ExprKind::kMul, {}, std::move(factors));
  }

  Expr parse_unary() {
    DepthGuard guard(*this);
    char c = peek();
    if (c == '-' || c == '+') {
      ++pos_;
      Expr operand = parse_unary();
      return c == '-' ? make(ExprKind::kNeg, {}, {std::move(operand)}) : operand;
    }
    return parse_power();
  }

  Expr parse_power() {
    DepthGuard guard(*this);
    Expr base = parse_postfix();
    if (peek() == '^') {
      ++pos_;
      Expr exponent = parse_script();
      // "x^2!" is rare; a factorial after a power applies to the power.
      Expr power = make(ExprKind::kPow, {}, {std::move(base), std::move(exponent)});
      while (peek() == '!') {
        ++pos_;
        power = make(ExprKind::kFactorial, {}, {std::move(power)});
      }
      return power;
    }
    return base;
  }

  Expr parse_postfix() {
    Expr e = parse_primary();
    while (peek() == '!') {
      ++pos_;
      e = make(ExprKind::kFactorial, {}, {std::move(e)});
    }
    return e;
  }

  // A superscript or a one-token LaTeX argument: "{...}", one digit, one letter, a command
  // ("\pi"), or a sign followed by one of those ("^-1").
  Expr parse_script() {
    DepthGuard guard(*this);
    char c = peek();
    if (c == '-' || c == '+') {
      ++pos_;
      Expr operand = parse_script();
      return c == '-' ? make(ExprKind::kNeg, {}, {std::move(operand)}) : operand;
    }
    return parse_argument();
  }

  Expr parse_argument() {
    char c = peek();
    if (c == '{') {
      ++pos_;
      Expr e = parse_sum();
      expect('}');
      return e;
    }
    if (is_digit(c)) {
      ++pos_;
      return number(std::string(1, c));
    }
    if (is_alpha(c)) return parse_letter();
    if (c == '\\') return parse_command();
    syntax_error("missing argument");
  }

  Expr parse_letter() {
    char c = s_[pos_++];
    std::string name(1, c);
    if (pos_ < s_.size() && s_[pos_] == '_') {  // x_1, a_{n}
      ++pos_;
      skip_spaces();
      if (pos_ < s_.size() && s_[pos_] == '{') {
        size_t close = matching_brace(s_, pos_);
        if (close == std::string_view::npos) syntax_error("unclosed subscript");
        name += "_" + std::string(trim(s_.substr(pos_ + 1, close - pos_ - 1)));
        pos_ = close + 1;
      } else if (pos_ < s_.size() && (is_alpha(s_[pos_]) || is_digit(s_[pos_]))) {
        name += "_" + std::string(1, s_[pos_++]);
      } else {
        syntax_error("bad subscript");
      }
      return make(ExprKind::kSymbol, std::move(name));
    }
    if (c == 'e' || c == 'i') return make(ExprKind::kConstant, name);
    return make(ExprKind::kSymbol, std::move(name));
  }

  // Digits with an optional fraction and exponent: "12", "0.5", ".5", "1.5e-3".
  Expr parse_number() {
    size_t start = pos_;
    while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '.' && pos_ + 1 < s_.size() && is_digit(s_[pos_ + 1])) {
      ++pos_;
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    } else if (pos_ < s_.size() && s_[pos_] == '.' && pos_ > start) {
      ++pos_;  // "5." is 5
    }
    std::string digits(s_.substr(start, pos_ - start));
    if (digits.size() > kMaxNumberDigits) throw WorkBudgetExceeded("number literal too long");
    if (digits.back() == '.') digits.pop_back();
    budget_.charge(static_cast<int64_t>(digits.size()));
    Expr value = number(std::move(digits));
    // Scientific notation "1.5e3" / "2E-4".
    if (pos_ + 1 < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      size_t k = pos_ + 1;
      bool negative = false;
      if (k < s_.size() && (s_[k] == '-' || s_[k] == '+')) negative = s_[k++] == '-';
      size_t exp_start = k;
      while (k < s_.size() && is_digit(s_[k])) ++k;
      if (k > exp_start && k - exp_start <= 6) {
        Expr exponent = number(std::string(s_.substr(exp_start, k - exp_start)));
        if (negative) exponent = make(ExprKind::kNeg, {}, {std::move(exponent)});
        pos_ = k;
        Expr power = make(ExprKind::kPow, {}, {number("10"), std::move(exponent)});
        value = make(ExprKind::kMul, {}, {std::move(value), std::move(power)});
      }
    }
    // A base subscript ("2516_8", "204_{5}") leaves the digits as they are.
    if (pos_ < s_.size() && s_[pos_] == '_') {
      ++pos_;
      if (pos_ < s_.size() && s_[pos_] == '{') {
        size_t close = matching_brace(s_, pos_);
        if (close == std::string_view::npos) syntax_error("unclosed subscript");
        pos_ = close + 1;
      } else if (pos_ < s_.size() && (is_digit(s_[pos_]) || is_alpha(s_[pos_]))) {
        ++pos_;
      }
    }
    return value;
  }

  static bool is_integer_literal(const Expr& e) {
    return e.kind == ExprKind::kNumber && e.text.find('.') == std::string::npos;
  }

  Expr parse_primary() {
    DepthGuard guard(*this);
    char c = peek();
    if (is_digit(c) || c == '.') {
      Expr value = parse_number();
      // A mixed number: "3\frac{1}{2}" is 3 + 1/2 when both parts are integers.
      if (is_integer_literal(value) && peek_command() == "frac") {
        size_t saved = pos_;
        Expr fraction = parse_command();
        if (fraction.kind == ExprKind::kDiv && is_integer_literal(fraction.args[0]) &&
            is_integer_literal(fraction.args[1])) {
          return make(ExprKind::kAdd, {}, {std::move(value), std::move(fraction)});
        }
        pos_ = saved;
      }
      return value;
    }
    if (is_alpha(c)) return parse_letter();
    if (c == '(' || c == '[' || c == '{') {
      ++pos_;
      Expr inner = parse_sum();
      expect(c == '(' ? ')' : c == '[' ? ']' : '}');
      return inner;
    }
    if (c == '|') {
      ++pos_;
      ++abs_depth_;
      Expr inner = parse_sum();
      --abs_depth_;
      expect('|');
      return make(ExprKind::kFunction, "abs", {std::move(inner)});
    }
    if (c == '\\') return parse_command();
    if (c == '\0') syntax_error("unexpected end of expression");
    syntax_error("unexpected '" + std::string(1, c) + "'");
  }

  Expr parse_command() {
    DepthGuard guard(*this);
    std::string name(peek_command());
    if (name.empty()) syntax_error("unexpected '\\'");
    pos_ += name.size() + 1;
    if (name == "frac") {
      Expr num = parse_argument();
      Expr den = parse_argument();
      return make(ExprKind::kDiv, {}, {std::move(num), std::move(den)});
    }
    if (name == "binom") {
      Expr n = parse_argument();
      Expr k = parse_argument();
      return make(ExprKind::kFunction, "binom", {std::move(n), std::move(k)});
    }
    if (name == "sqrt") {
      Expr index = number("2");
      if (peek() == '[') {
        ++pos_;
        index = parse_sum();
        expect(']');
      }
      Expr radicand = parse_argument();
      return make(ExprKind::kRoot, {}, {std::move(radicand), std::move(index)});
    }
    if (name == "pi" || name == "infty") return make(ExprKind::kConstant, name);
    if (name == "lfloor" || name == "lceil") {
      Expr inner = parse_sum();
      std::string_view close = peek_command();
      if (close != (name == "lfloor" ? "rfloor" : "rceil")) syntax_error("unclosed " + name);
      pos_ += close.size() + 1;
      return make(ExprKind::kFunction, name == "lfloor" ? "floor" : "ceil", {std::move(inner)});
    }
    if (in_list(name, kFunctions, sizeof(kFunctions) / sizeof(kFunctions[0]))) {
      return parse_function(name);
    }
    if (in_list(name, kNonOperands, sizeof(kNonOperands) / sizeof(kNonOperands[0]))) {
      syntax_error("unexpected \\" + name);
    }
    // Greek letters and other symbols.
    return make(ExprKind::kSymbol, "\\" + name);
  }

  // "\sin x", "\sin(2x)", "\sin^2 x", "\log_2 8".
  Expr parse_function(const std::string& name) {
    Expr power;
    bool has_power = false;
    Expr base;
    bool has_base = false;
    for (int i = 0; i < 2; ++i) {
      if (peek() == '^' && !has_power) {
        ++pos_;
        power = parse_script();
        has_power = true;
      } else if (peek() == '_' && !has_base && name == "log") {
        ++pos_;
        base = parse_script();
        has_base = true;
      }
    }
    Expr arg;
    if (peek() == '(') {
      ++pos_;
      arg = parse_sum();
      expect(')');
    } else {
      arg = parse_power();
    }
    std::vector<Expr> args;
    args.push_back(std::move(arg));
    if (has_base) args.push_back(std::move(base));
    Expr call = make(ExprKind::kFunction, name, std::move(args));
    if (has_power) call = make(ExprKind::kPow, {}, {std::move(call), std::move(power)});
    return call;
  }

  std::string_view s_;
  size_t pos_ = 0;
  int depth_ = 0;
  int abs_depth_ = 0;
  WorkBudget& budget_;
};

// ---- Structures ----

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
    if (is_alpha(c)) {
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
    sides.push_back(trim(s.substr(start, p - start)));
    ops.emplace_back(kRelations[r].second);
    start = p + kRelations[r].first.size();
  }
  sides.push_back(trim(s.substr(start)));
  return true;
}

Expr infinity(bool negative) {
  Expr inf = make(ExprKind::kConstant, "infty");
  return negative ? make(ExprKind::kNeg, {}, {std::move(inf)}) : inf;
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

MathAnswer parse_relation(std::vector<std::string_view>& sides, std::vector<std::string>& ops,
                          WorkBudget& budget, int depth) {
  // Write every ordering with '<' / '\le': "a > b > c" is "c < b < a".
  bool greater = false, less = false;
  for (const std::string& op : ops) {
    if (op == ">" || op == "\\ge") greater = true;
    if (op == "<" || op == "\\le") less = true;
  }
  if (greater && less) syntax_error("mixed inequality directions");
  if (greater) {
    std::reverse(sides.begin(), sides.end());
    std::reverse(ops.begin(), ops.end());
    for (std::string& op : ops) op = op == ">" ? "<" : op == "\\ge" ? "\\le" : op;
  }
  MathAnswer rel;
  rel.kind = AnswerKind::kRelation;
  for (std::string_view side : sides) {
    if (side.empty()) syntax_error("empty side of a relation");
    rel.items.push_back(parse_structure(side, budget, depth + 1));
  }
  rel.relations = ops;
  MathAnswer interval;
  if (relation_to_interval(rel, interval)) return interval;
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
      if (close == std::string_view::npos) syntax_error("bad array");
      body = body.substr(close + 1);
    }
    MathAnswer m;
    m.kind = AnswerKind::kMatrix;
    std::vector<std::string_view> rows = split_at(body, top_level_positions(body, "\\\\"), 2);
    while (!rows.empty() && trim(rows.back()).empty()) rows.pop_back();
    for (std::string_view row : rows) {
      std::vector<std::string_view> cells = split_at(row, top_level_positions(row, "&"), 1);
      if (m.cols == 0) m.cols = cells.size();
      if (cells.size() != m.cols) syntax_error("ragged matrix");
      for (std::string_view cell : cells) {
        m.items.push_back(parse_structure(trim(cell), budget, depth + 1));
      }
    }
    m.rows = rows.size();
    if (m.rows == 0) syntax_error("empty matrix");
    return m;
  }
  syntax_error("unknown environment");
}

MathAnswer parse_structure(std::string_view s, WorkBudget& budget, int depth) {
  if (depth > kMaxDepth) throw WorkBudgetExceeded("answer nested too deeply");
  budget.charge(1 + static_cast<int64_t>(s.size()) / 16);
  s = trim(s);
  if (s.empty()) syntax_error("empty answer");
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
      if (close != "\\}") syntax_error("unbalanced set braces");
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
    if (trim(right).empty()) syntax_error("dangling \\pm");
    MathAnswer both;
    both.kind = AnswerKind::kList;
    both.items.push_back(parse_structure(left + "+(" + right + ")", budget, depth + 1));
    both.items.push_back(parse_structure(left + "-(" + right + ")", budget, depth + 1));
    return both;
  }
  return make_expr_answer(parse_expression(s, budget));
}

bool has_decimal_impl(const Expr& e) {
  if (e.kind == ExprKind::kNumber) return e.text.find('.') != std::string::npos;
  for (const Expr& arg : e.args) {
    if (has_decimal_impl(arg)) return true;
  }
  return false;
}

}  // namespace

WorkBudget::WorkBudget(int64_t max_steps, std::chrono::milliseconds max_wall)
    : max_steps_(max_steps), deadline_(std::chrono::steady_clock::now() + max_wall) {}

void WorkBudget::charge(int64_t steps) {
  used_ += steps;
  if (used_ > max_steps_) throw WorkBudgetExceeded("work budget exceeded");
  if (used_ >= next_clock_check_) {  // the clock is read every 64 steps: it is a backstop
    next_clock_check_ = used_ + 64;
    if (std::chrono::steady_clock::now() > deadline_) {
      throw WorkBudgetExceeded("time limit exceeded");
    }
  }
}

bool has_decimal(const Expr& e) {
  return has_decimal_impl(e);
}

Expr parse_expression(std::string_view normalized, WorkBudget& budget) {
  ExprParser parser(normalized, budget);
  return parser.parse_all();
}

MathAnswer parse_answer(std::string_view normalized, WorkBudget& budget) {
  return parse_structure(normalized, budget, 0);
}

}  // namespace s1
