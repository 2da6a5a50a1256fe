#include "core/symbolic.h"

#include <ginac/ginac.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>

namespace s1 {
namespace {

using GiNaC::ex;
using GiNaC::ex_to;
using GiNaC::is_a;
using GiNaC::numeric;

constexpr long kPrecisionDigits = 40;
constexpr double kMaxExponent = 10000;        // |n| in x^n
constexpr double kMaxSymbolicExponent = 256;  // |n| in (expression with variables)^n
constexpr double kMaxResultBits = 200000;     // bits of an exact numeric power
constexpr long kMaxLiteralBits = 20000;       // bits of any exact numeric
constexpr long kMaxFactorial = 3000;
constexpr double kMaxExpandedTerms = 2000;  // expand() only below this estimate
constexpr int kPoints = 5;

std::mutex& ginac_mutex() {
  static std::mutex mutex;
  return mutex;
}

// Holds the GiNaC lock and the working precision for one comparison.
class GinacSession {
 public:
  GinacSession() : lock_(ginac_mutex()), saved_digits_(GiNaC::Digits) {
    GiNaC::Digits = kPrecisionDigits;
  }
  ~GinacSession() { GiNaC::Digits = saved_digits_; }

 private:
  std::lock_guard<std::mutex> lock_;
  long saved_digits_;
};

long numeric_bits(const numeric& n) {
  if (n.is_rational()) return n.numer().int_length() + n.denom().int_length();
  if (!n.is_real()) return numeric_bits(n.real()) + numeric_bits(n.imag());
  return 0;  // floating point: fixed size
}

double magnitude(const numeric& n) {
  numeric a = GiNaC::abs(n);
  if (a.is_rational() && numeric_bits(a) > 1000) return HUGE_VAL;
  return a.to_double();
}

// An upper estimate of the number of terms expand() would produce.
double expanded_terms(const ex& e) {
  if (is_a<GiNaC::add>(e)) {
    double total = 0;
    for (size_t i = 0; i < e.nops(); ++i) total += expanded_terms(e.op(i));
    return total;
  }
  if (is_a<GiNaC::mul>(e)) {
    double total = 1;
    for (size_t i = 0; i < e.nops(); ++i) total = std::min(1e12, total * expanded_terms(e.op(i)));
    return total;
  }
  if (is_a<GiNaC::power>(e) && is_a<numeric>(e.op(1)) && ex_to<numeric>(e.op(1)).is_integer()) {
    double base = expanded_terms(e.op(0));
    double n = std::fabs(ex_to<numeric>(e.op(1)).to_double());
    if (base <= 1) return 1;
    return std::min(1e12, std::pow(base, std::min(n, 40.0)));
  }
  return 1;
}

class Converter {
 public:
  Converter(WorkBudget& budget, std::map<std::string, GiNaC::symbol>& symbols)
      : budget_(budget), symbols_(symbols) {}

  ex convert(const Expr& e) {
    budget_.charge();
    switch (e.kind) {
      case ExprKind::kNumber:
        return literal(e.text);
      case ExprKind::kSymbol:
        return symbol(e.text);
      case ExprKind::kConstant:
        if (e.text == "pi") return GiNaC::Pi;
        if (e.text == "e") return GiNaC::exp(ex(1));
        if (e.text == "i") return GiNaC::I;
        return symbol("\\infty");
      case ExprKind::kAdd: {
        ex sum = 0;
        for (const Expr& arg : e.args) sum += checked(convert(arg));
        return checked(sum);
      }
      case ExprKind::kMul: {
        ex product = 1;
        for (const Expr& arg : e.args) product *= checked(convert(arg));
        return checked(product);
      }
      case ExprKind::kNeg:
        return -convert(e.args.at(0));
      case ExprKind::kDiv: {
        ex den = convert(e.args.at(1));
        return checked(divide(convert(e.args.at(0)), den));
      }
      case ExprKind::kPow:
        return power(convert(e.args.at(0)), convert(e.args.at(1)));
      case ExprKind::kRoot: {
        ex index = convert(e.args.at(1));
        ex radicand = convert(e.args.at(0));
        // An odd root of a negative number is the real one: \sqrt[3]{-8} is -2.
        if (is_a<numeric>(index) && is_a<numeric>(radicand) && ex_to<numeric>(index).is_odd() &&
            ex_to<numeric>(radicand).is_real() && ex_to<numeric>(radicand).is_negative()) {
          return -power(-radicand, divide(1, index));
        }
        return power(radicand, divide(1, index));
      }
      case ExprKind::kFactorial:
        return factorial(convert(e.args.at(0)));
      case ExprKind::kFunction:
        return function(e);
    }
    throw std::invalid_argument("unknown expression kind");
  }

