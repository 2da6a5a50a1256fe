#include "core/question_cues.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace s1 {
namespace {

constexpr const char* kAngle = "In triangle $ABC$, $AB = AC$. Find the measure of angle $A$.";
constexpr const char* kAngleDegrees = "Find the angle between the two vectors, in degrees.";
constexpr const char* kLengthAfterAngle = "In right triangle $ABC$, $\\angle C = 90^\\circ$ and $AB = 10$. Find the length of $BC$.";
constexpr const char* kArcLength = "A circle has radius 1. Find the length of the arc.";
constexpr const char* kHundredth = "Express your answer as a decimal to the nearest hundredth.";
constexpr const char* kWhole = "How far did she walk? Round to the nearest whole number.";
constexpr const char* kTenth = "Give the area to the nearest tenth.";
constexpr const char* kThreePlaces = "Give your answer to three decimal places.";
constexpr const char* kSigFigs = "Express the result to 3 significant figures.";
constexpr const char* kMinMax = "Find the minimum and maximum values of $f$ on $[0, 4]$.";
constexpr const char* kMaxMin = "Find the maximum and minimum values of $f(x) = x^2 - 2x + 3$ on $[0, 4]$, in that order.";
constexpr const char* kMaxOnly = "Find the maximum value of $f$.";
constexpr const char* kHundreds = "About how many people came? Round to the nearest hundred.";
constexpr const char* kOneDecimal = "Give your answer to 1 decimal.";
constexpr const char* kAsDecimal = "Express your answer as a decimal.";
constexpr const char* kTwoPlacesZh = "\u7ed3\u679c\u4fdd\u7559\u4e24\u4f4d\u5c0f\u6570";
constexpr const char* kRoundTask = "Round $6287215$ to the nearest ten thousand.";

TEST(QuestionCues, ReadsWhatIsAsked) {
  QuestionCues angle = read_question(kAngle);
  EXPECT_TRUE(angle.known);
  EXPECT_TRUE(angle.angle);
  EXPECT_FALSE(angle.degrees);
  EXPECT_TRUE(read_question(kAngleDegrees).degrees);
  EXPECT_FALSE(read_question(kLengthAfterAngle).angle);
  EXPECT_FALSE(read_question(kArcLength).angle);
  EXPECT_EQ(read_question(kMinMax).order, (std::vector<std::string>{"min", "max"}));
  EXPECT_EQ(read_question(kMaxMin).order, (std::vector<std::string>{"max", "min"}));
  EXPECT_TRUE(read_question(kAngle).order.empty());
  EXPECT_EQ(read_question(kMaxOnly).extremes, (std::vector<std::string>{"max"}));
  EXPECT_TRUE(read_question(kMaxOnly).order.empty());
  EXPECT_TRUE(read_question("What is the least common multiple of 4 and the greatest "
                            "common divisor, at least?")
                  .extremes.empty());
  EXPECT_FALSE(read_question("").known);
}

TEST(QuestionCues, ReadsAStatedPrecision) {
  EXPECT_EQ(read_question(kHundredth).decimal_places, 2);
  EXPECT_EQ(read_question(kWhole).decimal_places, 0);
  EXPECT_EQ(read_question(kTenth).decimal_places, 1);
  EXPECT_EQ(read_question(kThreePlaces).decimal_places, 3);
  EXPECT_EQ(read_question(kSigFigs).significant_figures, 3);
  EXPECT_EQ(read_question("").decimal_places, -1);
  EXPECT_EQ(read_question(kOneDecimal).decimal_places, 1);
  EXPECT_EQ(read_question(kAsDecimal).decimal_places, -1);  // "a decimal" counts nothing
  EXPECT_EQ(read_question(kTwoPlacesZh).decimal_places, 2);
  EXPECT_EQ(read_question(kHundreds).rounds_to_power, 2);
  EXPECT_EQ(read_question(kHundreds).decimal_places, -1);
  EXPECT_EQ(read_question("Round to the nearest tenth.").rounds_to_power, 0);
  EXPECT_TRUE(read_question(kRoundTask).rounding_task);
  EXPECT_FALSE(read_question(kHundreds).rounding_task);
  EXPECT_FALSE(read_question("Round to 4 significant figures.").rounding_task);
}

}  // namespace
}  // namespace s1
