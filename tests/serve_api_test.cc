// End-to-end tests of `s1 serve` over HTTP: every endpoint and budget field, the
// streaming chunk format, and every error case with its status and OpenAI error JSON.
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "serve_harness.h"

namespace s1 {
namespace {

using nlohmann::json;
using test::ServerProcess;

constexpr int kImStart = 151644;  // <|im_start|>, the s1 format's end trigger

class ServeApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(
        test::s1_serve_argv({"--parallel", "4", "-c", "512", "--alias", "s1-tiny", "--max-think",
                             "16", "--max-answer", "8"}),
        0, test::temp_dir() + "/serve-api.log");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static json chat_body(const json& extra) {
    json body = {{"model", "s1-tiny"},
                 {"messages", {{{"role", "user"}, {"content", "What is 2+2?"}}}}};
    body.update(extra);
    return body;
  }
  // POSTs and returns (status, parsed body).
  static std::pair<int, json> post(const std::string& path, const std::string& body) {
    auto c = server_->client();
    auto r = c.Post(path.c_str(), body, "application/json");
    if (!r) return {-1, json()};
    return {r->status, json::parse(r->body, nullptr, false)};
  }
  static std::pair<int, json> chat(const json& extra) {
    return post("/v1/chat/completions", chat_body(extra).dump());
  }
  static void expect_error(const std::pair<int, json>& r, int status, const std::string& code) {
    EXPECT_EQ(r.first, status) << r.second.dump();
    ASSERT_TRUE(r.second.is_object()) << "not JSON";
    ASSERT_TRUE(r.second.contains("error")) << r.second.dump();
    const json& e = r.second["error"];
    EXPECT_EQ(e["code"], code) << e.dump();
    EXPECT_TRUE(e["message"].is_string());
    EXPECT_EQ(e["type"], status >= 500 ? "server_error" : "invalid_request_error");
  }

  static ServerProcess* server_;
};
ServerProcess* ServeApi::server_ = nullptr;

TEST_F(ServeApi, HealthModelsAndMetricsAnswer) {
  auto c = server_->client();
  auto h = c.Get("/health");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(json::parse(h->body)["status"], "ok");
  auto m = c.Get("/v1/models");
  ASSERT_TRUE(m);
  const json models = json::parse(m->body);
  EXPECT_EQ(models["object"], "list");
  ASSERT_EQ(models["data"].size(), 1u);
  EXPECT_EQ(models["data"][0]["id"], "s1-tiny");
  EXPECT_EQ(models["data"][0]["object"], "model");
  EXPECT_EQ(models["data"][0]["meta"]["thinking_format"], "s1");
  auto metrics = c.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  for (const char* name :
       {"# TYPE s1_http_requests_total counter", "# TYPE s1_busy_sequences gauge",
        "# TYPE s1_kv_cells_used gauge", "# TYPE s1_queue_depth gauge",
        "# TYPE s1_request_duration_seconds histogram", "# TYPE s1_forcing_events_total counter"}) {
    EXPECT_NE(metrics->body.find(name), std::string::npos) << name;
  }
  auto page = c.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<html"), std::string::npos);
}

TEST_F(ServeApi, ChatResponseHasReasoningContentUsageAndEvents) {
  const auto [status, j] = chat({{"max_tokens_thinking", 12}, {"max_tokens", 5}});
  ASSERT_EQ(status, 200) << j.dump();
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["id"].get<std::string>().rfind("chatcmpl-", 0), 0u);
  EXPECT_TRUE(j["created"].is_number_integer());
  EXPECT_EQ(j["model"], "s1-tiny");
  ASSERT_EQ(j["choices"].size(), 1u);
  const json& c = j["choices"][0];
  EXPECT_EQ(c["index"], 0);
  EXPECT_EQ(c["message"]["role"], "assistant");
  EXPECT_FALSE(c["message"]["reasoning_content"].get<std::string>().empty());
  // The cap closes thinking and prompts the answer.
  EXPECT_EQ(c["message"]["content"].get<std::string>().rfind("\nFinal Answer:", 0), 0u) << c.dump();
  EXPECT_EQ(c["finish_reason"], "length");  // max_tokens reached
  const json& s1 = c["s1"];
  EXPECT_EQ(s1["max_think"], 12);
  EXPECT_EQ(s1["answer_tokens"], 5);
  ASSERT_EQ(s1["events"].size(), 1u);
  EXPECT_EQ(s1["events"][0]["kind"], "cap");
  const json& u = j["usage"];
  EXPECT_EQ(u["completion_tokens_details"]["reasoning_tokens"], s1["thinking_tokens"]);
  // Every appended token: the thinking, the delimiter and "Final Answer:", the answer.
  EXPECT_GT(u["completion_tokens"].get<int>(), s1["thinking_tokens"].get<int>() + 5);
  EXPECT_EQ(u["total_tokens"], u["prompt_tokens"].get<int>() + u["completion_tokens"].get<int>());
  EXPECT_GT(u["prompt_tokens"].get<int>(), 5);
}

