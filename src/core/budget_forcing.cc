#include "core/budget_forcing.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/utf8.h"

namespace s1 {

void BudgetRules::validate() const {
  auto bad = [](const std::string& field, const std::string& message) {
    throw RequestError(RequestErrorCode::kInvalid, message, field);
  };
  if (min_think < 0) bad("min_think", "min_think must not be negative");
  if (num_ignore < 0) bad("num_ignore", "num_ignore must not be negative");
  if (max_think >= 0 && min_think > max_think) {
    bad("min_think", "min_think (" + std::to_string(min_think) + ") is above max_think (" +
                         std::to_string(max_think) + ")");
  }
  if (step_tokens < 0) bad("step_tokens", "step_tokens must not be negative");
  if (step_tokens > 0 && max_steps < 0) {
    bad("max_steps", "steps of " + std::to_string(step_tokens) +
                         " tokens need a number of steps (max_steps >= 0)");
  }
  if (step_tokens == 0 && max_steps >= 0) {
    bad("step_tokens", "max_steps needs a step length (step_tokens > 0)");
  }
}

void check_step_markers(const BudgetRules& rules, const ForcingVocab& vocab) {
  if (rules.step_tokens <= 0) return;
  if (vocab.step_markers.size() < static_cast<size_t>(rules.max_steps) + 1) {
    throw RequestError(RequestErrorCode::kInvalid,
                       "the request has " + std::to_string(rules.max_steps) +
                           " steps but no step markers for them",
                       "max_steps");
  }
  size_t longest = 0;
  for (int n = 0; n <= rules.max_steps; ++n) {
    longest = std::max(longest, vocab.step_markers[static_cast<size_t>(n)].tokens.size());
  }
  longest += vocab.newline.tokens.size();
  if (rules.max_steps > 0 && static_cast<size_t>(rules.step_tokens) <= longest) {
    throw RequestError(RequestErrorCode::kInvalid,
                       "steps of " + std::to_string(rules.step_tokens) +
                           " tokens are not longer than their step marker (" +
                           std::to_string(longest) +
                           " tokens with its newline): step_tokens must be above it",
                       "step_tokens");
  }
}

std::string format_step_marker(const std::string& pattern, int steps) {
  const size_t at = pattern.find("{n}");
  if (at == std::string::npos) {
    throw std::invalid_argument("the step marker '" + pattern +
                                "' has no {n} for the number of steps left");
  }
  std::string s = pattern;
  s.replace(at, 3, std::to_string(steps));
  return s;
}

const char* to_string(ForcingKind kind) {
  switch (kind) {
    case ForcingKind::kIgnore: return "ignore";
    case ForcingKind::kCap: return "cap";
    case ForcingKind::kEnd: return "end";
    case ForcingKind::kStep: return "step";
    case ForcingKind::kExit: return "exit";
  }
  return "?";
}

const char* to_string(FinishReason reason) {
  switch (reason) {
    case FinishReason::kNone: return "none";
    case FinishReason::kStop: return "stop";
    case FinishReason::kLength: return "length";
    case FinishReason::kContext: return "context";
    case FinishReason::kCancelled: return "cancelled";
    case FinishReason::kError: return "error";
  }
  return "?";
}

BudgetForcer::BudgetForcer(const BudgetRules& rules, const ForcingVocab& vocab,
                           bool text_ends_with_newline, Phase start)
    : rules_(rules), vocab_(&vocab), ends_with_newline_(text_ends_with_newline) {
  rules_.validate();
  if (start == Phase::kDone) throw std::invalid_argument("a sequence cannot start finished");
  if (vocab.end_delimiter.tokens.empty()) {
    throw std::invalid_argument("the end-of-thinking delimiter has no tokens");
  }
  for (const auto& t : vocab.end_triggers) {
    if (t.empty()) throw std::invalid_argument("an end-of-thinking trigger has no tokens");
    max_trigger_length_ = std::max(max_trigger_length_, t.size());
  }
  if (rules_.step_tokens > 0) {
    // Thinking off (below): no thinking rule applies, so none is refused.
    if (start != Phase::kAnswer) check_step_markers(rules_, vocab);
    steps_left_ = rules_.max_steps;
  }
  if (start == Phase::kAnswer) {
    // Thinking is closed already: none of its rules has anything to act on.
    phase_ = Phase::kAnswer;
    thinking_off_ = true;
    steps_left_ = -1;
  }
}

Decision BudgetForcer::begin() {
  Decision d;
  if (thinking_off_) {
    if (rules_.max_answer == 0) {
      phase_ = Phase::kDone;
      finish_reason_ = FinishReason::kLength;
      d.done = true;
    }
  } else if (rules_.max_think == 0) {
    close_thinking(d, ForcingKind::kCap, "max_think", 0, 0);
  } else if (steps_left_ == 0 && rules_.steps_force_end) {
    close_thinking(d, ForcingKind::kCap, "max_steps", 0, 0);
  } else if (steps_left_ >= 0) {
    append_step_marker(d);
  }
  return d;
}

int BudgetForcer::tokens_to_next_step() const {
  if (steps_left_ <= 0 || phase_ != Phase::kThinking) return -1;
  return std::max(0, next_step_boundary() - thinking_tokens_);
}

int BudgetForcer::next_step_boundary() const {
  return (rules_.max_steps - steps_left_ + 1) * rules_.step_tokens;
}

Decision BudgetForcer::on_token(Token token, std::string_view piece) {
  if (phase_ == Phase::kThinking) return on_thinking_token(token, piece);
  if (phase_ == Phase::kAnswer) return on_answer_token(token, piece);
  throw std::logic_error("BudgetForcer::on_token called after the sequence finished");
}

Decision BudgetForcer::finish(FinishReason reason) {
  Decision d;
  release_held(d, true);
  if (phase_ != Phase::kDone) {
    phase_ = Phase::kDone;
    finish_reason_ = reason;
  }
  d.done = true;
  return d;
}

BudgetForcer::HeldTail BudgetForcer::held_tail_at_exit() const {
  HeldTail tail;
  const size_t prefix = trigger_prefix_length();
  const TokenSeq& delim = vocab_->end_delimiter.tokens;
  if (prefix > 0 && prefix < delim.size() &&
      std::equal(held_.end() - static_cast<long>(prefix), held_.end(), delim.begin(),
                 [](const Held& h, Token t) { return h.token == t; })) {
    tail.kept = prefix;
  } else {
    tail.dropped = std::max(prefix, incomplete_char_tokens());
  }
  return tail;
}

bool BudgetForcer::can_end_thinking() const {
  if (phase_ != Phase::kThinking) return false;
  const HeldTail tail = held_tail_at_exit();
  return thinking_tokens_ - static_cast<int>(tail.kept + tail.dropped) >= rules_.min_think;
}

Decision BudgetForcer::end_thinking(const std::string& reason, const ForcedText* answer) {
  Decision d;
  d.keep_token = false;
  if (!can_end_thinking()) return d;
  const HeldTail tail = held_tail_at_exit();
  const size_t n = tail.kept + tail.dropped;
  held_.resize(held_.size() - n);
  thinking_tokens_ -= static_cast<int>(n);
  d.retract = static_cast<int>(tail.dropped);
  close_thinking(d, ForcingKind::kExit, reason, static_cast<int>(tail.kept),
                 static_cast<int>(tail.dropped), answer);
  return d;
}

Decision BudgetForcer::on_thinking_token(Token token, std::string_view piece) {
  Decision d;
  if (is_end_of_generation(token)) return on_end_attempt(token, 0, true, std::move(d));
  if (const int matched = trigger_match(token); matched > 0) {
    return on_end_attempt(token, matched - 1, false, std::move(d));
  }
  held_.push_back({token, std::string(piece)});
  ++thinking_tokens_;
  if (rules_.max_think >= 0 && thinking_tokens_ >= rules_.max_think) {
    // The last step ending at the cap is the steps' end.
    const bool last_step = rules_.steps_force_end && steps_left_ == 1 &&
                           thinking_tokens_ >= next_step_boundary();
    if (last_step) steps_left_ = 0;
    // Never cut a character in two: take back the tokens of a partial one.
    const size_t partial = incomplete_char_tokens();
    if (partial > 0) {
      d.keep_token = false;
      d.retract = static_cast<int>(partial) - 1;
      held_.resize(held_.size() - partial);
      thinking_tokens_ -= static_cast<int>(partial);
    }
    close_thinking(d, ForcingKind::kCap, last_step ? "max_steps" : "max_think", 0,
                   static_cast<int>(partial));
    return d;
  }
  if (steps_left_ > 0 && thinking_tokens_ >= next_step_boundary() &&
      incomplete_char_tokens() == 0 && trigger_prefix_length() == 0) {
    --steps_left_;
    if (steps_left_ == 0 && rules_.steps_force_end) {
      close_thinking(d, ForcingKind::kCap, "max_steps", 0, 0);
    } else {
      append_step_marker(d);
    }
    return d;
  }
  release_held(d, false);
  return d;
}

void BudgetForcer::append_step_marker(Decision& d) {
  // What the model wrote goes out first: whether the marker needs a newline before it
  // depends on that text's end.
  release_held(d, true);
  const ForcedText& marker = vocab_->step_markers[static_cast<size_t>(steps_left_)];
  const bool newline = !ends_with_newline_;
  const int n = static_cast<int>(marker.tokens.size() + (newline ? vocab_->newline.tokens.size() : 0));
  // A marker that would use up the budget becomes the cap: one event per step.
  if (rules_.max_think >= 0 && thinking_tokens_ + n >= rules_.max_think) {
    close_thinking(d, ForcingKind::kCap, "max_think", 0, 0);
    return;
  }
  ForcingEvent event{ForcingKind::kStep, thinking_tokens_, "step_tokens", "", 0};
  if (newline) {
    append_forced(d, Channel::kThinking, vocab_->newline);
    event.text += vocab_->newline.text;
  }
  append_forced(d, Channel::kThinking, marker);
  event.text += marker.text;
  events_.push_back(std::move(event));
  d.event = static_cast<int>(events_.size()) - 1;
  thinking_tokens_ += n;
}

Decision BudgetForcer::on_end_attempt(Token sampled, int matched_held, bool end_of_generation,
                                      Decision d) {
  // The trigger's earlier tokens are decoded and held; the sampled one is not decoded.
  const size_t trigger_begin = held_.size() - static_cast<size_t>(matched_held);
  TokenSeq trigger;
  for (size_t i = trigger_begin; i < held_.size(); ++i) trigger.push_back(held_[i].token);
  held_.resize(trigger_begin);
  thinking_tokens_ -= matched_held;
  ++end_attempts_;

  const bool by_count = end_attempts_ <= rules_.num_ignore;
  const bool by_min = thinking_tokens_ < rules_.min_think;
  d.keep_token = false;
  d.retract = matched_held;
  if (by_count || by_min) {
    static const ForcedText kNothing;
    const ForcedText& ignore =
        vocab_->ignore_strings.empty()
            ? kNothing
            : vocab_->ignore_strings[static_cast<size_t>(ignores_) % vocab_->ignore_strings.size()];
    const int after = thinking_tokens_ + static_cast<int>(ignore.tokens.size());
    if (rules_.max_think >= 0 && after > rules_.max_think) {
      close_thinking(d, ForcingKind::kCap, "max_think", 0, matched_held);
      return d;
    }
    ++ignores_;
    release_held(d, true);
    events_.push_back({ForcingKind::kIgnore, thinking_tokens_, by_count ? "num_ignore" : "min_think",
                       ignore.text, matched_held});
    d.event = static_cast<int>(events_.size()) - 1;
    append_forced(d, Channel::kThinking, ignore);
    thinking_tokens_ = after;
    d.mask_triggers = ignore.tokens.empty();
    if (rules_.max_think >= 0 && thinking_tokens_ >= rules_.max_think) {
      close_thinking(d, ForcingKind::kCap, "max_think", 0, 0);
    }
    return d;
  }

  // Natural end. A trigger that begins the delimiter stays; the rest is appended.
  size_t kept = 0;
  if (!end_of_generation) {
    trigger.push_back(sampled);
    const TokenSeq& delim = vocab_->end_delimiter.tokens;
    if (trigger.size() <= delim.size() && std::equal(trigger.begin(), trigger.end(), delim.begin())) {
      kept = trigger.size();
      d.keep_token = true;
      d.retract = 0;
    }
  }
  close_thinking(d, ForcingKind::kEnd, end_of_generation ? "end_of_generation" : "trigger",
                 static_cast<int>(kept), kept > 0 ? 0 : matched_held);
  return d;
}

void BudgetForcer::close_thinking(Decision& d, ForcingKind kind, const std::string& reason,
                                  int kept_trigger_tokens, int retracted, const ForcedText* answer) {
  release_held(d, true);
  ForcingEvent event{kind, thinking_tokens_, reason, "", retracted};
  const bool cut_short = kind == ForcingKind::kCap || kind == ForcingKind::kExit;
  if (cut_short && kept_trigger_tokens == 0 && !ends_with_newline_) {
    // Decoded as before the delimiter, but shown with it: the newline is not thinking.
    append_forced(d, Channel::kDelimiter, vocab_->newline);
    event.text += vocab_->newline.text;
  }
  const ForcedText& delim = vocab_->end_delimiter;
  const auto kept = static_cast<size_t>(kept_trigger_tokens);
  d.inject.insert(d.inject.end(), delim.tokens.begin() + static_cast<long>(kept),
                  delim.tokens.end());
  // The kept trigger's tokens were held, never shown: the delimiter's text is theirs too.
  d.output.push_back({Channel::kDelimiter, delim.text, kept < delim.tokens.size(), delim.tokens});
  if (kept < delim.tokens.size()) event.text += delim.text;
  if (kind == ForcingKind::kCap || answer != nullptr) {
    append_forced(d, Channel::kAnswer, vocab_->cap_suffix);
    event.text += vocab_->cap_suffix.text;
  }
  if (answer != nullptr) {
    append_forced(d, Channel::kAnswer, *answer);
    event.text += answer->text;
  }
  events_.push_back(std::move(event));
  d.event = static_cast<int>(events_.size()) - 1;
  phase_ = Phase::kAnswer;
  if (answer != nullptr || rules_.max_answer == 0) {
    phase_ = Phase::kDone;
    finish_reason_ = answer != nullptr ? FinishReason::kStop : FinishReason::kLength;
    d.done = true;
  }
}

Decision BudgetForcer::on_answer_token(Token token, std::string_view piece) {
  Decision d;
  if (is_end_of_generation(token)) {
    d.keep_token = false;
    release_held(d, true);
    phase_ = Phase::kDone;
    finish_reason_ = FinishReason::kStop;
    d.done = true;
    return d;
  }
  held_.push_back({token, std::string(piece)});
  ++answer_tokens_;
  if (rules_.max_answer >= 0 && answer_tokens_ >= rules_.max_answer) {
    release_held(d, true);
    phase_ = Phase::kDone;
    finish_reason_ = FinishReason::kLength;
    d.done = true;
    return d;
  }
  release_held(d, false);
  return d;
}

void BudgetForcer::append_forced(Decision& d, Channel channel, const ForcedText& text) {
  d.inject.insert(d.inject.end(), text.tokens.begin(), text.tokens.end());
  if (text.text.empty() && text.tokens.empty()) return;
  d.output.push_back({channel, text.text, true, text.tokens});
  if (text.text.empty()) return;
  if (channel == Channel::kThinking) ends_with_newline_ = text.text.back() == '\n';
}

void BudgetForcer::emit(Decision& d, Channel channel, std::string_view text,
                        const TokenSeq& tokens) {
  if (text.empty() && tokens.empty()) return;
  if (!d.output.empty() && d.output.back().channel == channel && !d.output.back().forced) {
    d.output.back().text += sanitize_utf8(text);
    d.output.back().tokens.insert(d.output.back().tokens.end(), tokens.begin(), tokens.end());
  } else {
    d.output.push_back({channel, sanitize_utf8(text), false, tokens});
  }
  if (channel == Channel::kThinking && !text.empty()) ends_with_newline_ = text.back() == '\n';
}

void BudgetForcer::release_held(Decision& d, bool all) {
  if (held_.empty()) return;
  size_t hold = 0;
  if (!all) {
    hold = incomplete_char_tokens();
    if (phase_ == Phase::kThinking) hold = std::max(hold, trigger_prefix_length());
  }
  const size_t n = held_.size() - hold;
  if (n == 0) return;
  std::string text;
  TokenSeq tokens;
  for (size_t i = 0; i < n; ++i) {
    text += held_[i].piece;
    tokens.push_back(held_[i].token);
  }
  held_.erase(held_.begin(), held_.begin() + static_cast<long>(n));
  emit(d, phase_ == Phase::kThinking ? Channel::kThinking : Channel::kAnswer, text, tokens);
}

bool BudgetForcer::is_end_of_generation(Token token) const {
  const auto& eog = vocab_->end_of_generation;
  return std::find(eog.begin(), eog.end(), token) != eog.end();
}

int BudgetForcer::trigger_match(Token token) const {
  for (const auto& trigger : vocab_->end_triggers) {
    if (trigger.back() != token || trigger.size() - 1 > held_.size()) continue;
    const size_t before = trigger.size() - 1;
    if (std::equal(trigger.begin(), trigger.end() - 1, held_.end() - static_cast<long>(before),
                   held_.end(), [](Token t, const Held& h) { return t == h.token; })) {
      return static_cast<int>(trigger.size());
    }
  }
  return 0;
}

size_t BudgetForcer::trigger_prefix_length() const {
  const size_t longest = std::min(held_.size(), max_trigger_length_ > 0 ? max_trigger_length_ - 1 : 0);
  for (size_t k = longest; k > 0; --k) {
    for (const auto& trigger : vocab_->end_triggers) {
      if (trigger.size() <= k) continue;
      if (std::equal(trigger.begin(), trigger.begin() + static_cast<long>(k),
                     held_.end() - static_cast<long>(k), held_.end(),
                     [](Token t, const Held& h) { return t == h.token; })) {
        return k;
      }
    }
  }
  return 0;
}

size_t BudgetForcer::incomplete_char_tokens() const {
  // Only the last few tokens can hold the start of an unfinished character.
  std::string tail;
  const size_t from = held_.size() > 4 ? held_.size() - 4 : 0;
  for (size_t i = from; i < held_.size(); ++i) tail += held_[i].piece;
  size_t bytes = incomplete_utf8_tail(tail);
  size_t tokens = 0;
  for (size_t i = held_.size(); i > from && bytes > 0; --i) {
    ++tokens;
    bytes -= std::min(bytes, held_[i - 1].piece.size());
  }
  return tokens;
}

}  // namespace s1
