#include "core/thinking_format.h"

#include <stdexcept>

namespace s1 {

ThinkingFormat s1_thinking_format() {
  return {"s1", "<|im_start|>think", "<|im_start|>answer", "<|im_start|>"};
}

ThinkingFormat think_tags_format() { return {"think-tags", "<think>", "</think>", "</think>"}; }

ThinkingFormat custom_thinking_format(std::string start, std::string end) {
  if (start.empty() || end.empty()) {
    throw std::invalid_argument("thinking delimiters must not be empty");
  }
  if (start == end) throw std::invalid_argument("thinking start and end delimiters are equal");
  std::string trigger = end;
  return {"custom", std::move(start), std::move(end), std::move(trigger)};
}

ThinkingFormat detect_thinking_format(
    std::string_view chat_template, const std::function<bool(std::string_view)>& is_single_token) {
  const bool think_tokens = is_single_token("<think>") && is_single_token("</think>");
  if (think_tokens || chat_template.find("<think>") != std::string_view::npos) {
    return think_tags_format();
  }
  if (is_single_token("<|im_start|>")) return s1_thinking_format();
  throw std::runtime_error(
      "cannot tell this model's thinking format (no <think> tokens, no <|im_start|>); "
      "pass --think-start and --think-end");
}

PromptThinking prompt_thinking(std::string_view prompt, const ThinkingFormat& format) {
  size_t n = prompt.size();
  while (n > 0 && (prompt[n - 1] == ' ' || prompt[n - 1] == '\n' || prompt[n - 1] == '\t' ||
                   prompt[n - 1] == '\r')) {
    --n;
  }
  const std::string_view trimmed = prompt.substr(0, n);
  auto ends_with = [&](const std::string& s) {
    return !s.empty() && trimmed.size() >= s.size() &&
           trimmed.substr(trimmed.size() - s.size()) == s;
  };
  if (ends_with(format.start)) return PromptThinking::kOpen;
  if (ends_with(format.end)) return PromptThinking::kClosed;
  return PromptThinking::kNone;
}

}  // namespace s1
