#include "core/answer_units.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace s1 {
namespace {

TEST(ReadQuantity, PartsOfOneKind) {
  std::optional<Quantity> q = read_quantity("2 \\text{ hours and } 30 \\text{ minutes}");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->dimension, Dimension::kTime);
  EXPECT_DOUBLE_EQ(q->base, 9000);
  EXPECT_EQ(q->factors.size(), 2u);
  EXPECT_DOUBLE_EQ(read_quantity("1 kg 950 g")->base, 1950);
  EXPECT_DOUBLE_EQ(read_quantity("3 feet, 4 inches")->base, 1016);
  EXPECT_DOUBLE_EQ(read_quantity("2h 30min")->base, 9000);
  EXPECT_DOUBLE_EQ(read_quantity("5 dollars and 25 cents")->base, 525);
  EXPECT_DOUBLE_EQ(read_quantity("150 minutes")->base, 9000);
}

TEST(ReadQuantity, NothingElse) {
  for (const char* s : {"150", "2 hours and 30", "2 hours 30 grams", "2 hours 3 hours",
                        "x hours", "2 apples", "", "hours"}) {
    EXPECT_FALSE(read_quantity(s)) << s;
  }
}

TEST(SameQuantity, ConvertedOrInOneOfItsUnits) {
  EXPECT_TRUE(same_quantity("2 hours and 30 minutes", "2.5"));
  EXPECT_TRUE(same_quantity("150", "2 hours and 30 minutes"));
  EXPECT_TRUE(same_quantity("2.5 \\text{ hours}", "150 \\text{ minutes}"));
  EXPECT_TRUE(same_quantity("1 kg 950 g", "1950"));
  EXPECT_TRUE(same_quantity("1 kg 950 g", "1.95"));
  // Other values, other kinds, or one unit against a number: not this rule's.
  EXPECT_FALSE(same_quantity("2 hours and 30 minutes", "2.3"));
  EXPECT_FALSE(same_quantity("2 hours and 30 minutes", "9000"));  // seconds unwritten
  EXPECT_FALSE(same_quantity("2.5 hours", "150 grams"));
  EXPECT_FALSE(same_quantity("2.5 hours", "2.5"));
  EXPECT_FALSE(same_quantity("2 hours", "2 hours"));
}

std::string without_unit(std::string s) {
  return strip_trailing_unit(s) || strip_trailing_cjk_unit(s) ? s : "(kept) " + s;
}

TEST(StripTrailingUnit, UnitWordsAfterAQuantity) {
  EXPECT_EQ(without_unit("15 cm^2"), "15");
  EXPECT_EQ(without_unit("5.4 cents"), "5.4");
  EXPECT_EQ(without_unit("60 km/h"), "60");
  EXPECT_EQ(without_unit("24 m"), "24");
  EXPECT_EQ(without_unit("15th Day"), "15th");
  EXPECT_EQ(without_unit("50\u5143"), "50");  // 元
  // A one-letter unit must stand apart after a number, and is no symbol of the rest.
  EXPECT_EQ(without_unit("5m"), "(kept) 5m");
  EXPECT_EQ(without_unit("a m"), "(kept) a m");
  EXPECT_EQ(without_unit("8 m-2 m=6 m"), "(kept) 8 m-2 m=6 m");
  EXPECT_EQ(without_unit("cm"), "(kept) cm");
  EXPECT_EQ(without_unit("\u5143"), "(kept) \u5143");
}

}  // namespace
}  // namespace s1
