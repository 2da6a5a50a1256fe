#include "core/number_notation.h"

#include <gtest/gtest.h>

#include <string>

#include "core/rewritten_for_test.h"

namespace s1 {
namespace {

TEST(TrigDegreesToRadians, OnlyInsideTrigonometricFunctions) {
  EXPECT_EQ(rewritten("\\cos 15^\\circ", trig_degrees_to_radians), "\\cos (15\\pi/180)");
  EXPECT_EQ(rewritten("\\sin^2(30^{\\circ})", trig_degrees_to_radians),
            "\\sin^2((30\\pi/180))");
  EXPECT_EQ(rewritten("2\\tan 45\u00b0", trig_degrees_to_radians), "2\\tan (45\\pi/180)");
  EXPECT_EQ(rewritten("30^\\circ", trig_degrees_to_radians), "30^\\circ");
  EXPECT_EQ(rewritten("\\sin x + 30^\\circ", trig_degrees_to_radians), "\\sin x + 30^\\circ");
  EXPECT_EQ(rewritten("\\sinh 30^\\circ", trig_degrees_to_radians), "\\sinh 30^\\circ");
}

TEST(RewriteDegreesMinutes, MinutesAndSecondsAsFractionsOfADegree) {
  EXPECT_EQ(rewritten("60^\\circ 42'", rewrite_degrees_minutes), "(60+42/60)^\\circ");
  EXPECT_EQ(rewritten("30\u00b015\u203236\u2033", rewrite_degrees_minutes),
            "(30+15/60+36/3600)^\\circ");
  EXPECT_EQ(rewritten("1^{\\circ} 30^{\\prime}", rewrite_degrees_minutes), "(1+30/60)^\\circ");
  EXPECT_EQ(rewritten("f'(x) = 30^\\circ", rewrite_degrees_minutes), "f'(x) = 30^\\circ");
  EXPECT_EQ(rewritten("60^\\circ 42''", rewrite_degrees_minutes), "60^\\circ 42''");
}

TEST(RewriteCountingNotation, CalculatorAndRaisedForms) {
  EXPECT_EQ(rewritten("10C3", rewrite_counting_notation), "\\binom{10}{3}");
  EXPECT_EQ(rewritten("{}^{10}C_3", rewrite_counting_notation), "\\binom{10}{3}");
  EXPECT_EQ(rewritten("^{10}C_{3}", rewrite_counting_notation), "\\binom{10}{3}");
  EXPECT_EQ(rewritten("5P2", rewrite_counting_notation), "\\frac{5!}{(5-2)!}");
  EXPECT_EQ(rewritten("C_n^2", rewrite_counting_notation), "\\binom{n}{2}");
  EXPECT_EQ(rewritten("C_{2n}^{n}", rewrite_counting_notation), "\\binom{2n}{n}");
  for (const char* kept : {"ABC3", "C3", "2C", "x^{2}C_1", "10C3x", "C(10, 3)", "C_n", "C^2"}) {
    EXPECT_EQ(rewritten(kept, rewrite_counting_notation), kept);
  }
}

TEST(RewriteNumberWords, WholeAnswersOnly) {
  EXPECT_EQ(rewritten("fifteen", rewrite_number_words), "15");
  EXPECT_EQ(rewritten("Twenty-one days.", rewrite_number_words), "21 days");
  EXPECT_EQ(rewritten("ninety nine", rewrite_number_words), "99");
  EXPECT_EQ(rewritten("zero", rewrite_number_words), "0");
  EXPECT_EQ(rewritten("third", rewrite_number_words), "3");
  EXPECT_EQ(rewritten("The twelfth", rewrite_number_words), "12");
  EXPECT_EQ(rewritten("twenty-first", rewrite_number_words), "21");
  EXPECT_EQ(rewritten("Fortieth", rewrite_number_words), "40");
  EXPECT_EQ(rewritten("seventh day", rewrite_number_words), "7 day");
  for (const char* kept : {"one hundred", "two thirds", "one of them", "five and six", "none",
                           "x", "5 apples", "twentyone", "a third", "twoth", "month", "the"}) {
    EXPECT_EQ(rewritten(kept, rewrite_number_words), kept);
  }
}

}  // namespace
}  // namespace s1
