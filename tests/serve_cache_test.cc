// The prefix cache through `s1 serve`: a conversation's turns reuse the cells of the
// turns before, reported as usage.prompt_tokens_details.cached_tokens and in /metrics;
// cache_prompt: false opts out.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "serve_harness.h"

namespace s1 {
namespace {

using nlohmann::json;
using test::ServerProcess;

json post(const ServerProcess& server, const std::string& path, const json& body) {
  auto c = server.client(60);
  auto r = c.Post(path.c_str(), body.dump(), "application/json");
  EXPECT_TRUE(r);
  if (!r) return json();
  EXPECT_EQ(r->status, 200) << r->body;
  return json::parse(r->body, nullptr, false);
}

TEST(ServeCache, ChatTurnsReuseTheConversationSoFar) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "2", "-c", "4096"}), 0,
                       test::temp_dir() + "/serve-cache-chat.log");
  json messages = json::array();
  int previous_prompt = 0;
  for (int turn = 0; turn < 6; ++turn) {
    messages.push_back({{"role", "user"}, {"content", "Turn " + std::to_string(turn) + ": and then?"}});
    const json r = post(server, "/v1/chat/completions",
                        {{"messages", messages}, {"max_tokens_thinking", 12}, {"max_tokens", 6}});
    const json& usage = r["usage"];
    const int prompt = usage["prompt_tokens"];
    const int cached = usage["prompt_tokens_details"]["cached_tokens"];
    if (turn == 0) {
      EXPECT_EQ(cached, 0);
    } else {
      // All of the last turn's prompt but the few tokens where the template closes it.
      EXPECT_GT(cached, previous_prompt - 8) << "turn " << turn;
      EXPECT_LT(cached, prompt);
    }
    previous_prompt = prompt;
    messages.push_back({{"role", "assistant"}, {"content", r["choices"][0]["message"]["content"]}});
  }
  // The loop updates its gauges after the step that answered: wait for them.
  std::string text;
  for (int i = 0; i < 100; ++i) {
    auto m = server.client().Get("/metrics");
    ASSERT_TRUE(m);
    text = m->body;
    if (test::metric(text, "s1_kv_cells_used") == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(test::metric(text, "s1_prefix_cache_hits_total"), 5) << text;
  EXPECT_GT(test::metric(text, "s1_prefix_cache_reused_tokens_total"), 0) << text;
  EXPECT_GT(test::metric(text, "s1_kv_cells_cached"), 0) << text;
  EXPECT_EQ(test::metric(text, "s1_kv_cells_used"), 0) << text;
}

TEST(ServeCache, RawContinuationsHitAndCachePromptFalseOptsOut) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "1", "-c", "4096"}), 0,
                       test::temp_dir() + "/serve-cache-raw.log");
  const std::string prompt =
      "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<|im_start|>think";
  const json first = post(server, "/v1/completions", {{"prompt", prompt}, {"max_tokens", 8}});
  const int prompt_tokens = first["usage"]["prompt_tokens"];
  EXPECT_EQ(first["usage"]["prompt_tokens_details"]["cached_tokens"], 0);
  // A remote backend's continuation: the prompt, what came, and a forced "Wait".
  const std::string next = prompt + first["choices"][0]["text"].get<std::string>() + "Wait";
  const json second = post(server, "/v1/completions", {{"prompt", next}, {"max_tokens", 8}});
  EXPECT_GE(second["usage"]["prompt_tokens_details"]["cached_tokens"].get<int>(), prompt_tokens);
  const json off = post(server, "/v1/completions",
                        {{"prompt", next}, {"max_tokens", 8}, {"cache_prompt", false}});
  EXPECT_EQ(off["usage"]["prompt_tokens_details"]["cached_tokens"], 0);
  auto bad = server.client().Post("/v1/completions",
                                  json({{"prompt", next}, {"cache_prompt", "yes"}}).dump(),
                                  "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

}  // namespace
}  // namespace s1
