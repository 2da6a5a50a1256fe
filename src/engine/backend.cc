#include "engine/backend.h"

#include <stdexcept>
#include <string>

namespace s1 {

LocalBackend::LocalBackend(const LoadSettings& load, const ContextSettings& context,
                           const ForcingSettings& forcing, ChatTemplateKwargs chat_template_kwargs)
    : model_(Model::load(load)),
      format_(resolve_thinking_format(*model_, forcing)),
      forcing_(forcing),
      chat_template_kwargs_(std::move(chat_template_kwargs)),
      vocab_(make_forcing_vocab(*model_, format_, forcing)),
      scheduler_(std::make_unique<Scheduler>(*model_, vocab_, context)) {}

Prompt LocalBackend::prompt_for(const BackendRequest& request) const {
  if (!request.raw_prompt.empty()) return text_prompt(*model_, request.raw_prompt);
  return build_prompt(*model_, format_, request.messages,
                      merge_chat_template_kwargs(chat_template_kwargs_,
                                                 request.chat_template_kwargs));
}

int LocalBackend::submit(BackendRequest request) {
  if (request.raw_prompt.empty() && request.messages.empty()) {
    throw std::invalid_argument("the request has no messages");
  }
  request.rules.validate();
  const Prompt prompt = prompt_for(request);
  if (prompt.thinking_off) {
    // No thinking: its rules have nothing to act on, and are not checked against the
    // context either (the result reports thinking_off).
    request.rules.max_think = -1;
    request.rules.min_think = 0;
    request.rules.num_ignore = 0;
    request.rules.step_tokens = 0;
    request.rules.max_steps = -1;
  }
  GenerationRequest g;
  g.prompt = prompt.tokens;
  g.prompt_ends_with_newline = prompt.ends_with_newline;
  g.thinking_off = prompt.thinking_off;
  g.rules = request.rules;
  g.thinking_sampling = std::move(request.thinking_sampling);
  g.answer_sampling = std::move(request.answer_sampling);
  g.n_samples = request.n_samples;
  const bool steps = request.rules.step_tokens > 0;
  // Every step holds a token, so more steps than the context are never reached.
  if (steps && request.rules.max_steps > scheduler_->sequence_context()) {
    throw std::invalid_argument("max_steps (" + std::to_string(request.rules.max_steps) +
                                ") is beyond the context (" +
                                std::to_string(scheduler_->sequence_context()) +
                                " tokens per sequence)");
  }
  if (request.ignore_strings || request.cap_suffix || steps) {
    ForcingSettings custom = forcing_;
    if (request.ignore_strings) custom.ignore_strings = *request.ignore_strings;
    if (request.cap_suffix) custom.cap_suffix = *request.cap_suffix;
    g.vocab = std::make_shared<const ForcingVocab>(make_forcing_vocab(
        *model_, format_, custom, steps ? request.rules.max_steps : -1));
  }
  g.on_text = std::move(request.on_text);
  g.on_done = std::move(request.on_done);
  return scheduler_->submit(std::move(g));
}

int LocalBackend::count_prompt_tokens(const BackendRequest& request) const {
  return static_cast<int>(prompt_for(request).tokens.size());
}

}  // namespace s1
