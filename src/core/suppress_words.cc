#include "core/suppress_words.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

namespace s1 {
namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::vector<std::string> parse_word_list(std::string_view list, std::string_view what) {
  std::vector<std::string> words;
  std::unordered_set<std::string> seen;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view w = list.substr(start, end - start);
    while (!w.empty() && is_blank(w.front())) w.remove_prefix(1);
    while (!w.empty() && is_blank(w.back())) w.remove_suffix(1);
    if (!w.empty() && seen.insert(ascii_lower(w)).second) words.emplace_back(w);
    start = end + 1;
  }
  if (words.empty()) {
    throw std::invalid_argument("the " + std::string(what) + " '" + std::string(list) +
                                "' has no words (give them separated by commas)");
  }
  return words;
}

bool contains_word(std::string_view text, std::string_view word) {
  if (word.empty() || word.size() > text.size()) return false;
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    size_t j = 0;
    while (j < word.size() && ascii_lower(text[i + j]) == word[j]) ++j;
    if (j < word.size()) continue;
    const bool starts = i == 0 || !is_word_char(text[i - 1]);
    const bool ends = i + j == text.size() || !is_word_char(text[i + j]);
    if (starts && ends) return true;
  }
  return false;
}

const std::string* find_any_word(std::string_view text, const std::vector<std::string>& words) {
  for (const auto& w : words) {
    if (contains_word(text, w)) return &w;
  }
  return nullptr;
}

std::vector<SuppressedTokens> find_tokens_containing(const std::vector<std::string>& words,
                                                     size_t vocab_size,
                                                     const std::function<std::string(Token)>& piece,
                                                     const std::vector<Token>& exempt) {
  std::vector<SuppressedTokens> found;
  std::vector<std::string> needles;
  for (const auto& w : words) {
    if (w.empty()) continue;
    found.push_back({w, {}});
    needles.push_back(ascii_lower(w));
  }
  if (found.empty()) return found;
  size_t shortest = needles[0].size();
  for (const auto& n : needles) shortest = std::min(shortest, n.size());
  const std::unordered_set<Token> skip(exempt.begin(), exempt.end());
  std::string text;
  for (size_t i = 0; i < vocab_size; ++i) {
    const auto token = static_cast<Token>(i);
    text = piece(token);
    // Many pieces are shorter than the shortest word: nothing to lower or search.
    if (text.size() < shortest) continue;
    for (char& c : text) c = ascii_lower(c);
    for (size_t w = 0; w < needles.size(); ++w) {
      if (text.size() >= needles[w].size() && text.find(needles[w]) != std::string::npos &&
          skip.count(token) == 0) {
        found[w].tokens.push_back(token);
      }
    }
  }
  return found;
}

}  // namespace s1
