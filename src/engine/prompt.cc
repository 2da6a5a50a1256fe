#include "engine/prompt.h"

#include <stdexcept>

namespace s1 {
namespace {

std::string_view trim_whitespace(std::string_view s) {
  const char* ws = " \t\r\n";
  const size_t first = s.find_first_not_of(ws);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(ws) - first + 1);
}

ChatRenderer model_renderer(const Model& model) {
  return [&model](const std::vector<ChatMessage>& messages, const ChatTemplateKwargs& kwargs,
                  bool add_generation_prompt) {
    return model.apply_chat_template(messages, kwargs, add_generation_prompt);
  };
}

}  // namespace

std::string thinking_opening(const Model& model, const ThinkingFormat& format,
                             const std::vector<ChatMessage>& messages,
                             const ChatTemplateKwargs& kwargs,
                             const std::string& generation_prompt) {
  return thinking_opening(model_renderer(model), format, messages, kwargs, generation_prompt);
}

std::string thinking_opening(const ChatRenderer& render, const ThinkingFormat& format,
                             const std::vector<ChatMessage>& messages,
                             const ChatTemplateKwargs& kwargs,
                             const std::string& generation_prompt) {
  // Distinct words: templates strip or split thinking on whitespace and delimiters.
  static const std::string kThinking = "s1ProbeThinking";
  std::vector<ChatMessage> probe = messages;
  probe.push_back({"assistant", "s1ProbeAnswer", kThinking});
  std::string turn;
  try {
    turn = render(probe, kwargs, false);
  } catch (const std::runtime_error&) {
    return format.start;  // e.g. a template that refuses two assistant turns in a row
  }
  if (turn.compare(0, generation_prompt.size(), generation_prompt) != 0) return format.start;
  const size_t at = turn.find(kThinking, generation_prompt.size());
  if (at == std::string::npos) return format.start;
  std::string opening = turn.substr(generation_prompt.size(), at - generation_prompt.size());
  if (trim_whitespace(opening) != format.start) return format.start;
  return opening;
}

RenderedPrompt render_prompt(const ChatRenderer& render, const ThinkingFormat& format,
                             const std::vector<ChatMessage>& messages,
                             const ChatTemplateKwargs& kwargs) {
  RenderedPrompt r;
  r.text = render(messages, kwargs, true);
  const PromptThinking state = prompt_thinking(r.text, format);
  // Thinking switched off by a template that then writes nothing about it (Bielik,
  // Reka): not opened either.
  r.thinking_off = state == PromptThinking::kClosed ||
                   (state == PromptThinking::kNone && thinking_disabled(kwargs));
  if (state == PromptThinking::kNone && !r.thinking_off) {
    r.text += thinking_opening(render, format, messages, kwargs, r.text);
  }
  return r;
}

BudgetRules thinking_off_rules(BudgetRules rules) {
  rules.max_think = -1;
  rules.min_think = 0;
  rules.num_ignore = 0;
  rules.step_tokens = 0;
  rules.max_steps = -1;
  return rules;
}

bool given_prompt_closed(std::string_view text, const ThinkingFormat& format) {
  return prompt_thinking(text, format) == PromptThinking::kClosed;
}

Prompt build_prompt(const Model& model, const ThinkingFormat& format,
                    const std::vector<ChatMessage>& messages, const ChatTemplateKwargs& kwargs) {
  RenderedPrompt r = render_prompt(model_renderer(model), format, messages, kwargs);
  Prompt p = text_prompt(model, std::move(r.text));
  p.thinking_off = r.thinking_off;
  return p;
}

Prompt text_prompt(const Model& model, std::string text) {
  Prompt p;
  p.text = std::move(text);
  p.ends_with_newline = !p.text.empty() && p.text.back() == '\n';
  const TokenSeq body = model.tokenize(p.text, true);
  // Templates that write the BOS text themselves must not get a second one.
  if (model.adds_bos() && (body.empty() || body.front() != model.bos())) {
    p.tokens.push_back(model.bos());
  }
  p.tokens.insert(p.tokens.end(), body.begin(), body.end());
  return p;
}

Prompt token_prompt(const Model& model, TokenSeq tokens) {
  Prompt p;
  for (Token t : tokens) p.text += model.piece(t);
  p.ends_with_newline = !p.text.empty() && p.text.back() == '\n';
  p.tokens = std::move(tokens);
  return p;
}

std::vector<ChatMessage> question_messages(const std::string& question, const std::string& system) {
  std::vector<ChatMessage> m;
  if (!system.empty()) m.push_back({"system", system});
  m.push_back({"user", question});
  return m;
}

}  // namespace s1
