#include "core/math_equivalence.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>

#include "core/answer_rules.h"
#include "core/latex_forms.h"
#include "core/latex_normalize.h"
#include "core/math_parse.h"
#include "core/symbolic.h"

namespace s1 {
namespace {

// ---- Exact rational arithmetic for plain numbers (no locks, no allocation) ----

struct Rational {
  int64_t num = 0;
  int64_t den = 1;  // > 0, gcd(num, den) == 1
};

std::optional<Rational> make_rational(__int128 num, __int128 den) {
  if (den == 0) return std::nullopt;
  if (den < 0) num = -num, den = -den;
  __int128 a = num < 0 ? -num : num, b = den;
  while (b != 0) {
    __int128 t = a % b;
    a = b;
    b = t;
  }
  if (a > 1) num /= a, den /= a;
  constexpr __int128 kLimit = static_cast<__int128>(INT64_MAX);
  if (num > kLimit || num < -kLimit || den > kLimit) return std::nullopt;
  return Rational{static_cast<int64_t>(num), static_cast<int64_t>(den)};
}

std::optional<Rational> add(Rational a, Rational b) {
  return make_rational(static_cast<__int128>(a.num) * b.den + static_cast<__int128>(b.num) * a.den,
                       static_cast<__int128>(a.den) * b.den);
}
std::optional<Rational> multiply(Rational a, Rational b) {
  return make_rational(static_cast<__int128>(a.num) * b.num, static_cast<__int128>(a.den) * b.den);
}

std::optional<Rational> literal_value(const std::string& text) {
  __int128 num = 0, den = 1;
  bool after_dot = false;
  int digits = 0;
  for (char c : text) {
    if (c == '.') {
      after_dot = true;
      continue;
    }
    if (num != 0 || c != '0') ++digits;
    if (digits > 18) return std::nullopt;
    num = num * 10 + (c - '0');
    if (after_dot) {
      den *= 10;
      if (den > static_cast<__int128>(1e18)) return std::nullopt;
    }
  }
  return make_rational(num, den);
}

// The exact value of an expression made of numbers, + - * / and integer powers.
std::optional<Rational> exact_value(const Expr& e, int depth = 0) {
  if (depth > 64) return std::nullopt;
  switch (e.kind) {
    case ExprKind::kNumber:
      return literal_value(e.text);
    case ExprKind::kNeg: {
      auto v = exact_value(e.args[0], depth + 1);
      if (v) v->num = -v->num;
      return v;
    }
    case ExprKind::kAdd:
    case ExprKind::kMul: {
      std::optional<Rational> acc = Rational{e.kind == ExprKind::kAdd ? 0 : 1, 1};
      for (const Expr& arg : e.args) {
        auto v = exact_value(arg, depth + 1);
        if (!v) return std::nullopt;
        acc = e.kind == ExprKind::kAdd ? add(*acc, *v) : multiply(*acc, *v);
        if (!acc) return std::nullopt;
      }
      return acc;
    }
    case ExprKind::kDiv: {
      auto n = exact_value(e.args[0], depth + 1);
      auto d = exact_value(e.args[1], depth + 1);
      if (!n || !d || d->num == 0) return std::nullopt;
      return multiply(*n, Rational{d->num < 0 ? -d->den : d->den, d->num < 0 ? -d->num : d->num});
    }
    case ExprKind::kPow: {
      auto base = exact_value(e.args[0], depth + 1);
      auto exponent = exact_value(e.args[1], depth + 1);
      if (!base || !exponent || exponent->den != 1 || exponent->num > 64 || exponent->num < -64) {
        return std::nullopt;
      }
      if (base->num == 0 && exponent->num < 0) return std::nullopt;
      std::optional<Rational> result = Rational{1, 1};
      for (int64_t i = 0; i < (exponent->num < 0 ? -exponent->num : exponent->num); ++i) {
        result = multiply(*result, *base);
        if (!result) return std::nullopt;
      }
      if (exponent->num < 0) {
        if (result->num < 0)
          result = Rational{-result->den, -result->num};
        else
          result = Rational{result->den, result->num};
      }
      return result;
    }
    default:
      return std::nullopt;
  }
}

bool contains_infinity(const Expr& e) {
  if (e.kind == ExprKind::kConstant && e.text == "infty") return true;
  for (const Expr& arg : e.args) {
    if (contains_infinity(arg)) return true;
  }
  return false;
}

// Decimal places of a plain decimal ("3.14", "-0.5"), else -1.
int plain_decimal_places(const Expr& e) {
  const Expr* x = &e;
  if (x->kind == ExprKind::kNeg) x = &x->args[0];
  if (x->kind != ExprKind::kNumber) return -1;
  size_t dot = x->text.find('.');
  return dot == std::string::npos ? -1 : static_cast<int>(x->text.size() - dot - 1);
}

// Significant digits of a plain decimal ("0.333": 3, "6.5": 2), else 0.
int plain_significant_digits(const Expr& e) {
  const Expr* x = &e;
  if (x->kind == ExprKind::kNeg) x = &x->args[0];
  if (x->kind != ExprKind::kNumber) return 0;
  int digits = 0;
  for (char c : x->text) {
    if (c >= '0' && c <= '9' && (digits > 0 || c != '0')) ++digits;
  }
  return digits;
}

Expr node(ExprKind kind, std::vector<Expr> args) {
  Expr e;
  e.kind = kind;
  e.args = std::move(args);
  return e;
}

Expr difference(const Expr& a, const Expr& b) {
  return node(ExprKind::kAdd, {a, node(ExprKind::kNeg, {b})});
}

Expr hundredth(const Expr& a) {
  Expr hundred;
  hundred.text = "100";
  return node(ExprKind::kDiv, {a, hundred});
}

bool is_empty_set(const MathAnswer& a) {
  return a.kind == AnswerKind::kExpr && a.expr.kind == ExprKind::kSymbol &&
         a.expr.text == "\\emptyset";
}

bool is_unordered(AnswerKind kind) {
  return kind == AnswerKind::kList || kind == AnswerKind::kSet || kind == AnswerKind::kUnion;
}

// The names of the variables of `e`, added to `names`.
void variable_names(const Expr& e, std::set<std::string>& names) {
  if (e.kind == ExprKind::kSymbol) names.insert(e.text);
  for (const Expr& arg : e.args) variable_names(arg, names);
}

// A half-line "(a, \infty)" or "(-\infty, b]" written as the relation "a < x" or "x \le b"
// in the one variable x of `relation` (one '<' or '\le' between two expressions), into
// `out`. False when `interval` is no half-line or `relation` has another shape.
bool half_line_as_relation(const MathAnswer& interval, const MathAnswer& relation,
                           MathAnswer& out) {
  if (interval.kind != AnswerKind::kTuple || interval.items.size() != 2 ||
      relation.items.size() != 2 || relation.relations.size() != 1 ||
      (relation.relations[0] != "<" && relation.relations[0] != "\\le")) {
    return false;
  }
  std::set<std::string> names;
  for (const MathAnswer* side : {&relation.items[0], &relation.items[1], &interval.items[0],
                                 &interval.items[1]}) {
    if (side->kind != AnswerKind::kExpr) return false;
    variable_names(side->expr, names);
  }
  if (names.size() != 1) return false;
  MathAnswer variable;
  variable.expr = make_expr(ExprKind::kSymbol, *names.begin());
  bool low_infinite = contains_infinity(interval.items[0].expr);
  bool high_infinite = contains_infinity(interval.items[1].expr);
  if (low_infinite == high_infinite) return false;
  out = MathAnswer{};
  out.kind = AnswerKind::kRelation;
  if (low_infinite) {
    out.items = {variable, interval.items[1]};
    out.relations = {interval.close == ')' ? "<" : "\\le"};
  } else {
    out.items = {interval.items[0], variable};
    out.relations = {interval.open == '(' ? "<" : "\\le"};
  }
  return true;
}

class Comparer {
 public:
  explicit Comparer(WorkBudget& budget) : budget_(budget) {}

