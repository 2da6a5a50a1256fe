#include "core/answer_names.h"

#include <gtest/gtest.h>

namespace s1 {
namespace {

TEST(LeadingName, FindsTheNamesValuesAreGivenTo) {
  for (const char* name : {"x", "y_1", "x_{12}", "\\theta", "AB", "ABC", "\\angle C",
                           "\\angle ABC", "m\\angle A", "|AB|", "\\overline{AB}", "\\vec{a}",
                           "\\vec a", "\\overrightarrow{AB}", "|\\overrightarrow{AB}|",
                           "\\sin A", "\\cos\\alpha", "\\max", "\\min f(x)", "f(x)_{\\max}",
                           "f_{\\min}", "f(2)", "S_{\\triangle ABC}", "[ABC]", "[ABCD]"}) {
    std::string text = std::string(name) + " = 3";
    EXPECT_EQ(leading_name(text), name) << text;
  }
}

TEST(LeadingName, NothingElse) {
  for (const char* text : {"2x = 3", "\\sinh x = 3", "\\vec{2} = 3", "|2| = 3",
                           "(x+1) = 3", "\\frac{1}{2}", "[AB] = 3", "[1,2] = 3", ""}) {
    EXPECT_EQ(leading_name(text), "") << text;
  }
}

TEST(StripVariablePrefix, KeepsTheValue) {
  EXPECT_EQ(strip_variable_prefix("x = 5"), "5");
  EXPECT_EQ(strip_variable_prefix("x = y = z = 5"), "5");
  EXPECT_EQ(strip_variable_prefix("AB = BC = 2"), "2");
  EXPECT_EQ(strip_variable_prefix("\\cos \\alpha = \\frac{3}{5}"), "\\frac{3}{5}");
  EXPECT_EQ(strip_variable_prefix("|\\vec{a}| = 2"), "2");
  EXPECT_EQ(strip_variable_prefix("f(x)_{\\min} = 3"), "3");
  EXPECT_EQ(strip_variable_prefix("f(2) = 3"), "3");
  EXPECT_EQ(strip_variable_prefix("(x, y) = (1, 2)"), "(1, 2)");
  EXPECT_EQ(strip_variable_prefix("f(x) = x + 1"), "x + 1");
  EXPECT_EQ(strip_variable_prefix("x \\in [1, 2]"), "[1, 2]");
}

TEST(StripVariablePrefix, LeavesRelationsAndSelfReference) {
  EXPECT_EQ(strip_variable_prefix("x = x + 1"), "x = x + 1");
  EXPECT_EQ(strip_variable_prefix("AB = CD"), "AB = CD");
  EXPECT_EQ(strip_variable_prefix("\\angle A = \\angle B"), "\\angle A = \\angle B");
  EXPECT_EQ(strip_variable_prefix("f(2) = f(3) + 1"), "f(2) = f(3) + 1");
  EXPECT_EQ(strip_variable_prefix("x = 1 < y"), "x = 1 < y");
  EXPECT_EQ(strip_variable_prefix("2x = 6"), "2x = 6");
}

}  // namespace
}  // namespace s1