 private:
  ex literal(const std::string& text) {
    size_t dot = text.find('.');
    std::string digits =
        dot == std::string::npos ? text : text.substr(0, dot) + text.substr(dot + 1);
    size_t places = dot == std::string::npos ? 0 : text.size() - dot - 1;
    size_t first = digits.find_first_not_of('0');
    digits = first == std::string::npos ? "0" : digits.substr(first);
    budget_.charge(static_cast<int64_t>(digits.size()));
    numeric value(digits.c_str());
    if (places > 0) value = value / numeric(10).power(numeric(static_cast<long>(places)));
    return value;
  }

  bool has_symbol(const ex& x) const {
    return std::any_of(symbols_.begin(), symbols_.end(),
                       [&x](const auto& entry) { return x.has(entry.second); });
  }

  // The floor or ceiling of an expression with variables as an unknown of its own, named
  // after its expanded argument: "\lceil n/2 \rceil" and "\lceil \frac{n}{2} \rceil" are the
  // same unknown, "\lfloor n/2 \rfloor" another. (Evaluated at the non-integer sample
  // points instead, a floor plus one would pass for a ceiling.)
  ex rounded_symbol(const std::string& f, const ex& x) {
    if (expanded_terms(x) >= kMaxExpandedTerms) throw WorkBudgetExceeded("argument too large");
    budget_.charge(static_cast<int64_t>(expanded_terms(x)) + 20);
    std::ostringstream name;
    name << f << '(' << x.expand() << ')';
    return symbol(name.str());
  }

  ex symbol(const std::string& name) {
    auto it = symbols_.find(name);
    if (it == symbols_.end()) it = symbols_.emplace(name, GiNaC::symbol(name)).first;
    return it->second;
  }

  // Refuses exact numbers too large to work with cheaply.
  ex checked(const ex& value) {
    if (is_a<numeric>(value) && numeric_bits(ex_to<numeric>(value)) > kMaxLiteralBits) {
      throw WorkBudgetExceeded("number too large");
    }
    return value;
  }

  // GiNaC leaks the object under construction when its evaluation throws (e.g. on 1/0),
  // so undefined operations are refused here, before GiNaC sees them.
  static ex divide(const ex& num, const ex& den) {
    if (den.is_zero()) throw std::domain_error("division by zero");
    return num / den;
  }

  ex power(const ex& base, const ex& exponent) {
    if (base.is_zero()) {
      bool positive = is_a<numeric>(exponent) && ex_to<numeric>(exponent).is_real() &&
                      ex_to<numeric>(exponent).is_positive();
      if (!positive) throw std::domain_error("zero to a non-positive power");
    }
    if (is_a<numeric>(exponent)) {
      double size = magnitude(ex_to<numeric>(exponent));
      if (size > kMaxExponent) throw WorkBudgetExceeded("exponent too large");
      if (is_a<numeric>(base)) {
        double bits = static_cast<double>(numeric_bits(ex_to<numeric>(base)));
        if (bits * size > kMaxResultBits) throw WorkBudgetExceeded("power too large");
      } else if (size > kMaxSymbolicExponent) {
        throw WorkBudgetExceeded("exponent too large");
      }
      budget_.charge(static_cast<int64_t>(std::min(size, kMaxExponent)) / 64);
    }
    return checked(GiNaC::pow(base, exponent));
  }

