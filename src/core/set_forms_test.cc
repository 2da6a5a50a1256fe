#include "core/set_forms.h"

#include <gtest/gtest.h>

#include <string>

#include "core/rewritten_for_test.h"

namespace s1 {
namespace {

TEST(RewriteSetBuilder, APointRemovedSplitsTheChain) {
  EXPECT_EQ(rewritten("\\{x \\mid 1 \\le x < 5, x \\ne 3\\}", rewrite_set_builder),
            "1 \\le x < 3 or 3 < x < 5");
  EXPECT_EQ(rewritten("\\{x \\mid 5 > x \\ge 1 and x \\ne 3\\}", rewrite_set_builder),
            "1 \\le x < 3 or 3 < x < 5");
  EXPECT_EQ(rewritten("\\{x \\mid x \\ne 2, x > 1\\}", rewrite_set_builder),
            "1 < x < 2 or 2 < x");
  EXPECT_EQ(rewritten("\\{x \\mid x \\le 4, x \\ne 0\\}", rewrite_set_builder),
            "x < 0 or 0 < x \\le 4");
  // Two removed points, or a condition on another letter, are left as written.
  EXPECT_EQ(rewritten("\\{x \\mid x \\ne 1, x \\ne 2\\}", rewrite_set_builder),
            "x \\ne 1, x \\ne 2");
  EXPECT_EQ(rewritten("\\{x \\mid 1 < y < 5, x \\ne 3\\}", rewrite_set_builder),
            "1 < y < 5, x \\ne 3");
}

TEST(RewriteSetBuilder, UnionsAndRealConditions) {
  EXPECT_EQ(rewritten("\\{x \\mid x \\le -1\\} \\cup \\{x \\mid x \\ge 3\\}", rewrite_set_builder),
            "x \\le -1 or x \\ge 3");
  EXPECT_EQ(rewritten("\\{x \\mid x \\in \\mathbb{R}, x \\ne 0\\}", rewrite_set_builder),
            "x \\ne 0");
  EXPECT_EQ(rewritten("\\{x \\mid x \\in \\mathbb{R}\\}", rewrite_set_builder),
            "(-\\infty,\\infty)");
  // A union with a set that is no set-builder set is left as written.
  EXPECT_EQ(rewritten("\\{x \\mid x > 1\\} \\cup \\{0\\}", rewrite_set_builder),
            "\\{x \\mid x > 1\\} \\cup \\{0\\}");
}

TEST(RewriteSetDifference, ASetLessAPoint) {
  EXPECT_EQ(rewritten("\\mathbb{R} \\setminus \\{2\\}", rewrite_set_difference), "x \\ne 2");
  EXPECT_EQ(rewritten("\\mathbb{R} - \\{-1\\}", rewrite_set_difference), "x \\ne -1");
  EXPECT_EQ(rewritten("[1, 5) \\setminus \\{3\\}", rewrite_set_difference), "[1,3)\\cup(3,5)");
  EXPECT_EQ(rewritten("(0,2)\\setminus\\{1\\}", rewrite_set_difference), "(0,1)\\cup(1,2)");
  // Two points, a set that is no interval, a point that is a condition: left alone.
  EXPECT_EQ(rewritten("\\mathbb{R} \\setminus \\{1, 2\\}", rewrite_set_difference),
            "\\mathbb{R} \\setminus \\{1, 2\\}");
  EXPECT_EQ(rewritten("A \\setminus \\{1\\}", rewrite_set_difference), "A \\setminus \\{1\\}");
  EXPECT_EQ(rewritten("\\mathbb{R} \\setminus \\{x > 1\\}", rewrite_set_difference),
            "\\mathbb{R} \\setminus \\{x > 1\\}");
}

TEST(RewriteChainLessPoint, WithoutBraces) {
  EXPECT_EQ(rewritten("-1 < x < 1, x \\ne 0", rewrite_chain_less_point),
            "-1 < x < 0 or 0 < x < 1");
  EXPECT_EQ(rewritten("x \\ne 0", rewrite_chain_less_point), "x \\ne 0");
  EXPECT_EQ(rewritten("x > 1, y \\ne 0", rewrite_chain_less_point), "x > 1, y \\ne 0");
}

TEST(RewriteSystem, EquationsAsAList) {
  EXPECT_EQ(rewritten("\\begin{cases} x = 1 \\\\ y = 2 \\end{cases}", rewrite_system),
            "x = 1, y = 2");
  EXPECT_EQ(rewritten("\\{\\begin{array}{l} x &= 1 \\\\ y &= 2 \\end{array}.", rewrite_system),
            "x = 1, y = 2");
  // A piecewise function, or two systems, stay.
  for (const char* kept : {"\\begin{cases} x & x > 0 \\\\ -x & x \\le 0 \\end{cases}",
                           "\\begin{cases} x=1 \\end{cases} or \\begin{cases} x=2 \\end{cases}"}) {
    EXPECT_EQ(rewritten(kept, rewrite_system), kept);
  }
}

TEST(RewriteAssignmentGroups, GroupsBecomeTuples) {
  EXPECT_EQ(rewritten("x=1, y=2 or x=2, y=1", rewrite_assignment_groups), "(1,2),(2,1)");
  EXPECT_EQ(rewritten("a = 1, b = 2; a = 3, b = 4", rewrite_assignment_groups), "(1,2),(3,4)");
  EXPECT_EQ(rewritten("\\begin{cases} x=1 \\\\ y=2 \\end{cases} or \\begin{cases} x=3 \\\\ y=4 "
                      "\\end{cases}",
                      rewrite_assignment_groups),
            "(1,2),(3,4)");
  for (const char* kept : {"x=1 or x=2", "x=1, y=2 or y=1, x=2", "x=1, y=2 or x=2, y>1",
                           "x=1, y=2"}) {
    EXPECT_EQ(rewritten(kept, rewrite_assignment_groups), kept);
  }
}

TEST(RewriteRealLine, SetsAndWords) {
  for (const char* reals : {"\\mathbb{R}", "All real numbers", "every real number"}) {
    EXPECT_EQ(rewritten(reals, rewrite_real_line), "(-\\infty,\\infty)") << reals;
  }
  EXPECT_EQ(rewritten("\\mathbb{R}^+", rewrite_real_line), "\\mathbb{R}^+");
  EXPECT_EQ(rewritten("all real roots", rewrite_real_line), "all real roots");
}

TEST(ExpandPmInTuple, OneSignedItem) {
  EXPECT_EQ(rewritten("(\\pm 1, 2)", expand_pm_in_tuple), "((1),2),(-(1),2)");
  for (const char* kept : {"(\\pm 1, \\pm 2)", "(1, 2)", "\\pm 1", "(\\pm 1, 2), (3, 4)"}) {
    EXPECT_EQ(rewritten(kept, expand_pm_in_tuple), kept);
  }
}

TEST(RewritePiecewise, PiecesWithTheirConditions) {
  EXPECT_EQ(rewritten("\\begin{cases} 1, & n = 1 \\\\ 2^{n-1}, & n \\geq 2 \\end{cases}",
                      rewrite_piecewise),
            "\\{(1,n = 1),(2^{n-1},n \\geq 2)\\}");
  EXPECT_EQ(rewritten("a_n = \\begin{cases} 1 & (n=1) \\\\ 2 \\quad if n > 1 \\end{cases}",
                      rewrite_piecewise),
            "\\{(1,n=1),(2,n > 1)\\}");
  EXPECT_EQ(rewritten("\\begin{cases} x & x > 0 \\\\ 0 & otherwise \\end{cases}", rewrite_piecewise),
            "\\{(x,x > 0),(0,otherwise)\\}");
  // A system of equations (no conditions) is rewrite_system()'s; two environments, or a
  // row without a condition, stay as written.
  for (const char* kept : {"\\begin{cases} x = 1 \\\\ y = 2 \\end{cases}",
                           "\\begin{cases} 1 & n = 1 \\end{cases} + 2",
                           "\\begin{cases} 1 \\\\ 2 & n > 1 \\end{cases}"}) {
    EXPECT_EQ(rewritten(kept, rewrite_piecewise), kept);
  }
}

TEST(RewriteNumberSets, WordsAndNotations) {
  EXPECT_EQ(rewritten("all integers", rewrite_number_sets), "\\mathbb{Z}");
  EXPECT_EQ(rewritten("All positive integers", rewrite_number_sets), "\\mathbb{Z}^+");
  EXPECT_EQ(rewritten("\\mathbb{N}^*", rewrite_number_sets), "\\mathbb{Z}^+");
  EXPECT_EQ(rewritten("\\mathbb{Z}_{>0}", rewrite_number_sets), "\\mathbb{Z}^+");
  EXPECT_EQ(rewritten("rational numbers", rewrite_number_sets), "\\mathbb{Q}");
  for (const char* kept : {"\\mathbb{N}", "all even integers", "integers n > 2", "\\mathbb{Z}"}) {
    EXPECT_EQ(rewritten(kept, rewrite_number_sets), kept);
  }
}

}  // namespace
}  // namespace s1
