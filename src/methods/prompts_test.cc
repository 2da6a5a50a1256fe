// The prompts' exact wording, written out in full, and the judge's verdicts.
#include "methods/prompts.h"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

namespace s1 {
namespace {

TEST(Prompts, VerdictsAndWording) {
  EXPECT_EQ(parse_verdict("so \\boxed{yes}"), 1);
  EXPECT_EQ(parse_verdict("\\boxed{\\text{No}}"), 0);
  EXPECT_EQ(parse_verdict("yes at first, but no."), 0);
  EXPECT_EQ(parse_verdict("The answer is right: Yes"), 1);
  EXPECT_EQ(parse_verdict("nothing here"), -1);
  EXPECT_EQ(parse_verdict("know yesterday"), -1);
  EXPECT_EQ(token_conditional_prompt("Q", 512), "Q\n\nThink for up to 512 tokens.");
  EXPECT_EQ(step_conditional_prompt("Q", 5), "Q\n\nThink for up to 5 steps.");
  EXPECT_EQ(steps_for_budget(1), 1);
  EXPECT_EQ(steps_for_budget(200), 2);
  EXPECT_EQ(steps_for_budget(201), 3);
  EXPECT_EQ(class_conditional_prompt("Q", "long"),
            "Q\n\nAnswer after a long amount of thinking. If you feel like you are finished "
            "early, spend the extra time trying to double-check your work until you are "
            "absolutely sure that you have the correct answer.");
  EXPECT_THROW(class_conditional_prompt("Q", "medium"), std::invalid_argument);
}

TEST(Prompts, MultipleChoiceAsTheS1EvaluationAskedGpqa) {
  EXPECT_EQ(multiple_choice_prompt("What is 2+2?", {"6", "5", "3", "4"}),
            "Answer the following multiple choice question. The last line of your response "
            "should be of the following format: 'Answer: $LETTER' (without quotes) where LETTER "
            "is one of ABCD. Think step by step before answering.\n"
            "\n"
            "What is 2+2?\n"
            "\n"
            "A) 6\n"
            "B) 5\n"
            "C) 3\n"
            "D) 4");
  EXPECT_EQ(multiple_choice_prompt("Q", {"x", "y"}),
            "Answer the following multiple choice question. The last line of your response "
            "should be of the following format: 'Answer: $LETTER' (without quotes) where LETTER "
            "is one of AB. Think step by step before answering.\n\nQ\n\nA) x\nB) y");
  EXPECT_THROW(multiple_choice_prompt("Q", {}), std::invalid_argument);
}

TEST(Prompts, ProblemPromptShowsTheShuffledChoices) {
  // Seed 3 shows r1's choices as 6, 5, 4, 3 (seed 0: 6, 5, 3, 4).
  std::istringstream csv(
      "Record ID,Question,Correct Answer,Incorrect Answer 1,Incorrect Answer 2,"
      "Incorrect Answer 3\nr1,2+2?,4,3,5,6\n");
  const Problem p = read_gpqa_csv(csv, "gpqa.csv", 3).at(0);
  const std::string prompt = problem_prompt(p);
  EXPECT_EQ(prompt.substr(prompt.find("2+2?")), "2+2?\n\nA) 6\nB) 5\nC) 4\nD) 3");
  Problem math;
  math.problem = "What is 1+1?";
  EXPECT_EQ(problem_prompt(math), "What is 1+1?");
}

}  // namespace
}  // namespace s1