TEST_F(ServeApi, EachBudgetFieldTakesEffect) {
  const json bias = {{std::to_string(kImStart), 100}};  // the model tries to end at once
  // thinking_n_ignore: the first K attempts are ignored and "Wait" appended.
  auto [s, j] = chat({{"thinking_n_ignore", 2}, {"logit_bias", bias}, {"max_tokens", 2}});
  ASSERT_EQ(s, 200) << j.dump();
  EXPECT_EQ(j["choices"][0]["message"]["reasoning_content"], "WaitWait");
  const json& ev = j["choices"][0]["s1"]["events"];
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0]["reason"], "num_ignore");
  EXPECT_EQ(ev[2]["kind"], "end");
  // thinking_n_ignore_str: other strings, in turn.
  std::tie(s, j) = chat({{"thinking_n_ignore", 3},
                         {"thinking_n_ignore_str", {"Hmm", "So"}},
                         {"logit_bias", bias},
                         {"max_tokens", 1}});
  ASSERT_EQ(s, 200) << j.dump();
  EXPECT_EQ(j["choices"][0]["message"]["reasoning_content"], "HmmSoHmm");
  // min_tokens_thinking: attempts before the floor are ignored.
  std::tie(s, j) = chat({{"min_tokens_thinking", 4}, {"logit_bias", bias}, {"max_tokens", 1}});
  ASSERT_EQ(s, 200) << j.dump();
  EXPECT_GE(j["choices"][0]["s1"]["thinking_tokens"].get<int>(), 4);
  EXPECT_EQ(j["choices"][0]["s1"]["events"][0]["reason"], "min_think");
  // The three cap names.
  for (const char* name :
       {"max_tokens_thinking", "thinking_token_budget", "thinking_budget_tokens"}) {
    std::tie(s, j) = chat({{name, 6}, {"max_tokens", 1}});
    ASSERT_EQ(s, 200) << j.dump();
    EXPECT_EQ(j["choices"][0]["s1"]["max_think"], 6) << name;
    EXPECT_LE(j["usage"]["completion_tokens_details"]["reasoning_tokens"].get<int>(), 6) << name;
  }
  // max_completion_tokens caps the answer like max_tokens.
  std::tie(s, j) = chat({{"max_tokens_thinking", 3}, {"max_completion_tokens", 2}});
  EXPECT_EQ(j["choices"][0]["s1"]["answer_tokens"], 2);
}

TEST_F(ServeApi, ThinkingOnlyBiasDoesNotReachTheAnswer) {
  const json bias = {{std::to_string(kImStart), 100}};
  std::string trigger4;
  for (int i = 0; i < 4; ++i) trigger4 += "<|im_start|>";
  // logit_bias is llama.cpp's: both phases, so the answer is the trigger over and over.
  auto [s, j] = chat({{"logit_bias", bias}, {"max_tokens", 4}});
  ASSERT_EQ(s, 200) << j.dump();
  EXPECT_EQ(j["choices"][0]["message"]["content"], trigger4) << j.dump();
  // logit_bias_thinking ends thinking at once and leaves the answer alone.
  std::tie(s, j) = chat({{"logit_bias_thinking", bias}, {"max_tokens", 4}});
  ASSERT_EQ(s, 200) << j.dump();
  const json& c = j["choices"][0];
  EXPECT_EQ(c["s1"]["events"][0]["kind"], "end");
  EXPECT_EQ(c["s1"]["thinking_tokens"], 0);
  EXPECT_EQ(c["s1"]["answer_tokens"], 4);
  EXPECT_NE(c["message"]["content"].get<std::string>().rfind("<|im_start|>", 0), 0u) << c.dump();
  // logit_bias_answer acts in the answer only: thinking runs to the cap.
  std::tie(s, j) = chat({{"logit_bias_answer", bias}, {"max_tokens_thinking", 5}, {"max_tokens", 4}});
  ASSERT_EQ(s, 200) << j.dump();
  EXPECT_EQ(j["choices"][0]["s1"]["events"][0]["kind"], "cap");
  EXPECT_NE(j["choices"][0]["message"]["content"].get<std::string>().find(trigger4),
            std::string::npos);
  expect_error(chat({{"logit_bias_thinking", {{"999999999", 1}}}}), 400, "invalid_value");
}

