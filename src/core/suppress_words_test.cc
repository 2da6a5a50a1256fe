#include "core/suppress_words.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace s1 {
namespace {

TEST(ParseWordList, TrimsDropsEmptiesAndDuplicates) {
  EXPECT_EQ(parse_word_list(" wait, hmm,,alternatively ,Wait"),
            (std::vector<std::string>{"wait", "hmm", "alternatively"}));
  EXPECT_EQ(parse_word_list("double check"), (std::vector<std::string>{"double check"}));
}

TEST(ParseWordList, NoWordsIsAOneLineError) {
  for (const char* list : {"", " , ,", "\t"}) {
    try {
      parse_word_list(list, "--suppress-words list");
      FAIL() << "accepted '" << list << "'";
    } catch (const std::invalid_argument& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("--suppress-words list"), std::string::npos) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
  }
}

TEST(ContainsWord, WholeWordsIgnoringCase) {
  EXPECT_TRUE(contains_word("No, it is 5", "no"));
  EXPECT_TRUE(contains_word("42}. Hmm", "hmm"));
  EXPECT_TRUE(contains_word("x WAIT", "wait"));
  EXPECT_FALSE(contains_word("I know", "no"));
  EXPECT_FALSE(contains_word("\\frac{n}{note}", "no"));
  EXPECT_FALSE(contains_word("butter", "but"));
  EXPECT_FALSE(contains_word("", "no"));
  EXPECT_FALSE(contains_word("no", ""));
  const std::vector<std::string> words = {"wait", "but"};
  EXPECT_EQ(find_any_word("42, but", words), &words[1]);
  EXPECT_EQ(find_any_word("42", words), nullptr);
}

// A fake vocabulary: token i has text kPieces[i].
const std::vector<std::string> kPieces = {
    "</s>", " Wait", "wait", "ing", "HMM", "hm", "Await", "alternatively", "a", "",
    "<wait>",  // a special token the caller exempts
};

std::string fake_piece(Token t) { return kPieces[static_cast<size_t>(t)]; }

TEST(FindTokensContaining, EveryTokenHoldingTheWordIgnoringCase) {
  const auto found = find_tokens_containing({"wait", "Hmm", "", "zzz"}, kPieces.size(), fake_piece,
                                            {10});
  ASSERT_EQ(found.size(), 3u);  // the empty word is skipped
  EXPECT_EQ(found[0].word, "wait");
  EXPECT_EQ(found[0].tokens, (std::vector<Token>{1, 2, 6}));  // not the exempt 10
  EXPECT_EQ(found[1].word, "Hmm");
  EXPECT_EQ(found[1].tokens, (std::vector<Token>{4}));  // "hm" is too short
  EXPECT_EQ(found[2].word, "zzz");
  EXPECT_TRUE(found[2].tokens.empty());
}

TEST(FindTokensContaining, ExemptTokensStayReachable) {
  const auto found = find_tokens_containing({"s"}, kPieces.size(), fake_piece, {0});
  ASSERT_EQ(found.size(), 1u);
  for (Token t : found[0].tokens) EXPECT_NE(t, 0);
  const auto all = find_tokens_containing({"s"}, kPieces.size(), fake_piece);
  EXPECT_EQ(all[0].tokens.front(), 0);
}

}  // namespace
}  // namespace s1
