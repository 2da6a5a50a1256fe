// What `s1 serve` says on stderr: a warning at start-up when its default thinking budget
// is beyond the context, and one line per request (method, path, status, time, and for
// generations their tokens), none with --quiet.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "serve_harness.h"
#include "test_util.h"

namespace s1 {
namespace {

using nlohmann::json;
using test::ServerProcess;

const json kChat = {{"messages", {{{"role", "user"}, {"content", "hi"}}}},
                    {"max_tokens_thinking", 3},
                    {"max_tokens", 2}};

// The log once it holds `needle` (a stream's line comes after its last chunk), or as it
// is after a while.
size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The log once it holds `needle` `times` times (a streamed request's line is written when
// its stream has ended on the server, which may be after the client has read it all), or
// as it is after 10 s.
std::string log_with(const std::string& path, const std::string& needle, size_t times = 1) {
  std::string log;
  for (int i = 0; i < 200; ++i) {
    log = test::read_file(path);
    if (count_of(log, needle) >= times) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return log;
}

TEST(ServeLogging, ADefaultBudgetBeyondTheContextIsWarnedOfAtStartUp) {
  const std::string path = test::temp_dir() + "/serve-budget.log";
  ServerProcess server(test::s1_serve_argv({"-c", "256", "--max-think", "8000"}), 0, path);
  const std::string log = test::read_file(path);
  EXPECT_NE(log.find("s1 serve: warning: --max-think 8000 is beyond the context (256 tokens per "
                     "sequence, -c)"),
            std::string::npos)
      << log;
  const std::string fits_path = test::temp_dir() + "/serve-budget-fits.log";
  ServerProcess fits(test::s1_serve_argv({"-c", "256", "--max-think", "100"}), 0, fits_path);
  EXPECT_EQ(test::read_file(fits_path).find("warning"), std::string::npos);
}

TEST(ServeLogging, OneLinePerRequest) {
  const std::string path = test::temp_dir() + "/serve-logging.log";
  ServerProcess server(test::s1_serve_argv({}), 0, path);
  auto c = server.client(30);
  auto r = c.Post("/v1/chat/completions", kChat.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json usage = json::parse(r->body)["usage"];
  json stream = kChat;
  stream["stream"] = true;
  r = c.Post("/v1/completions", json{{"prompt", "<|im_start|>think\n"}, {"max_tokens", 2}}.dump(),
             "application/json");
  ASSERT_TRUE(r);
  r = c.Post("/v1/chat/completions", stream.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_TRUE(c.Get("/health"));
  ASSERT_TRUE(c.Get("/no-such-route"));
  r = c.Post("/v1/chat/completions", "{oops", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 400);

  log_with(path, "POST /v1/chat/completions 400");
  const std::string log = log_with(path, "POST /v1/chat/completions ", 3);
  const std::string tokens = "prompt " + usage["prompt_tokens"].dump() + " + completion " +
                             usage["completion_tokens"].dump() + " tokens (reasoning " +
                             usage["completion_tokens_details"]["reasoning_tokens"].dump() + ")";
  EXPECT_NE(log.find("s1 serve: POST /v1/chat/completions 200 "), std::string::npos) << log;
  EXPECT_NE(log.find(tokens), std::string::npos) << tokens << "\n" << log;
  EXPECT_NE(log.find("s1 serve: POST /v1/completions 200 "), std::string::npos) << log;
  EXPECT_NE(log.find("s1 serve: GET /health 200 "), std::string::npos) << log;
  EXPECT_NE(log.find("s1 serve: GET /no-such-route 404 "), std::string::npos) << log;
  // One line each: two chat generations (one streamed) and the malformed one.
  EXPECT_EQ(count_of(log, "POST /v1/chat/completions "), 3u) << log;
}

TEST(ServeLogging, QuietLogsNoRequests) {
  const std::string path = test::temp_dir() + "/serve-quiet.log";
  ServerProcess server(test::s1_serve_argv({"--quiet"}), 0, path);
  auto c = server.client(30);
  auto r = c.Post("/v1/chat/completions", kChat.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_TRUE(c.Get("/health"));
  EXPECT_EQ(server.stop(), 0);
  const std::string log = test::read_file(path);
  EXPECT_EQ(log.find("POST "), std::string::npos) << log;
  EXPECT_EQ(log.find("GET "), std::string::npos) << log;
}

}  // namespace
}  // namespace s1
