// ASCII character classes and trimming, shared by the grader's parsers (LaTeX answers are
// read byte by byte; anything outside ASCII is neither a letter, a digit nor a space).
//
// All functions are pure and thread-safe.
#pragma once

#include <string_view>

namespace s1::ascii {

inline bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// `s` without leading and trailing spaces, tabs and line breaks.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace s1::ascii
