// Word lists for thinking control: parsing a comma-separated list, case-insensitive
// word matching, and the vocabulary tokens that contain a word (reflection-word
// suppression, as in NoWait, arXiv 2506.08343: every token whose text contains "wait",
// "hmm", ... is masked while thinking).
//
// Case: ASCII letters only are folded ("WAIT" matches "wait"; "É" does not match "é").
// Reflection words are English, and a tokenizer's pieces are byte strings, so a fold of
// the ASCII range is what matters; other bytes compare exactly.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/budget_forcing.h"  // Token

namespace s1 {

// `c` lowered if it is an ASCII letter.
inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
// `text` with ASCII letters lowered.
std::string ascii_lower(std::string_view text);

// The words of a comma-separated list ("wait, hmm,alternatively"), each trimmed of
// spaces and tabs, empty entries dropped, duplicates (ignoring case) dropped, order kept.
// `what` names the list in the error. Throws std::invalid_argument with a one-line
// message when no word is left.
std::vector<std::string> parse_word_list(std::string_view list, std::string_view what = "word list");

// Whether `text` contains `word` (lowercase, non-empty) as a whole word, ignoring ASCII
// case: the characters on either side, if any, are not ASCII letters or digits. "no"
// is found in "No, 5" but not in "know" or "note".
bool contains_word(std::string_view text, std::string_view word);

// The first of `words` (lowercase) that `text` contains as a whole word, or nullptr.
const std::string* find_any_word(std::string_view text, const std::vector<std::string>& words);

struct SuppressedTokens {
  std::string word;           // as given
  std::vector<Token> tokens;  // ascending
};

// For each of `words`, the tokens in [0, vocab_size) whose text `piece(token)` contains
// the word anywhere, ignoring ASCII case ("wait" finds " Wait", "waiting", "Await").
// Tokens in `exempt` (the end-of-generation and delimiter tokens, which must stay
// reachable) are never listed. One pass over the vocabulary, each piece lowered once.
// Empty words are skipped.
std::vector<SuppressedTokens> find_tokens_containing(const std::vector<std::string>& words,
                                                     size_t vocab_size,
                                                     const std::function<std::string(Token)>& piece,
                                                     const std::vector<Token>& exempt = {});

}  // namespace s1
