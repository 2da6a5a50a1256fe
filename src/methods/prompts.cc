#include "methods/prompts.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "core/answer_extraction.h"

namespace s1 {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int verdict_of(const std::string& text) {
  std::string t = lower(text);
  t.erase(std::remove_if(t.begin(), t.end(),
                         [](char c) { return !std::isalpha(static_cast<unsigned char>(c)); }),
          t.end());
  if (t == "yes" || t == "textyes" || t == "correct") return 1;
  if (t == "no" || t == "textno" || t == "incorrect") return 0;
  return -1;
}

bool word_at(const std::string& s, size_t pos, size_t len) {
  const auto alpha = [&](size_t i) { return std::isalpha(static_cast<unsigned char>(s[i])) != 0; };
  return (pos == 0 || !alpha(pos - 1)) && (pos + len >= s.size() || !alpha(pos + len));
}

}  // namespace

std::string multiple_choice_prompt(const std::string& question,
                                   const std::vector<std::string>& choices) {
  if (choices.empty() || choices.size() > 26) {
    throw std::invalid_argument("a multiple-choice question needs 1 to 26 choices, not " +
                                std::to_string(choices.size()));
  }
  std::string letters;
  for (size_t i = 0; i < choices.size(); ++i) letters += static_cast<char>('A' + i);
  // QUERY_TEMPLATE_MULTICHOICE of openai/simple-evals (common.py), which the s1 evaluation's
  // lm-evaluation-harness fork (simplescaling/lm-evaluation-harness,
  // lm_eval/tasks/gpqa/openai/gpqa_diamond_openai_*.yaml) cites for its doc_to_text; its
  // active template, "{{Question}}\n\nA) {{choice1}}\nB) ...", lays out the question and
  // choices the same way.
  std::string prompt =
      "Answer the following multiple choice question. The last line of your response should be "
      "of the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of " +
      letters + ". Think step by step before answering.\n\n" + question + "\n";
  for (size_t i = 0; i < choices.size(); ++i) {
    prompt += "\n" + std::string(1, letters[i]) + ") " + choices[i];
  }
  return prompt;
}

std::string problem_prompt(const Problem& problem) {
  return problem.choices.empty() ? problem.problem
                                 : multiple_choice_prompt(problem.problem, problem.choices);
}

std::string token_conditional_prompt(const std::string& question, int tokens) {
  if (tokens < 0) throw std::invalid_argument("token-conditional budget must be >= 0");
  return question + "\n\nThink for up to " + std::to_string(tokens) + " tokens.";
}

std::string step_conditional_prompt(const std::string& question, int steps) {
  if (steps < 0) throw std::invalid_argument("step-conditional steps must be >= 0");
  return question + "\n\nThink for up to " + std::to_string(steps) + " steps.";
}

int steps_for_budget(int budget_tokens) {
  return std::max(1, (budget_tokens + kStepTokens - 1) / kStepTokens);
}

std::string class_conditional_prompt(const std::string& question,
                                     const std::string& thinking_class) {
  if (thinking_class == "short") {
    return question +
           "\n\nAnswer after a short amount of thinking. Do not spend excessive time "
           "double-checking your work.";
  }
  if (thinking_class == "long") {
    return question +
           "\n\nAnswer after a long amount of thinking. If you feel like you are finished "
           "early, spend the extra time trying to double-check your work until you are "
           "absolutely sure that you have the correct answer.";
  }
  throw std::invalid_argument("thinking class must be short or long, not '" + thinking_class + "'");
}

std::string verification_prompt(const std::string& question, const std::string& solution,
                                const std::string& final_answer, bool multiple_choice) {
  return std::string("Here is a ") + (multiple_choice ? "multiple-choice" : "math") +
         " problem and a proposed solution. Check the solution carefully, step by "
         "step. Then say whether its final answer is correct: end with \\boxed{yes} if it is "
         "correct and \\boxed{no} if it is not.\n\nProblem:\n" +
         question + "\n\nProposed solution:\n" + solution +
         "\n\nProposed final answer: " + final_answer;
}

int parse_verdict(const std::string& judge_answer) {
  if (auto boxed = extract_last_boxed(judge_answer)) {
    const int v = verdict_of(*boxed);
    if (v >= 0) return v;
  }
  const std::string t = lower(judge_answer);
  size_t best = std::string::npos;
  int verdict = -1;
  for (const auto& [word, v] : {std::pair<const char*, int>{"yes", 1}, {"no", 0}}) {
    const size_t len = std::char_traits<char>::length(word);
    for (size_t pos = t.rfind(word); pos != std::string::npos;
         pos = pos == 0 ? std::string::npos : t.rfind(word, pos - 1)) {
      if (!word_at(t, pos, len)) continue;
      if (best == std::string::npos || pos > best) {
        best = pos;
        verdict = v;
      }
      break;
    }
  }
  return verdict;
}

}  // namespace s1
