// Turns a conversation into the tokens a budget-forced generation starts from.
#pragma once

#include <string>
#include <vector>

#include "core/budget_forcing.h"
#include "core/thinking_format.h"
#include "engine/model.h"

namespace s1 {

struct Prompt {
  std::string text;   // rendered, thinking opened
  TokenSeq tokens;    // BOS included where the model wants one
  bool ends_with_newline = false;
};

// Renders `messages` with the model's chat template and opens thinking with
// `format.start` unless the template already did. Throws std::runtime_error if the
// template cannot be rendered.
Prompt build_prompt(const Model& model, const ThinkingFormat& format,
                    const std::vector<ChatMessage>& messages);

// The usual conversation: an optional system message and one user question.
std::vector<ChatMessage> question_messages(const std::string& question, const std::string& system);

}  // namespace s1
