// The tokens of a model's vocabulary whose text holds a word: what suppress_words masks
// while thinking. One place for every backend that can see a vocabulary (the local
// model, or a remote backend's --tokenizer-model).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/budget_forcing.h"
#include "core/suppress_words.h"
#include "engine/model.h"

namespace s1 {

// The tokens suppressing a word must never take: end of generation, the end triggers and
// the end delimiter's tokens (thinking must stay able to end).
TokenSeq never_suppressed(const ForcingVocab& vocab);

// Finds, per word, the tokens of `model` whose text contains it (find_tokens_containing,
// ignoring ASCII case), leaving out `exempt`. Each word's tokens are found once and
// cached: a server's requests mostly repeat the same few words. Thread-safe.
class WordTokens {
 public:
  // `model` must outlive this.
  WordTokens(const Model& model, TokenSeq exempt);
  std::vector<SuppressedTokens> find(const std::vector<std::string>& words) const;

 private:
  const Model& model_;
  TokenSeq exempt_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::vector<Token>> cache_;  // by lowercase word
};

}  // namespace s1
