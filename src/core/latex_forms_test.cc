#include "core/latex_forms.h"

#include <gtest/gtest.h>

#include <string>

#include "core/rewritten_for_test.h"

namespace s1 {
namespace {

TEST(ReplaceUnicode, ScriptsBecomeBracedExponentsAndIndices) {
  EXPECT_EQ(rewritten("10\u207b\u00b9\u2070", replace_unicode), "10^{-10}");
  EXPECT_EQ(rewritten("x\u00b2 + y\u00b3", replace_unicode), "x^{2} + y^{3}");
  EXPECT_EQ(rewritten("a\u2081\u2082", replace_unicode), "a_{12}");
  // A superscript run ends where a subscript starts.
  EXPECT_EQ(rewritten("x\u2082\u00b2", replace_unicode), "x_{2}^{2}");
}

TEST(ReplaceUnicode, FullWidthFormsAndPunctuation) {
  EXPECT_EQ(rewritten("\uff58\uff1d\uff13", replace_unicode), "x=3");
  EXPECT_EQ(rewritten("\uff21\uff1b\uff22", replace_unicode), "A;B");
  EXPECT_EQ(rewritten("\uff3b1\uff0c2\uff3d", replace_unicode), "[1,2]");
  EXPECT_EQ(rewritten("3\u22364", replace_unicode), "3:4");
}

TEST(ReplaceUnicode, VulgarFractionsRootsAndNumberSets) {
  EXPECT_EQ(rewritten("\u00bd", replace_unicode), "\\frac{1}{2}");
  EXPECT_EQ(rewritten("2\u2154", replace_unicode), "2\\frac{2}{3}");
  EXPECT_EQ(rewritten("3\u20444", replace_unicode), "3/4");
  EXPECT_EQ(rewritten("\u221a(3)", replace_unicode), "\\sqrt{3}");
  EXPECT_EQ(rewritten("\u221a(2(x+1))", replace_unicode), "\\sqrt{2(x+1)}");
  EXPECT_EQ(rewritten("\u221a(3", replace_unicode), "\\sqrt(3");  // never closed: left alone
  EXPECT_EQ(rewritten("\u221a10", replace_unicode), "\\sqrt{10}");
  EXPECT_EQ(rewritten("2\u221a2x", replace_unicode), "2\\sqrt{2}x");
  EXPECT_EQ(rewritten("\u221bx", replace_unicode), "\\sqrt[3]{x}");
  EXPECT_EQ(rewritten("\u221c16", replace_unicode), "\\sqrt[4]{16}");
  EXPECT_EQ(rewritten("25\u00b0C", replace_unicode), "25");
  EXPECT_EQ(rewritten("25\u2103", replace_unicode), "25");
  EXPECT_EQ(rewritten("x \u2208 \u211d", replace_unicode), "x \\in  \\mathbb{R}");
  EXPECT_EQ(rewritten("x<1\u6216x>2", replace_unicode), "x<1 or x>2");
}

TEST(RewriteRatio, LabelsWordsAndLowestTerms) {
  EXPECT_EQ(rewritten("5:8", rewrite_ratio), "\\frac{5}{8}");
  EXPECT_EQ(rewritten("BD:DC=1:3", rewrite_ratio), "\\frac{1}{3}");
  EXPECT_EQ(rewritten("S_{MBCN}:S=7:32", rewrite_ratio), "\\frac{7}{32}");
  EXPECT_EQ(rewritten("\\frac{BD}{DC}=\\frac{1}{3}", rewrite_ratio), "\\frac{1}{3}");
  EXPECT_EQ(rewritten("1to3", rewrite_ratio), "\\frac{1}{3}");
  EXPECT_EQ(rewritten("2:4:6", rewrite_ratio), "1:2:3");
  EXPECT_EQ(rewritten("1:2:3", rewrite_ratio), "1:2:3");
  // Labels that are values, and ratios of letters, stay.
  EXPECT_EQ(rewritten("Max:9", rewrite_ratio), "Max:9");
  EXPECT_EQ(rewritten("a:b", rewrite_ratio), "a:b");
  EXPECT_EQ(rewritten("x=1:3", rewrite_ratio), "x=1:3");
  EXPECT_EQ(rewritten("2:4:x", rewrite_ratio), "2:4:x");
}

TEST(SemicolonsToCommas, InsideTuplesAndAtTopLevel) {
  EXPECT_EQ(rewritten("(0;-2;6),(4;0;0)", semicolons_to_commas), "(0,-2,6),(4,0,0)");
  EXPECT_EQ(rewritten("-12;-11;-10", semicolons_to_commas), "-12,-11,-10");
  EXPECT_EQ(rewritten("\\{1;2\\},\\{3\\}", semicolons_to_commas), "\\{1,2\\},\\{3\\}");
  // Groups of labelled values keep their semicolons; tuples lose them.
  EXPECT_EQ(rewritten("p=5,q=2;p=7,q=2", semicolons_to_commas), "p=5,q=2;p=7,q=2");
  EXPECT_EQ(rewritten("(1,2);(3,4)", semicolons_to_commas), "(1,2),(3,4)");
}

TEST(DropGroupLabels, TwoLabelledGroupsOrMore) {
  EXPECT_EQ(rewritten("Sequence 1: -2, -1 and Sequence 2: 10, 11", drop_group_labels),
            " -2, -1 and  10, 11");
  EXPECT_EQ(rewritten("(a) 5; (b) 7", drop_group_labels), " 5;  7");
  for (const char* kept : {"Max: 9, Min: 2", "(a) 5", "Case 1: x = 1", "f(a) = 5, g(b) = 7"}) {
    EXPECT_EQ(rewritten(kept, drop_group_labels), kept);
  }
}

}  // namespace
}  // namespace s1
