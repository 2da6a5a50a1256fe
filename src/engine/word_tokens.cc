#include "engine/word_tokens.h"

namespace s1 {

TokenSeq never_suppressed(const ForcingVocab& vocab) {
  TokenSeq out = vocab.end_of_generation;
  for (const TokenSeq& trigger : vocab.end_triggers) out.insert(out.end(), trigger.begin(), trigger.end());
  out.insert(out.end(), vocab.end_delimiter.tokens.begin(), vocab.end_delimiter.tokens.end());
  return out;
}

WordTokens::WordTokens(const Model& model, TokenSeq exempt) : model_(model), exempt_(std::move(exempt)) {}

std::vector<SuppressedTokens> WordTokens::find(const std::vector<std::string>& words) const {
  // One pass over the vocabulary for the words not seen before.
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> missing;
  for (const std::string& w : words) {
    if (!cache_.count(ascii_lower(w))) missing.push_back(ascii_lower(w));
  }
  if (!missing.empty()) {
    const auto found = find_tokens_containing(
        missing, static_cast<size_t>(model_.n_vocab()), [this](Token t) { return model_.piece(t); },
        exempt_);
    for (const SuppressedTokens& f : found) cache_[ascii_lower(f.word)] = f.tokens;
  }
  std::vector<SuppressedTokens> out;
  for (const std::string& w : words) out.push_back({w, cache_.at(ascii_lower(w))});
  return out;
}

}  // namespace s1
