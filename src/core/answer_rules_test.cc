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
    {kNone, "150^\\circ", "\\frac{5\\pi}{6}", false},
    {kNone, "90", "\\frac{\\pi}{2}", false},

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
};

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
  EXPECT_STREQ(check_equivalence("5", "5", kAngle).rule, "");
}

TEST(AnswerRules, PlainNumbersAreMarked) {
  EXPECT_TRUE(check_equivalence("5", "7").plain_numbers);
  EXPECT_TRUE(check_equivalence("0.5", "\\frac{1}{3}").plain_numbers);
  EXPECT_FALSE(check_equivalence("5", "\\pi").plain_numbers);
  EXPECT_FALSE(check_equivalence("Alice", "Bob").plain_numbers);
  EXPECT_FALSE(check_equivalence("(1, 2)", "(1, 3)").plain_numbers);
}

TEST(QuestionCues, ReadsWhatIsAsked) {
  QuestionCues angle = read_question(kAngle);
  EXPECT_TRUE(angle.angle);
  EXPECT_FALSE(angle.degrees);
  EXPECT_TRUE(read_question(kAngleDegrees).degrees);
  EXPECT_FALSE(read_question(kLengthAfterAngle).angle);
  EXPECT_FALSE(read_question(kArcLength).angle);
  EXPECT_EQ(read_question(kHundredth).decimal_places, 2);
  EXPECT_EQ(read_question(kWhole).decimal_places, 0);
  EXPECT_EQ(read_question(kTenth).decimal_places, 1);
  EXPECT_EQ(read_question(kThreePlaces).decimal_places, 3);
  EXPECT_EQ(read_question(kSigFigs).significant_figures, 3);
  EXPECT_EQ(read_question(kNone).decimal_places, -1);
  EXPECT_EQ(read_question(kMinMax).order, (std::vector<std::string>{"min", "max"}));
  EXPECT_EQ(read_question(kMaxMin).order, (std::vector<std::string>{"max", "min"}));
  EXPECT_TRUE(read_question(kAngle).order.empty());
  EXPECT_EQ(read_question(kMaxOnly).extremes, (std::vector<std::string>{"max"}));
  EXPECT_TRUE(read_question(kMaxOnly).order.empty());
  EXPECT_TRUE(read_question("What is the least common multiple of 4 and the greatest "
                            "common divisor, at least?")
                  .extremes.empty());
}

TEST(AnswerRules, LongQuestionsAndAnswersStayBounded) {
  std::string question(200000, 'a');
  question += " angle in degrees to the nearest hundredth";
  std::string sentence;
  for (int i = 0; i < 5000; ++i) sentence += "word ";
  EXPECT_FALSE(check_equivalence(sentence, "Alice", question).equivalent);
  EXPECT_FALSE(check_equivalence("150^\\circ", "\\frac{5\\pi}{6}", question).equivalent);
}

}  // namespace
}  // namespace s1
