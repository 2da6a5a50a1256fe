// Turns a conversation into the tokens a budget-forced generation starts from.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/budget_forcing.h"
#include "core/thinking_format.h"
#include "engine/model.h"

namespace s1 {

struct Prompt {
  std::string text;   // rendered; thinking opened unless the template closed it
  TokenSeq tokens;    // BOS included where the model wants one
  bool ends_with_newline = false;
  // The chat template closed thinking itself (thinking switched off: enable_thinking
  // false, SmolLM3's /no_think, ...): generation starts in the answer, and the thinking
  // budget rules have nothing to act on.
  bool thinking_off = false;
};

// Renders a conversation: (messages, template variables, add_generation_prompt) -> text.
// The model's template, a template file, or a server's rendering; throws
// std::runtime_error when it cannot render.
using ChatRenderer = std::function<std::string(const std::vector<ChatMessage>&,
                                               const ChatTemplateKwargs&, bool)>;

// A rendered conversation before tokenizing (see build_prompt).
struct RenderedPrompt {
  std::string text;
  bool thinking_off = false;
};

// build_prompt's rendering with any renderer: the same rules for opening thinking.
RenderedPrompt render_prompt(const ChatRenderer& render, const ThinkingFormat& format,
                             const std::vector<ChatMessage>& messages,
                             const ChatTemplateKwargs& kwargs);

// The budget rules of a thinking-off request: no thinking rule is left to act.
BudgetRules thinking_off_rules(BudgetRules rules);

// Whether a prompt given as it is (text or token ids, not rendered here) closes thinking
// (prompt_thinking: kClosed), so the request is thinking-off as a rendered one would be.
bool given_prompt_closed(std::string_view text, const ThinkingFormat& format);

// Renders `messages` with the model's chat template and the template variables
// `kwargs`. A generation prompt that opens thinking is kept as it is; one that closes
// thinking is kept as it is too, with `thinking_off` (thinking is never reopened), and
// so is one that does neither when `kwargs` set enable_thinking to false; otherwise
// thinking is opened as the template writes it (thinking_opening). Throws
// std::runtime_error if the template cannot be rendered.
Prompt build_prompt(const Model& model, const ThinkingFormat& format,
                    const std::vector<ChatMessage>& messages,
                    const ChatTemplateKwargs& kwargs = {});

// How the chat template opens thinking after `generation_prompt` (the rendering of
// `messages` with the generation prompt): `messages` are rendered once more with an
// assistant turn that has thinking, and the text between the generation prompt and
// that thinking is the opening, e.g. "\n<think>" (GLM-4.6) or "<think>\n" (Qwen3).
// Only whitespace around `format.start` is taken from the template: where the turn
// does not extend the generation prompt, does not show thinking, or writes anything
// else around the delimiter, the opening is `format.start` alone (the s1 format's
// "<|im_start|>think" on a ChatML template).
std::string thinking_opening(const Model& model, const ThinkingFormat& format,
                             const std::vector<ChatMessage>& messages,
                             const ChatTemplateKwargs& kwargs,
                             const std::string& generation_prompt);
std::string thinking_opening(const ChatRenderer& render, const ThinkingFormat& format,
                             const std::vector<ChatMessage>& messages,
                             const ChatTemplateKwargs& kwargs,
                             const std::string& generation_prompt);

// A prompt given as text, which must open thinking itself (e.g. a transcript to
// continue) or close it: tokenized as build_prompt does, not judged here (backends judge
// whether it closes thinking: given_prompt_closed).
Prompt text_prompt(const Model& model, std::string text);

// A prompt given as token ids (each below the vocabulary size), taken as they are: no
// BOS added; its text is the tokens' pieces. Not judged here, as text_prompt.
Prompt token_prompt(const Model& model, TokenSeq tokens);

// The usual conversation: an optional system message and one user question.
std::vector<ChatMessage> question_messages(const std::string& question, const std::string& system);

}  // namespace s1
