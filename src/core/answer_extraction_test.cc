#include "core/answer_extraction.h"

#include <gtest/gtest.h>

#include <string>

namespace s1 {
namespace {

TEST(ExtractLastBoxed, TakesTheLastBoxWithNestedBraces) {
  EXPECT_EQ(extract_last_boxed("first \\boxed{1} then \\boxed{\\frac{1}{2}}"), "\\frac{1}{2}");
  EXPECT_EQ(extract_last_boxed("$\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}$."),
            "\\left( 3, \\frac{\\pi}{2} \\right)");
  EXPECT_EQ(extract_last_boxed("\\boxed{ {a}^{ {b} } }"), "{a}^{ {b} }");
}

TEST(ExtractLastBoxed, AcceptsVariants) {
  EXPECT_EQ(extract_last_boxed("so \\boxed 5$."), "5");
  EXPECT_EQ(extract_last_boxed("or $\\fbox{12}$"), "12");
  EXPECT_EQ(extract_last_boxed("or $\\framebox{204}$ minutes"), "204");
  EXPECT_EQ(extract_last_boxed("\\boxed {7}"), "7");
}

TEST(ExtractLastBoxed, OuterBoxWinsOverAnInnerOne) {
  EXPECT_EQ(extract_last_boxed("\\boxed{\\boxed{3}+1}"), "\\boxed{3}+1");
}

TEST(ExtractLastBoxed, NoneOrUnclosed) {
  EXPECT_EQ(extract_last_boxed("no box here"), std::nullopt);
  EXPECT_EQ(extract_last_boxed("\\boxed{1 + "), std::nullopt);
  EXPECT_EQ(extract_last_boxed("\\fboxsep=3pt"), std::nullopt);
  EXPECT_EQ(extract_last_boxed(""), std::nullopt);
}

TEST(ExtractAnswer, PrefersBoxed) {
  ExtractedAnswer a = extract_answer("Answer: 3\nso \\boxed{4}");
  EXPECT_EQ(a.answer, "4");
  EXPECT_EQ(a.source, AnswerSource::kBoxed);
  EXPECT_STREQ(answer_source_name(a.source), "boxed");
}

TEST(ExtractAnswer, FinalAnswerLine) {
  ExtractedAnswer a =
      extract_answer("Work...\nFinal Answer: The final answer is $\\frac{3}{4}$. I hope");
  EXPECT_EQ(a.source, AnswerSource::kFinalAnswerLine);
  EXPECT_EQ(a.answer, "\\frac{3}{4}");
  EXPECT_EQ(extract_answer("Final Answer: The final answer is 12,000,023. I hope it is correct.")
                .answer,
            "12,000,023");
  EXPECT_EQ(extract_answer("Thus the answer is $x \\ge 5$ for every case.").answer,
            "x \\ge 5");
  EXPECT_EQ(extract_answer("so the answer is $42$.").answer, "42");
  EXPECT_EQ(extract_answer("**Answer:** 17").answer, "17");
  EXPECT_EQ(extract_answer("ANSWER: x = 2").answer, "x = 2");
  EXPECT_EQ(extract_answer("**Final Answer**\n\n$7$\n").answer, "7");
}

TEST(ExtractAnswer, LastNumber) {
  ExtractedAnswer a = extract_answer("We get 12 apples and then 1,234.5 pears.");
  EXPECT_EQ(a.source, AnswerSource::kLastNumber);
  EXPECT_EQ(a.answer, "1234.5");
  EXPECT_EQ(extract_answer("x is -3").answer, "-3");
  EXPECT_EQ(extract_answer("ratio 3/4").answer, "3/4");
  EXPECT_EQ(extract_answer("about .5").answer, ".5");
}

TEST(ExtractAnswer, WholeTextThatIsMath) {
  ExtractedAnswer a = extract_answer("$[0,1)$");
  EXPECT_EQ(a.source, AnswerSource::kWholeText);
  EXPECT_STREQ(answer_source_name(a.source), "whole_text");
  EXPECT_EQ(a.answer, "[0,1)");
  EXPECT_EQ(extract_answer("\\frac{10}{9}").answer, "\\frac{10}{9}");
  EXPECT_EQ(extract_answer("\\( x \\in (-6, 10) \\)").answer, "x \\in (-6, 10)");
  EXPECT_EQ(extract_answer("$odd$").answer, "odd");  // one span, words and all
  EXPECT_EQ(extract_answer("$\\text{The midpoints form a hexagon}$").source,
            AnswerSource::kWholeText);
  // Words, or two math spans, are no answer of their own: the last math span holding the
  // last number then, else the last number.
  EXPECT_EQ(extract_answer("$x$ is $3$").answer, "3");
  EXPECT_EQ(extract_answer("so \\frac{1}{2} then 7").answer, "7");
  EXPECT_EQ(extract_answer("so \\frac{1}{2} then 7").source, AnswerSource::kLastNumber);
  EXPECT_EQ(extract_answer("$5$ apples and $7$ pears").source, AnswerSource::kLastMath);
}

TEST(ExtractAnswer, LastMathSpanHoldingTheLastNumber) {
  ExtractedAnswer a = extract_answer("Therefore $x \\geq 5$ is the solution.");
  EXPECT_EQ(a.source, AnswerSource::kLastMath);
  EXPECT_STREQ(answer_source_name(a.source), "last_math");
  EXPECT_EQ(a.answer, "x \\geq 5");
  EXPECT_EQ(extract_answer("The length is \\(\\frac{1}{3}\\) meters.").answer, "\\frac{1}{3}");
  EXPECT_EQ(extract_answer("Here: \\[\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}\\]").answer,
            "\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}");
  EXPECT_EQ(extract_answer("We get $$2^{10}$$ ways.").answer, "2^{10}");
  // A number after the last span, a span that never closes, or an escaped dollar: the
  // last number.
  EXPECT_EQ(extract_answer("With $x = 2$ we get 7 apples.").answer, "7");
  EXPECT_EQ(extract_answer("With $x = 2 we get 7").source, AnswerSource::kLastNumber);
  EXPECT_EQ(extract_answer("It costs \\$5 and \\$7.").source, AnswerSource::kLastNumber);
}

TEST(ExtractAnswer, BoxesSideBySideAreOneList) {
  EXPECT_EQ(extract_answer("are \\[ \\boxed{-2} \\quad \\text{and} \\quad \\boxed{1}. \\]").answer,
            "-2, 1");
  EXPECT_EQ(extract_answer("$\\boxed{1}\\boxed{2}$").answer, "1, 2");
  EXPECT_EQ(extract_answer("\\(\\boxed{3}\\), \\(\\boxed{5}\\)").answer, "3, 5");
  EXPECT_EQ(extract_answer("\\boxed{4}\n\n\\boxed{4}").answer, "4");  // the same twice
  // Words between boxes, or "or" (two forms of one answer), keep the last box alone.
  EXPECT_EQ(extract_answer("\\boxed{2}. Wait, no: \\boxed{3}").answer, "3");
  EXPECT_EQ(extract_answer("$\\boxed{15\\frac{39}{40}},$ or $\\boxed{\\frac{639}{40}}$").answer,
            "\\frac{639}{40}");
}

TEST(ExtractAnswer, Nothing) {
  ExtractedAnswer a = extract_answer("I do not know.");
  EXPECT_EQ(a.source, AnswerSource::kNone);
  EXPECT_EQ(a.answer, "");
  EXPECT_STREQ(answer_source_name(a.source), "none");
}

TEST(ExtractChoiceLetter, Forms) {
  EXPECT_EQ(extract_choice_letter("thus \\boxed{B}"), 'B');
  EXPECT_EQ(extract_choice_letter("thus \\boxed{(C)}"), 'C');
  EXPECT_EQ(extract_choice_letter("thus \\boxed{\\text{D}}"), 'D');
  EXPECT_EQ(extract_choice_letter("Answer: B"), 'B');
  EXPECT_EQ(extract_choice_letter("The answer is (A)."), 'A');
  EXPECT_EQ(extract_choice_letter("The correct option is **C**."), 'C');
  EXPECT_EQ(extract_choice_letter("Options (A) and (B) fail, so (D)"), 'D');
  EXPECT_EQ(extract_choice_letter("answer: c"), 'C');
  // An answer section that is only the letter.
  EXPECT_EQ(extract_choice_letter("B"), 'B');
  EXPECT_EQ(extract_choice_letter(" (C)\n"), 'C');
  EXPECT_EQ(extract_choice_letter("D."), 'D');
  EXPECT_EQ(extract_choice_letter("**A**"), 'A');
  EXPECT_EQ(extract_choice_letter("E"), std::nullopt);
  // "Final Answer:" (the s1 format's forced answer line) followed by a letter.
  EXPECT_EQ(extract_choice_letter("\nFinal Answer: $\\boxed{B}$"), 'B');
  EXPECT_EQ(extract_choice_letter("Final Answer: **D**"), 'D');
}

TEST(ExtractAnswer, ChineseTextEndsOnItsLastClause) {
  auto final_clause = [](std::string_view text) {
    ExtractedAnswer a = extract_answer(text);
    EXPECT_EQ(a.source, AnswerSource::kFinalClause) << text;
    return a.answer;
  };
  // Chinese inside one math span, as exam solutions are often written.
  EXPECT_EQ(final_clause(
                "$由|CD|=\\frac{4}{3}|AB|得4c=\\frac{8b^2}{3a}.$ $所以C_1的离心率为\\frac{1}{2}.$"),
            "\\frac{1}{2}");
  EXPECT_EQ(final_clause("故点P的坐标为(-8,-2)或(0,2)."), "(-8,-2) or (0,2)");
  // A unit in parentheses and a score mark dropped; of a chain, the last side.
  EXPECT_EQ(final_clause("$所以该校高三年级的学生共有300\\times \\frac{8}{20}=120(名).(4分)$"),
            "300\\times \\frac{8}{20}=120");
  EXPECT_EQ(final_clause("所以S=\\frac{1}{2}\\times 4 \\times 2=4.(8分)"), "4");
  EXPECT_EQ(final_clause("由题意知，(0.012+x)\\times 10=1，解得x=0.01.(2分)"), "x=0.01");
  // A clause with no math after its last ideograph gives way to the one before it.
  EXPECT_EQ(final_clause("所以函数f(x)的极小值为f(\\sqrt{2})=1-\\sqrt{2}，无极大值."),
            "f(\\sqrt{2})=1-\\sqrt{2}");
  // What an ideograph leaves open: "S_{表面}=48".
  EXPECT_EQ(final_clause("\\therefore S_{表面}=32+16=48.（10分）"), "32+16=48");
  // A full-width comma inside brackets ends no clause; a full-width "＝" joins a chain.
  EXPECT_EQ(final_clause("$\\therefore 实数a的取值范围是(-\\infty ，0)\\cup (2，+\\infty )。$"),
            "(-\\infty ，0)\\cup (2，+\\infty )");
  EXPECT_EQ(final_clause("所以P(C)＝P(A_{4})＋P(A_{5})＝\\frac{8}{13}.(12分)"), "\\frac{8}{13}");
  // An ideograph inside braces: the last whole side of the chain.
  EXPECT_EQ(
      final_clause(
          "所以h=\\frac{3V_{三棱锥O-PBC}}{S}=\\frac{64}{8\\sqrt{34}}=\\frac{12\\sqrt{34}}{17}."),
      "\\frac{12\\sqrt{34}}{17}");
  // A conclusion after its reasons.
  EXPECT_EQ(final_clause("$又因为\\because B\\in (0,\\pi ),\\therefore B=\\frac{\\pi }{3}.$"),
            "B=\\frac{\\pi }{3}");
  EXPECT_STREQ(answer_source_name(AnswerSource::kFinalClause), "final_clause");
}

TEST(ExtractAnswer, ImagesAndScoreMarksHoldNoAnswer) {
  ExtractedAnswer a = extract_answer(
      "所以余弦值为\\frac{\\sqrt{7}}{7}。$ ![image](https://cdn.example.com/M_05679.jpg)");
  EXPECT_EQ(a.answer, "\\frac{\\sqrt{7}}{7}");
  a = extract_answer("The area is 18. <img src=\"fig_42.png\">");
  EXPECT_EQ(a.answer, "18");
  EXPECT_EQ(a.source, AnswerSource::kLastNumber);
}

TEST(ExtractAnswer, AnAlignedDerivationEndsOnItsLastRow) {
  ExtractedAnswer a = extract_answer(
      "So $$\\begin{aligned} 2 x-2 & =16 \\\\ 2 x & =18 \\\\ x & =9 \\end{aligned}$$");
  EXPECT_EQ(a.answer, "x =9");
  a = extract_answer("$$\\begin{aligned} (10^3+1)^2 & =x^2+2x+1 \\\\ & =1002001 \\end{aligned}$$");
  EXPECT_EQ(a.answer, "1002001");
  // Other environments stay whole.
  a = extract_answer("$\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}$");
  EXPECT_EQ(a.answer, "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}");
}

TEST(ExtractAnswer, AParallelDerivationStaysWhole) {
  // Rows that name different things are one answer in parts, not a derivation.
  const char* parts =
      "$\\begin{aligned} \\text{Coefficient} &= -5 \\\\ \\text{Degree} &= 5 \\end{aligned}$";
  EXPECT_EQ(extract_answer(parts).answer,
            "\\begin{aligned} \\text{Coefficient} &= -5 \\\\ \\text{Degree} &= 5 \\end{aligned}");
  const char* other = "$$\\begin{aligned} a &= 2 \\\\ b &= 3 \\end{aligned}$$";
  EXPECT_EQ(extract_answer(other).answer, "\\begin{aligned} a &= 2 \\\\ b &= 3 \\end{aligned}");
}

TEST(ExtractAnswer, ControlCharactersFromUnescapedJsonArePutBack) {
  // "\t" of "\text" read as a tab, at the start of a box, is not trimmed away.
  EXPECT_EQ(extract_answer("so \\boxed{\text{yes}}").answer, "\\text{yes}");
}

TEST(ExtractAnswer, AConclusionFollowsItsLastTherefore) {
  EXPECT_EQ(
      extract_answer("Hence $7<m<9 \\quad \\because m \\in Z \\quad \\therefore m=8$.").answer,
      "m=8");
  // A leading "\therefore" is no reason before it.
  EXPECT_EQ(extract_answer("$\\therefore x = 2$").answer, "\\therefore x = 2");
}

TEST(ExtractAnswer, ALongComputationEndsOnItsValue) {
  std::string terms;
  for (int i = 0; i < 30; ++i) terms += "\\frac{1}{3}\\times ";
  ExtractedAnswer a = extract_answer("So $P = " + terms + "3 = \\frac{88}{225}$.");
  EXPECT_EQ(a.answer, "\\frac{88}{225}");
  EXPECT_EQ(a.source, AnswerSource::kLastMath);
}

TEST(ExtractAnswer, EnglishTextIsNoChineseClause) {
  ExtractedAnswer a = extract_answer("Thus $x = 5$, and we are done.");
  EXPECT_NE(a.source, AnswerSource::kFinalClause);
}

TEST(ExtractChoiceLetter, LaterAnswerWinsAndRangeIsChecked) {
  EXPECT_EQ(extract_choice_letter("Answer: A\nWait, no. Answer: C"), 'C');
  EXPECT_EQ(extract_choice_letter("\\boxed{E}"), std::nullopt);
  EXPECT_EQ(extract_choice_letter("\\boxed{E}", 'E'), 'E');
  EXPECT_EQ(extract_choice_letter("Answer: Because"), std::nullopt);
  EXPECT_EQ(extract_choice_letter("no letter at all"), std::nullopt);
  EXPECT_EQ(extract_choice_letter("f(A) is big"), std::nullopt);
}

}  // namespace
}  // namespace s1
