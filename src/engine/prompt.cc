#include "engine/prompt.h"

namespace s1 {

Prompt build_prompt(const Model& model, const ThinkingFormat& format,
                    const std::vector<ChatMessage>& messages) {
  Prompt p;
  p.text = model.apply_chat_template(messages);
  if (!prompt_opens_thinking(p.text, format)) p.text += format.start;
  p.ends_with_newline = !p.text.empty() && p.text.back() == '\n';
  const TokenSeq body = model.tokenize(p.text, true);
  // Templates that write the BOS text themselves must not get a second one.
  if (model.adds_bos() && (body.empty() || body.front() != model.bos())) {
    p.tokens.push_back(model.bos());
  }
  p.tokens.insert(p.tokens.end(), body.begin(), body.end());
  return p;
}

std::vector<ChatMessage> question_messages(const std::string& question, const std::string& system) {
  std::vector<ChatMessage> m;
  if (!system.empty()) m.push_back({"system", system});
  m.push_back({"user", question});
  return m;
}

}  // namespace s1
