// The exact prompt wording of the test-time scaling baselines. Every method that changes
// what the model reads goes through these functions, so the wording is written down once,
// here and in docs/eval.md ("Methods and their exact wording").
//
// All functions are pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/datasets.h"

namespace s1 {

// A multiple-choice question in the layout of the s1 evaluation's GPQA task
// (gpqa_diamond_openai: question, blank line, "A) ..." lines), led by the instruction of
// OpenAI's simple-evals that the task cites:
//   "Answer the following multiple choice question. The last line of your response should
//    be of the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of
//    ABCD. Think step by step before answering.\n\n{question}\n\nA) {A}\nB) {B}\nC) {C}\nD) {D}"
// With another number of choices the letters run A, B, ... and "ABCD" names them all.
// Requires 1 to 26 choices (throws std::invalid_argument otherwise).
std::string multiple_choice_prompt(const std::string& question,
                                   const std::vector<std::string>& choices);

// What the model is asked for a dataset problem: multiple_choice_prompt() when it has
// choices (in the order datasets.h shuffled them), else the problem text as it is.
std::string problem_prompt(const Problem& problem);

// Token-conditional control (s1, section 3.2 / table 3): the question, a blank line, then
// "Think for up to {tokens} tokens." Requires tokens >= 0.
std::string token_conditional_prompt(const std::string& question, int tokens);

// Step-conditional control: the question, a blank line, then
// "Think for up to {steps} steps." A step is kStepTokens thinking tokens; the engine
// writes a steps-left marker (ForcingSettings::step_marker) at the start of each step,
// as the s1 reference's step-trained model does. Requires steps >= 0.
std::string step_conditional_prompt(const std::string& question, int steps);
constexpr int kStepTokens = 100;
// Steps for a budget in tokens: ceil(budget / kStepTokens), at least 1.
int steps_for_budget(int budget_tokens);

// Class-conditional control, the s1 paper's two instructions appended after a blank line:
//  short: "Answer after a short amount of thinking. Do not spend excessive time
//          double-checking your work."
//  long:  "Answer after a long amount of thinking. If you feel like you are finished
//          early, spend the extra time trying to double-check your work until you are
//          absolutely sure that you have the correct answer."
// Throws std::invalid_argument for a class other than "short" or "long".
std::string class_conditional_prompt(const std::string& question,
                                     const std::string& thinking_class);

// Self-verification (best-of-N, as in SETS): the model judges one candidate.
//   "Here is a math problem and a proposed solution. Check the solution carefully, step
//    by step. Then say whether its final answer is correct: end with \boxed{yes} if it
//    is correct and \boxed{no} if it is not.\n\nProblem:\n{question}\n\nProposed
//    solution:\n{solution}\n\nProposed final answer: {final_answer}"
// For a multiple-choice question (its choices written in `question`), "a math problem" is
// "a multiple-choice problem" and {final_answer} is the chosen letter.
// `solution` is the candidate's answer section (its thinking is not shown to the judge).
std::string verification_prompt(const std::string& question, const std::string& solution,
                                const std::string& final_answer, bool multiple_choice = false);

// The verdict in a judge's answer: the last \boxed{} (else the last "yes"/"no" word),
// case-insensitive. 1: yes, 0: no, -1: no verdict.
int parse_verdict(const std::string& judge_answer);

}  // namespace s1