  ex factorial(const ex& arg) {
    // A factorial of an expression has no value at the non-integer sample points.
    if (!is_a<numeric>(arg)) throw std::domain_error("factorial of an expression");
    const numeric& n = ex_to<numeric>(arg);
    if (!n.is_nonneg_integer()) throw std::domain_error("factorial of a non-integer");
    if (n > kMaxFactorial) throw WorkBudgetExceeded("factorial too large");
    budget_.charge(n.to_long() / 16);
    return GiNaC::factorial(n);
  }

  static ex logarithm(const ex& x) {
    if (x.is_zero()) throw std::domain_error("log(0)");
    return GiNaC::log(x);
  }

  // Real numeric arguments of exp/trig functions must stay moderate, or evaluation at
  // 40 digits gets slow.
  void check_argument(const ex& arg, double limit) {
    if (is_a<numeric>(arg) && magnitude(ex_to<numeric>(arg)) > limit) {
      throw WorkBudgetExceeded("function argument too large");
    }
  }

  ex function(const Expr& e) {
    const std::string& f = e.text;
    if (e.args.empty()) throw std::invalid_argument("function without argument");
    ex x = convert(e.args[0]);
    if (f == "binom") {
      ex k = convert(e.args.at(1));
      if (!is_a<numeric>(x) || !is_a<numeric>(k) || !ex_to<numeric>(x).is_integer() ||
          !ex_to<numeric>(k).is_integer()) {
        throw std::domain_error("binomial of non-integers");
      }
      if (magnitude(ex_to<numeric>(x)) > 100000) throw WorkBudgetExceeded("binomial too large");
      return checked(GiNaC::binomial(x, k));
    }
    if (f == "exp") {
      check_argument(x, 10000);
      return GiNaC::exp(x);
    }
    if (f == "ln" || f == "log") {
      ex value = logarithm(x);
      if (e.args.size() > 1) value = divide(value, logarithm(convert(e.args[1])));
      return value;
    }
    if (f == "abs") return GiNaC::abs(x);
    if (f == "floor" || f == "ceil") {
      if (has_symbol(x)) return rounded_symbol(f, x);
      if (!is_a<numeric>(x) || !ex_to<numeric>(x).is_rational()) {
        // An exact irrational ("\sqrt{16081}") is rounded at its value when that is
        // clearly away from a whole number.
        ex approx = x.evalf();
        if (!is_a<numeric>(approx) || !ex_to<numeric>(approx).is_real()) {
          throw std::invalid_argument("floor/ceil of a non-real");
        }
        double v = ex_to<numeric>(approx).to_double();
        if (!std::isfinite(v) || std::fabs(v) > 1e12 ||
            std::fabs(v - std::round(v)) < 1e-6 * std::max(1.0, std::fabs(v))) {
          throw std::invalid_argument("floor/ceil too close to a whole number");
        }
        return numeric(static_cast<long>(f == "floor" ? std::floor(v) : std::ceil(v)));
      }
      const numeric& q = ex_to<numeric>(x);
      numeric down = GiNaC::iquo(q.numer(), q.denom());
      if (q.is_negative() && !q.is_integer()) down = down - 1;
      return f == "floor" || q.is_integer() ? down : down + 1;
    }
    check_argument(x, 1e6);
    if (f == "sin") return GiNaC::sin(x);
    if (f == "cos") return GiNaC::cos(x);
    if (f == "tan") return divide(GiNaC::sin(x), GiNaC::cos(x));
    if (f == "cot") return divide(GiNaC::cos(x), GiNaC::sin(x));
    if (f == "sec") return divide(1, GiNaC::cos(x));
    if (f == "csc") return divide(1, GiNaC::sin(x));
    if (f == "arcsin") return GiNaC::asin(x);
    if (f == "arccos") return GiNaC::acos(x);
    if (f == "arctan") {
      if ((x - GiNaC::I).is_zero() || (x + GiNaC::I).is_zero()) {
        throw std::domain_error("arctan pole");
      }
      return GiNaC::atan(x);
    }
    if (f == "sinh") return GiNaC::sinh(x);
    if (f == "cosh") return GiNaC::cosh(x);
    if (f == "tanh") return GiNaC::tanh(x);
    throw std::invalid_argument("unknown function " + f);
  }

