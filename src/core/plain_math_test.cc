#include "core/plain_math.h"

#include <gtest/gtest.h>

#include <string>

#include "core/rewritten_for_test.h"

namespace s1 {
namespace {

std::string latex(std::string s) {
  return rewritten(std::move(s), plain_math_to_latex);
}

TEST(PlainMath, FunctionsWithParenthesesBecomeCommands) {
  EXPECT_EQ(latex("sqrt(3)/2"), "\\sqrt{3}/2");
  EXPECT_EQ(latex("sqrt(1+sqrt(2))"), "\\sqrt{1+\\sqrt{2}}");
  EXPECT_EQ(latex("cbrt(2)"), "\\sqrt[3]{2}");
  EXPECT_EQ(latex("exp(-x)"), "e^{-x}");
  EXPECT_EQ(latex("abs(x-1)"), "|x-1|");
  EXPECT_EQ(latex("2cos(x)"), "2\\cos(x)");
  EXPECT_EQ(latex("atan(2)"), "\\arctan(2)");
  EXPECT_EQ(latex("log10(x)"), "\\log_{10}(x)");
  EXPECT_EQ(latex("ln 2"), "\\ln 2");
  // A name without its parenthesis, or one that never closes, is a word.
  EXPECT_EQ(latex("sqrt 2"), "sqrt 2");
  EXPECT_EQ(latex("sqrt(2"), "sqrt(2");
  EXPECT_EQ(latex("sin x"), "sin x");
}

TEST(PlainMath, ConstantsAndOperators) {
  EXPECT_EQ(latex("pi/4"), "\\pi/4");
  EXPECT_EQ(latex("2pi"), "2\\pi");
  EXPECT_EQ(latex("pix"), "pix");  // a word
  EXPECT_EQ(latex("(-inf, oo)"), "(-\\infty, \\infty)");
  EXPECT_EQ(latex("x**2"), "x^2");
  EXPECT_EQ(latex("x**10"), "x^{10}");
  EXPECT_EQ(latex("x**-2"), "x^{-2}");
  EXPECT_EQ(latex("2**(1/3)"), "2^(1/3)");
  EXPECT_EQ(latex("1 +- 2"), "1 \\pm  2");
  EXPECT_EQ(latex("x != 3"), "x \\ne  3");
  EXPECT_EQ(latex("3!=6"), "3!=6");  // a factorial, not "not equal"
  EXPECT_EQ(latex("(0, 1) U [2, 3]"), "(0, 1) \\cup [2, 3]");
  EXPECT_EQ(latex("x in [0, 1]"), "x \\in [0, 1]");
}

TEST(PlainMath, MarkdownEmphasisAroundTheAnswer) {
  EXPECT_EQ(latex("**73**"), "73");
  EXPECT_EQ(latex("*73*"), "73");
  EXPECT_EQ(latex("__x = 2__"), "x = 2");
  // A product and a power are no emphasis.
  EXPECT_EQ(latex("2*3*4"), "2*3*4");
  EXPECT_EQ(latex("2**3**"), "2^3^");
}

TEST(PlainMath, LatexAndWordsAreLeftAlone) {
  for (const char* s : {"\\pi", "\\sqrt{2}", "\\sin(x)", "\\infty", "\\text{pipe}", "since",
                        "the pipe is infinite", "U", "AU(2)", "Sin City", "x \\in [0,1]"}) {
    EXPECT_EQ(latex(s), s) << s;
  }
}

}  // namespace
}  // namespace s1
