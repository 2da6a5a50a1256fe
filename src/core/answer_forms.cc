#include "core/answer_forms.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "core/answer_names.h"
#include "core/ascii.h"
#include "core/latex_forms.h"
#include "core/latex_normalize.h"
#include "core/math_equivalence.h"
#include "core/math_parse.h"
#include "core/symbolic.h"
#include "core/work_budget.h"

namespace s1 {
namespace {

using ascii::is_digit;
using ascii::starts_with;
using ascii::trim;

constexpr size_t kMaxTerms = 16;

// `v` rounded to the precision the question states (half away from zero).
double rounded(double v, const QuestionCues& cues) {
  int places = cues.rounds_to_power > 0 ? -cues.rounds_to_power : cues.decimal_places;
  if (places < 0 && cues.rounds_to_power == 0) {
    if (v == 0) return 0;
    places = cues.significant_figures - 1 - static_cast<int>(std::floor(std::log10(std::fabs(v))));
  }
  double scale = std::pow(10.0, places);
  // The nudge rounds values written exactly at a half ("4.515") away from zero.
  return std::round(v * scale * (1 + 1e-12)) / scale;
}

// The decimal places of a plain decimal of three significant digits or more ("6.46",
// "-0.125"), else -1: "4.5" may well be exact (9/2) rather than rounded. `significant`
// receives the number of significant digits.
int rounded_decimal_places(std::string_view normalized, int& significant) {
  significant = 0;
  size_t i = !normalized.empty() && normalized[0] == '-' ? 1 : 0;
  size_t dot = normalized.find('.');
  if (dot == std::string_view::npos || dot == i || dot + 1 == normalized.size() ||
      normalized.size() > 18) {
    return -1;
  }
  for (size_t k = i; k < normalized.size(); ++k) {
    if (k == dot) continue;
    if (!is_digit(normalized[k])) return -1;
    if (significant > 0 || normalized[k] != '0') ++significant;
  }
  return significant >= 3 ? static_cast<int>(normalized.size() - dot - 1) : -1;
}

// The terms of a strict chain "b<a<d<c" (normalised), or nothing.
std::vector<std::string_view> chain_terms(std::string_view n) {
  for (std::string_view op : {"<", ">"}) {
    std::vector<std::string_view> terms = split_top_level(n, op);
    if (terms.size() < 3 || terms.size() > kMaxTerms) continue;
    for (std::string_view t : terms) {
      // "<=" and mixed relations are no strict chain.
      if (t.empty() || has_relation(t) || t[0] == '=') return {};
    }
    return terms;
  }
  return {};
}

bool chain_against_list(std::string_view chain, std::string_view list,
                        const AnswerComparer& compare) {
  if (chain.find_first_of("<>") == std::string_view::npos && chain.find("\\lt") == chain.npos &&
      chain.find("\\gt") == chain.npos) {
    return false;
  }
  std::string c = normalize_answer(chain, false), l = normalize_answer(list, false);
  std::vector<std::string_view> terms = chain_terms(c);
  if (terms.empty() || has_relation(l)) return false;
  std::vector<std::string_view> items = split_top_level(l, ",");
  if (items.size() != terms.size()) return false;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].empty() || !compare(items[i], terms[i]).equivalent) return false;
  }
  return true;
}

// "221" and "8" of "\frac{221}{8}" or "221/8" (normalised), or false.
bool integer_fraction(std::string_view n, std::string_view& num, std::string_view& den) {
  auto digits = [](std::string_view d) {
    return !d.empty() && d.size() <= 18 && std::all_of(d.begin(), d.end(), is_digit);
  };
  if (starts_with(n, "\\frac{") && n.back() == '}') {
    size_t close = matching_brace(n, 5);
    if (close == std::string_view::npos || close + 1 >= n.size() || n[close + 1] != '{' ||
        matching_brace(n, close + 1) != n.size() - 1) {
      return false;
    }
    num = n.substr(6, close - 6);
    den = n.substr(close + 2, n.size() - close - 3);
  } else {
    size_t slash = n.find('/');
    if (slash == std::string_view::npos) return false;
    num = n.substr(0, slash);
    den = n.substr(slash + 1);
  }
  return digits(num) && digits(den);
}