  WorkBudget& budget_;
  std::map<std::string, GiNaC::symbol>& symbols_;
};

// Evaluates to a number at the working precision, or returns false.
// The exponents of `e`'s powers that are not numbers ("2^{-3W^{25}L}": -3W^{25}L).
void variable_exponents(const ex& e, std::vector<ex>& out) {
  if (is_a<GiNaC::power>(e) && !is_a<numeric>(e.op(1))) out.push_back(e.op(1));
  for (size_t i = 0; i < e.nops(); ++i) variable_exponents(e.op(i), out);
}

// Whether one of `exponents` passes 10^6 in magnitude at `values`: "2^{-3W^{25}L}" at
// W = 2.5 asks for 2^(-10^10), which GiNaC would work out exactly when the values are put
// in, taking long, and which has no use in a comparison.
bool has_huge_power(const std::vector<ex>& exponents, const GiNaC::exmap& values) {
  for (const ex& exponent : exponents) {
    ex value = exponent.subs(values).evalf();
    if (is_a<numeric>(value) && GiNaC::abs(ex_to<numeric>(value)) > numeric(1000000)) return true;
  }
  return false;
}

bool evaluate(const ex& e, numeric& out) {
  try {
    ex value = e.evalf();
    if (!is_a<numeric>(value)) return false;
    out = ex_to<numeric>(value);
    return true;
  } catch (const WorkBudgetExceeded&) {
    throw;
  } catch (const std::exception&) {
    return false;
  }
}

bool values_agree(const numeric& a, const numeric& b, const ScalarTolerance& tolerance) {
  numeric diff = GiNaC::abs(a - b);
  numeric scale = std::max(GiNaC::abs(a), GiNaC::abs(b));
  if (diff <= scale * numeric(1, 100000) * numeric(1, 1000000000000000) ||
      diff < numeric(1, 1000000000) * numeric(1, 1000000000000000)) {
    return true;  // equal at 1e-20 relative (or 1e-24 absolute)
  }
  if (!tolerance.inexact) return false;
  if (!(tolerance.rounded && tolerance.decimal_places >= 0) && diff > scale * numeric(1, 10000)) {
    return false;
  }
  if (tolerance.decimal_places < 0) return true;
  // Half a unit in the last decimal place written, e.g. 3.1416 vs \pi.
  numeric half_unit = numeric(1, 2) / numeric(10).power(tolerance.decimal_places);
  return diff <= half_unit * numeric(1000000001, 1000000000);
}

// Deterministic pseudo-random rational in [0.5, 2.5] for point `p`, variable `v`.
numeric sample_value(int p, size_t v) {
  uint64_t x = 0x9E3779B97F4A7C15ull * (static_cast<uint64_t>(p) * 131 + v + 1);
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return numeric(static_cast<long>(500 + x % 2000), 997);
}

GiNaC::exmap point(const std::map<std::string, GiNaC::symbol>& symbols, int p) {
  GiNaC::exmap values;
  size_t v = 0;
  for (const auto& [name, sym] : symbols) values[sym] = sample_value(p, v++);
  return values;
}

// Point `p` with some variables negative: the variable v is negated when p + v is even, so
// that one variable and a mix of signs are both tried.
GiNaC::exmap signed_point(const std::map<std::string, GiNaC::symbol>& symbols, int p) {
  GiNaC::exmap values;
  size_t v = 0;
  for (const auto& [name, sym] : symbols) {
    numeric value = sample_value(p, v);
    values[sym] = (p + v) % 2 == 0 ? -value : value;
    ++v;
  }
  return values;
}

// Whether `e` takes an absolute value of something with a variable: positive points alone
// would find "|x|" equal to "x".
bool has_variable_abs(const ex& e) {
  if (is_a<GiNaC::function>(e) && GiNaC::ex_to<GiNaC::function>(e).get_name() == "abs" &&
      !is_a<numeric>(e.op(0).evalf())) {
    return true;
  }
  for (size_t i = 0; i < e.nops(); ++i) {
    if (has_variable_abs(e.op(i))) return true;
  }
  return false;
}

// Whether `e` takes a factorial or binomial of an expression with variables ("n!",
// "\binom{2n}{n}"): defined at whole numbers only.
bool counts_with_variables(const Expr& e) {
  auto has_symbol = [](const Expr& x, const auto& self) -> bool {
    if (x.kind == ExprKind::kSymbol) return true;
    return std::any_of(x.args.begin(), x.args.end(), [&](const Expr& y) { return self(y, self); });
  };
  if ((e.kind == ExprKind::kFactorial || (e.kind == ExprKind::kFunction && e.text == "binom")) &&
      has_symbol(e, has_symbol)) {
    return true;
  }
  return std::any_of(e.args.begin(), e.args.end(), counts_with_variables);
}

// `e` with each variable replaced by a whole number, different per variable and point.
Expr at_whole_point(const Expr& e, std::map<std::string, int>& names, int p) {
  if (e.kind == ExprKind::kSymbol) {
    auto [it, added] = names.emplace(e.text, static_cast<int>(names.size()));
    Expr n;
    n.kind = ExprKind::kNumber;
    n.text = std::to_string(4 + (p * 5 + it->second * 3) % 11);
    return n;
  }
  Expr out = e;
  for (Expr& arg : out.args) arg = at_whole_point(arg, names, p);
  return out;
}

// Compares `a` and `b`, which count with variables, at whole-number points.
Comparison compare_at_whole_points(const Expr& a, const Expr& b, WorkBudget& budget) {
  int agreeing = 0;
  for (int p = 0; p < kPoints; ++p) {
    std::map<std::string, int> names;
    Expr pa = at_whole_point(a, names, p), pb = at_whole_point(b, names, p);
    std::map<std::string, GiNaC::symbol> none;
    Converter converter(budget, none);
    numeric va, vb;
    budget.charge(50);
    try {
      if (!evaluate(converter.convert(pa), va) || !evaluate(converter.convert(pb), vb)) continue;
    } catch (const std::domain_error&) {
      continue;  // a point outside a side's domain: "(n-k)!" with k > n
    }
    if (!values_agree(va, vb, ScalarTolerance{})) return Comparison::kNotEqual;
    ++agreeing;
  }
  return agreeing >= 2 ? Comparison::kEqual : Comparison::kUnknown;
}

}  // namespace

Comparison symbolic_compare(const Expr& a, const Expr& b, const ScalarTolerance& tolerance,
                            WorkBudget& budget) {
  GinacSession session;
  if (counts_with_variables(a) || counts_with_variables(b)) {
    try {
      return compare_at_whole_points(a, b, budget);
    } catch (const WorkBudgetExceeded&) {
      throw;
    } catch (const std::exception&) {
      return Comparison::kUnknown;
    }
  }
  try {
    std::map<std::string, GiNaC::symbol> symbols;
    Converter converter(budget, symbols);
    ex ea = converter.convert(a);
    ex eb = converter.convert(b);
    ex diff = ea - eb;
    if (diff.is_zero()) return Comparison::kEqual;
    if (symbols.empty()) {
      // Exact numbers that differ are unequal, however close ("10^30" vs "10^30 + 1").
      if (is_a<numeric>(diff) && ex_to<numeric>(diff).is_rational() && !tolerance.inexact) {
        return Comparison::kNotEqual;
      }
      numeric va, vb;
      budget.charge(50);
      if (!evaluate(ea, va) || !evaluate(eb, vb)) return Comparison::kUnknown;
      return values_agree(va, vb, tolerance) ? Comparison::kEqual : Comparison::kNotEqual;
    }
    if (expanded_terms(diff) < kMaxExpandedTerms) {
      budget.charge(static_cast<int64_t>(expanded_terms(diff)) + 20);
      if (diff.expand().is_zero()) return Comparison::kEqual;
    }
    // With variables, decimals count as exact: 0.5x is x/2, but x^2 + 1.0001 is not x^2 + 1.
    ScalarTolerance at_points;
    std::vector<ex> exponents;
    variable_exponents(ea, exponents);
    variable_exponents(eb, exponents);
    // Whether the sides differ at `values` (real ones only when `real_only`); false also
    // when a side has no value there. `agreeing` counts the points where both agree.
    int agreeing = 0;
    auto differ_at = [&](const GiNaC::exmap& values, bool real_only) {
      budget.charge(50);
      if (has_huge_power(exponents, values)) return false;
      numeric va, vb;
      if (!evaluate(ea.subs(values), va) || !evaluate(eb.subs(values), vb)) return false;
      if (real_only && (!va.is_real() || !vb.is_real())) return false;
      if (!values_agree(va, vb, at_points)) return true;
      ++agreeing;
      return false;
    };
    for (int p = 0; p < kPoints; ++p) {
      if (differ_at(point(symbols, p), false)) return Comparison::kNotEqual;
    }
    // An absolute value: negative points too, where both sides are real.
    if (agreeing >= 2 && (has_variable_abs(ea) || has_variable_abs(eb))) {
      for (int p = 0; p < kPoints; ++p) {
        if (differ_at(signed_point(symbols, p), true)) return Comparison::kNotEqual;
      }
    }
    return agreeing >= 2 ? Comparison::kEqual : Comparison::kUnknown;
  } catch (const WorkBudgetExceeded&) {
    throw;
  } catch (const std::exception&) {
    return Comparison::kUnknown;
  }
}

Comparison symbolic_proportional(const Expr& a, const Expr& b, bool positive_factor,
                                 WorkBudget& budget) {
  GinacSession session;
  try {
    std::map<std::string, GiNaC::symbol> symbols;
    Converter converter(budget, symbols);
    ex ea = converter.convert(a);
    ex eb = converter.convert(b);
    if (symbols.empty()) return Comparison::kUnknown;
    ScalarTolerance exact;
    numeric ratio;
    bool have_ratio = false;
    std::vector<ex> exponents;
    variable_exponents(ea, exponents);
    variable_exponents(eb, exponents);
    int agreeing = 0;
    for (int p = 0; p < kPoints; ++p) {
      budget.charge(50);
      GiNaC::exmap values = point(symbols, p);
      if (has_huge_power(exponents, values)) continue;
      numeric va, vb;
      if (!evaluate(ea.subs(values), va) || !evaluate(eb.subs(values), vb)) continue;
      numeric zero(0);
      bool a_zero = values_agree(va, zero, exact), b_zero = values_agree(vb, zero, exact);
      if (a_zero != b_zero) return Comparison::kNotEqual;
      if (a_zero) continue;
      numeric r = va / vb;
      if (!have_ratio) {
        if (r.is_zero()) return Comparison::kNotEqual;
        if (positive_factor && !(r.is_real() && r.is_positive())) return Comparison::kNotEqual;
        ratio = r;
        have_ratio = true;
      } else if (!values_agree(r, ratio, exact)) {
        return Comparison::kNotEqual;
      }
      ++agreeing;
    }
    return agreeing >= 2 ? Comparison::kEqual : Comparison::kUnknown;
  } catch (const WorkBudgetExceeded&) {
    throw;
  } catch (const std::exception&) {
    return Comparison::kUnknown;
  }
}

std::optional<double> symbolic_value(const Expr& e, WorkBudget& budget) {
  GinacSession session;
  try {
    std::map<std::string, GiNaC::symbol> symbols;
    Converter converter(budget, symbols);
    ex value = converter.convert(e);
    if (!symbols.empty()) return std::nullopt;
    budget.charge(50);
    numeric n;
    if (!evaluate(value, n) || !n.is_real()) return std::nullopt;
    return n.to_double();
  } catch (const WorkBudgetExceeded&) {
    throw;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace s1
