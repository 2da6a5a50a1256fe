#include "core/expression_parser.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/latex_normalize.h"

namespace s1 {
namespace {


constexpr int kMaxDepth = 64;             // nesting, to bound recursion
constexpr size_t kMaxNumberDigits = 400;  // digits in one literal

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

Expr make(ExprKind kind, std::string text = {}, std::vector<Expr> args = {}) {
  return make_expr(kind, std::move(text), std::move(args));
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
      // "v^2_0": the subscript names the symbol, as in "v_0^2".
      if (base.kind == ExprKind::kSymbol && base.text.find('_') == std::string::npos) {
        read_subscript(base.text);
      }
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
  // ("\pi"), a parenthesised expression ("10^(-10)"), or a sign followed by one of those
  // ("^-1").
  Expr parse_script() {
    DepthGuard guard(*this);
    char c = peek();
    if (c == '(') {
      ++pos_;
      Expr inner = parse_sum();
      expect(')');
      return inner;
    }
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

  // A subscript right after a symbol's name, appended to it: "x_1", "a_{n}", "\omega_{L}".
  // False when none follows.
  bool read_subscript(std::string& name) {
    if (pos_ >= s_.size() || s_[pos_] != '_') return false;
    ++pos_;
    skip_spaces();
    if (pos_ < s_.size() && s_[pos_] == '{') {
      size_t close = matching_brace(s_, pos_);
      if (close == std::string_view::npos) syntax_error("unclosed subscript");
      name += "_" + std::string(trim_spaces(s_.substr(pos_ + 1, close - pos_ - 1)));
      pos_ = close + 1;
    } else if (pos_ < s_.size() && (is_alpha(s_[pos_]) || is_digit(s_[pos_]))) {
      name += "_" + std::string(1, s_[pos_++]);
    } else {
      syntax_error("bad subscript");
    }
    return true;
  }

  Expr parse_letter() {
    char c = s_[pos_++];
    std::string name(1, c);
    if (read_subscript(name)) return make(ExprKind::kSymbol, std::move(name));
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
    if (digits.empty()) syntax_error("a point without digits");  // "B.x"
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
    std::string symbol = "\\" + name;
    read_subscript(symbol);
    return make(ExprKind::kSymbol, std::move(symbol));
  }

  // A command that names a constant or a variable ("\pi", "\theta"), not a function.
  bool is_symbol_command(std::string_view cmd) {
    if (cmd.empty() || peek() != '\\') return false;
    return !in_list(cmd, kFunctions, sizeof(kFunctions) / sizeof(kFunctions[0])) &&
           !in_list(cmd, kNonOperands, sizeof(kNonOperands) / sizeof(kNonOperands[0])) &&
           cmd != "frac" && cmd != "sqrt" && cmd != "binom" && cmd != "lfloor" &&
           cmd != "lceil" && cmd != "left" && cmd != "infty";
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
      // "\sin 2x", "\cos 3\theta": a number and the letters after it are one argument.
      if (arg.kind == ExprKind::kNumber) {
        std::vector<Expr> factors;
        factors.push_back(std::move(arg));
        while (is_alpha(peek()) || is_symbol_command(peek_command())) {
          factors.push_back(parse_power());
        }
        arg = factors.size() == 1 ? std::move(factors.front())
                                  : make(ExprKind::kMul, {}, std::move(factors));
      }
    }
    std::vector<Expr> args;
    args.push_back(std::move(arg));
    if (has_base) args.push_back(std::move(base));
    // "\tan^{-1} x" is the inverse function, \arctan x.
    bool inverse = has_power && power.kind == ExprKind::kNeg &&
                   power.args[0].kind == ExprKind::kNumber && power.args[0].text == "1" &&
                   (name == "sin" || name == "cos" || name == "tan");
    Expr call = make(ExprKind::kFunction, inverse ? "arc" + name : name, std::move(args));
    if (inverse) return call;
    if (has_power) call = make(ExprKind::kPow, {}, {std::move(call), std::move(power)});
    return call;
  }

  std::string_view s_;
  size_t pos_ = 0;
  int depth_ = 0;
  int abs_depth_ = 0;
  WorkBudget& budget_;
};

}  // namespace

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

Expr parse_expression(std::string_view normalized, WorkBudget& budget) {
  ExprParser parser(normalized, budget);
  return parser.parse_all();
}

}  // namespace s1