bool fraction_against_pair(std::string_view fraction, std::string_view pair,
                           const AnswerComparer& compare) {
  std::string f = normalize_answer(fraction), p = normalize_answer(pair);
  std::string_view num, den;
  if (!integer_fraction(f, num, den)) return false;
  std::vector<std::string_view> items = split_top_level(p, ",");
  if (items.size() != 2) return false;
  return compare(items[0], num).equivalent && compare(items[1], den).equivalent;
}

}  // namespace

std::optional<double> numeric_value(std::string_view raw) {
  std::string n = normalize_answer(raw);
  if (n.empty() || n.size() > 200) return std::nullopt;
  try {
    WorkBudget budget(5000, std::chrono::milliseconds(1000));
    MathAnswer a = parse_answer(n, budget);
    if (a.kind != AnswerKind::kExpr || a.percent) return std::nullopt;
    return symbolic_value(a.expr, budget);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string fraction_letters(std::string_view question, const std::vector<std::string>& asked_words) {
  auto asked = [&asked_words](char c) {
    return std::find(asked_words.begin(), asked_words.end(), std::string(1, c)) != asked_words.end();
  };
  for (size_t at = question.find("frac{"); at != std::string_view::npos;
       at = question.find("frac{", at + 1)) {  // \frac, \dfrac, \tfrac
    std::string_view rest = question.substr(at + 5);
    if (rest.size() >= 5 && ascii::is_alpha(rest[0]) && rest[1] == '}' && rest[2] == '{' &&
        ascii::is_alpha(rest[3]) && rest[4] == '}' && rest[0] != rest[3] && asked(rest[0]) &&
        asked(rest[3])) {
      return {rest[0], rest[3]};
    }
  }
  return {};
}

bool fraction_matches_pair(std::string_view a, std::string_view b, const AnswerComparer& compare) {
  return fraction_against_pair(a, b, compare) || fraction_against_pair(b, a, compare);
}

bool same_at_precision(std::string_view a, std::string_view b, const QuestionCues& cues) {
  // Two percentages are compared as the numbers written ("113.3\%" and "113.33\%").
  std::string pa = normalize_answer(a), pb = normalize_answer(b);
  if (!pa.empty() && !pb.empty() && pa.back() == '%' && pb.back() == '%') {
    pa.pop_back();
    pb.pop_back();
    a = pa;
    b = pb;
  }
  auto va = numeric_value(a), vb = numeric_value(b);
  if (!va || !vb || !std::isfinite(*va) || !std::isfinite(*vb)) return false;
  double ra = rounded(*va, cues), rb = rounded(*vb, cues);
  return std::fabs(ra - rb) <= 1e-9 * std::max({1.0, std::fabs(ra), std::fabs(rb)});
}

bool states_precision_only(std::string_view a, const QuestionCues& cues) {
  std::string n = normalize_answer(a);
  if (!n.empty() && n.back() == '%') n.pop_back();
  auto v = numeric_value(n);
  if (!v || !std::isfinite(*v)) return false;
  double r = rounded(*v, cues);
  return std::fabs(r - *v) <= 1e-9 * std::max({1.0, std::fabs(r), std::fabs(*v)});
}

bool rounds_to_decimal(std::string_view exact_side, std::string_view decimal_side) {
  if (decimal_side.find('.') == std::string_view::npos ||
      exact_side.find('.') != std::string_view::npos) {
    return false;
  }
  std::string d = normalize_answer(decimal_side), e = normalize_answer(exact_side);
  if (e.empty() || e.size() > 200 || e.find('.') != std::string::npos) return false;
  // Percentages: "16.67\%" for \frac{1}{6} or for "\frac{50}{3}\%".
  double scale_exact = 1;
  if (!d.empty() && d.back() == '%') {
    d.pop_back();
    if (!e.empty() && e.back() == '%') {
      e.pop_back();
    } else {
      scale_exact = 100;
    }
  } else if (!e.empty() && e.back() == '%') {
    return false;
  }
  QuestionCues places;
  int significant = 0;
  places.decimal_places = rounded_decimal_places(d, significant);
  if (places.decimal_places < 0) return false;
  auto exact = numeric_value(e), decimal = numeric_value(d);
  if (!exact || !decimal || !std::isfinite(*exact) || std::fabs(*exact) > 1e12) return false;
  *exact *= scale_exact;
  auto same = [&decimal](double r) {
    return std::fabs(r - *decimal) <= 1e-9 * std::max(1.0, std::fabs(r));
  };
  if (same(rounded(*exact, places))) return true;
  // Cut off at the decimal's last digit ("41.494" for 41.4949...) only with four significant
  // digits or more: "37.6" is not 12\pi (37.699).
  double scale = std::pow(10.0, places.decimal_places);
  return significant >= 4 && same(std::trunc(*exact * scale * (1 + 1e-12)) / scale);
}

namespace {

// Whether `t`, the first side of a chain, is a quantity built from named ones rather than
// an unknown to solve for: its letters outside commands all capitals ("AB + BC", "N/M"),
// two lower-case letters or more without numbers ("x + y", "ab"), or a function at a point
// ("f(9) - f(3)"). "2x" and "x^2" are unknowns ("2x = 6" is x = 3), "2x + z" a plane.
bool names_a_quantity(std::string_view t) {
  bool lower = false, upper = false, applied = false;
  char first_lower = 0;
  bool two_lower = false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\\') {
      while (i + 1 < t.size() && ascii::is_alpha(t[i + 1])) ++i;
      continue;
    }
    if (!ascii::is_alpha(t[i])) continue;
    if (ascii::is_upper(t[i])) {
      upper = true;
    } else {
      if (lower && t[i] != first_lower) two_lower = true;
      if (!lower) first_lower = t[i];
      lower = true;
    }
    if (i + 2 < t.size() && t[i + 1] == '(' && ascii::is_digit(t[i + 2])) applied = true;
  }
  // Lower-case letters with coefficients make an equation: "2x + z = 1" is a plane.
  bool digits = std::any_of(t.begin(), t.end(), ascii::is_digit);
  return (upper && !lower) || (two_lower && !digits) || applied;
}

}  // namespace

