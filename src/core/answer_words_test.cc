#include "core/answer_words.h"

#include <gtest/gtest.h>

namespace s1::words {
namespace {

TEST(ChoiceLetters, ReadsTheOfferedLetters) {
  EXPECT_EQ(choice_letters("Which is true? A: $1$ B: $2$ C: $3$ D: $4$"), "ABCD");
  EXPECT_EQ(choice_letters("Pick one: (A) 1 (B) 2 (C) 3"), "ABC");
  EXPECT_EQ(choice_letters("Options:\nA. one\nB. two"), "AB");
  EXPECT_EQ(choice_letters("A\uff0e1 B\uff0e2"), "AB");
  // One letter, or letters that are points or words, offer no choice.
  EXPECT_EQ(choice_letters("The answer is A."), "");
  EXPECT_EQ(choice_letters("In triangle ABC, find AB."), "");
  EXPECT_EQ(choice_letters("A: 1, C: 3"), "");
}

TEST(SameChoices, LettersInAnyForm) {
  EXPECT_TRUE(same_choices("(B) 2", "B", "ABCD"));
  EXPECT_TRUE(same_choices("\\text{B: } 2", "B", "ABCD"));
  EXPECT_TRUE(same_choices("A, C", "CA", "ABCD"));
  EXPECT_TRUE(same_choices("A and D", "AD", "ABCD"));
  EXPECT_FALSE(same_choices("A, C", "A", "ABCD"));
  EXPECT_FALSE(same_choices("E", "E", "ABCD"));  // not offered
  EXPECT_FALSE(same_choices("AA", "A", "ABCD"));
  EXPECT_FALSE(same_choices("Alice", "A", "ABCD"));
}

TEST(AsksYesOrNo, TheAskingSentenceDecides) {
  EXPECT_TRUE(asks_yes_or_no("There are 8 coins. Can Peter find the fake one?"));
  EXPECT_TRUE(asks_yes_or_no("Is it possible to tile the board with 3.5 tiles?"));
  EXPECT_TRUE(asks_yes_or_no("Does there exist such an n?"));
  EXPECT_FALSE(asks_yes_or_no("Is it true? How many tiles are needed?"));
  EXPECT_FALSE(asks_yes_or_no("Find the number of tiles."));
}

TEST(SameYesOrNo, SentencesThatSayTheSame) {
  EXPECT_TRUE(same_yes_or_no("No, it cannot be done.", "No", false));
  EXPECT_TRUE(same_yes_or_no("It is impossible.", "No", false));
  EXPECT_FALSE(same_yes_or_no("It is not impossible.", "No", false));
  EXPECT_FALSE(same_yes_or_no("It is impossible.", "No, it cannot be done.", false));
  EXPECT_TRUE(same_yes_or_no("It is impossible.", "No, it cannot be done.", true));
  EXPECT_FALSE(same_yes_or_no("It can be done if n is even.", "Yes", true));
}

TEST(SameSign, ASentenceAndAnInequalityAgainstZero) {
  EXPECT_TRUE(same_sign("The sum is less than zero.", "f(x_1) + f(x_2) + f(x_3) < 0"));
  EXPECT_TRUE(same_sign("0 < a + b", "\\text{The sum is positive}"));
  EXPECT_TRUE(same_sign("The value is non-negative.", "x \\geq 0"));
  EXPECT_FALSE(same_sign("The sum is less than zero.", "f(x_1) + f(x_2) > 0"));
  EXPECT_FALSE(same_sign("The sum is not negative.", "s < 0"));
  EXPECT_FALSE(same_sign("The sum is less than zero.", "s < 1"));
  EXPECT_FALSE(same_sign("The sum is less than zero.", "0 < s < 1"));
}

}  // namespace
}  // namespace s1::words
