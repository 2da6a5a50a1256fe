#include "core/xxh64.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace s1 {
namespace {

// Reference values of XXH64 (libxxhash 0.8.1).
TEST(Xxh64, MatchesTheReference) {
  EXPECT_EQ(xxh64("", 0), 0xef46db3751d8e999ull);
  EXPECT_EQ(xxh64("a", 1), 0xd24ec4f1a98c6e5bull);
  EXPECT_EQ(xxh64("abc", 3), 0x44bc2cf5ad770999ull);
  EXPECT_EQ(xxh64("abc", 3, 42), 0x13c1d910702770e6ull);
  const std::string s35 = "0123456789abcdef0123456789abcdefXYZ";  // a stripe and a tail
  EXPECT_EQ(xxh64(s35.data(), s35.size()), 0x654f6a2b39e4d8c1ull);
  std::string s1029;
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 256; ++i) s1029 += static_cast<char>(i);
  s1029 += "tail!";
  EXPECT_EQ(xxh64(s1029.data(), s1029.size()), 0x92fd9dccca84e2ebull);
  EXPECT_EQ(xxh64(s1029.data(), s1029.size(), 42), 0xee5bf3d5f7a18be0ull);
}

TEST(Xxh64, StreamingInAnyPiecesIsTheSame) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>(i * 7919 % 251);
  const uint64_t whole = xxh64(data.data(), data.size());
  for (size_t step : {1u, 3u, 31u, 32u, 33u, 100u}) {
    Xxh64 h;
    for (size_t at = 0; at < data.size(); at += step)
      h.update(data.data() + at, std::min(step, data.size() - at));
    EXPECT_EQ(h.digest(), whole) << step;
  }
}

TEST(Xxh64, HashesAFile) {
  const std::string path = testing::TempDir() + "/xxh64_test.bin";
  std::string data(5 << 20, 'x');  // more than one read block
  data[3 << 20] = 'y';
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(data.data(), 1, data.size(), f);
  std::fclose(f);
  EXPECT_EQ(xxh64_file(path), xxh64(data.data(), data.size()));
  EXPECT_THROW(xxh64_file(path + ".missing"), std::runtime_error);
  EXPECT_EQ(hex64(0xef46db3751d8e999ull), "ef46db3751d8e999");
  EXPECT_EQ(hex64(1), "0000000000000001");
}

}  // namespace
}  // namespace s1
