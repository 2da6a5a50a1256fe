#include "core/answer_words.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

TEST(ChoiceTexts, ReadsWhatEachChoiceOffers) {
  using Texts = std::vector<std::string>;
  EXPECT_EQ(
      choice_texts("Which is true? A: $2\\sqrt{2}$ B: $3$, C: $4$; D: $\\frac{1}{2}$", "ABCD"),
      (Texts{"2\\sqrt{2}", "3", "4", "\\frac{1}{2}"}));
  EXPECT_EQ(choice_texts("Pick one:\n(A) x > 1\n(B) x < 1\nExplain.", "AB"),
            (Texts{"x > 1", "x < 1"}));
  EXPECT_EQ(choice_texts("A\uff0e1\uff1b B\uff0e2", "AB"), (Texts{"1", "2"}));
  EXPECT_EQ(choice_texts("A: $1$ B:", "AB"), Texts{});  // B offers nothing
}

TEST(SingleChoice, OneLetterOrNone) {
  EXPECT_EQ(single_choice("(B) 2", "ABCD"), 'B');
  EXPECT_EQ(single_choice("\\text{C}", "ABCD"), 'C');
  EXPECT_EQ(single_choice("A, C", "ABCD"), 0);
  EXPECT_EQ(single_choice("2", "ABCD"), 0);
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

TEST(SameContentWords, TheWordsThatSaySomething) {
  EXPECT_TRUE(same_content_words("\\text{the first player}", "\\text{Player 1}"));
  EXPECT_TRUE(same_content_words("second player", "Player 2 wins"));
  EXPECT_TRUE(same_content_words("n \\text{ is even}", "\\text{all even } n"));
  EXPECT_TRUE(same_content_words("does not exist", "DNE"));
  EXPECT_FALSE(same_content_words("A beats B", "B beats A"));  // more than two: in order
  EXPECT_FALSE(same_content_words("n is even", "n is not even"));
  EXPECT_FALSE(same_content_words("Player 1", "Player 2"));
  EXPECT_FALSE(same_content_words("1", "first"));  // numbers only: not this rule's
  EXPECT_FALSE(same_content_words("x^2 is even", "even"));
}

TEST(VerdictByQuestion, ASentenceRestatingTheQuestion) {
  QuestionCues increasing = read_question("Is the function increasing on $(0, 1)$?");
  EXPECT_EQ(verdict_by_question("The function is increasing.", increasing), 1);
  EXPECT_EQ(verdict_by_question("It is not increasing.", increasing), 0);
  EXPECT_EQ(verdict_by_question("The function is decreasing.", increasing), -1);
  EXPECT_EQ(verdict_by_question("Yes, it is increasing.", increasing), -1);
  QuestionCues rational = read_question("Is $\\sqrt{2}$ rational?");
  EXPECT_EQ(verdict_by_question("irrational", rational), 0);
  EXPECT_EQ(verdict_by_question("rational", rational), 1);
  EXPECT_EQ(verdict_by_question("rational", read_question("Find x.")), -1);
  EXPECT_TRUE(answers_by_restating("No", "\\text{irrational}", rational));
  EXPECT_TRUE(answers_by_restating("It converges.", "True", read_question("Does it converge?")));
  EXPECT_FALSE(answers_by_restating("It converges.", "No", read_question("Does it converge?")));
}

}  // namespace
}  // namespace s1::words