bool computation_matches(std::string_view a, std::string_view b, const AnswerComparer& compare) {
  for (int swap = 0; swap < 2; ++swap, std::swap(a, b)) {
    if (a.find('=') == std::string_view::npos || b.find('=') != std::string_view::npos) continue;
    std::string c = normalize_answer(a, false);
    std::vector<std::string_view> terms = split_top_level(c, "=");
    if (terms.size() < 2 || terms.size() > kMaxTerms || !top_level_positions(c, ",").empty()) {
      continue;
    }
    // A name may lead the chain: "BD = \sqrt{4225} = 65" (also "B D").
    std::string name(terms[0]);
    name.erase(std::remove_if(name.begin(), name.end(), ascii::is_space), name.end());
    // Or a quantity built from names, stated to have a value: "f(9) - f(3) = 210" (not the
    // equation "5x - 7y + 4 = 0", nor "y + z = x + 1").
    std::string_view value = terms.back();
    bool stated = names_a_quantity(name) && free_letters(value).empty() && value != "0";
    std::string_view raw = trim(terms[0]);  // "\angle APD" keeps its space
    bool named = leading_name(name) == name || (!raw.empty() && leading_name(raw) == raw);
    // Or any expression computed to the value in steps without letters:
    // "\log_2 \sqrt{x} = \log_2 2^5 = 5".
    bool computed = terms.size() >= 3 && free_letters(terms[1]).empty() && !terms[1].empty();
    size_t first = !name.empty() && (named || stated || computed) ? 1 : 0;
    bool all = true;
    for (size_t i = first; i < terms.size() && all; ++i) {
      // After a name, the steps in letters lead to the value: "b = \frac{3}{2}\sin B =
      // \frac{1}{2}".
      if (first == 1 && i + 1 < terms.size() && !free_letters(terms[i]).empty()) continue;
      all = !terms[i].empty() && !has_relation(terms[i]) && compare(terms[i], b).equivalent;
    }
    if (all) return true;
  }
  return false;
}

bool states_the_extreme(std::string_view inequality, std::string_view value, bool larger,
                        const AnswerComparer& compare) {
  if (has_relation(value) || inequality.find_first_of("<>") == std::string_view::npos) {
    return false;
  }
  std::string n = normalize_answer(inequality, false);
  for (char op : {'<', '>'}) {
    std::vector<std::string_view> sides = split_top_level(n, std::string(1, op));
    if (sides.size() != 2 || n.find(op == '<' ? '>' : '<') != std::string::npos) continue;
    if (sides[0].empty() || sides[1].empty() || sides[1][0] == '=' || has_relation(sides[0]) ||
        has_relation(sides[1])) {
      return false;
    }
    // "a > b": a is the larger.
    std::string_view wanted = (op == '>') == larger ? sides[0] : sides[1];
    return compare(wanted, value).equivalent;
  }
  return false;
}

