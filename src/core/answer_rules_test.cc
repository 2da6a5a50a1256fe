#include "core/answer_rules.h"

#include <gtest/gtest.h>

#include <string>

#include "core/math_equivalence.h"

namespace s1 {
namespace {

// Questions the pairs below are graded against ("" : no question known).
constexpr const char* kNone = "";
constexpr const char* kAngle = "In triangle $ABC$, $AB = AC$. Find the measure of angle $A$.";
constexpr const char* kAngleDegrees = "Find the angle between the two vectors, in degrees.";
constexpr const char* kAngleRadians = "Find the angle $\\theta$, in radians.";
constexpr const char* kArcLength = "A circle has radius 1. Find the length of the arc.";
constexpr const char* kLengthAfterAngle =
    "In right triangle $ABC$, $\\angle C = 90^\\circ$ and $AB = 10$. Find the length of $BC$.";
constexpr const char* kMinutes = "How many minutes does the trip take?";
constexpr const char* kTriangleType = "What type of triangle is $ABC$?";
constexpr const char* kGame =
    "Alice and Bob take turns removing stones. Who has a winning strategy, Alice or Bob?";
constexpr const char* kParity =
    "Is $f(x) = x^4 + \\cos x$ an even function, an odd function, or neither? Enter \"odd\", "
    "\"even\", or \"neither\".";
constexpr const char* kMaxMin =
    "Find the maximum and minimum values of $f(x) = x^2 - 2x + 3$ on $[0, 4]$, in that order.";
constexpr const char* kMinMax = "Find the minimum and maximum values of $f$ on $[0, 4]$.";
constexpr const char* kLargestSmallest = "What are the largest and the smallest roots?";
constexpr const char* kFruit =
    "A basket holds apples and pears, 8 fruits in all. How many apples and how many pears are "
    "there?";
constexpr const char* kStudents = "How many students are in the class?";
constexpr const char* kXY = "Find $x$ and $y$.";
constexpr const char* kPair = "Find the ordered pair $(a, b)$.";
constexpr const char* kMaxOnly = "Find the maximum value of $f$.";
constexpr const char* kHundredthKg =
    "How many kilograms of flour are left? Round your answer to the nearest hundredth.";
constexpr const char* kHundredth = "Express your answer as a decimal to the nearest hundredth.";
constexpr const char* kWhole = "How far did she walk? Round to the nearest whole number.";
constexpr const char* kTenth = "Give the area to the nearest tenth.";
constexpr const char* kThreePlaces = "Give your answer to three decimal places.";
constexpr const char* kSigFigs = "Express the result to 3 significant figures.";
constexpr const char* kHundreds = "About how many people came? Round to the nearest hundred.";
constexpr const char* kOneDecimal = "Give your answer to 1 decimal.";
constexpr const char* kAsDecimal = "Express your answer as a decimal.";
constexpr const char* kHours = "How many hours does the trip take?";
constexpr const char* kRoundTask = "Round $6287215$ to the nearest ten thousand.";
constexpr const char* kRoundTaskTenth = "Round 3.14159 to the nearest tenth.";
constexpr const char* kTwoPlacesZh = "\u7ed3\u679c\u4fdd\u7559\u4e24\u4f4d\u5c0f\u6570";  // keep 2 places
constexpr const char* kWrappers =
    "Petya and Vasya take candy wrappers in turns. Who will get the last, sixth wrapper?";
constexpr const char* kTransformed =
    "Let $f(x) = (x-1)^3 + 1$. Is the function $f(x+1) - 1$ odd, even, or neither?";
constexpr const char* kTournament =
    "In a round-robin chess tournament without draws, how many participants must there be "
    "for every player to finish with the same number of points?";
constexpr const char* kOrdering =
    "If $a=\\sin(\\sin 2013^\\circ)$, $b=\\sin(\\cos 2013^\\circ)$, $c=\\cos(\\sin 2013^\\circ)$ and "
    "$d=\\cos(\\cos 2013^\\circ)$, then the order from smallest to largest of $a$, $b$, $c$ and $d$ "
    "is \\_\\_\\_.";
constexpr const char* kLocus =
    "Find the equation of the locus of the midpoint of the chord cut from the parabola "
    "$y = -2x^2$.";
constexpr const char* kZeros = "How many zeros does $f(x) = \\cos(\\log x)$ have on $0 < x < 1$?";
constexpr const char* kAges =
    "Qing is twice as old as Rayna. Qing is 4 years younger than Paolo. The average age of "
    "Paolo, Qing and Rayna is 13. Determine their ages.";
constexpr const char* kAgesNamed =
    "Qing is twice as old as Rayna. Qing is 4 years younger than Paolo. The average age of "
    "the three is 13. Find the ages of Paolo, Qing and Rayna.";
constexpr const char* kFraction =
    "Without using a calculator, determine positive integers $m$ and $n$ for which "
    "$\\sin^6 1^\\circ + \\sin^6 2^\\circ + \\cdots + \\sin^6 89^\\circ = \\frac{m}{n}$.";

constexpr const char* kTiling = "Can an $8 \\times 8$ board without two opposite corners be tiled "
                                "with dominoes?";

constexpr const char* kChoices = "Which of the following is correct? A: $1$ B: $2$ C: $3$ D: $4$";
constexpr const char* kChoicesLines = "Which is correct?\nA. $x>1$\nB. $x<1$\nC. $x=1$";
constexpr const char* kChoicesTwice = "Pick one: (A) 2 (B) 3 (C) 2";
constexpr const char* kLarger = "Which is larger, $2^{100}$ or $3^{60}$?";
constexpr const char* kSmaller = "Which is smaller, $2^{100}$ or $3^{60}$?";
constexpr const char* kCoins =
    "Peter wants to determine 5 genuine coins. Can Peter guaranteedly achieve this?";

constexpr const char* kSolutions = "How many solutions does the equation have?";
constexpr const char* kSpeed = "Find the speed of the train in km/h.";

constexpr const char* kMax = "Find the maximum value of $f(x) = -x^2 + 2x + 2$.";

constexpr const char* kArrival = "At what time does the train arrive?";

struct RulePair {
  const char* question;
  const char* predicted;
  const char* gold;
  bool equivalent;
};

// Pairs written for the classes that normalised comparison alone misses, each with traps
// in the other direction. Each row is checked both ways round.
const RulePair kRulePairs[] = {
    // Angles: degrees against radians, only when the question asks for an angle.
    {kAngle, "150^\\circ", "\\frac{5\\pi}{6}", true},
    {kNone, "\\angle C = \\frac{2\\pi}{3}", "120^\\circ", true},
    {kNone, "\\angle C = \\frac{2\\pi}{3}", "60^\\circ", false},
    {kNone, "m\\angle ABC = 30^\\circ", "\\frac{\\pi}{6}", true},
    {kNone, "[30^\\circ, 90^\\circ]", "\\left[\\frac{\\pi}{6}, \\frac{\\pi}{2}\\right]", true},
    {kNone, "[30^\\circ, 90^\\circ]", "\\left[\\frac{\\pi}{6}, \\frac{\\pi}{3}\\right]", false},
    {kNone, "(30^\\circ, 90^\\circ)", "\\left[\\frac{\\pi}{6}, \\frac{\\pi}{2}\\right]", false},
    {kAngle, "150^\\circ", "\\frac{7\\pi}{6}", false},
    {kAngle, "90°", "\\frac{\\pi}{2}", true},
    {kAngle, "120^{\\circ}", "\\frac{2\\pi}{3}", true},
    {kAngle, "30 degrees", "\\pi/6", true},
    {kAngle, "30^\\circ", "\\frac{\\pi}{3}", false},
    {kAngle, "180^\\circ", "\\pi", true},
    {kAngle, "\\frac{\\pi}{2}", "90^\\circ", true},
    {kAngle, "-45^\\circ", "-\\frac{\\pi}{4}", true},
    {kAngle, "-45^\\circ", "\\frac{\\pi}{4}", false},
    {kAngle, "360^\\circ", "2\\pi", true},
    {kAngle, "36^\\circ", "\\frac{\\pi}{5}", true},
    {kAngle, "72^\\circ", "\\frac{\\pi}{5}", false},
    {kAngle, "150", "\\frac{5\\pi}{6}", false},  // no degree mark, no "degrees" asked
    {kAngle, "150^\\circ", "150", true},
    {kAngle, "22.5^\\circ", "\\frac{\\pi}{8}", true},
    {kAngleDegrees, "\\frac{\\pi}{3}", "60", true},
    {kAngleDegrees, "\\frac{3\\pi}{4}", "135", true},
    {kAngleDegrees, "\\frac{3\\pi}{4}", "45", false},
    {kAngleRadians, "45^\\circ", "\\frac{\\pi}{4}", true},
    {kAngleRadians, "45^\\circ", "\\frac{\\pi}{2}", false},
    {kAngleRadians, "0.5236", "\\frac{\\pi}{6}", true},
    {kArcLength, "150^\\circ", "\\frac{5\\pi}{6}", false},
    {kArcLength, "60", "\\frac{\\pi}{3}", false},
    {kLengthAfterAngle, "60^\\circ", "\\frac{\\pi}{3}", false},
    {kMinutes, "60", "\\frac{\\pi}{3}", false},
    // A degree mark against a multiple of \pi needs no cue in the question.
    {kNone, "150^\\circ", "\\frac{5\\pi}{6}", true},
    {kNone, "90", "\\frac{\\pi}{2}", false},
    {kNone, "\\frac{\\pi}{6}", "30^\\circ", true},
    {kNone, "\\frac{\\pi}{6}", "60^\\circ", false},
    {kNone, "\\frac{\\pi}{6}", "30", false},
    {kNone, "C = \\frac{2\\pi}{3}", "120^\\circ", true},
    {kNone, "C = \\frac{2\\pi}{3}", "150^\\circ", false},
    {kNone, "30^\\textcirc", "\\frac{\\pi}{6}", true},
    // A count ("how many minutes") asks for no angle, degree mark or not.
    {kMinutes, "60^\\circ", "\\frac{\\pi}{3}", false},

    // The answer inside a sentence.
    {kGame, "Alice wins the game.", "Alice", true},
    {kGame, "Bob wins the game.", "Alice", false},
    {kGame, "Alice has a winning strategy.", "Alice", true},
    {kGame, "Alice does not have a winning strategy.", "Alice", false},
    {kGame, "Neither Alice nor Bob", "Alice", false},
    {kGame, "Alice loses the game.", "Alice", false},
    {kGame, "Alice wins, not Bob.", "Bob", false},
    {kGame, "\\text{Alice}", "Alice", true},
    {kGame, "Bob", "Alice", false},
    {kNone, "Alice wins the game.", "Alice", true},
    {kNone, "Bob wins the game.", "Alice", false},
    {kNone, "Alice never wins.", "Alice", false},
    {kParity, "The function is even.", "even", true},
    {kParity, "The function is odd.", "even", false},
    {kParity, "even", "odd", false},
    {kParity, "\\text{The function is even}", "\\text{even}", true},
    {kParity, "f is even", "even", true},
    {kParity, "f is odd", "even", false},
    {kParity, "The function is neither even nor odd.", "neither", true},
    {kParity, "The function is neither even nor odd.", "even", false},
    {kParity, "The function is even and odd.", "even", false},
    {kParity, "It is not even.", "even", false},
    {kNone, "The function is even.", "even", true},
    {kNone, "The function is odd.", "even", false},
    {kNone, "The answer is 42.", "42", true},
    {kNone, "The answer is 42.", "24", false},
    {kNone, "The final answer is $\\frac{3}{4}$.", "0.75", true},
    {kNone, "The final answer is $\\frac{3}{4}$.", "0.7", false},
    {kStudents, "There are 30 students.", "30", true},
    {kStudents, "There are 31 students.", "30", false},
    {kStudents, "30 students", "30", true},
    {kStudents, "It is not 30.", "30", false},

    // Labelled values: the order asked by the question decides.
    {kMaxMin, "Max: 9, Min: 2", "9, 2", true},
    {kMaxMin, "Min: 2, Max: 9", "9, 2", true},
    {kMaxMin, "\\text{Maximum} = 9, \\text{Minimum} = 2", "9, 2", true},
    {kMaxMin, "maximum 9, minimum 2", "9, 2", true},
    {kMaxMin, "The maximum is 9 and the minimum is 2.", "9, 2", true},
    {kMaxMin, "Max: 2, Min: 9", "9, 2", false},
    {kMaxMin, "Max: 9, Min: 3", "9, 2", false},
    {kMaxMin, "9, 2", "9, 2", true},
    {kMaxMin, "2, 9", "9, 2", false},
    {kMinMax, "9, 2", "2, 9", false},
    {kMinMax, "2, 9", "2, 9", true},
    {kMinMax, "Max: 9, Min: 2", "2, 9", true},
    {kMinMax, "Max: 9, Min: 2", "9, 2", false},
    {kMinMax, "\\text{min} = 2, \\text{max} = 9", "(2, 9)", true},
    {kLargestSmallest, "Largest: 5, smallest: -1", "5, -1", true},
    {kLargestSmallest, "-1, 5", "5, -1", false},
    {kNone, "Max: 9, Min: 2", "9, 2", true},
    {kNone, "Max: 9, Min: 2", "9, 3", false},
    {kXY, "y = 5, x = 3", "3, 5", true},
    {kXY, "y = 3, x = 5", "3, 5", false},
    {kXY, "x = 3, y = 5", "(3, 5)", true},
    {"If $y = 2x$ and $x + y = 3$, find $x$ and $y$.", "y = 2, x = 1", "(1, 2)", true},
    {"If $y = 2x$ and $x + y = 3$, find $x$ and $y$.", "x = 2, y = 1", "(1, 2)", false},
    {kPair, "b = 3, a = 2", "(2, 3)", true},
    {kPair, "b = 2, a = 3", "(2, 3)", false},
    {kMaxOnly, "The maximum is 9.", "9", true},
    {kMaxOnly, "The minimum is 9.", "9", false},
    {kNone, "at least 5", "5", false},
    {kNone, "more than 5", "5", false},
    {kNone, "about 5", "5", false},
    {kNone, "The answer is not 5.", "5", false},

    // Counts with their nouns.
    {kFruit, "3 apples and 5 pears", "3, 5", true},
    {kFruit, "5 pears and 3 apples", "3, 5", true},
    {kFruit, "3 pears and 5 apples", "3, 5", false},
    {kFruit, "3 apples and 5 pears", "5, 3", false},
    {kFruit, "There are 3 apples and 5 pears.", "3, 5", true},
    {kFruit, "3 apples, 5 pears", "(3, 5)", true},
    {kFruit, "3 apples and 6 pears", "3, 5", false},
    {kNone, "3 apples and 5 pears", "3, 5", true},
    {kNone, "3 apples and 6 pears", "3, 5", false},
    {kNone, "5 apples", "5", true},
    {kNone, "5 apples", "6", false},

    // An equation against its solved or expanded form.
    {kNone, "y - 2 = 3(x + 1)^2", "y = 3x^2 + 6x + 5", true},
    {kNone, "y - 2 = 3(x + 1)^2", "y = 3x^2 + 6x + 4", false},
    {kNone, "y = 2x + 3", "2x - y + 3 = 0", true},
    {kNone, "y = 2x + 3", "2x - y - 3 = 0", false},
    {kNone, "x^2 + y^2 = 25", "y^2 = 25 - x^2", true},
    {kNone, "x^2 + y^2 = 25", "y^2 = 25 + x^2", false},
    {kNone, "(x-1)^2 + (y+2)^2 = 9", "x^2 - 2x + y^2 + 4y - 4 = 0", true},
    {kNone, "(x-1)^2 + (y+2)^2 = 9", "x^2 - 2x + y^2 + 4y + 4 = 0", false},
    {kNone, "y = \\frac{1}{2}x + 1", "x - 2y + 2 = 0", true},
    {kNone, "y=-\\frac{3}{4}x+\\frac{5}{2}", "3x + 4y = 10", true},
    {kNone, "y = x^2", "y = -x^2", false},
    {kNone, "2y = 4x + 6", "y = 2x + 3", true},
    {kNone, "y - 1 = 2(x - 3)", "y = 2x - 5", true},
    {kNone, "y - 1 = 2(x - 3)", "y = 2x - 7", false},
    {kNone, "z = x + y", "x + y - z = 0", true},
    {kNone, "\\frac{x^2}{4} + \\frac{y^2}{9} = 1", "9x^2 + 4y^2 = 36", true},
    {kNone, "\\frac{x^2}{4} + \\frac{y^2}{9} = 1", "4x^2 + 9y^2 = 36", false},

    // Numbers with units and a stated precision.
    {kHundredthKg, "4.517\\ \\mathrm{kg}", "4.52", true},
    {kHundredthKg, "4.514\\ \\mathrm{kg}", "4.52", false},
    {kHundredthKg, "4.52\\text{ kg}", "4.52", true},
    {kNone, "4.517\\ \\mathrm{kg}", "4.517", true},
    {kNone, "4.517\\ \\mathrm{kg}", "4.52", false},  // no precision stated
    {kHundredth, "3.14159", "3.14", true},
    {kHundredth, "\\pi", "3.14", true},
    {kHundredth, "3.15", "3.14", false},
    {kHundredth, "\\frac{1}{3}", "0.33", true},
    {kHundredth, "\\frac{1}{3}", "0.34", false},
    {kWhole, "12.4", "12", true},
    {kWhole, "11.5", "12", true},
    {kWhole, "12.6", "12", false},
    {kTenth, "7.06", "7.1", true},
    {kTenth, "7.14", "7.2", false},
    {kThreePlaces, "0.33333", "0.333", true},
    {kThreePlaces, "\\frac{1}{3}", "0.333", true},
    {kThreePlaces, "0.334", "0.333", false},
    {kSigFigs, "0.012345", "0.0123", true},
    {kSigFigs, "12345", "12300", true},
    {kSigFigs, "0.0124", "0.0123", false},
    {kHundreds, "1234", "1200", true},
    {kHundreds, "1250", "1300", true},
    {kHundreds, "1234", "1300", false},
    {kOneDecimal, "3.46", "3.5", true},
    {kRoundTask, "6290000", "6290000", true},
    {kRoundTask, "6287000", "6290000", false},  // rounding is the task: not done
    {kRoundTaskTenth, "3.1", "3.1", true},
    {kRoundTaskTenth, "3.14", "3.1", false},
    {kOneDecimal, "3.44", "3.5", false},
    {kTwoPlacesZh, "1.414", "1.41", true},
    {kTwoPlacesZh, "1.416", "1.41", false},
    {kAsDecimal, "3.46", "3.5", false},  // "a decimal" states no count
    {kNone, "9.8\\,\\mathrm{m/s^2}", "9.8", true},
    {kNone, "9.8\\,\\mathrm{m/s^2}", "9.9", false},
    {kNone, "20\\text{ km/h}", "20", true},
    {kNone, "20\\text{ km/h}", "25", false},
    {kNone, "3\\,\\mathrm{N}", "3", true},

    // Solution sets written as assignments.
    {kNone, "(x, y) = (100, 0.1) \\text{ or } (10, 1)", "\\{(10^2, 10^{-1}), (10, 1)\\}", true},
    {kNone, "(x, y) = (100, 0.1) \\text{ or } (10, 2)", "\\{(10^2, 10^{-1}), (10, 1)\\}", false},
    {kNone, "(x,y) = (1, 2)", "(1, 2)", true},
    {kNone, "(x,y) = (2, 1)", "(1, 2)", false},
    {kNone, "(x, y) = (1, 2) \\text{ or } (x, y) = (3, 4)", "(1,2), (3,4)", true},
    {kNone, "(x, y) = (1, 2) \\text{ or } (x, y) = (3, 5)", "(1,2), (3,4)", false},
    {kNone, "(a, b, c) = (1, 2, 3)", "(1,2,3)", true},
    {kNone, "(x, y) = (x, 2x)", "(1, 2)", false},
    {kNone, "(x, y) \\in \\{(1, 2), (3, 4)\\}", "\\{(3,4), (1,2)\\}", true},
    {kNone, "x = 2 \\text{ or } x = 3", "\\{2, 3\\}", true},
    {kNone, "x = 2 \\text{ or } x = -3", "\\{2, 3\\}", false},

    // Empty sets.
    {kNone, "\\{\\}", "\\emptyset", true},
    {kNone, "\\varnothing", "\\emptyset", true},
    {kNone, "\\{\\ \\}", "\\varnothing", true},
    {kNone, "\\text{no solution}", "\\emptyset", true},
    {kNone, "\\text{No solutions}", "\\varnothing", true},
    {kNone, "no real solutions", "\\emptyset", true},
    {kNone, "There are no solutions.", "\\emptyset", true},
    {kNone, "no solution", "\\text{none}", true},
    {kNone, "x \\in \\emptyset", "\\emptyset", true},
    {kNone, "\\emptyset", "\\{0\\}", false},
    {kNone, "\\{\\}", "0", false},
    {kNone, "\\emptyset", "\\{\\emptyset\\}", false},
    {kNone, "\\emptyset", "(-\\infty, \\infty)", false},
    {kNone, "no solution", "1", false},

    // Repeating decimals.
    {kNone, "0.\\overline{6}", "\\frac{2}{3}", true},
    {kNone, "0.\\overline{3}", "\\frac{2}{3}", false},
    {kNone, "0.\\overline{142857}", "\\frac{1}{7}", true},
    {kNone, "1.2\\overline{3}", "\\frac{37}{30}", true},
    {kNone, "0.1\\overline{6}", "\\frac{1}{6}", true},
    {kNone, "0.\\overline{12}", "\\frac{4}{33}", true},
    {kNone, "0.\\overline{12}", "\\frac{12}{100}", false},
    {kNone, "0.\\overline{9}", "1", true},
    {kNone, "2.\\overline{5}", "\\frac{23}{9}", true},
    {kNone, "-0.\\overline{3}", "-\\frac{1}{3}", true},
    {kNone, "0.\\dot{6}", "\\frac23", true},
    {kNone, "0.666\\ldots", "\\frac{2}{3}", true},
    {kNone, "0.666\\ldots", "0.666", false},
    {kNone, "0.\\overline{6}", "0.6", false},

    // Ratios.
    {kNone, "2:1", "2", true},
    {kNone, "5:8", "\\frac{5}{8}", true},
    {kNone, "1 : (4/3)", "\\frac{3}{4}", true},
    {kNone, "10:16", "5:8", true},
    {kNone, "5:8", "\\frac{8}{5}", false},
    {kNone, "2:1", "\\frac{1}{2}", false},
    {kNone, "3:2", "2", false},
    {kNone, "1:2:3", "\\frac{1}{6}", false},
    {kNone, "3\\colon 4", "\\frac{3}{4}", true},
    {kNone, "BD:DC = 1:3", "\\frac{1}{3}", true},
    {kNone, "\\frac{BD}{DC} = \\frac{1}{3}", "1:3", true},
    {kNone, "V_{1}:V_{2} = 11:21", "\\frac{11}{21}", true},
    {kNone, "BD:DC = 1:3", "\\frac{1}{2}", false},
    {kNone, "\\frac{BD}{DC} = \\frac{1}{3}", "3:1", false},
    {kNone, "1 \\text{ to } 3", "1:3", true},
    {kNone, "1 \\text{ to } 3", "3:1", false},
    {kNone, "2:4:6", "1:2:3", true},
    {kNone, "2:4:6", "1:3:2", false},
    {kNone, "2:4:7", "1:2:3", false},

    // Set-builder sets against intervals.
    {kNone, "\\{x \\mid 2 < x < 3\\}", "(2, 3)", true},
    {kNone, "\\Big\\{x | 2 < x < 3\\Big\\}", "(2, 3)", true},
    {kNone, "\\{x|-2<x<3\\}", "(-2,\\ 3)", true},
    {kNone, "\\{x \\in \\mathbb{R} : x > 0\\}", "(0, \\infty)", true},
    {kNone, "\\{x \\mid 2 < x < 3\\}", "(2, 4)", false},
    {kNone, "\\{x \\mid 2 \\le x < 3\\}", "(2, 3)", false},
    {kNone, "\\{x \\mid x < -1 \\text{ or } x > 2\\}", "(-\\infty, -1) \\cup (2, \\infty)", true},
    {kNone, "\\{x \\mid x < -1 \\text{ or } x > 2\\}", "(-\\infty, -1] \\cup (2, \\infty)", false},
    {kNone, "\\{x \\mid x \\neq 1\\}", "(-\\infty, 1) \\cup (1, \\infty)", true},
    {kNone, "\\{x \\mid x \\neq 1\\}", "(-\\infty, 2) \\cup (2, \\infty)", false},
    {kNone, "\\{x \\mid x \\neq 1\\}", "(-\\infty, 1] \\cup (1, \\infty)", false},
    // ... with a point removed, and sets less a point.
    {kNone, "\\{x \\mid 1 \\le x < 5, x \\neq 3\\}", "[1, 3) \\cup (3, 5)", true},
    {kNone, "\\{x \\mid 1 \\le x < 5 \\text{ and } x \\neq 3\\}", "[1, 5) \\setminus \\{3\\}", true},
    {kNone, "\\{x \\mid 5 > x \\geq 1, x \\ne 3\\}", "[1, 3) \\cup (3, 5)", true},
    {kNone, "\\{x \\mid x > 1, x \\ne 2\\}", "(1, 2) \\cup (2, \\infty)", true},
    {kNone, "\\{x \\mid 1 \\le x < 5, x \\neq 3\\}", "[1, 3] \\cup (3, 5)", false},
    {kNone, "\\{x \\mid 1 \\le x < 5, x \\neq 3\\}", "[1, 4) \\cup (4, 5)", false},
    {kNone, "\\{x \\mid 1 \\le x < 5, x \\neq 3\\}", "[1, 5)", false},
    {kNone, "\\mathbb{R} \\setminus \\{2\\}", "(-\\infty, 2) \\cup (2, +\\infty)", true},
    {kNone, "\\mathbb{R} \\setminus \\{2\\}", "(-\\infty, 3) \\cup (3, +\\infty)", false},
    {kNone, "(0, 2) \\backslash \\{1\\}", "(0, 1) \\cup (1, 2)", true},
    {kNone, "(0, 2) \\backslash \\{1\\}", "(0, 1] \\cup (1, 2)", false},
    {kNone, "\\{x|x<-1\\text{\u6216}x>3\\}", "(-\\infty, -1) \\cup (3, +\\infty)", true},
    {kNone, "\\{x|x<-1\\text{\u6216}x>3\\}", "(-\\infty, -1] \\cup (3, +\\infty)", false},

    // Decimals of another precision stay unequal without a stated precision.
    {kNone, "165.5", "165.47", false},
    {kNone, "117.95\\%", "118\\%", false},
    {kNone, "2.65", "2.653", false},
    {kTenth, "165.47", "165.5", true},
    {kNone, "17 + 10\\sqrt{6}", "41.495", true},  // the rounding rule one way, 1e-4 the other

    // "\approx" trailers and chains of equalities.
    {kNone, "\\frac{1+\\sqrt{97}}{8} \\approx 1.36", "\\frac{1 + \\sqrt{97}}{8}", true},
    {kNone, "\\frac{1+\\sqrt{97}}{8} \\approx 1.36", "\\frac{1 + \\sqrt{98}}{8}", false},
    {kNone, "\\frac{6^6 - 5^6}{6^5} \\approx 3.99", "\\frac{31031}{7776}", true},
    {kNone, "\\frac{6^6 - 5^6}{6^5} \\approx 3.99", "\\frac{31031}{7777}", false},
    {kNone, "\\approx 1.36", "1.36", true},
    {kNone, "x \\approx 11", "11", true},  // a name given a value
    {kNone, "AB \\approx 2.5", "2.5", true},
    {kNone, "x \\approx 11", "12", false},
    // Quantities in several units, or in other units.
    {kHours, "2 \\text{ hours and } 30 \\text{ minutes}", "2.5", true},
    {kHours, "2 hours 30 minutes", "150 \\text{ minutes}", true},
    {kHours, "2 hours 30 minutes", "2.3", false},
    {kNone, "24 sq. cm", "24", true},
    {kNone, "24 m^{2}", "24", true},
    {kNone, "24 L", "24", true},
    {kNone, "a m", "a", false},
    // A bound is not the value.
    {kNone, "7 \\text{ or more}", "7", false},
    {kNone, "7 \\text{ at most}", "7", false},
    {kNone, "\\text{at least } 7", "7", false},
    // Counts with letters, classes of numbers, qualifiers naming a constant.
    {kNone, "C_n^2", "\\frac{n(n-1)}{2}", true},
    {kNone, "C_{2n}^{n}", "\\binom{2n}{n}", true},
    {kNone, "C_n^2", "n^2", false},
    {kNone, "\\text{odd numbers}", "\\text{odd}", true},
    {kNone, "\\text{odd numbers}", "\\text{even}", false},
    {kNone, "f(x) = kx \\text{ where } k \\text{ is a constant}", "f(x) = cx", true},
    {kNone, "f(x) = x^2 + c", "f(x) = x^2 + C", true},
    {kNone, "f(x) = cx", "f(x) = cx^2", false},
    {kNone, "f(x) = cx + 1", "f(x) = kx", false},
    {kNone, "f(x) = x + c", "f(x) = x + y", false},  // y is no constant's letter
    // Names sharing one value against a tuple; quantifier leads.
    {kNone, "x = y = z = 1", "(1, 1, 1)", true},
    {kNone, "a = b = c = \\frac12", "\\frac12, \\frac12, \\frac12", true},
    {kNone, "x = y = z = 1", "(1, 1)", false},
    {kNone, "x = y = z = 1", "(1, 1, 2)", false},
    {kNone, "\\text{All } n \\geq 3", "n \\geq 3", true},
    {kNone, "\\text{all integers } n \\geq 3", "[3, \\infty)", true},
    {kNone, "\\text{All } n \\geq 3", "n \\geq 4", false},
    {kNone, "n = 1 \\text{ only}", "1", true},
    // Sets of numbers in words.
    {kNone, "\\text{all integers}", "\\mathbb{Z}", true},
    {kNone, "\\mathbb{N}^*", "\\text{all positive integers}", true},
    {kNone, "n \\in \\mathbb{Z}^+", "\\text{all positive integers}", true},
    {kNone, "\\mathbb{N}", "\\mathbb{Z}^+", false},
    {kNone, "\\text{all integers}", "\\text{all positive integers}", false},
    // One answer written two ways.
    {kNone, "\\frac{1}{4} \\text{ or } 25\\%", "\\frac14", true},
    {kNone, "60^\\circ \\text{ or } \\frac{\\pi}{3}", "\\frac{\\pi}{3}", true},
    {kNone, "2 \\text{ or } 3", "2", false},
    {kNone, "\\frac{1}{4} \\text{ or } 25\\%", "25", false},
    {kNone, "[ABC] = 12", "12", true},
    // A two-word answer turned round in a sentence.
    {kTriangleType, "The triangle is isosceles.", "isosceles triangle", true},
    {kTriangleType, "The triangle is not isosceles.", "isosceles triangle", false},
    {kTriangleType, "The triangle is equilateral.", "isosceles triangle", false},
    {kNone, "x = y = z = \\frac{\\sqrt 2}{2}", "\\frac{\\sqrt 2}{2}", true},
    {kNone, "x = y = z = \\frac{\\sqrt 2}{2}", "\\frac{\\sqrt 3}{2}", false},
    {kNone, "x = y = 2x", "2", false},
    // Values named alike must agree name by name.
    {kNone, "a=2, b=3", "a=3, b=2", false},
    {kNone, "a=2, b=3", "b=3, a=2", true},
    {kNone, "x = 1, y = 2", "x = 1, y = 3", false},
    // Systems of equations as lists.
    {kNone, "\\begin{cases} x = 1 \\\\ y = 2 \\end{cases}", "(1, 2)", true},
    {kNone, "\\left\\{\\begin{array}{l} x=1 \\\\ y=2 \\end{array}\\right.", "x=1, y=2", true},
    {kNone, "\\begin{cases} x = 1 \\\\ y = 2 \\end{cases}", "(1, 3)", false},
    {kNone, "\\begin{cases} x & x > 0 \\\\ -x & x \\le 0 \\end{cases}", "x", false},
    // A chain less a point without braces.
    {kNone, "-1 < x < 1, x \\neq 0", "(-1, 0) \\cup (0, 1)", true},
    {kNone, "-1 < x < 1 \\text{ and } x \\neq 0", "(-1, 1)", false},
    {kNone, "AB = BC = 2", "2", true},
    {kNone, "\\cos \\alpha = \\frac{3}{5}", "\\frac{3}{5}", true},
    {kNone, "\\cos \\alpha = \\frac{3}{5}", "\\frac{4}{5}", false},
    {kNone, "f(x)_{\\min} = -1", "-1", true},
    {kNone, "|\\overrightarrow{AB}| = 2\\sqrt{2}", "\\sqrt{8}", true},
    {kNone, "\\langle 1, 2, 3 \\rangle", "(1, 2, 3)", true},
    {kNone, "\\langle 1, 2, 3 \\rangle", "(1, 3, 2)", false},
    {kNone, "\\{1; 2\\}", "\\{1, 2\\}", true},
    {kNone, "|AB| = 5", "5", true},
    {kNone, "\\frac{10}{2} = 5", "5", true},
    {kNone, "2 + 3 = 5", "6", false},
    {kNone, "2 + 3 = 6", "6", false},
    {kNone, "2x = 6", "6", false},

    // Unicode and HTML math.
    {kNone, "(-\u221e, -3) \u222a (3, +\u221e)", "(-\\infty, -3) \\cup (3, \\infty)", true},
    {kNone, "(-\u221e, -3) \u222a (3, +\u221e)", "(-\\infty, -3) \\cup [3, \\infty)", false},
    {kNone, "2 \u00d7 10^(-10)", "2 \\times 10^{-10}", true},
    {kNone, "2 \u00d7 10^(-10)", "2 \\times 10^{-9}", false},
    {kNone, "3<sup>x</sup>", "3^x", true},
    {kNone, "3<sup>x</sup>", "3x", false},
    {kNone, "x \uff1e 2", "(2, \\infty)", true},
    {kNone, "\\frac{6\\sqrt{5}}{5}\u3002", "\\frac{6\\sqrt{5}}{5}", true},  // a full stop "。"
    {kNone, "\\frac{\\sqrt{3}}{3}.\u200b", "\\frac{\\sqrt{3}}{3}", true},    // a zero-width space
    {kNone, "\\frac{6\\sqrt{5}}{5}\u3002", "\\frac{6\\sqrt{3}}{5}", false},
    {kNone, "x \u2265 2", "[2, \\infty)", true},
    {kNone, "x \u2265 2", "(2, \\infty)", false},
    {kNone, "[k\u03c0 - \\frac{5\u03c0}{12}, k\u03c0 + \\frac{\u03c0}{12}]",
     "[k\\pi - \\frac{5\\pi}{12}, k\\pi + \\frac{\\pi}{12}]", true},
    {kNone, "\u2461\u2462", "2, 3", true},
    {kNone, "\u2460 \u2462", "1, 3", true},
    {kNone, "\u2461\u2462", "2, 4", false},
    {kNone, "\u2461\u2462", "23", false},
    {kNone, "\\tan^{-1} x", "\\arctan x", true},
    {kNone, "\\tan^{-1} x", "\\cot x", false},
    {kNone, "2\u00d710\u207b\u00b9\u2070", "2 \\times 10^{-10}", true},
    {kNone, "2\u00d710\u207b\u2079", "2 \\times 10^{-10}", false},
    {kNone, "x\u00b2\u2070", "x^{20}", true},
    {kNone, "x\u00b2\u2070", "x^{2}", false},
    {kNone, "a\u2081\u2082", "a_{12}", true},
    {kNone, "\u221a(3)", "\\sqrt{3}", true},
    {kNone, "\u221a(3)+1", "\\sqrt{4}", false},
    {kNone, "\u00bd", "\\frac{1}{2}", true},
    {kNone, "1\u00bd", "\\frac{3}{2}", true},
    {kNone, "\u2153", "\\frac{1}{2}", false},
    {kNone, "3\u20444", "\\frac{3}{4}", true},
    {kNone, "3\u20444", "\\frac{4}{3}", false},
    {kNone, "x \u2208 \u211d", "x \\in \\mathbb{R}", true},
    {kNone, "\\(\\boxed{1}\\) and \\(\\boxed{-2}\\).", "1, -2", true},
    {kNone, "\\(1\\) and \\(-2\\)", "1, 2", false},
    {kNone, "(0;-2;6),(4;0;0)", "(0, -2, 6), (4, 0, 0)", true},
    {kNone, "-12;-11;-10", "\\{-12, -11, -10\\}", true},
    {kNone, "(0;-2;6)", "(0, 2, 6)", false},
    {kNone, "\\sin^{-1}(\\frac{1}{2})", "\\frac{\\pi}{6}", true},
    {kNone, "-x + \\frac{4}{\\sqrt{5}} \\tan^{-1}\\left( \\frac{\\tan x}{\\sqrt{5}} \\right) + C",
     "-x + \\frac{4}{\\sqrt{5}} \\arctan \\left( \\frac{\\tan x}{\\sqrt{5}} \\right) + C", true},

    // Named functions, wrappers and renamed variables.
    {kNone, "f(z) = z", "f(x) = x", true},
    {kNone, "f(z) = 2z", "f(x) = x", false},
    {kNone, "g(x) = x^2 - 2x + 2", "x^2 - 2x + 2", true},
    {kNone, "g(x) = x^2 - 2x + 2", "x^2 - 2x + 3", false},
    {kNone, "\\[ f(x) = x + 1 \\]", "x + 1", true},
    {kNone, "\\[ f(x) = x + 1 \\]", "x - 1", false},
    // A body with \left( or \angle is a body ("le" inside a command is no inequality);
    // one with \le or \ge is a condition, not a definition.
    {kNone, "g(x) = \\left(x + 1\\right)^2", "(x+1)^2", true},
    {kNone, "g(x) = \\left(x + 1\\right)^2", "(x+2)^2", false},
    {kNone, "g(x) = x \\le 3", "x", false},
    {kNone, "f(x) = 1 \\text{ for all } x \\in \\mathbb{Q}_{>0}", "f(x)=1", true},
    {kNone, "f(x) = 2 \\text{ for all } x", "f(x)=1", false},
    {kNone, "x = k\\pi", "n\\pi", true},
    {kNone, "x = k\\pi, k \\in \\mathbb{Z}", "n\\pi", true},
    {kNone, "x = \\frac{k\\pi}{2} \\ (k \\in \\mathbb{Z})", "\\frac{n\\pi}{2}", true},
    {kNone, "x = k\\pi", "2n\\pi", false},
    {kNone, "x = k\\pi", "x\\pi", false},
    {kNone, "z", "x", false},
    {kNone, "x + y", "x + z", false},

    // Ordinals and units in words.
    {kNone, "12^{\\mathrm{th}}", "12", true},
    {kNone, "12^{\\mathrm{th}}", "11", false},
    {kNone, "15th Day", "15", true},
    {kNone, "15th Day", "16", false},
    {kNone, "21st", "21", true},
    {kNone, "fifteen", "15", true},
    {kNone, "\\text{Twenty-one days}", "21", true},
    {kNone, "sixteen", "15", false},
    {kNone, "15 km/h", "15", true},
    {kNone, "15\\ \\text{km/h}", "16", false},
    {kNone, "9\\pi \\text{ cm}^2", "9\\pi", true},
    {kNone, "4\\pi\\ \\mathrm{cm}^{2}", "12.57", true},
    {kNone, "9\\pi \\text{ cm}^2", "9", false},
    {kNone, "2\\pi m", "2\\pi", false},  // m may be a variable

    // Sentences with words of their own, and a math subject.
    {kWrappers, "Petya will receive the last token.", "Petya", true},
    {kWrappers, "Petya will not receive the last token.", "Petya", false},
    {kWrappers, "Vasya will receive the last token.", "Petya", false},
    {kWrappers, "Petya and Vasya", "Petya", false},
    {kWrappers, "Petya, if the numbers are positive.", "Petya", false},
    {kWrappers, "Petya loses the last token.", "Petya", false},
    {kTransformed, "The transformed function f(x+1)-1 is odd.", "odd", true},
    {kTransformed, "The transformed function $f(x+1)-1$ is odd.", "odd", true},
    {kTransformed, "The transformed function f(x+1)-1 is even.", "odd", false},
    {kTransformed, "The function is odd for x > 0.", "odd", false},
    {kTransformed, "The function is odd or even.", "odd", false},
    {kTournament, "\\text{Any odd number of participants}", "odd", true},
    {kTournament, "\\text{Any even number of participants}", "odd", false},
    {kTournament, "\\text{No odd number of participants}", "odd", false},
    // Lettered choices.
    {kChoices, "B: 2", "B", true},
    {kChoices, "(B) 2", "\\text{B}", true},
    {kChoices, "C: 3", "B", false},
    {kChoices, "A, C", "AC", true},
    {kChoices, "A and C", "CA", true},
    {kChoices, "A, B", "AC", false},
    {kChoices, "ACD", "AC", false},
    {kNone, "B: 2", "B", false},  // no choices offered
    // A choice's text for its letter, when no other choice has that text.
    {kChoices, "2", "B", true},
    {kChoices, "\\frac{6}{3}", "B", true},
    {kChoices, "3", "B", false},
    {kChoicesLines, "x<1", "B", true},
    {kChoicesLines, "x>1", "B", false},
    {kChoicesTwice, "2", "A", false},  // A and C are both 2
    // The larger (or smaller) of two compared.
    {kLarger, "2^{100} > 3^{60}", "2^{100}", true},
    {kLarger, "3^{60} < 2^{100}", "2^{100}", true},
    {kLarger, "2^{100} < 3^{60}", "2^{100}", false},
    {kSmaller, "2^{100} > 3^{60}", "3^{60}", true},
    {kSmaller, "2^{100} > 3^{60}", "2^{100}", false},
    {kNone, "2^{100} > 3^{60}", "2^{100}", false},
    // A yes-or-no question answered in sentences.
    {kCoins, "Yes, Peter can guarantee finding 5 genuine coins.",
     "Petya can guarantee finding 5 genuine coins.", true},
    {kCoins, "No, Peter cannot.", "Petya can guarantee finding 5 genuine coins.", false},
    {kCoins, "It is not possible.", "No, it cannot be done.", true},
    {kNone, "It is not possible.", "No, it cannot be done.", false},
    {kTiling, "\\text{The board cannot be tiled.}", "No", true},
    {kTiling, "\\text{No such tiling exists}", "No", true},
    {kTiling, "\\text{The board can be tiled}", "Yes", true},
    {kTiling, "\\text{The board can be tiled only if n is even}", "Yes", false},
    // Decimal commas, degrees and minutes, redundant parentheses.
    {kNone, "3,14", "3.14", true},
    {kNone, "3,14", "3.15", false},
    {kNone, "1,234", "1.234", false},  // a thousands separator
    {kNone, "0,111", "0.111", true},    // "0," leads no thousands
    {kNone, "-0,125", "-\\frac18", true},
    {kNone, "1234,567", "1234.567", true},
    {kNone, "0,111", "0.112", false},
    {kNone, "60^\\circ 42'", "60.7^\\circ", true},
    {kNone, "30^{\\circ} 15' 36''", "30.26", true},
    {kNone, "60^\\circ 42'", "60^\\circ 43'", false},
    {kNone, "1^\\circ 30'", "\\frac{\\pi}{120}", true},
    {kNone, "((1,2))", "(1, 2)", true},
    {kNone, "((1,2))", "(2, 1)", false},
    {kParity, "\\text{neither odd nor even}", "\\text{neither even nor odd}", true},
    // A signed item in a tuple, a set of solutions with its parameter, \lg.
    {kNone, "(\\pm 1, 2)", "(1, 2), (-1, 2)", true},
    {kNone, "(\\pm 1, 2)", "(1, 2), (1, -2)", false},
    {kNone, "(\\pm 1, \\pm 2)", "(1, 2), (-1, -2)", false},  // which signs go together?
    {kNone, "\\{x \\mid x = k\\pi + \\frac{\\pi}{4}, k \\in \\mathbb{Z}\\}", "x = k\\pi + \\frac{\\pi}{4}", true},
    {kNone, "\\lg 2", "\\log_{10} 2", true},
    {kNone, "\\lg 2", "\\log_{2} 10", false},
    // A bound on the parameter, or the place where a value is reached, after the answer.
    {kNone, "2^n - 1 \\ (n \\geq 1)", "2^n - 1", true},
    {kNone, "a_n = 3n-2, n \\ge 1", "3n - 2", true},
    {kNone, "2^n - 1 \\ (n \\geq 1)", "2^n + 1", false},
    {kNone, "x > 1, x \\neq 2", "(1, \\infty)", false},
    {kMax, "\\text{The maximum value is } 3 \\text{ at } x = 1", "3", true},
    {kMax, "3 \\text{ (attained at } x = 1)", "3", true},
    {kMax, "3 \\text{ (attained at } x = 1)", "1", false},
    {kMax, "x + 2 \\text{ at } x = 1", "3", false},
    // Counting notation, real odd roots, degrees written loosely, units in parentheses.
    {kNone, "{10 \\choose 2}", "45", true},
    {kNone, "C_{10}^{2}", "45", true},
    {kNone, "A_{10}^{2}", "90", true},
    {kNone, "C_{10}^{2}", "90", false},
    {kNone, "\\sqrt[3]{-8}", "-2", true},
    {kNone, "\\sqrt[3]{-8}", "2", false},
    {kNone, "45^o", "45^\\circ", true},
    {kNone, "45 \\deg", "\\frac{\\pi}{4}", true},
    {kNone, "12 (\\text{units})", "12", true},
    {kNone, "12\\ ", "12", true},
    // More names of values: derivatives, inverses, limits, expectations, points, curves.
    {kNone, "f'(x) = 2x", "2x", true},
    {kNone, "f^{-1}(x) = \\frac{x-1}{2}", "\\frac{x-1}{2}", true},
    {kNone, "f^{-1}(x) = \\frac{x-1}{2}", "\\frac{x+1}{2}", false},
    {kNone, "\\lim_{x\\to 0} f(x) = 3", "3", true},
    {kNone, "E[X] = \\frac{1}{2}", "0.5", true},
    {kNone, "P(2, 3)", "(2, 3)", true},
    {kNone, "P(2, 3)", "(3, 2)", false},
    {kNone, "\\ell: y=2x+1", "y = 2x + 1", true},
    {kNone, "C: x^2 + y^2 = 1", "x^2 + y^2 = 2", false},
    // Matrices as lists of rows, transposed tuples, constants of integration.
    {kNone, "[[1,2],[3,4]]", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", true},
    {kNone, "[[1,2],[4,3]]", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", false},
    {kNone, "[1, 2]^{T}", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", true},
    {kNone, "\\frac{x^3}{3} + c", "\\frac{x^3}{3}+C", true},
    {kNone, "e^x + C, C \\in \\mathbb{R}", "e^{x}+C", true},
    {kNone, "e^x + C, C \\in \\mathbb{R}", "e^{2x}+C", false},
    {kNone, "\\text{Sequence 1: } -2, -1, 0 \\text{ and Sequence 2: } 10, 11, 12",
     "10, 11, 12, -2, -1, 0", true},
    {kNone, "\\text{Sequence 1: } -2, -1, 0 \\text{ and Sequence 2: } 10, 11, 12",
     "10, 11, 12, -2, -1", false},
    // Precision stated other ways.
    {"How much heavier is it, to the nearest cent?", "1.2371", "1.24", true},
    {"Find x accurate to 0.01.", "2.653", "2.65", true},
    {"Find x accurate to 0.01.", "2.653", "2.66", false},
    {"Find x (\u7cbe\u786e\u5230 0.1).", "2.653", "2.7", true},
    {"Answer to 2 d.p.", "2.653", "2.65", true},
    {"Find x, to two decimals.", "2.653", "2.65", true},
    {"Give the percentage to one decimal place.", "113.33\\%", "113.3\\%", true},
    {"Give the percentage to one decimal place.", "113.33\\%", "113.4\\%", false},
    // Clock times are times, not ratios, when the question asks for one.
    {kArrival, "1:15", "2:30", false},
    {kArrival, "2:30 \\text{ PM}", "14:30", true},
    {kArrival, "2:30 \\text{ p.m.}", "2:30", true},
    {kArrival, "2:30 \\text{ PM}", "2:30 \\text{ AM}", false},
    {kNone, "1:15", "2:30", true},  // as ratios
    // Groups of assignments as tuples.
    {kNone, "x=1, y=2 \\text{ or } x=2, y=1", "(1, 2), (2, 1)", true},
    {kNone, "x=1, y=2; x=2, y=1", "(2, 1), (1, 2)", true},
    {kNone,
     "\\begin{cases} x=1 \\\\ y=2 \\end{cases} \\text{ or } \\begin{cases} x=2 \\\\ y=1 \\end{cases}",
     "(1, 2), (2, 1)", true},
    {kNone, "x=1, y=2 \\text{ or } x=2, y=2", "(1, 2), (2, 1)", false},
    {kNone, "x=1, y=2 \\text{ or } y=1, x=2", "(1, 2), (2, 1)", false},  // names in another order
    // Counts and units in words.
    {kSolutions, "\\text{There are two solutions.}", "2", true},
    {kSolutions, "\\text{two solutions}", "2", true},
    {kSolutions, "\\text{There are at least two solutions.}", "2", false},
    {kSpeed, "60 \\mathrm{~km} / \\mathrm{h}", "60", true},
    {kSpeed, "\\text{60 km per hour}", "60", true},
    {kNone, "\u20ac15", "15", true},
    {kNone, "Rs. 15", "15", true},
    {kNone, "\u20ac15", "16", false},
    // Yes or no, in words.
    {kTiling, "\\text{No, it cannot be done}", "No", true},
    {kTiling, "\\text{It is not possible}", "No", true},
    {kTiling, "\\text{Impossible}", "\\text{No}", true},
    {kTiling, "\\text{Possible}", "Yes", true},
    {kTiling, "\\text{Yes, it can}", "No", false},
    {kTiling, "\\text{Impossible}", "Yes", false},
    {kTiling, "\\text{It is not possible}", "Yes", false},
    {kTiling, "\\text{Not impossible}", "No", false},
    // A "\t" that became a tab when the answer was written to JSON.
    {kTournament, "\x09" "ext{Any odd number of participants}", "odd", true},

    // An ordering as a chain of inequalities against the list of its terms.
    {kOrdering, "b, a, d, c", "b < a < d < c", true},
    {kOrdering, "b, a, d, c", "b<a<d<c", true},
    {kNone, "c, d, a, b", "c > d > a > b", true},
    {kOrdering, "a, b, d, c", "b < a < d < c", false},
    {kOrdering, "c, d, a, b", "b < a < d < c", false},
    {kOrdering, "b, a, d", "b < a < d < c", false},
    {kOrdering, "b, a, d, c", "b < a \\le d < c", false},
    {kOrdering, "b, a, d, c", "b < a > d < c", false},

    // An equation against the expression of the one variable it defines.
    {kLocus, "-4x^2 + 4x - 2", "y + 1 = - (2x - 1)^2.", true},
    {kLocus, "-4x^2 + 4x - 1", "y + 1 = - (2x - 1)^2.", false},
    {kLocus, "-4x^2 + 4x - 2", "y^2 + 1 = - (2x - 1)^2", false},
    {kNone, "\\frac{6 - 2x}{3}", "2x + 3y = 6", true},
    {kNone, "6 - 2x", "2x + 3y = 6", false},
    {kNone, "\\sqrt{1 - x^2}", "x^2 + y^2 = 1", false},
    {kNone, "z + 1", "y = x + 1", false},
    {kNone, "x + 1", "y + z = x + 1", false},
    {kNone, "f(n) = n^2", "f(n) = n", false},
    {kNone, "n^2", "f(n) = n", false},

    // "Infinitely many" is no end to a count.
    {kZeros, "\\infty", "$\\text{infinitely many}$", true},
    {kZeros, "\\infty", "Infinitely many zeros.", true},
    {kNone, "+\\infty", "\\text{infinite}", true},
    {kZeros, "\\infty", "\\text{finitely many}", false},
    {kZeros, "0", "\\text{infinitely many}", false},
    {kZeros, "-\\infty", "\\text{infinitely many}", false},
    {kZeros, "\\infty", "\\text{infinitely many, but not on } (0, 1)", false},

    // Named values against a bare list, when the question asks for them without names.
    {kAges, "Paolo: 18, Qing: 14, Rayna: 7", "7,14,18", true},
    {kAges, "Paolo: 18, Qing: 14, Rayna: 8", "7,14,18", false},
    {kAges, "Paolo: 18, Qing: 14", "7,14,18", false},
    {kAgesNamed, "Paolo: 18, Qing: 14, Rayna: 7", "18, 14, 7", true},
    {kAgesNamed, "Paolo: 18, Qing: 14, Rayna: 7", "7,14,18", false},
    {kAges, "Paolo: 18, Qing: 14, Rayna: 7", "Paolo: 7, Qing: 14, Rayna: 18", false},

    // A fraction against the numerator and denominator the question asks for.
    {kFraction, "\\dfrac{221}{8}", "$221,$8$", true},
    {kFraction, "221/8", "221, 8", true},
    {kFraction, "m = 221, n = 8", "\\frac{221}{8}", true},
    {kFraction, "\\frac{221}{8}", "8, 221", false},
    {kFraction, "\\frac{221}{8}", "221, 9", false},
    {kFraction, "\\frac{442}{16}", "221, 8", false},
    {kFraction, "\\frac{221}{8}", "221, 8, 1", false},
    {kNone, "\\frac{221}{8}", "221, 8", false},
    {kXY, "\\frac{221}{8}", "221, 8", false},

    // Floors and ceilings of expressions with variables.
    {kNone, "\\left\\lceil \\dfrac{n}{2} \\right\\rceil + 1", "$\\lceil n / 2\\rceil+1$", true},
    {kNone, "\\lfloor \\frac{n+1}{2} \\rfloor", "\\lfloor \\frac{1}{2} + \\frac{n}{2} \\rfloor", true},
    {kNone, "\\lceil \\frac{n}{2} \\rceil", "\\lfloor \\frac{n}{2} \\rfloor + 1", false},
    {kNone, "\\lceil \\frac{n}{2} \\rceil", "\\lceil \\frac{n+1}{2} \\rceil", false},
    {kNone, "\\lceil \\frac{n}{2} \\rceil + 1", "\\lceil \\frac{n}{2} \\rceil", false},
    // A computation chain after a name, and steps in letters that lead to the value.
    {kNone, "B D=\\sqrt{4225}=65", "65", true},
    {kNone, "B D=\\sqrt{4225}=65", "66", false},
    {kNone, "BD = 65 = 66", "65", false},
    {kNone, "8 m-2 m=6 m", "6m", true},
    {kNone, "(3 k+2)-(2 k+2)+1=k+1", "k+1", true},
    {kNone, "(3 k+2)-(2 k+2)+1=k+1", "k+2", false},
    {kNone, "\\therefore b = \\frac{3}{2} \\sin B = \\frac{3}{2} \\times \\frac{1}{3} = \\frac{1}{2}",
     "\\frac{1}{2}", true},
    {kNone, "b = \\frac{3}{2} \\sin B = \\frac{3}{2} \\times \\frac{1}{3} = \\frac{1}{2}",
     "\\frac{1}{3}", false},
    {kNone, "x^2 = 65", "65", false},
    // A side written as a time is a clock time without the question asking for one.
    {kNone, "20:34", "20:34:00", true},
    {kNone, "20:34", "08:34 \\text{P.M.}", true},
    {kNone, "20:34", "8:35 PM", false},
    {kNone, "20:34:00", "20:35", false},
    // A set named before its set-builder; "\infin" for "\infty".
    {kNone, "A\\cup B=\\{x|-1\\leq x <9\\}", "[-1,9)", true},
    {kNone, "A\\cup B=\\{x|-1\\leq x <9\\}", "[-1,9]", false},
    {kNone, "A = \\{1, 2\\}", "\\{1, 2\\}", true},
    {kNone, "(-\\infin, -2] \\cup [5, +\\infin)", "t \\le -2 \\text{ or } t \\ge 5", true},
    {kNone, "(-\\infin, -2] \\cup [5, +\\infin)", "(-\\infty, -2] \\cup [6, +\\infty)", false},
    // Angles with spaced vertices lead a chain; the floor of an exact irrational.
    {kNone, "\\mathrm{m} \\angle A P D=180^{\\circ}-\\mathrm{m} \\angle O P M=180^{\\circ}-54^{\\circ}-78^{\\circ}=48^{\\circ}",
     "48", true},
    {kNone, "\\angle APD = 180^{\\circ}-54^{\\circ}-78^{\\circ}=48^{\\circ}", "47", false},
    {kNone, "A B=5", "5", true},
    {kNone, "g(2011)=2(2011)+\\left\\lfloor\\frac{1+\\sqrt{8(2011)-7}}{2}\\right\\rfloor=4085", "4085", true},
    {kNone, "\\lfloor \\sqrt{16081} \\rfloor", "126", true},
    {kNone, "\\lceil \\sqrt{16081} \\rceil", "127", true},
    {kNone, "\\lfloor \\sqrt{16081} \\rfloor", "127", false},
    // A quantity built from names, stated to have a value; an unknown is solved for instead.
    {kNone, "f(9)-f(3)=210", "210", true},
    {kNone, "x+y=4027", "4027", true},
    {kNone, "L / 2=180180", "180180", true},
    {kNone, "2 f(2) g(2)=2 \\times 14 \\times(-3)=-84", "-84", true},
    {kNone, "2x = 210", "210", false},
    {kNone, "\\log _{2} \\sqrt{x}=\\log _{2} 2^{5}=5", "5", true},  // computed in steps
    {kNone, "\\log _{2} \\sqrt{x}=\\log _{2} 2^{5}=5", "10", false},
    {kNone, "x + y - 4 = 0", "0", false},
    {kNone, "2x + z = 1", "1", false},
    {kNone, "f(9)-f(3)=210", "211", false},
    // An approximated quantity named by a Greek letter; "\pi" is a number.
    {kNone, "\\Delta p\\approx -\\frac{\\hbar \\omega_{L}}{c}", "-\\frac{\\omega_{L} \\hbar}{c}",
     true},
    {kNone, "\\Delta p\\approx -\\frac{\\hbar \\omega_{L}}{c}", "\\frac{\\omega_{L} \\hbar}{c}",
     false},
    {kNone, "\\pi \\approx 3.14", "\\pi", true},
    // Symbols with a subscript: Greek letters, and a subscript after the power.
    {kNone, "\\frac{1}{2}\\omega_{L}^{\\prime}", "\\frac{\\omega_{L}^{\\prime}}{2}", true},
    {kNone, "\\frac{v^2_0}{5\\pi g}", "\\frac{v_0^2}{5g\\pi}", true},
    {kNone, "\\frac{v^2_0}{5\\pi g}", "\\frac{v_1^2}{5g\\pi}", false},
    // A function of several variables named before its body.
    {kNone, "\\Phi (x,y)=\\frac{x+1}{2y}", "\\Phi (x,    y)=\\frac{x}{2y} + \\frac{1}{2y}", true},
    {kNone, "\\Phi (x,y)=\\frac{x+1}{2y}", "\\frac{x}{2y} + \\frac{1}{y}", false},
    // A domain after a function of its variable.
    {kNone, "y=18 400+400\\left(x+\\frac{200}{x}\\right),x\\in (4,50)", "18400+400(x+200/x)", true},
    {kNone, "f(x) = 2x+1, x \\in [0, 1]", "2x+1", true},
    {kNone, "f(x) = 2x+1, x \\in [0, 1]", "2x-1", false},
    {kNone, "x \\in (4,50)", "(4,50)", true},
    // Lists of one length joined by "or" are tuples.
    {kNone, "1,2,3 \\text{ or } 1,2,-2 \\text{ or } 1,-1,1", "(1,2,3),(1,2,-2),(1,-1,1)", true},
    {kNone, "1,2,3 \\text{ or } 1,2,-2", "(1,2,3),(1,-2,2)", false},
    // "and" after the list's last comma.
    {kNone, "7, -2, \\text{ and } -5", "7, -2, -5", true},
    {kNone, "7, -2, \\text{ and } -5", "7, -2, -6", false},
    // Factorials of expressions, compared at whole points where both sides are defined.
    {kNone, "\\frac{(n-1)!}{k!} \\frac{n}{(n-k)!}", "\\frac{n!}{k!(n-k)!}", true},
    {kNone, "\\frac{n!}{k!(n-k)!}", "\\binom{n}{k}", true},
    {kNone, "\\frac{n!}{k!(n-k+1)!}", "\\binom{n}{k}", false},
};

struct ExactAndDecimal {
  const char* exact;
  const char* decimal;
  bool equivalent;  // either way round
};

// Rounded decimals: a decimal states its own digits, so an exact value on the other side
// that rounds to it (or, at four digits or more, is cut off to it) is the same answer,
// whichever side is the gold.
const ExactAndDecimal kRoundedDecimalPairs[] = {
    {"\\frac{84}{13}", "6.46", true},
    {"\\dfrac{84}{13}\\text{ days}", "6.46", true},
    {"\\pi", "3.14", true},
    {"\\frac13", "0.333", true},
    {"\\sqrt{2}", "1.41", true},
    {"\\frac{2}{3}", "0.667", true},
    {"4\\pi", "12.57", true},
    {"9\\pi \\text{ cm}^2", "28.27", true},
    {"\\frac{1}{6}", "16.67\\%", true},        // a percentage of an exact value
    {"\\frac{50}{3}\\%", "16.67\\%", true},   // ... or of an exact percentage
    {"\\frac{84}{13}", "6.47", false},
    {"\\frac{84}{13}", "6.45", false},
    {"17 + 10\\sqrt{6}", "41.494", true},  // 41.4949 cut off at five digits
    {"\\pi", "3.141", true},                // ... and at four
    {"6 \\frac{1}{64}", "6.02", true},      // 6.015625 rounded
    {"6 \\frac{1}{64}", "6.01", false},     // cut off at three digits only
    {"\\frac{2}{3}", "0.666", false},
    {"12\\pi", "37.6", false},
    {"17 + 10\\sqrt{6}", "41.493", false},
    {"\\pi", "3.140", false},
    {"\\pi", "3.15", false},
    {"\\frac{2}{3}", "-0.667", false},
    {"\\frac{84}{13}", "6.5", false},  // two significant digits: "6.5" may be exact
    {"2\\sqrt{5}", "4.5", false},
    {"\\frac{1}{6}", "16.67", false},        // a percentage without its sign
    {"\\frac{1}{6}\\%", "16.67\\%", false},
    {"117.95\\%", "118\\%", false},          // two decimals stay apart
    {"165.47", "165.5", false},
};

TEST(RoundedDecimals, ExactValuesThatRoundOrCutToADecimalAreIt) {
  for (const ExactAndDecimal& p : kRoundedDecimalPairs) {
    EXPECT_EQ(check_equivalence(p.exact, p.decimal).equivalent, p.equivalent)
        << "predicted: " << p.exact << "\ngold: " << p.decimal;
    EXPECT_EQ(check_equivalence(p.decimal, p.exact).equivalent, p.equivalent)
        << "predicted: " << p.decimal << "\ngold: " << p.exact;
  }
}

class RulePairs : public ::testing::TestWithParam<RulePair> {};

TEST_P(RulePairs, BothWays) {
  const RulePair& p = GetParam();
  EXPECT_EQ(check_equivalence(p.predicted, p.gold, p.question).equivalent, p.equivalent)
      << "predicted: " << p.predicted << "\ngold: " << p.gold << "\nquestion: " << p.question;
  EXPECT_EQ(check_equivalence(p.gold, p.predicted, p.question).equivalent, p.equivalent)
      << "predicted: " << p.gold << "\ngold: " << p.predicted << "\nquestion: " << p.question;
}

INSTANTIATE_TEST_SUITE_P(Table, RulePairs, ::testing::ValuesIn(kRulePairs));

TEST(RuleTable, HasAtLeast150Pairs) {
  size_t equal = 0, unequal = 0;
  for (const RulePair& p : kRulePairs) (p.equivalent ? equal : unequal) += 1;
  EXPECT_GE(equal + unequal, 150u);
  EXPECT_GE(unequal, 50u);
}

TEST(AnswerRules, TheDecidingRuleIsNamed) {
  EXPECT_STREQ(check_equivalence("150^\\circ", "\\frac{5\\pi}{6}", kAngle).rule, "angle");
  EXPECT_STREQ(check_equivalence("Alice wins the game.", "Alice", kGame).rule, "sentence");
  EXPECT_STREQ(check_equivalence("Min: 2, Max: 9", "9, 2", kMaxMin).rule, "labels");
  EXPECT_STREQ(check_equivalence("2, 9", "9, 2", kMaxMin).rule, "order");
  EXPECT_STREQ(check_equivalence("4.517", "4.52", kHundredthKg).rule, "precision");
  EXPECT_STREQ(check_equivalence("17 + 10\\sqrt{6}", "41.494").rule, "rounding");
  EXPECT_STREQ(check_equivalence("f(z) = z", "f(x) = x").rule, "rename");
  EXPECT_STREQ(check_equivalence("b, a, c", "b < a < c").rule, "chain");
  EXPECT_STREQ(check_equivalence("1 - x", "x + y = 1").rule, "equation");
  EXPECT_STREQ(check_equivalence("221/8", "221, 8", kFraction).rule, "fraction");
  EXPECT_STREQ(check_equivalence("5", "5", kAngle).rule, "");
}

TEST(AnswerRules, PlainNumbersAreMarked) {
  EXPECT_TRUE(check_equivalence("5", "7").plain_numbers);
  EXPECT_TRUE(check_equivalence("0.5", "\\frac{1}{3}").plain_numbers);
  EXPECT_FALSE(check_equivalence("5", "\\pi").plain_numbers);
  EXPECT_FALSE(check_equivalence("Alice", "Bob").plain_numbers);
  EXPECT_FALSE(check_equivalence("(1, 2)", "(1, 3)").plain_numbers);
}

TEST(AnswerRules, LongQuestionsAndAnswersStayBounded) {
  std::string question(200000, 'a');
  question += " angle in degrees to the nearest hundredth";
  std::string sentence;
  for (int i = 0; i < 5000; ++i) sentence += "word ";
  EXPECT_FALSE(check_equivalence(sentence, "Alice", question).equivalent);
  EXPECT_FALSE(check_equivalence("30", "\\frac{\\pi}{6}", question).equivalent);
}

}  // namespace
}  // namespace s1