TEST_F(ServeApi, ZeroThinkingBudgetShowsNoReasoning) {
  auto [s, j] = chat({{"max_tokens_thinking", 0}, {"max_tokens", 3}});
  ASSERT_EQ(s, 200) << j.dump();
  const json& c = j["choices"][0];
  EXPECT_EQ(c["message"]["reasoning_content"], "");
  EXPECT_EQ(c["s1"]["thinking_tokens"], 0);
  EXPECT_EQ(j["usage"]["completion_tokens_details"]["reasoning_tokens"], 0);
  // The cap still decodes "\n" before the delimiter (tokens as the s1 reference's).
  EXPECT_EQ(c["s1"]["events"][0]["text"].get<std::string>().rfind("\n<|im_start|>answer", 0), 0u);
  EXPECT_EQ(c["message"]["content"].get<std::string>().rfind("\nFinal Answer:", 0), 0u);
  // Streamed: no reasoning chunk at all.
  auto r = server_->client().Post(
      "/v1/chat/completions",
      chat_body({{"max_tokens_thinking", 0}, {"max_tokens", 3}, {"stream", true}}).dump(),
      "application/json");
  ASSERT_TRUE(r);
  for (const auto& p : test::sse_payloads(r->body)) {
    if (p == "[DONE]") continue;
    const json chunk = json::parse(p);
    for (const auto& ch : chunk["choices"]) EXPECT_FALSE(ch["delta"].contains("reasoning_content")) << p;
  }
}

TEST_F(ServeApi, SamplingFieldsAndSeveralChoices) {
  const json sampled = {
      {"temperature", 0.9},       {"top_p", 0.95},  {"top_k", 50}, {"min_p", 0.01},
      {"max_tokens_thinking", 8}, {"max_tokens", 2}};
  json a = sampled;
  a["seed"] = 7;
  const auto r1 = chat(a);
  const auto r2 = chat(a);
  ASSERT_EQ(r1.first, 200);
  EXPECT_EQ(r1.second["choices"][0]["message"], r2.second["choices"][0]["message"]);  // same seed
  json n = sampled;
  n["n"] = 3;
  const auto [s, j] = chat(n);
  ASSERT_EQ(s, 200) << j.dump();
  ASSERT_EQ(j["choices"].size(), 3u);
  std::set<std::string> texts;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(j["choices"][i]["index"], i);
    texts.insert(j["choices"][i]["message"]["reasoning_content"].get<std::string>());
  }
  EXPECT_GT(texts.size(), 1u);
  // A greedy request is the same whatever the seed.
  const auto g1 = chat({{"max_tokens_thinking", 8}, {"max_tokens", 2}, {"seed", 1}});
  const auto g2 = chat({{"max_tokens_thinking", 8}, {"max_tokens", 2}, {"seed", 2}});
  EXPECT_EQ(g1.second["choices"][0]["message"], g2.second["choices"][0]["message"]);
}

TEST_F(ServeApi, StreamingChunksFollowTheOpenAiFormat) {
  const json extra = {{"thinking_n_ignore", 1},
                      {"max_tokens_thinking", 10},
                      {"max_tokens", 4},
                      {"logit_bias", {{std::to_string(kImStart), 100}}}};
  json streamed = extra;
  streamed["stream"] = true;
  streamed["stream_options"] = {{"include_usage", true}};
  auto c = server_->client();
  auto r = c.Post("/v1/chat/completions", chat_body(streamed).dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("text/event-stream", 0), 0u);
  const auto payloads = test::sse_payloads(r->body);
  ASSERT_GE(payloads.size(), 5u);
  EXPECT_EQ(payloads.back(), "[DONE]");
  std::string reasoning, content, id;
  bool saw_forced = false;
  int finish_chunks = 0;
  for (size_t i = 0; i + 1 < payloads.size(); ++i) {
    const json j = json::parse(payloads[i]);
    EXPECT_EQ(j["object"], "chat.completion.chunk");
    if (id.empty()) id = j["id"];
    EXPECT_EQ(j["id"], id);
    EXPECT_EQ(j["model"], "s1-tiny");
    if (i + 2 == payloads.size()) {  // the usage chunk: no choices
      EXPECT_TRUE(j["choices"].empty());
      // The answer's 4 tokens, and the delimiter's after the thinking.
      EXPECT_LT(j["usage"]["completion_tokens_details"]["reasoning_tokens"].get<int>() + 4,
                j["usage"]["completion_tokens"].get<int>());
      continue;
    }
    ASSERT_EQ(j["choices"].size(), 1u);
    const json& ch = j["choices"][0];
    if (i == 0) {
      EXPECT_EQ(ch["delta"]["role"], "assistant");
    }
    if (ch["delta"].contains("reasoning_content")) reasoning += ch["delta"]["reasoning_content"];
    if (ch["delta"].contains("content")) content += ch["delta"]["content"];
    if (ch.contains("s1") && ch["s1"].contains("forced")) saw_forced = true;
    if (!ch["finish_reason"].is_null()) {
      ++finish_chunks;
      EXPECT_EQ(ch["finish_reason"], "length");
      EXPECT_EQ(ch["s1"]["events"][0]["kind"], "ignore");
    }
  }
  EXPECT_EQ(finish_chunks, 1);
  EXPECT_TRUE(saw_forced);
  // The stream carries the same text as the whole response.
  const auto [s, whole] = chat(extra);
  ASSERT_EQ(s, 200);
  EXPECT_EQ(reasoning, whole["choices"][0]["message"]["reasoning_content"]);
  EXPECT_EQ(content, whole["choices"][0]["message"]["content"]);
  EXPECT_EQ(reasoning.rfind("Wait", 0), 0u);
  // Without stream_options there is no usage chunk.
  streamed.erase("stream_options");
  r = c.Post("/v1/chat/completions", chat_body(streamed).dump(), "application/json");
  ASSERT_TRUE(r);
  const auto p2 = test::sse_payloads(r->body);
  ASSERT_GE(p2.size(), 2u);
  EXPECT_FALSE(json::parse(p2[p2.size() - 2]).contains("usage"));
}