bool decimal_comma_matches(std::string_view a, std::string_view b,
                           const AnswerComparer& compare) {
  for (int swap = 0; swap < 2; ++swap, std::swap(a, b)) {
    std::string comma(trim(a));
    size_t at = comma.find(',');
    if (at == std::string::npos || at == 0 || comma.find(',', at + 1) != std::string::npos ||
        comma.size() - at - 1 == 0) {
      continue;
    }
    size_t sign = comma[0] == '-' ? 1 : 0;
    // Three digits after the comma group thousands ("1,000"), unless what comes before
    // cannot lead a number so grouped: "0,111", "1234,567".
    bool leads_thousands = at - sign <= 3 && !(at - sign == 1 && comma[sign] == '0');
    if (comma.size() - at - 1 == 3 && leads_thousands) continue;
    bool digits = at > sign;
    for (size_t i = sign; i < comma.size(); ++i) digits = digits && (i == at || is_digit(comma[i]));
    if (!digits) continue;
    comma[at] = '.';
    if (compare(comma, b).equivalent) return true;
  }
  return false;
}

bool chain_matches_list(std::string_view a, std::string_view b, const AnswerComparer& compare) {
  return chain_against_list(a, b, compare) || chain_against_list(b, a, compare);
}

bool expression_solves_equation(std::string_view expression, std::string_view equation,
                                const AnswerComparer& compare) {
  if (equation.find('=') == std::string_view::npos ||
      expression.find('=') != std::string_view::npos) {
    return false;
  }
  std::string e = normalize_answer(expression), q = normalize_answer(equation, false);
  if (e.empty() || has_relation(e) || !top_level_positions(e, ",").empty()) return false;
  std::vector<size_t> at = top_level_positions(q, "=");
  if (at.size() != 1 || !top_level_positions(q, ",").empty()) return false;
  std::string_view lhs = trim(std::string_view(q).substr(0, at[0]));
  std::string_view rhs = trim(std::string_view(q).substr(at[0] + 1));
  if (lhs.empty() || rhs.empty() || has_relation(lhs) || has_relation(rhs)) return false;
  std::string e_letters = free_letters(e), q_letters = free_letters(q);
  std::string missing;
  for (char c : q_letters) {
    if (e_letters.find(c) == std::string::npos) missing += c;
  }
  for (char c : e_letters) {
    if (q_letters.find(c) == std::string::npos) return false;
  }
  if (missing.size() != 1) return false;
  const char v = missing[0];
  const std::string put = "(" + e + ")";
  size_t left = 0, right = 0;
  std::string l = substitute_letter(lhs, v, put, &left);
  std::string r = substitute_letter(rhs, v, put, &right);
  if (left + right != 1) return false;
  // The letter to the first power ("y^2" no), and no function name ("f(n) = n").
  for (const std::string& side : {l, r}) {
    size_t at = side.find(put);
    if (at != std::string::npos && at + put.size() < side.size() &&
        (side[at + put.size()] == '^' || side[at + put.size()] == '(')) {
      return false;
    }
  }
  return compare(l, r).equivalent;
}

bool shared_value_matches_tuple(std::string_view a, std::string_view b,
                                const AnswerComparer& compare) {
  for (int swap = 0; swap < 2; ++swap, std::swap(a, b)) {
    if (std::count(a.begin(), a.end(), '=') < 2 || b.find(',') == std::string_view::npos) continue;
    std::string chain = normalize_answer(a, false), tuple = normalize_answer(b);
    std::vector<std::string_view> parts = split_top_level(chain, "=");
    if (parts.size() < 3 || parts.size() > kMaxTerms) continue;
    std::string_view value = parts.back();
    parts.pop_back();
    bool names = std::all_of(parts.begin(), parts.end(), [](std::string_view part) {
      return !part.empty() && leading_name(part).size() == part.size();
    });
    if (!names || value.empty() || has_relation(value)) continue;
    std::string_view inside = tuple;
    if (inside.size() > 2 && inside.front() == '(' && matching_paren(inside, 0) == inside.size() - 1) {
      inside = inside.substr(1, inside.size() - 2);
    }
    std::vector<std::string_view> items = split_top_level(inside, ",");
    if (items.size() != parts.size()) continue;
    if (std::all_of(items.begin(), items.end(), [&](std::string_view item) {
          return compare(item, value).equivalent;
        })) {
      return true;
    }
  }
  return false;
}

}  // namespace s1
