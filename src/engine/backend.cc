#include "engine/backend.h"

#include <cmath>
#include <algorithm>
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
      scheduler_(std::make_unique<Scheduler>(*model_, vocab_, context)) {
  for (Token t = 0; t < model_->n_vocab(); ++t) {
    longest_token_bytes_ = std::max(longest_token_bytes_, model_->piece(t).size());
  }
  // Suppressing a word must never take away the way to end thinking or generation.
  word_tokens_ = std::make_unique<WordTokens>(*model_, never_suppressed(vocab_));
}

std::vector<SuppressedTokens> LocalBackend::suppressed_tokens(const std::vector<std::string>& words) const {
  return word_tokens_->find(words);
}

BackendInfo LocalBackend::info() const {
  BackendInfo info;
  info.model = model_->description();
  info.format = format_.name;
  info.think_end = format_.end;
  info.n_vocab = model_->n_vocab();
  info.sequence_context = scheduler_->sequence_context();
  return info;
}

std::optional<BackendOccupancy> LocalBackend::occupancy() const {
  BackendOccupancy o;
  o.busy_sequences = scheduler_->busy_sequences();
  o.used_cells = scheduler_->used_cells();
  o.cached_cells = scheduler_->cached_cells();
  o.queued_requests = scheduler_->queued_requests();
  o.stored_prompts = static_cast<int>(scheduler_->prompt_store().entries());
  o.stored_bytes = scheduler_->prompt_store().bytes();
  return o;
}

namespace {

// Token ids a request gives must be ids of this model.
void check_token_ids(const TokenSeq& tokens, int n_vocab, const char* field, const char* what) {
  for (Token t : tokens) {
    if (t < 0 || t >= n_vocab) {
      throw RequestError(RequestErrorCode::kInvalid,
                         std::string(what) + " holds the token id " + std::to_string(t) +
                             ", which is not below the vocabulary size (" +
                             std::to_string(n_vocab) + ")",
                         field);
    }
  }
}

}  // namespace

void LocalBackend::prepare(BackendRequest& request) const {
  check_token_ids(request.stop_tokens, model_->n_vocab(), "stop_tokens", "the stop tokens");
  if (request.prepared) return;
  if (!request.prompt_tokens.empty()) {
    // Its length is checked against the context where a text prompt's tokens are.
    check_token_ids(request.prompt_tokens, model_->n_vocab(), "prompt_tokens", "the prompt");
    request.prepared = std::make_shared<const Prompt>(prompt_for(request));
    return;
  }
  // No token holds more bytes than the longest one, and a template only adds text: a
  // prompt whose text alone needs more tokens than a sequence holds is refused before
  // anything is rendered or tokenized.
  size_t bytes = request.raw_prompt.size();
  if (request.raw_prompt.empty()) {
    for (const auto& m : request.messages) bytes += m.content.size();
  }
  const size_t at_least = (bytes + longest_token_bytes_ - 1) / longest_token_bytes_;
  const auto room = static_cast<size_t>(scheduler_->sequence_context());
  if (at_least > room) {
    throw RequestError(RequestErrorCode::kContextExceeded,
                       "the prompt (" + std::to_string(bytes) + " bytes, at least " +
                           std::to_string(at_least) + " tokens) does not fit the context (" +
                           std::to_string(room) + " tokens per sequence)");
  }
  if (request.raw_prompt.empty() && request.messages.empty()) {
    throw RequestError(RequestErrorCode::kInvalid, "the request has no messages");
  }
  request.prepared = std::make_shared<const Prompt>(prompt_for(request));
}

std::optional<TokenSeq> LocalBackend::tokenize(const std::string& text, bool add_bos,
                                               bool parse_special) const {
  TokenSeq tokens = model_->tokenize(text, parse_special);
  if (add_bos && model_->adds_bos()) tokens.insert(tokens.begin(), model_->bos());
  return tokens;
}

std::optional<std::vector<std::string>> LocalBackend::token_pieces(const TokenSeq& tokens) const {
  std::vector<std::string> pieces;
  pieces.reserve(tokens.size());
  for (Token t : tokens) pieces.push_back(model_->piece(t));
  return pieces;
}

Prompt LocalBackend::prompt_for(const BackendRequest& request) const {
  if (!request.prompt_tokens.empty() || !request.raw_prompt.empty()) {
    Prompt p = request.prompt_tokens.empty() ? text_prompt(*model_, request.raw_prompt)
                                             : token_prompt(*model_, request.prompt_tokens);
    p.thinking_off = request.judge_given_prompt && given_prompt_closed(p.text, format_);
    return p;
  }
  return build_prompt(*model_, format_, request.messages,
                      merge_chat_template_kwargs(chat_template_kwargs_,
                                                 request.chat_template_kwargs));
}

int LocalBackend::submit(BackendRequest request) {
  prepare(request);
  const Prompt& prompt = *request.prepared;
  request.rules.validate();
  // No thinking: its rules have nothing to act on, and are not checked against the
  // context either (the result reports thinking_off).
  if (prompt.thinking_off) request.rules = thinking_off_rules(request.rules);
  GenerationRequest g;
  g.prompt = prompt.tokens;
  g.prompt_ends_with_newline = prompt.ends_with_newline;
  g.thinking_off = prompt.thinking_off;
  g.rules = request.rules;
  g.thinking_sampling = std::move(request.thinking_sampling);
  g.answer_sampling = std::move(request.answer_sampling);
  g.n_samples = request.n_samples;
  g.cache_prompt = request.cache_prompt;
  g.fit_answer_to_context = request.fit_answer_to_context;
  g.stop_tokens = std::move(request.stop_tokens);
  if (!prompt.thinking_off) {
    g.probe = request.probe;
    for (const SuppressedTokens& s : suppressed_tokens(request.suppress_words)) {
      for (Token t : s.tokens) g.thinking_sampling.logit_bias.emplace_back(t, -INFINITY);
    }
  }
  g.on_probe = std::move(request.on_probe);
  const bool steps = request.rules.step_tokens > 0;
  // Every step holds a token, so more steps than the context are never reached.
  if (steps && request.rules.max_steps > scheduler_->sequence_context()) {
    throw RequestError(RequestErrorCode::kContextExceeded,
                       "max_steps (" + std::to_string(request.rules.max_steps) +
                           ") is beyond the context (" +
                           std::to_string(scheduler_->sequence_context()) + " tokens per sequence)",
                       "max_steps");
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