TEST_F(ServeApi, CompletionsPlainAndBudgetForced) {
  const std::string prompt =
      "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<|im_start|>think";
  // A plain continuation is all thinking: usage, the s1 object and the text agree, and
  // no event claims text the output does not hold.
  auto consistent = [](const json& j) {
    const json& c = j["choices"][0];
    EXPECT_EQ(j["usage"]["completion_tokens_details"]["reasoning_tokens"],
              c["s1"]["thinking_tokens"]);
    EXPECT_EQ(j["usage"]["completion_tokens"], c["s1"]["thinking_tokens"]);
    EXPECT_EQ(c["s1"]["answer_tokens"], 0);
    ASSERT_EQ(c["s1"]["events"].size(), 1u);  // what ended it
    EXPECT_EQ(c["s1"]["events"][0]["text"], "") << c.dump();
  };
  auto [s, j] = post("/v1/completions", json{{"prompt", prompt}, {"max_tokens", 6}}.dump());
  ASSERT_EQ(s, 200) << j.dump();
  EXPECT_EQ(j["object"], "text_completion");
  EXPECT_EQ(j["id"].get<std::string>().rfind("cmpl-", 0), 0u);
  EXPECT_EQ(j["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(j["usage"]["completion_tokens"], 6);
  EXPECT_EQ(j["choices"][0]["text"].get<std::string>().find("Final Answer"), std::string::npos);
  EXPECT_EQ(j["choices"][0]["s1"]["events"][0]["kind"], "cap");
  consistent(j);
  // A plain continuation stops at the end trigger, without it.
  std::tie(s, j) = post(
      "/v1/completions",
      json{{"prompt", prompt}, {"max_tokens", 6}, {"logit_bias", {{std::to_string(kImStart), 100}}}}
          .dump());
  ASSERT_EQ(s, 200);
  EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(j["choices"][0]["text"], "");
  EXPECT_EQ(j["choices"][0]["s1"]["events"][0]["kind"], "end");
  consistent(j);
  // A budget field turns on forcing: the continuation holds the delimiter and the answer.
  std::tie(s, j) =
      post("/v1/completions",
           json{{"prompt", prompt}, {"max_tokens_thinking", 5}, {"max_tokens", 3}}.dump());
  ASSERT_EQ(s, 200) << j.dump();
  const std::string text = j["choices"][0]["text"];
  EXPECT_NE(text.find("<|im_start|>answer\nFinal Answer:"), std::string::npos) << text;
  // A prompt that closed thinking already is thinking-off, as in chat: nothing forced.
  std::tie(s, j) = post("/v1/completions", json{{"prompt", prompt + " 4\n<|im_start|>answer\n"},
                                                {"max_tokens_thinking", 5},
                                                {"max_tokens", 3}}
                                               .dump());
  ASSERT_EQ(s, 200) << j.dump();
  EXPECT_EQ(j["choices"][0]["s1"]["thinking_off"], true) << j.dump();
  EXPECT_EQ(j["choices"][0]["s1"]["thinking_tokens"], 0);
  EXPECT_EQ(j["choices"][0]["text"].get<std::string>().find("Final Answer:"), std::string::npos)
      << j.dump();
  EXPECT_TRUE(j["choices"][0]["s1"]["events"].empty()) << j.dump();
  EXPECT_TRUE(j["choices"][0]["s1"]["max_think"].is_null()) << j.dump();  // no cap applied
  // Streamed completions are text_completion chunks.
  auto c = server_->client();
  auto r = c.Post("/v1/completions",
                  json{{"prompt", prompt}, {"max_tokens", 4}, {"stream", true}}.dump(),
                  "application/json");
  ASSERT_TRUE(r);
  const auto payloads = test::sse_payloads(r->body);
  ASSERT_GE(payloads.size(), 2u);
  EXPECT_EQ(payloads.back(), "[DONE]");
  EXPECT_EQ(json::parse(payloads[0])["object"], "text_completion");
}

// Stop strings and stop tokens end only what the model samples (the reference's forced
// text is prompt): the cap's "\nFinal Answer:" never matches, on chat and completions,
// streamed or not, and a stop string sampled after it still cuts the answer there.
TEST_F(ServeApi, StopStringsMatchSampledTextOnly) {
  auto tokens_of = [](const std::string& text) {
    const auto [s, j] = post("/tokenize", json{{"content", text}}.dump());
    EXPECT_EQ(s, 200) << j.dump();
    return j["tokens"].get<std::vector<int>>();
  };
  const std::vector<int> answer = tokens_of("Answer");
  const std::vector<int> seven = tokens_of("7");
  ASSERT_EQ(answer.size(), 1u);
  ASSERT_EQ(seven.size(), 1u);
  auto streamed = [](const json& body, const std::string& path) {
    json b = body;
    b["stream"] = true;
    auto r = server_->client().Post(path.c_str(), b.dump(), "application/json");
    std::string text;
    json last;
    EXPECT_TRUE(r);
    if (!r) return std::make_pair(text, last);
    for (const auto& p : test::sse_payloads(r->body)) {
      if (p == "[DONE]") continue;
      const json c = json::parse(p);
      if (c["choices"].empty()) continue;
      const json& ch = c["choices"][0];
      if (ch.contains("text")) text += ch["text"].get<std::string>();
      if (ch.contains("delta") && ch["delta"].contains("content")) text += ch["delta"]["content"].get<std::string>();
      if (!ch["finish_reason"].is_null()) last = ch;
    }
    return std::make_pair(text, last);
  };
  const std::string prompt = "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n";
  for (const std::vector<std::string> stop : {std::vector<std::string>{"\n"}, {"a"}, {"Answer"}, {"Final", ":"}}) {
    // Every sampled token is "7", which no stop string matches, or "Answer", so that a
    // stop string "Answer" ends the answer at its first sampled token, after the forced text.
    const bool sampled_stop = stop[0] == "Answer";
    json bias = json::object();
    bias[std::to_string(sampled_stop ? answer[0] : seven[0])] = 100;
    const json extra = {{"max_tokens_thinking", 3}, {"max_tokens", 4}, {"stop", stop}, {"logit_bias", bias}};
    const auto [s, j] = chat(extra);
    ASSERT_EQ(s, 200) << j.dump();
    const std::string content = j["choices"][0]["message"]["content"];
    EXPECT_EQ(content.rfind("\nFinal Answer:", 0), 0u) << stop[0] << ": " << j.dump();
    if (sampled_stop) {
      EXPECT_EQ(content, "\nFinal Answer:") << j.dump();
      EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
      EXPECT_EQ(j["choices"][0]["stop_reason"], "Answer");
    }
    const auto [chat_text, chat_last] = streamed(chat_body(extra), "/v1/chat/completions");
    EXPECT_EQ(chat_text.rfind("\nFinal Answer:", 0), 0u) << stop[0] << ": " << chat_text;
    if (sampled_stop) EXPECT_EQ(chat_text, "\nFinal Answer:");
    json body = extra;
    body["prompt"] = prompt;
    const auto [cs, cj] = post("/v1/completions", body.dump());
    ASSERT_EQ(cs, 200) << cj.dump();
    const std::string text = cj["choices"][0]["text"];
    const size_t forced = text.find("<|im_start|>answer\nFinal Answer:");
    if (sampled_stop) {
      // The thinking is sampled too: the first "Answer" ends it all.
      EXPECT_EQ(text, "") << cj.dump();
      continue;
    }
    EXPECT_NE(forced, std::string::npos) << stop[0] << ": " << cj.dump();
    const auto [stream_text, stream_last] = streamed(body, "/v1/completions");
    EXPECT_NE(stream_text.find("<|im_start|>answer\nFinal Answer:"), std::string::npos)
        << stop[0] << ": " << stream_text;
  }
  // A stop token that is in the forced text only never ends the sample.
  const std::vector<int> forced_ids = tokens_of("\nFinal Answer:");
  json bias = json::object();
  for (int t : forced_ids) bias[std::to_string(t)] = -100;
  const auto [s, j] = chat({{"max_tokens_thinking", 3}, {"max_tokens", 4}, {"stop_token_ids", forced_ids},
                            {"logit_bias", bias}});
  ASSERT_EQ(s, 200) << j.dump();
  EXPECT_EQ(j["choices"][0]["message"]["content"].get<std::string>().rfind("\nFinal Answer:", 0), 0u)
      << j.dump();
  EXPECT_TRUE(j["choices"][0]["stop_reason"].is_null()) << j.dump();
}

// llama-server's /tokenize: its fields checked by type, special tokens parsed unless
// parse_special is false, and with_pieces answering each token's text.
TEST_F(ServeApi, TokenizeTakesLlamaServersFields) {
  expect_error(post("/tokenize", "content=hi"), 400, "invalid_json");
  for (const json& v : {json(1), json("yes")}) {
    const auto r = post("/tokenize", json{{"content", "hi"}, {"add_special", v}}.dump());
    expect_error(r, 400, "invalid_type");
    EXPECT_EQ(r.second["error"]["param"], "add_special");
  }
  auto [s, j] = post("/tokenize", json{{"content", "<|im_start|>"}}.dump());
  ASSERT_EQ(s, 200) << j.dump();
  EXPECT_EQ(j["tokens"], json({kImStart}));
  std::tie(s, j) = post("/tokenize", json{{"content", "<|im_start|>"}, {"parse_special", false}}.dump());
  ASSERT_EQ(s, 200) << j.dump();
  EXPECT_GT(j["tokens"].size(), 1u) << j.dump();
  std::tie(s, j) = post("/tokenize", json{{"content", "Hello world"}, {"with_pieces", true}}.dump());
  ASSERT_EQ(s, 200) << j.dump();
  std::string joined;
  for (const json& t : j["tokens"]) {
    ASSERT_TRUE(t["id"].is_number_integer()) << j.dump();
    joined += t["piece"].get<std::string>();
  }
  EXPECT_EQ(joined, "Hello world");
}

// usage.completion_tokens counts every token appended after the prompt, forced ones too:
// it is the length of token_ids.
TEST_F(ServeApi, UsageCountsTheForcedTokensInTheText) {
  const std::string prompt =
      "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<|im_start|>think";
  const auto [s, j] = post("/v1/completions", json{{"prompt", prompt},
                                                   {"max_tokens_thinking", 5},
                                                   {"max_tokens", 3},
                                                   {"return_token_ids", true}}
                                                  .dump());
  ASSERT_EQ(s, 200) << j.dump();
  const json& c = j["choices"][0];
  ASSERT_EQ(c["s1"]["events"].size(), 1u) << j.dump();
  EXPECT_EQ(c["s1"]["events"][0]["kind"], "cap");
  EXPECT_EQ(j["usage"]["completion_tokens"], c["token_ids"].size()) << j.dump();
  EXPECT_EQ(j["usage"]["completion_tokens_details"]["reasoning_tokens"], c["s1"]["thinking_tokens"]);
}

// A port already taken: the error says why.
TEST_F(ServeApi, ATakenPortIsNamedWithTheReason) {
  const test::CommandResult r = test::run_command(
      "timeout 60 " + std::string(S1_BIN) + " serve -m " + test::tiny_model() +
      " -t 1 --host 127.0.0.1 --port " + std::to_string(server_->port()));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("cannot listen on 127.0.0.1:" + std::to_string(server_->port()) +
                       ": Address already in use"),
            std::string::npos)
      << r.err;
}

TEST_F(ServeApi, ErrorsHaveStatusAndOpenAiJson) {
  expect_error(post("/v1/chat/completions", "{\"messages\": ["), 400, "invalid_json");
  expect_error(post("/v1/chat/completions", "[]"), 400, "invalid_type");
  expect_error(chat({{"messages", "hi"}}), 400, "invalid_type");
  expect_error(chat({{"max_tokens", "10"}}), 400, "invalid_type");
  expect_error(chat({{"temperature", {1}}}), 400, "invalid_type");
  expect_error(chat({{"stream", 1}}), 400, "invalid_type");
  expect_error(chat({{"model", "gpt-4o"}}), 404, "model_not_found");
  expect_error(chat({{"max_tokens_thinking", -5}}), 400, "invalid_value");
  expect_error(chat({{"thinking_n_ignore", -1}}), 400, "invalid_value");
  expect_error(chat({{"max_tokens_thinking", 5}, {"min_tokens_thinking", 9}}), 400,
               "inconsistent_budget");
  expect_error(chat({{"max_tokens_thinking", 5}, {"thinking_token_budget", 9}}), 400,
               "conflicting_fields");
  expect_error(chat({{"logit_bias", {{"99999999", 1}}}}), 400, "invalid_value");
  expect_error(post("/v1/chat/completions",
                    "{\"messages\": [{\"role\": \"user\", \"content\": \"caf\xc3\x28\"}]}"),
               400, "invalid_utf8");
  expect_error(post("/v1/completions", "{\"prompt\": 5}"), 400, "invalid_type");
  expect_error(post("/v1/nothing", "{}"), 404, "not_found");
  // A prompt beyond the context (512 tokens each), also when streaming.
  std::string longq;
  for (int i = 0; i < 700; ++i) longq += "apple ";
  const json big = {{"messages", {{{"role", "user"}, {"content", longq}}}}};
  expect_error(post("/v1/chat/completions", big.dump()), 400, "context_length_exceeded");
  json big_stream = big;
  big_stream["stream"] = true;
  expect_error(post("/v1/chat/completions", big_stream.dump()), 400, "context_length_exceeded");
  // A body beyond the limit (8 MiB).
  expect_error(post("/v1/chat/completions", std::string(9 << 20, ' ')), 413, "payload_too_large");
  // An answer budget beyond the context is lifted, as llama-server does, and said: the
  // answer may run until the context is full.
  const auto beyond = chat({{"max_tokens", 100000}, {"max_tokens_thinking", 2}});
  ASSERT_EQ(beyond.first, 200) << beyond.second.dump();
  EXPECT_EQ(beyond.second["choices"][0]["s1"]["max_tokens_clamped"], true) << beyond.second.dump();
  const auto within = chat({{"max_tokens", 2}, {"max_tokens_thinking", 2}});
  ASSERT_EQ(within.first, 200) << within.second.dump();
  EXPECT_FALSE(within.second["choices"][0]["s1"].contains("max_tokens_clamped"));
  auto h = server_->client().Get("/health");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

// Random bytes, truncations and mutations of valid bodies: each gets a 4xx JSON error
// (or a 200 when a mutation happens to stay valid), and the server keeps answering.
TEST_F(ServeApi, FuzzOfMalformedRequestsNeverBreaksTheServer) {
  std::mt19937 rng(1234);
  const std::string valid = chat_body({{"max_tokens_thinking", 2}, {"max_tokens", 1}}).dump();
  const std::vector<std::string> fields = {"max_tokens",
                                           "max_tokens_thinking",
                                           "thinking_n_ignore",
                                           "n",
                                           "temperature",
                                           "logit_bias",
                                           "stop",
                                           "messages",
                                           "stream",
                                           "min_tokens_thinking",
                                           "thinking_n_ignore_str",
                                           "top_p",
                                           "seed",
                                           "model",
                                           "prompt"};
  const std::vector<json> values = {
      nullptr, -1,     1e300,        "x",  json::array(),        json::object(),
      true,    "\xff", 2147483648LL, -0.5, json::array({1, "a"})};
  auto c = server_->client(20);
  int ok = 0, client_errors = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string body;
    switch (i % 4) {
      case 0: {  // random bytes
        body.resize(rng() % 64);
        for (auto& ch : body) ch = static_cast<char>(rng() & 0xff);
        break;
      }
      case 1:  // truncated
        body = valid.substr(0, rng() % valid.size());
        break;
      case 2: {  // one byte flipped
        body = valid;
        body[rng() % body.size()] = static_cast<char>(rng() & 0xff);
        break;
      }
      default: {  // a field with a wrong value
        json j = json::parse(valid);
        j[fields[rng() % fields.size()]] = values[rng() % values.size()];
        body = j.dump(-1, ' ', false, json::error_handler_t::ignore);
        break;
      }
    }
    const char* path = (i % 3 == 0) ? "/v1/completions" : "/v1/chat/completions";
    auto r = c.Post(path, body, "application/json");
    ASSERT_TRUE(r) << "no response to request " << i << ": " << body;
    if (r->status == 200) {
      ++ok;
      continue;
    }
    ++client_errors;
    ASSERT_GE(r->status, 400) << body;
    ASSERT_LT(r->status, 500) << r->body;
    const json e = json::parse(r->body, nullptr, false);
    ASSERT_TRUE(e.is_object() && e.contains("error")) << r->body;
  }
  EXPECT_GT(client_errors, 900);
  auto h = c.Get("/health");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_TRUE(server_->running());
}

// Issue: chat_template_kwargs was ignored (thinking always on), and reasoning_content of
// earlier turns was dropped.
TEST(ServeTemplates, ChatTemplateKwargsFromTheFlagAndTheRequest) {
  const std::string tmpl = test::llama_template("Qwen-Qwen3-0.6B");
  if (tmpl.empty()) GTEST_SKIP() << "llama.cpp's models/templates is not at hand";
  ServerProcess server(
      test::s1_serve_argv({"--max-think", "8", "--num-ignore", "1", "--max-answer", "4",
                           "--chat-template-kwargs", "{\"enable_thinking\": false}"},
                          test::tiny_model_with_template(tmpl)),
      0, test::temp_dir() + "/serve-templates.log");
  auto c = server.client();
  auto chat = [&](const json& extra) {
    json body = {{"messages",
                  {{{"role", "user"}, {"content", "What is 1+1?"}},
                   {{"role", "assistant"}, {"content", "2"}, {"reasoning_content", "1 and 1"}},
                   {{"role", "user"}, {"content", "What is 2+2?"}}}}};
    body.update(extra);
    auto r = c.Post("/v1/chat/completions", body.dump(), "application/json");
    EXPECT_TRUE(r);
    return r ? std::make_pair(r->status, json::parse(r->body, nullptr, false))
             : std::make_pair(-1, json());
  };

  // The server's default: thinking off, reported, nothing forced.
  const auto [status, off] = chat(json::object());
  ASSERT_EQ(status, 200) << off.dump();
  const json& choice = off["choices"][0];
  EXPECT_TRUE(choice["s1"]["thinking_off"].get<bool>());
  EXPECT_TRUE(choice["s1"]["events"].empty());
  EXPECT_EQ(choice["message"]["reasoning_content"], "");
  EXPECT_EQ(off["usage"]["completion_tokens_details"]["reasoning_tokens"], 0);

  // The request's variable over the server's.
  const auto [status_on, on] = chat({{"chat_template_kwargs", {{"enable_thinking", true}}}});
  ASSERT_EQ(status_on, 200) << on.dump();
  EXPECT_FALSE(on["choices"][0]["s1"]["thinking_off"].get<bool>());
  EXPECT_FALSE(on["choices"][0]["s1"]["events"].empty());

  // Earlier thinking reaches the template (Qwen3 shows it after the last question).
  auto prompt_tokens = [&](const json& assistant) {
    const auto [st, r] = chat({{"messages", {{{"role", "user"}, {"content", "What is 1+1?"}},
                                             assistant}}});
    EXPECT_EQ(st, 200) << r.dump();
    return r["usage"]["prompt_tokens"].get<int>();
  };
  const int without = prompt_tokens({{"role", "assistant"}, {"content", "2"}});
  const int with = prompt_tokens(
      {{"role", "assistant"}, {"content", "2"}, {"reasoning_content", "one and one make two"}});
  EXPECT_GT(with, without);

  const auto [bad, error] = chat({{"chat_template_kwargs", "enable_thinking=false"}});
  EXPECT_EQ(bad, 400);
  EXPECT_EQ(error["error"]["param"], "chat_template_kwargs");
  EXPECT_EQ(server.stop(), 0);
}

TEST(ServeQueue, BeyondTheQueueIs503AndTheServerRecovers) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "1", "--queue", "0"}), 0,
                       test::temp_dir() + "/serve-queue.log");
  const json slow = {{"messages", {{{"role", "user"}, {"content", "hi"}}}},
                     {"stream", true},
                     {"max_tokens_thinking", 100000},
                     {"max_tokens", 1000}};
  std::atomic<bool> started{false}, release{false};
  std::thread holder([&] {
    auto c = server.client();
    test::post_stream(c, "/v1/chat/completions", slow.dump(), [&](const char*, size_t) {
      started = true;
      return !release.load();  // hold the only sequence until told
    });
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto c = server.client();
  auto r = c.Post("/v1/chat/completions",
                  json{{"messages", {{{"role", "user"}, {"content", "hi"}}}}}.dump(),
                  "application/json");
  release = true;
  holder.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "server_busy");
  // The disconnected stream freed its sequence: a new request runs.
  for (int i = 0; i < 50; ++i) {
    r = c.Post("/v1/chat/completions",
               json{{"messages", {{{"role", "user"}, {"content", "hi"}}}},
                    {"max_tokens_thinking", 2},
                    {"max_tokens", 1}}
                   .dump(),
               "application/json");
    if (r && r->status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server.stop(), 0);  // SIGTERM: a clean exit
}

}  // namespace
}  // namespace s1
