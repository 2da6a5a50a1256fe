// Adaptive thinking through `s1 serve`: the per-request probe and exit fields (ours and
// Dynasor's), probe events in the stream and in the s1 object, and a client ending the
// thinking of a live request (llama-server's control endpoint and /v1/thinking/end).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "serve_harness.h"

namespace s1 {
namespace {

using nlohmann::json;
using test::ServerProcess;

json chat(json extra) {
  extra["messages"] = json::array({{{"role", "user"}, {"content", "When will you stop?"}}});
  return extra;
}

// The id of the single token ")}" (the probes' steered answer: ")", box closed).
int closing_token(const ServerProcess& server) {
  auto r = server.client().Post("/tokenize", json{{"content", ")}"}}.dump(), "application/json");
  EXPECT_TRUE(r && r->status == 200);
  const json tokens = json::parse(r->body)["tokens"];
  EXPECT_EQ(tokens.size(), 1u);
  return tokens.at(0).get<int>();
}

// Whole SSE stream of a request: its JSON chunks (without [DONE]).
std::vector<json> stream(const ServerProcess& server, json body) {
  body["stream"] = true;
  auto c = server.client(120);
  auto r = c.Post("/v1/chat/completions", body.dump(), "application/json");
  EXPECT_TRUE(r);
  if (!r) return {};
  EXPECT_EQ(r->status, 200) << r->body;
  std::vector<json> out;
  for (const auto& p : test::sse_payloads(r->body)) {
    if (p != "[DONE]") out.push_back(json::parse(p));
  }
  return out;
}

const json* event_of(const json& s1_info, const std::string& kind) {
  for (const auto& e : s1_info["events"]) {
    if (e["kind"] == kind) return &e;
  }
  return nullptr;
}

TEST(ServeAdaptive, ProbesStreamAsTheyComeAndTheExitEndsThinking) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "1", "--probe-slots", "1", "-c", "2048"}), 0,
                       test::temp_dir() + "/serve-adaptive-stream.log");
  const int close = closing_token(server);
  const auto chunks = stream(server, chat({{"max_tokens_thinking", 300},
                                           {"max_tokens", 4},
                                           {"probe_every", 8},
                                           {"probe_tokens", 4},
                                           {"exit_consistent", 2},
                                           {"logit_bias_answer", {{std::to_string(close), 100}}}}));
  std::vector<json> probes;
  json final_info;
  for (const auto& c : chunks) {
    const json& choice = c["choices"][0];
    if (!choice.contains("s1")) continue;
    if (choice["s1"].contains("probe")) probes.push_back(choice["s1"]["probe"]);
    if (choice["finish_reason"].is_string()) final_info = choice["s1"];
  }
  ASSERT_EQ(probes.size(), 2u);
  EXPECT_EQ(probes[0]["thinking_tokens"], 8);
  EXPECT_EQ(probes[1]["thinking_tokens"], 16);
  EXPECT_EQ(probes[1]["answer"], ")");
  EXPECT_TRUE(probes[1]["agreed"].get<bool>());
  const json* exit = event_of(final_info, "exit");
  ASSERT_NE(exit, nullptr) << final_info.dump();
  EXPECT_EQ((*exit)["reason"], "consistent");
  EXPECT_LE(final_info["thinking_tokens"].get<int>(), 16 + 3);
  EXPECT_EQ(final_info["probes"].size(), 2u);

  // The loop updates its counters after the step that answered: wait for them.
  std::string metrics;
  for (int i = 0; i < 100 && metrics.find("s1_probes_total 2") == std::string::npos; ++i) {
    auto m = server.client().Get("/metrics");
    ASSERT_TRUE(m);
    metrics = m->body;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(metrics.find("s1_probes_total 2"), std::string::npos) << metrics;
}

