#include "core/latex_normalize.h"

#include <gtest/gtest.h>

namespace s1 {
namespace {

struct Case {
  const char* input;
  const char* normalized;
};

class Normalize : public ::testing::TestWithParam<Case> {};

TEST_P(Normalize, Produces) {
  EXPECT_EQ(normalize_answer(GetParam().input), GetParam().normalized) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Normalize,
    ::testing::Values(Case{"  $5$ ", "5"}, Case{"\\(x\\)", "x"}, Case{"$$\\frac12$$", "\\frac12"},
                      Case{"\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\frac{\\pi}{2})"},
                      Case{"\\left\\{1,2\\right\\}", "\\{1,2\\}"},
                      Case{"\\dfrac{1}{2}", "\\frac{1}{2}"}, Case{"\\tfrac12", "\\frac12"},
                      Case{"\\dbinom{5}{2}", "\\binom{5}{2}"}, Case{"x \\leq 3", "x\\le3"},
                      Case{"\\text{Evelyn}", "Evelyn"}, Case{"\\textbf{(C)}", "C"},
                      Case{"\\mathrm{cm}", "cm"}, Case{"\\mbox{north east}", "north east"},
                      Case{"10,\\!080", "10080"}, Case{"11,\\! 111,\\! 111", "11111111"},
                      Case{"1,000,000", "1000000"}, Case{"14{,}916", "14916"},
                      Case{"1{,}234{,}567", "1234567"}, Case{"1{,}23", "1{,}23"}, Case{"1,2", "1,2"},
                      Case{"\\$32,\\!348", "32348"}, Case{"50\\%", "50%"},
                      Case{"50 percent", "50%"}, Case{"90^\\circ", "90"}, Case{"90^{\\circ}", "90"},
                      Case{"15\\mbox{ cm}^2", "15"}, Case{"5.4 \\text{ cents}", "5.4"},
                      Case{"12 square units", "12"}, Case{"2m", "2m"}, Case{"5.", "5"},
                      Case{"7;", "7"}, Case{"x = 5", "5"}, Case{"x=1, y=2", "1,2"},
                      Case{"x = x + 1", "x=x+1"}, Case{"y = 2x + 3", "2x+3"},
                      Case{"x \\in [1,2]", "[1,2]"}, Case{"\\theta = 30^\\circ", "30"},
                      Case{"1 \\text{ or } 2", "1,2"}, Case{"2 \\sqrt{3}", "2\\sqrt{3}"},
                      Case{"\\cot x", "\\cot x"}, Case{"2\\!\\cdot\\!3", "2\\cdot3"},
                      Case{"a~b", "a b"}, Case{"\\displaystyle\\frac{1}{2}", "\\frac{1}{2}"},
                      Case{"\\operatorname{sin} x", "\\sin x"}, Case{"\\boxed{7}", "7"},
                      Case{"\xe2\x88\x92"
                           "3",
                           "-3"},
                      Case{"\xcf\x80", "\\pi"}, Case{"AB = BC = 2", "2"},
                      Case{"\\angle C = \\frac{2\\pi}{3}", "\\frac{2\\pi}{3}"},
                      Case{"m\\angle ABC = 30^\\circ", "30"}, Case{"|AB| = 5", "5"},
                      Case{"AB = CD", "AB=CD"}, Case{"AB = 2x", "2x"},
                      Case{"9\\pi \\text{ cm}^2", "9\\pi"}, Case{"15 km/h", "15"},
                      Case{"3\\ \\text{m/s}", "3"}, Case{"8 \\mathrm{~m}^{2}", "8"}, Case{"\\boxed{25^{\\circ} \\mathrm{C}}", "25"},
                      Case{"\\text{The answer is } \\frac{1}{2}", "\\frac{1}{2}"},
                      Case{"Final Answer: 7", "7"}, Case{"4^\\circ.", "4"},
                      Case{"x^{2}", "x^{2}"}, Case{"2\\pi m", "2\\pi m"},
                      Case{"\\(1\\) and \\(2\\)", "1,2"},
                      Case{"\\begin{pmatrix}1\\\\[2pt]2\\end{pmatrix}",
                           "\\begin{pmatrix}1\\\\[2pt]2\\end{pmatrix}"},
                      Case{"\\left[\\begin{array}{cc}1 & 2 \\\\ 3 & 4\\end{array}\\right]",
                           "\\begin{array}{cc}1&2\\\\3&4\\end{array}"},
                      Case{"(\\begin{matrix}1\\end{matrix}, 2)", "(\\begin{matrix}1\\end{matrix},2)"},
                      Case{"sqrt(3)/2", "\\sqrt{3}/2"}, Case{"**73**", "73"},
                      Case{"\\color{red}{5}", "5"}, Case{"\\textcolor{red}{5}", "5"},
                      Case{"{\\large 5}", "5"}, Case{"5 {\\rm cm}", "5"},
                      Case{"\\frac9{19}", "\\frac9{19}"}, Case{"\\frac {x} {ab}", "\\frac{x}{ab}"},
                      Case{"5 \\tag{1}", "5"}, Case{"\\underline{5}", "5"},
                      Case{"\\boldsymbol{5}", "5"}, Case{"x \\geqq 1", "x\\ge1"},
                      Case{"1{.}5", "1.5"}, Case{"\\operatorname{x}", "x"},
                      Case{"1 000 000", "1000000"}, Case{"1 2", "1,2"}, Case{"2 1/2", "(2+1/2)"},
                      Case{"\\frac 1 2", "\\frac12"}, Case{"x^2 3", "x^23"},
                      Case{"{1, 2}", "\\{1,2\\}"}, Case{"50\xe5\x85\x83", "50"},
                      Case{"\\frac{1}{2}\xe5\x8e\x98\xe7\xb1\xb3", "\\frac{1}{2}"},
                      Case{"\xe7\x94\xb2", "\xe7\x94\xb2"}, Case{"\\lbrack 1,2 \\rbrack", "[1,2]"},
                      Case{"", ""}, Case{"   ", ""}));

TEST(NormalizeAnswer, KeepsPrefixWhenAsked) {
  EXPECT_EQ(normalize_answer("y = -2x", false), "y=-2x");
  EXPECT_EQ(normalize_answer("y = -2x", true), "-2x");
}

TEST(NormalizeAnswer, IsIdempotentOnItsOutput) {
  for (const char* s : {"\\left( 3, \\frac{\\pi}{2} \\right)", "10,\\!080", "x \\in [1,2]",
                        "\\text{(C)}", "15\\mbox{ cm}^2"}) {
    std::string once = normalize_answer(s);
    EXPECT_EQ(normalize_answer(once), once) << s;
  }
}

TEST(MatchingBrace, FindsTheCloser) {
  EXPECT_EQ(matching_brace("{a{b}c}", 0), 6u);
  EXPECT_EQ(matching_brace("{a\\}b}", 0), 5u);
  EXPECT_EQ(matching_brace("{a{b}", 0), std::string_view::npos);
}

}  // namespace
}  // namespace s1