  EquivalenceMethod method() const { return method_; }

  bool equal(const MathAnswer& a, const MathAnswer& b) {
    budget_.charge();
    if (a.kind == AnswerKind::kText || b.kind == AnswerKind::kText) {
      note(EquivalenceMethod::kText);
      return a.kind == b.kind && a.text == b.text;
    }
    if (a.kind == AnswerKind::kExpr && b.kind == AnswerKind::kExpr) return expressions(a, b);
    note(EquivalenceMethod::kStructure);
    if (a.kind == AnswerKind::kTuple && b.kind == AnswerKind::kTuple) {
      return a.open == b.open && a.close == b.close && ordered(a.items, b.items);
    }
    if (is_unordered(a.kind) && is_unordered(b.kind)) {
      return unordered(flatten(a), flatten(b));
    }
    // A bare list against a bracketed tuple keeps its order: "1, 2" vs "(1, 2)".
    if ((a.kind == AnswerKind::kList && b.kind == AnswerKind::kTuple) ||
        (a.kind == AnswerKind::kTuple && b.kind == AnswerKind::kList)) {
      return ordered(a.items, b.items);
    }
    if (a.kind == AnswerKind::kMatrix && b.kind == AnswerKind::kMatrix) {
      return a.rows == b.rows && a.cols == b.cols && ordered(a.items, b.items);
    }
    // A column or row vector against a tuple: "\begin{pmatrix}1\\2\end{pmatrix}" vs "(1,2)".
    if (a.kind == AnswerKind::kMatrix || b.kind == AnswerKind::kMatrix) {
      const MathAnswer& m = a.kind == AnswerKind::kMatrix ? a : b;
      const MathAnswer& t = a.kind == AnswerKind::kMatrix ? b : a;
      bool vector = m.rows == 1 || m.cols == 1;
      bool tuple = (t.kind == AnswerKind::kTuple && t.open == '(' && t.close == ')') ||
                   t.kind == AnswerKind::kList;
      return vector && tuple && ordered(m.items, t.items);
    }
    if (a.kind == AnswerKind::kRelation && b.kind == AnswerKind::kRelation) {
      return relations(a, b);
    }
    // An inequality not solved for its variable against the half-line it describes:
    // "-x > -1" against "x < 1" (parsed as (-\infty, 1)), "2x + 3 \ge 0" against
    // [-\frac{3}{2}, \infty).
    for (const MathAnswer* rel : {&a, &b}) {
      const MathAnswer* other = rel == &a ? &b : &a;
      MathAnswer as_relation;
      if (rel->kind == AnswerKind::kRelation && half_line_as_relation(*other, *rel, as_relation)) {
        return relations(*rel, as_relation);
      }
    }
    // "\{5\}" against "5".
    for (const MathAnswer* set : {&a, &b}) {
      const MathAnswer* other = set == &a ? &b : &a;
      // ("\{\emptyset\}" is not "\emptyset".)
      if (set->kind == AnswerKind::kSet && set->items.size() == 1 &&
          other->kind == AnswerKind::kExpr && !is_empty_set(set->items[0])) {
        return equal(set->items[0], *other);
      }
    }
    return false;
  }

