// Question-aware rules for the equivalences that comparing two normalised answers misses
// (see math_equivalence.h, which applies them): an angle in degrees against radians, the
// answer inside a sentence or behind labels ("Alice wins.", "Max: 9, Min: 2",
// "3 apples and 5 pears"), the order a question asks for, a stated precision
// ("to the nearest hundredth"), a decimal's own precision ("6.46" for
// "\frac{84}{13}"), a renamed variable ("f(z) = z" for "f(x) = x"), an ordering chain
// against a list and an equation against an expression. Rewrites that need no question
// (repeating decimals, empty sets, assignments, units, ratios, set-builder sets, Unicode,
// "infinitely many") live in latex_normalize.h and latex_forms.h.
//
// All functions are pure and thread-safe; work is linear in the input sizes plus a bounded
// number of answer comparisons. They never throw except std::bad_alloc.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/question_cues.h"

namespace s1 {

struct EquivalenceResult;

// Compares two answers without the rules (the plain comparison of math_equivalence.h).
using AnswerComparer = std::function<EquivalenceResult(std::string_view, std::string_view)>;

// Applies the rules to `predicted` and `gold` given `plain`, the plain comparison's result,
// and returns the verdict, naming the deciding rule in EquivalenceResult::rule:
//  - "order", "labels": values put in the order the question asks for them;
//  - "sentence": a bare "Yes" or "No" against the same said in words ("No, it cannot be
//    done.", "Impossible", "It is not possible"); the gold's words inside a sentence
//    answer (or the other way round) whose
//    other words are filler or, with the question known, any words but an alternative the
//    question offers, a negation ("not", "loses") or a qualifier ("and", "if"); math only
//    before the answer ("The function f(x+1)-1 is odd."); the same content words ("Player
//    1", "the first player"); a sentence restating a yes-or-no question for "Yes" or
//    denying it for "No" (answer_words.h);
//  - "angle": degrees against radians when the question asks for an angle, or when one side
//    is marked in degrees and the other is a multiple of \pi and the question asks for no
//    other measure (a length, an area, a time...);
//  - "precision": both rounded to the precision the question states (both already rounded
//    when rounding is the question's task: "Round 6287215 to the nearest ten thousand.");
//  - "decimal comma": "3,14" against "3.14" (answer_forms.h);
//  - "units": a quantity in several units against a number in one of them, or in other
//    units ("2 hours and 30 minutes" for "2.5" or "150 minutes"; answer_units.h);
//  - "rounding": one answer is a decimal and the other an exact value (no decimal) that
//    rounds to it at the decimal's places, or with four significant digits or more is cut
//    off to it (never a looser tolerance; answer_forms.h);
//  - "rename": each side has one variable, named differently, and one defines a function
//    of it ("f(z) = z") or both are \pi families in k, m or n ("n\pi" for "k\pi"); or a
//    function's constant named otherwise ("f(x) = cx" for "f(x) = kx");
//  - "chain": an ordering "b < a < d < c" against the list "b, a, d, c" (answer_forms.h);
//  - "names": names sharing one value against a tuple ("x = y = z = 1" for "(1, 1, 1)");
//  - "restated": one answer written two ways joined by "or", each way equal to the other
//    answer with these rules ("\frac{1}{4} \text{ or } 25\%" for "\frac14");
//  - "computation": "\frac{10}{2} = 5" against "5", terms without letters joined by "="
//    that each equal the other answer (answer_forms.h);
//  - "equation": an equation against the expression of the one variable it defines
//    ("-4x^2 + 4x - 2" for "y + 1 = -(2x - 1)^2"; answer_forms.h);
//  - "clock": when the question asks for a time of day, two clock times ("2:30 PM",
//    "14:30") are the same time or not (a ratio would make "2:30" and "1:15" equal); this
//    rule decides either way;
//  - "choice": the same lettered choices, picked as "B", "(B) 2", "B: 2" or several as "AC",
//    "A, C", when the question offers lettered choices (answer_words.h);
//  - "comparison": "2^{100} > 3^{60}" against "2^{100}" when the question asks which is
//    larger (or the smaller one, when it asks that; answer_forms.h);
//  - "fraction": the fraction "\frac{221}{8}" against the pair "221, 8" when the question
//    asks for the two letters of a fraction it writes (QuestionCues::fraction_letters).
// "labels" also takes named values against a bare list in any order when the question
// names them but the part that asks does not ("Paolo: 18, Qing: 14, Rayna: 7" for
// "7, 14, 18" when it asks "Determine their ages.").
// The order and labels rules decide even against an "equal" plain verdict when the
// question fixes the order; the others only turn "not equal" into "equal". Each rule is
// symmetric in its two answers.
EquivalenceResult apply_answer_rules(std::string_view predicted, std::string_view gold,
                                     const QuestionCues& cues, const EquivalenceResult& plain,
                                     const AnswerComparer& compare);

}  // namespace s1
