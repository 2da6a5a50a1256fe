// Thinking formats: how a reasoning model delimits its thinking, as text.
//
// The engine tokenizes these strings against the model's vocabulary; the budget forcer
// (budget_forcing.h) works on the resulting token sequences. Nothing here knows llama.cpp.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace s1 {

struct ThinkingFormat {
  std::string name;         // "s1", "think-tags" or "custom"
  std::string start;        // opens thinking, e.g. "<think>"
  std::string end;          // closes thinking, e.g. "</think>"; appended when thinking ends
  std::string end_trigger;  // what the model samples to end thinking; a prefix of `end` or
                            // `end` itself ("<|im_start|>" in the s1 format, as in the s1
                            // reference code, where the model then goes on with "answer")
};

// s1 format: "<|im_start|>think" ... "<|im_start|>answer"; the trigger is "<|im_start|>".
ThinkingFormat s1_thinking_format();

// "<think>" ... "</think>" (Qwen3, QwQ, DeepSeek-R1 distills).
ThinkingFormat think_tags_format();

// A user-given format; the trigger is the whole end delimiter.
// Throws std::invalid_argument if either delimiter is empty or they are equal.
ThinkingFormat custom_thinking_format(std::string start, std::string end);

// Picks the format of a model from its chat template text (may be empty) and its
// vocabulary: think tags when the vocabulary has "<think>" and "</think>" as single
// tokens or the template mentions "<think>"; otherwise the s1 format when the vocabulary
// has "<|im_start|>" (ChatML models such as s1/s1.1). Throws std::runtime_error when
// neither applies, asking for --think-start/--think-end.
// `is_single_token(text)` tells whether `text` tokenizes to exactly one token.
ThinkingFormat detect_thinking_format(std::string_view chat_template,
                                      const std::function<bool(std::string_view)>& is_single_token);

// What the end of a rendered prompt does to thinking, judged on the prompt less trailing
// whitespace: kOpen when it ends with `format.start` (templates that open thinking in
// their generation prompt, "<think>\n"); kClosed when it ends with `format.end` (thinking
// switched off: "<think>\n\n</think>\n\n" of Qwen3 with enable_thinking=false or SmolLM3
// with /no_think, "</think>" of DeepSeek-V3.1); kNone otherwise.
enum class PromptThinking { kNone, kOpen, kClosed };
PromptThinking prompt_thinking(std::string_view prompt, const ThinkingFormat& format);

}  // namespace s1