 private:
  void note(EquivalenceMethod m) {
    if (static_cast<int>(m) > static_cast<int>(method_)) method_ = m;
  }

  bool expressions(const MathAnswer& a, const MathAnswer& b) {
    if (a.percent == b.percent) return scalar(a.expr, b.expr);
    const MathAnswer& p = a.percent ? a : b;
    const MathAnswer& other = a.percent ? b : a;
    // "50%" means 0.5, but models often drop the sign: accept 50 too.
    return scalar(hundredth(p.expr), other.expr) || scalar(p.expr, other.expr);
  }

  bool scalar(const Expr& a, const Expr& b) {
    budget_.charge();
    if (contains_infinity(a) != contains_infinity(b)) return false;
    ScalarTolerance tolerance;
    bool a_decimal = has_decimal(a), b_decimal = has_decimal(b);
    tolerance.inexact = a_decimal != b_decimal;
    if (tolerance.inexact) {
      tolerance.decimal_places = plain_decimal_places(a_decimal ? a : b);
      tolerance.rounded = plain_significant_digits(a_decimal ? a : b) >= 3;
    }
    auto ra = exact_value(a), rb = exact_value(b);
    if (ra && rb) {
      note(EquivalenceMethod::kNumeric);
      if (ra->num == rb->num && ra->den == rb->den) return true;
      double va = static_cast<double>(ra->num) / static_cast<double>(ra->den);
      double vb = static_cast<double>(rb->num) / static_cast<double>(rb->den);
      double diff = std::fabs(va - vb);
      if (!tolerance.inexact) {
        // A decimal of 16 digits or more is a double as a program printed it
        // ("0.30000000000000004"): equal to the value it stands for, to a few units in
        // its last place.
        bool printed_double = a_decimal && b_decimal &&
                              std::max(plain_significant_digits(a), plain_significant_digits(b)) >= 16;
        return printed_double && diff <= 1e-14 * std::max(std::fabs(va), std::fabs(vb));
      }
      bool rounded = tolerance.rounded && tolerance.decimal_places >= 0;
      if (!rounded && diff > 1e-4 * std::max(std::fabs(va), std::fabs(vb))) return false;
      return tolerance.decimal_places < 0 ||
             diff <= 0.5 * std::pow(10.0, -tolerance.decimal_places) * (1 + 1e-9);
    }
    note(EquivalenceMethod::kSymbolic);
    return symbolic_compare(a, b, tolerance, budget_) == Comparison::kEqual;
  }

