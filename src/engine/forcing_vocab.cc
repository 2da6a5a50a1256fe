#include "engine/forcing_vocab.h"

#include <algorithm>
#include <stdexcept>

namespace s1 {

ThinkingFormat resolve_thinking_format(const Model& model, const ForcingSettings& settings) {
  if (settings.think_start.empty() != settings.think_end.empty()) {
    throw std::invalid_argument("--think-start and --think-end go together");
  }
  if (!settings.think_start.empty()) {
    return custom_thinking_format(settings.think_start, settings.think_end);
  }
  return detect_thinking_format(model.chat_template(),
                                [&](std::string_view t) { return model.is_single_token(t); });
}

ForcingVocab make_forcing_vocab(const Model& model, const ThinkingFormat& format,
                                const ForcingSettings& settings, int max_steps) {
  auto forced = [&](const std::string& text) { return ForcedText{text, model.tokenize(text, true)}; };
  ForcingVocab v;
  const TokenSeq trigger = model.tokenize(format.end_trigger, true);
  v.end_delimiter = forced(format.end);
  if (trigger.empty() || v.end_delimiter.tokens.empty()) {
    throw std::runtime_error("the thinking end delimiter '" + format.end + "' has no tokens");
  }
  if (format.name != "custom" && trigger.size() != 1) {
    throw std::runtime_error("the end-of-thinking trigger '" + format.end_trigger +
                             "' is not a single token in this model's vocabulary (" +
                             std::to_string(trigger.size()) +
                             " tokens); pass --think-start/--think-end");
  }
  if (trigger.size() > v.end_delimiter.tokens.size() ||
      !std::equal(trigger.begin(), trigger.end(), v.end_delimiter.tokens.begin())) {
    throw std::runtime_error("the end delimiter '" + format.end +
                             "' does not begin with the tokens of its trigger '" +
                             format.end_trigger + "'");
  }
  v.end_triggers = {trigger};
  v.end_of_generation = model.end_of_generation_tokens();
  v.newline = forced("\n");
  v.cap_suffix = forced(settings.cap_suffix);
  for (const auto& s : settings.ignore_strings) v.ignore_strings.push_back(forced(s));
  for (int n = 0; n <= max_steps; ++n) {
    v.step_markers.push_back(forced(format_step_marker(settings.step_marker, n)));
  }
  return v;
}

}  // namespace s1
