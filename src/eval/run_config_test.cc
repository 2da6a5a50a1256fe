#include "eval/run_config.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/file_hash.h"

namespace s1::eval {
namespace {

std::string scratch(const std::string& name) {
  const std::string dir = testing::TempDir() + "/run_config_test";
  std::filesystem::create_directories(dir);
  return dir + "/" + name;
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ModelFileIdentity, SameSizeDifferentBytesDiffer) {
  const std::string a = scratch("a.gguf"), b = scratch("b.gguf");
  write(a, std::string(1000, 'a'));
  write(b, std::string(999, 'a') + "b");
  const auto ia = model_file_identity(a, "");
  const auto ib = model_file_identity(b, "");
  EXPECT_EQ(ia["bytes"], 1000);
  EXPECT_EQ(ib["bytes"], 1000);
  EXPECT_NE(ia, ib);
  EXPECT_EQ(ia["xxh64"], hex64(xxh64_file(a)));
  // The name is not part of it: a copy elsewhere is the same model.
  const std::string copy = scratch("renamed.gguf");
  write(copy, std::string(1000, 'a'));
  EXPECT_EQ(model_file_identity(copy, ""), ia);
  EXPECT_THROW(model_file_identity(scratch("missing.gguf"), ""), std::runtime_error);
}

TEST(ModelFileIdentity, CachedByPathSizeAndTime) {
  const std::string model = scratch("cached.gguf");
  const std::string cache = scratch("cache/dir/model-hashes.tsv");
  std::filesystem::remove_all(scratch("cache"));
  write(model, "weights one");
  const auto first = model_file_identity(model, cache);
  const std::string line = read(cache);
  ASSERT_EQ(line.rfind(first["xxh64"].get<std::string>() + "\t11\t", 0), 0u) << line;
  EXPECT_NE(line.find("\t" + std::filesystem::absolute(model).lexically_normal().string() + "\n"),
            std::string::npos)
      << line;

  // While path, size and time match, the cache answers (a planted hash proves it).
  const std::string planted = "00000000000000ff" + line.substr(16);
  write(cache, "garbage line\n" + planted);
  EXPECT_EQ(model_file_identity(model, cache)["xxh64"], "00000000000000ff");

  // New bytes of the same size and a new time: hashed again, and the entry replaced.
  write(model, "weights two");
  std::filesystem::last_write_time(
      model, std::filesystem::last_write_time(model) + std::chrono::seconds(5));
  const auto second = model_file_identity(model, cache);
  EXPECT_EQ(second["xxh64"], hex64(xxh64_file(model)));
  EXPECT_NE(second, first);
  const std::string after = read(cache);
  EXPECT_EQ(after.find("00000000000000ff"), std::string::npos) << after;
  EXPECT_EQ(after.find("garbage"), std::string::npos) << after;

  // A cache that cannot be written is no error.
  EXPECT_EQ(model_file_identity(model, "/proc/no/such/dir/hashes.tsv"), second);
}

TEST(ModelFileIdentity, DefaultCacheFollowsTheEnvironment) {
  const char* old = std::getenv("S1_CACHE");
  const std::string saved = old ? old : "";
  setenv("S1_CACHE", "/tmp/s1-cache-test", 1);
  EXPECT_EQ(default_model_hash_cache(), "/tmp/s1-cache-test/model-hashes.tsv");
  if (old) {
    setenv("S1_CACHE", saved.c_str(), 1);
  } else {
    unsetenv("S1_CACHE");
  }
}

}  // namespace
}  // namespace s1::eval
