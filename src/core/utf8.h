// UTF-8 helpers for text that arrives token by token: a byte-level tokenizer can split
// one character across tokens, and nothing should be shown or sent before it is whole.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace s1 {

// Number of bytes at the end of `text` that begin a UTF-8 sequence which is not yet
// complete (0 when `text` ends on a character boundary or with bytes that can never
// become valid; those are left for the caller to replace).
size_t incomplete_utf8_tail(std::string_view text);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD, for output that must be
// valid (JSON, terminals).
std::string sanitize_utf8(std::string_view text);

// Whether `text` is entirely valid UTF-8.
bool is_valid_utf8(std::string_view text);

// Whether a CJK ideograph (U+4E00..U+9FFF, three bytes) starts at byte `i` of `text`.
bool cjk_ideograph_at(std::string_view text, size_t i);

// Buffers a byte stream and releases only whole characters.
// Not thread-safe; one per stream.
class Utf8Stream {
 public:
  // Appends `bytes` and returns what can be shown now: complete characters, with
  // invalid sequences replaced by U+FFFD.
  std::string push(std::string_view bytes);
  // Returns whatever is still held (an unfinished sequence becomes U+FFFD) and resets.
  std::string flush();

 private:
  std::string pending_;
};

}  // namespace s1
