#include "core/utf8.h"

#include <gtest/gtest.h>

namespace s1 {
namespace {

TEST(Utf8, IncompleteTail) {
  EXPECT_EQ(incomplete_utf8_tail("abc"), 0u);
  EXPECT_EQ(incomplete_utf8_tail("a\xE4"), 1u);
  EXPECT_EQ(incomplete_utf8_tail("a\xE4\xBD"), 2u);
  EXPECT_EQ(incomplete_utf8_tail("a\xE4\xBD\xA0"), 0u);
  EXPECT_EQ(incomplete_utf8_tail("\xF0\x9F\x98"), 3u);
  EXPECT_EQ(incomplete_utf8_tail("a\xFF"), 0u);  // never valid: not held
}

TEST(Utf8, SanitizeReplacesInvalidSequences) {
  EXPECT_EQ(sanitize_utf8("ok \xE4\xBD\xA0"), "ok \xE4\xBD\xA0");
  EXPECT_EQ(sanitize_utf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize_utf8("a\xC0\xAF"), "a\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_TRUE(is_valid_utf8(sanitize_utf8("x\xE4\xBD")));
  EXPECT_FALSE(is_valid_utf8("x\xE4\xBD"));
}

TEST(Utf8, StreamReleasesWholeCharacters) {
  Utf8Stream s;
  EXPECT_EQ(s.push("h\xF0\x9F"), "h");
  EXPECT_EQ(s.push("\x98"), "");
  EXPECT_EQ(s.push("\x80!"), "\xF0\x9F\x98\x80!");
  EXPECT_EQ(s.push("\xE4"), "");
  EXPECT_EQ(s.flush(), "\xEF\xBF\xBD");
  EXPECT_EQ(s.flush(), "");
}

}  // namespace
}  // namespace s1