TEST(ServeAdaptive, FieldsAreCheckedAndDynasorsShapesAccepted) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "2", "-c", "2048"}), 0,
                       test::temp_dir() + "/serve-adaptive-fields.log");
  auto c = server.client(120);
  auto expect_400 = [&](const json& extra, const std::string& param) {
    auto r = c.Post("/v1/chat/completions", chat(extra).dump(), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << extra.dump() << " " << r->body;
    EXPECT_EQ(json::parse(r->body)["error"]["param"], param) << r->body;
  };
  expect_400({{"exit_consistent", 2}}, "probe_every");  // an exit with no probes
  expect_400({{"probe_every", -1}}, "probe_every");
  expect_400({{"probe_every", 8}, {"probe_tokens", 0}}, "probe_tokens");
  expect_400({{"probe_every", 8}, {"exit_mean", "median"}}, "exit_mean");
  expect_400({{"probe_every", 8}, {"exit_confidence", "high"}}, "exit_confidence");
  expect_400({{"suppress_words", " , "}}, "suppress_words");
  expect_400({{"dynasor", {{"saving_effort", "extreme"}}}}, "dynasor.saving_effort");
  expect_400({{"adaptive_compute", 3}}, "adaptive_compute");

  // Dynasor's OpenAI-proxy field ("high": W 2, every 64) and its SGLang field.
  auto probes_of = [&](const json& extra) {
    json body = chat(extra);
    // Room for the last full probe (20 tokens) before the cap: a probe still running
    // when thinking ends is recorded as cut off, and not counted here.
    body["max_tokens_thinking"] = 100;
    body["max_tokens"] = 2;
    auto r = c.Post("/v1/chat/completions", body.dump(), "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
    const json reply = json::parse(r->body);
    json finished = json::array();
    for (const auto& p : reply["choices"][0]["s1"]["probes"]) {
      if (!p.value("cut", false)) finished.push_back(p);
    }
    return finished;
  };
  const json high = probes_of({{"dynasor", {{"saving_effort", "high"}}}});
  ASSERT_EQ(high.size(), 1u);
  EXPECT_EQ(high[0]["thinking_tokens"], 64);
  const json sglang = probes_of(
      {{"adaptive_compute", {{"token_interval", 30}, {"certainty_window", 5}, {"probe_text", " \\boxed{"}}}});
  ASSERT_EQ(sglang.size(), 2u);
  EXPECT_EQ(sglang[1]["thinking_tokens"], 60);
  // The same through the openai client's extra_body, as Dynasor's proxy reads it.
  EXPECT_EQ(probes_of({{"extra_body", {{"dynasor", {{"saving_effort", "crazy"}}}}}}).size(), 2u);
}

TEST(ServeAdaptive, AClientEndsThinkingOfALiveRequest) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "1", "-c", "8192"}), 0,
                       test::temp_dir() + "/serve-adaptive-control.log");
  auto c = server.client();
  // Refusals first: no id, a wrong action; an unknown id is a no-op (llama-server's answer)
  // or 404 on /v1/thinking/end.
  auto r = c.Post("/v1/chat/completions/control", json{{"action", "reasoning_end"}}.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  r = c.Post("/v1/chat/completions/control", json{{"id", "x"}, {"action", "pause"}}.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(json::parse(r->body)["error"]["param"], "action");
  r = c.Post("/v1/chat/completions/control", json{{"id", "chatcmpl-none"}, {"action", "reasoning_end"}}.dump(),
             "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["success"], false);
  r = c.Post("/v1/thinking/end", json{{"id", "chatcmpl-none"}}.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);

  for (const bool control : {true, false}) {
    SCOPED_TRACE(control ? "/v1/chat/completions/control" : "/v1/thinking/end");
    // A long thinking budget, ended by the client once the stream has begun.
    std::string body, id;
    std::atomic<bool> ended{false};
    std::thread ender;
    auto sc = server.client(120);
    json req = chat({{"max_tokens_thinking", 6000}, {"max_tokens", 3}, {"stream", true},
                     {"logit_bias_thinking", {{"151644", -100}}}});  // no natural end
    auto res = test::post_stream(sc, "/v1/chat/completions", req.dump(), [&](const char* d, size_t n) {
      body.append(d, n);
      if (id.empty()) {
        const size_t at = body.find("\"id\":\"");
        if (at != std::string::npos) {
          id = body.substr(at + 6, body.find('"', at + 6) - at - 6);
          ender = std::thread([&, id] {
            auto cc = server.client();
            const json b = control ? json{{"id", id}, {"action", "reasoning_end"}} : json{{"id", id}};
            auto rr = cc.Post(control ? "/v1/chat/completions/control" : "/v1/thinking/end", b.dump(),
                              "application/json");
            ended = rr && rr->status == 200 &&
                    (!control || json::parse(rr->body)["success"].get<bool>());
          });
        }
      }
      return true;
    });
    if (ender.joinable()) ender.join();
    ASSERT_TRUE(res);
    EXPECT_TRUE(ended.load());
    json final_info;
    for (const auto& p : test::sse_payloads(body)) {
      if (p == "[DONE]") continue;
      const json j = json::parse(p);
      if (j["choices"][0]["finish_reason"].is_string()) final_info = j["choices"][0]["s1"];
    }
    const json* exit = event_of(final_info, "exit");
    ASSERT_NE(exit, nullptr) << final_info.dump();
    EXPECT_EQ((*exit)["reason"], "client");
    EXPECT_LT(final_info["thinking_tokens"].get<int>(), 6000);
  }
}

}  // namespace
}  // namespace s1