  bool ordered(const std::vector<MathAnswer>& a, const std::vector<MathAnswer>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!equal(a[i], b[i])) return false;
    }
    return true;
  }

  // Multiset equality; greedy matching is exact because equivalence is transitive.
  bool unordered(const std::vector<const MathAnswer*>& a, const std::vector<const MathAnswer*>& b) {
    if (a.size() != b.size()) return false;
    std::vector<char> used(b.size(), 0);
    for (const MathAnswer* x : a) {
      bool found = false;
      for (size_t j = 0; j < b.size() && !found; ++j) {
        if (!used[j] && equal(*x, *b[j])) used[j] = 1, found = true;
      }
      if (!found) return false;
    }
    return true;
  }

  // Items of an unordered collection, with nested \pm pairs spliced in, and the members of
  // sets joined by \cup ("\{(1,2)\} \cup \{(3,4)\}").
  static std::vector<const MathAnswer*> flatten(const MathAnswer& a) {
    std::vector<const MathAnswer*> out;
    for (const MathAnswer& item : a.items) {
      bool spliced = a.kind == AnswerKind::kUnion ? item.kind == AnswerKind::kSet
                                                  : item.kind == AnswerKind::kList;
      if (spliced) {
        for (const MathAnswer* inner : flatten(item)) out.push_back(inner);
      } else {
        out.push_back(&item);
      }
    }
    return out;
  }

  bool relations(const MathAnswer& a, const MathAnswer& b) {
    if (a.relations != b.relations || a.items.size() != b.items.size()) return false;
    if (ordered(a.items, b.items)) return true;
    if (a.items.size() != 2) return false;
    const std::string& op = a.relations[0];
    bool symmetric = op == "=" || op == "\\ne";
    if (symmetric && equal(a.items[0], b.items[1]) && equal(a.items[1], b.items[0])) return true;
    for (const MathAnswer* side : {&a.items[0], &a.items[1], &b.items[0], &b.items[1]}) {
      if (side->kind != AnswerKind::kExpr) return false;
    }
    // Equations are equal up to a non-zero factor; inequalities up to a positive one.
    note(EquivalenceMethod::kSymbolic);
    return symbolic_proportional(difference(a.items[0].expr, a.items[1].expr),
                                 difference(b.items[0].expr, b.items[1].expr), !symmetric,
                                 budget_) == Comparison::kEqual;
  }

  WorkBudget& budget_;
  EquivalenceMethod method_ = EquivalenceMethod::kString;
};

// Last resort when an answer does not parse: compare without case, spaces and braces.
std::string loose_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '{' || c == '}') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

const char* equivalence_method_name(EquivalenceMethod method) {
  switch (method) {
    case EquivalenceMethod::kNumeric:
      return "numeric";
    case EquivalenceMethod::kSymbolic:
      return "symbolic";
    case EquivalenceMethod::kStructure:
      return "structure";
    case EquivalenceMethod::kText:
      return "text";
    case EquivalenceMethod::kString:
      break;
  }
  return "string";
}

