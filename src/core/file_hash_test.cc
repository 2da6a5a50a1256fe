#include "core/file_hash.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace s1 {
namespace {

void write(const std::string& path, const std::string& data) {
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(data.data(), 1, data.size(), f);
  std::fclose(f);
}

TEST(FileHash, Xxh64OfAFile) {
  const std::string path = testing::TempDir() + "/file_hash_test.bin";
  write(path, "abc");
  EXPECT_EQ(xxh64_file(path), 0x44bc2cf5ad770999ull);  // XXH64("abc"), the reference value
  write(path, "");
  EXPECT_EQ(xxh64_file(path), 0xef46db3751d8e999ull);
  // Larger than one read block; one byte apart is another hash.
  std::string data(5 << 20, 'x');
  write(path, data);
  const uint64_t plain = xxh64_file(path);
  data[3 << 20] = 'y';
  write(path, data);
  EXPECT_NE(xxh64_file(path), plain);
  EXPECT_THROW(xxh64_file(path + ".missing"), std::runtime_error);
  EXPECT_EQ(hex64(0xef46db3751d8e999ull), "ef46db3751d8e999");
  EXPECT_EQ(hex64(1), "0000000000000001");
}

}  // namespace
}  // namespace s1
