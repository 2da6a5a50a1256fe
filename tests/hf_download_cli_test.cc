// `--hf` (llama.cpp's download code, in its common library) run offline: the endpoint is a
// closed port on 127.0.0.1 and the cache is empty, so the download fails. It must fail as
// a one-line error, not crash: the download code and s1's server and client share one
// cpp-httplib (two copies of its classes in one process crashed it).
#include <gtest/gtest.h>

#include <string>

#include "serve_harness.h"
#include "test_util.h"

namespace s1 {
namespace {

test::CommandResult run_offline(const std::string& args) {
  const std::string cache = test::temp_dir() + "/hf-cache";
  const std::string env = "MODEL_ENDPOINT=http://127.0.0.1:" + std::to_string(test::free_port()) +
                          "/ LLAMA_CACHE=" + test::shell_quote(cache) + " HF_TOKEN= ";
  return test::run_command(env + std::string(S1_BIN) + " " + args);
}

void expect_download_error(const test::CommandResult& r) {
  EXPECT_NE(r.exit_code, 0);
  EXPECT_LT(r.exit_code, 128) << "crashed: " << r.err;
  EXPECT_NE(r.err.find("cannot download nobody/nothing-GGUF:Q8_0"), std::string::npos) << r.err;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

TEST(HfDownload, GenerateFailsWithANetworkErrorNotACrash) {
  expect_download_error(run_offline("generate --hf nobody/nothing-GGUF:Q8_0 -p x -t 1"));
}

TEST(HfDownload, ServeFailsWithANetworkErrorNotACrash) {
  expect_download_error(run_offline("serve --hf nobody/nothing-GGUF:Q8_0 --port 0 -t 1"));
}

}  // namespace
}  // namespace s1