namespace {

// Both answers are numbers exact_value() can read.
bool plain_numbers(const MathAnswer& a, const MathAnswer& b) {
  return a.kind == AnswerKind::kExpr && b.kind == AnswerKind::kExpr && exact_value(a.expr) &&
         exact_value(b.expr);
}

// The comparison without the answer rules.
EquivalenceResult plain_equivalence(std::string_view predicted, std::string_view gold,
                                    const EquivalenceOptions& options) {
  EquivalenceResult result;
  // Work on bounded inputs only: normalisation is linear, but keep it cheap.
  constexpr size_t kMaxRawChars = 20000;
  if (predicted.size() > kMaxRawChars || gold.size() > kMaxRawChars) {
    result.budget_exceeded = true;
    result.equivalent = predicted == gold && !predicted.empty();
    return result;
  }
  std::string p = normalize_answer(predicted);
  std::string g = normalize_answer(gold);
  if (p.empty() || g.empty()) return result;
  if (p == g) {
    result.equivalent = true;
    return result;
  }
  if (p.size() > options.max_answer_chars || g.size() > options.max_answer_chars) {
    result.budget_exceeded = true;
    return result;
  }
  try {
    WorkBudget budget(options.max_steps, options.max_wall);
    MathAnswer pa, ga;
    try {
      pa = parse_answer(p, budget);
      ga = parse_answer(g, budget);
    } catch (const std::invalid_argument&) {
      result.method = EquivalenceMethod::kText;
      result.equivalent = loose_text(p) == loose_text(g);
      return result;
    }
    Comparer comparer(budget);
    result.equivalent = comparer.equal(pa, ga);
    result.method = comparer.method();
    if (!result.equivalent) result.plain_numbers = plain_numbers(pa, ga);
    // "y = -2x" lost its "y =" to normalisation; against the equation "2x + y = 0" it
    // needs it back.
    // (A list of equations, from a \pm, counts as a relation.)
    auto relation = [](const MathAnswer& a) {
      return a.kind == AnswerKind::kRelation ||
             (a.kind == AnswerKind::kList && !a.items.empty() &&
              a.items[0].kind == AnswerKind::kRelation);
    };
    bool one_relation = relation(pa) != relation(ga);
    if (!result.equivalent && one_relation) {
      std::string p_full = normalize_answer(predicted, false);
      std::string g_full = normalize_answer(gold, false);
      if (p_full != p || g_full != g) {
        try {
          MathAnswer pf = parse_answer(p_full, budget);
          MathAnswer gf = parse_answer(g_full, budget);
          Comparer full(budget);
          if (full.equal(pf, gf)) {
            result.equivalent = true;
            result.method = full.method();
          }
        } catch (const std::invalid_argument&) {
          // Keep the verdict on the stripped forms.
        }
      }
    }
  } catch (const WorkBudgetExceeded&) {
    result = EquivalenceResult{};
    result.budget_exceeded = true;
  }
  return result;
}

}  // namespace

EquivalenceResult check_equivalence(std::string_view predicted, std::string_view gold,
                                    const EquivalenceOptions& options) {
  return check_equivalence(predicted, gold, {}, options);
}

EquivalenceResult check_equivalence(std::string_view predicted, std::string_view gold,
                                    std::string_view question,
                                    const EquivalenceOptions& options) {
  EquivalenceResult plain = plain_equivalence(predicted, gold, options);
  if (plain.budget_exceeded) return plain;
  // The rules read the answers as written, with backslashes that JSON turned into control
  // characters put back (normalize_answer() does the same for the plain comparison).
  std::string p(predicted), g(gold);
  repair_control_escapes(p);
  repair_control_escapes(g);
  return apply_answer_rules(p, g, read_question(question), plain,
                            [&options](std::string_view p, std::string_view g) {
                              return plain_equivalence(p, g, options);
                            });
}

bool answers_equivalent(std::string_view predicted, std::string_view gold) {
  return check_equivalence(predicted, gold).equivalent;
}

std::string answer_key(std::string_view answer) {
  std::string normalized = normalize_answer(answer);
  if (normalized.empty() || normalized.size() > 400) return normalized;
  try {
    WorkBudget budget(5000, std::chrono::milliseconds(1000));
    MathAnswer parsed = parse_answer(normalized, budget);
    if (parsed.kind != AnswerKind::kExpr || parsed.percent) return normalized;
    if (auto value = exact_value(parsed.expr)) {
      std::string key = std::to_string(value->num);
      if (value->den != 1) key += "/" + std::to_string(value->den);
      return key;
    }
  } catch (const std::exception&) {
    // Not a plain number: the normalised text is the key.
  }
  return normalized;
}

}  // namespace s1
