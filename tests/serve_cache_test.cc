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

// /metrics once no sequence runs: the loop updates its gauges after the step that
// answered, so they may lag the answer a little.
std::string settled_metrics(const ServerProcess& server) {
  std::string text;
  for (int i = 0; i < 100; ++i) {
    auto m = server.client().Get("/metrics");
    EXPECT_TRUE(m);
    if (!m) return "";
    text = m->body;
    if (test::metric(text, "s1_kv_cells_used") == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return text;
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
  const std::string text = settled_metrics(server);
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

// More conversations than sequences: each new one overwrites the one sequence's cache,
// which goes to host memory (--cache-ram, on by default) and comes back when its
// conversation does; with --cache-ram 0 it is decoded again.
TEST(ServeCache, ConversationsBeyondTheSequencesComeBackFromHostMemory) {
  auto conversation = [](const std::string& word) {
    std::string text;
    for (int i = 0; i < 40; ++i) text += " " + word;
    return "<|im_start|>user\nCount the" + text + ".<|im_end|>\n<|im_start|>assistant\n<|im_start|>think";
  };
  for (const bool host_memory : {true, false}) {
    SCOPED_TRACE(host_memory ? "--cache-ram default" : "--cache-ram 0");
    std::vector<std::string> argv = {"--parallel", "1", "-c", "2048"};
    if (!host_memory) argv.insert(argv.end(), {"--cache-ram", "0"});
    ServerProcess server(test::s1_serve_argv(argv), 0,
                         test::temp_dir() + (host_memory ? "/serve-cache-ram.log" : "/serve-cache-ram-0.log"));
    const std::string apples = conversation("apples");
    const json first = post(server, "/v1/completions", {{"prompt", apples}, {"max_tokens", 4}});
    const int prompt_tokens = first["usage"]["prompt_tokens"];
    for (const char* other : {"pears", "plums"}) {
      post(server, "/v1/completions", {{"prompt", conversation(other)}, {"max_tokens", 4}});
    }
    const std::string next = apples + first["choices"][0]["text"].get<std::string>() + " And plums?";
    const json back = post(server, "/v1/completions", {{"prompt", next}, {"max_tokens", 4}});
    const int cached = back["usage"]["prompt_tokens_details"]["cached_tokens"];
    const std::string text = settled_metrics(server);
    if (host_memory) {
      EXPECT_GE(cached, prompt_tokens);
      EXPECT_EQ(test::metric(text, "s1_prompt_store_restores_total"), 1) << text;
      EXPECT_GE(test::metric(text, "s1_prompt_store_saves_total"), 3) << text;
      // pears and plums wait there now (apples is back in the sequence).
      EXPECT_EQ(test::metric(text, "s1_prompt_store_prompts"), 2) << text;
      EXPECT_GT(test::metric(text, "s1_prompt_store_bytes"), 0) << text;
    } else {
      EXPECT_LT(cached, prompt_tokens / 2);  // the chat template's opening, shared with plums
      EXPECT_EQ(test::metric(text, "s1_prompt_store_saves_total"), 0) << text;
      EXPECT_EQ(test::metric(text, "s1_prompt_store_prompts"), 0) << text;
    }
  }
}

}  // namespace
}  // namespace s1
