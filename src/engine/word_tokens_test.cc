#include "engine/word_tokens.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/forcing_vocab.h"
#include "test_util.h"

namespace s1 {
namespace {

TEST(WordTokens, FindsEveryTokenHoldingAWordButTheExempt) {
  init_llama_backend(false);
  LoadSettings load;
  load.path = test::tiny_model();
  load.vocab_only = true;
  const auto model = Model::load(load);
  const ForcingVocab vocab = make_forcing_vocab(*model, resolve_thinking_format(*model, {}), {});
  const TokenSeq exempt = never_suppressed(vocab);
  // The ways to end thinking and generation are exempt.
  for (Token t : vocab.end_of_generation) EXPECT_NE(std::find(exempt.begin(), exempt.end(), t), exempt.end());
  for (Token t : vocab.end_triggers.at(0)) EXPECT_NE(std::find(exempt.begin(), exempt.end(), t), exempt.end());

  const Token im_start = vocab.end_triggers.at(0).at(0);  // "<|im_start|>" holds "start"
  const WordTokens words(*model, exempt);
  const auto found = words.find({"Start", "wait"});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].word, "Start");
  EXPECT_FALSE(found[0].tokens.empty());
  EXPECT_FALSE(std::binary_search(found[0].tokens.begin(), found[0].tokens.end(), im_start));
  const std::vector<Token> unexempt = WordTokens(*model, {}).find({"start"})[0].tokens;
  EXPECT_TRUE(std::binary_search(unexempt.begin(), unexempt.end(), im_start));
  for (const auto& f : found) {
    for (Token t : f.tokens) {
      EXPECT_NE(ascii_lower(model->piece(t)).find(ascii_lower(f.word)), std::string::npos) << t;
    }
  }
  // Cached by the lowercase word: asked again in another case, the same tokens.
  EXPECT_EQ(words.find({"WAIT"})[0].tokens, found[1].tokens);
}

}  // namespace
}  // namespace s1
