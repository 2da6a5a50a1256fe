// Token ids through `s1 serve`'s /v1/completions (vLLM's fields): a prompt given as token
// ids, return_token_ids (prompt_token_ids, token_ids, streamed per chunk), stop_token_ids
// and stop_reason; and what they are for: a client that continues a generation with the
// very tokens the server holds finds all of them in the prefix cache.
#include <gtest/gtest.h>

#include <algorithm>

#include "serve_harness.h"

namespace s1 {
namespace {

using nlohmann::json;
using test::ServerProcess;

constexpr int kImStart = 151644;  // <|im_start|>, the s1 format's end trigger
constexpr int kThe = 279;         // " the"

const char* kPrompt =
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<|im_start|>think";

class ServeTokens : public ::testing::Test {
 protected:
  // One sequence, so requests run one after another and a request's cache is the last one's.
  static void SetUpTestSuite() {
    server_ = new ServerProcess(test::s1_serve_argv({"--parallel", "1", "-c", "2048"}), 0,
                                test::temp_dir() + "/serve-tokens.log");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::pair<int, json> post(const std::string& path, const json& body) {
    auto c = server_->client();
    auto r = c.Post(path.c_str(), body.dump(), "application/json");
    if (!r) return {-1, json()};
    return {r->status, json::parse(r->body, nullptr, false)};
  }
  static json ok(const std::string& path, const json& body) {
    const auto [status, reply] = post(path, body);
    EXPECT_EQ(status, 200) << reply.dump();
    return reply;
  }
  static std::vector<int> tokenize(const std::string& text) {
    return ok("/tokenize", {{"content", text}, {"add_special", true}})["tokens"].get<std::vector<int>>();
  }
  // A greedy plain continuation asking for token ids; `cache_prompt` false decodes the
  // whole prompt, so two such requests have the same batch shapes.
  static json greedy(const json& prompt, bool cache_prompt = false) {
    return {{"prompt", prompt}, {"max_tokens", 12},   {"temperature", 0},
            {"return_token_ids", true}, {"cache_prompt", cache_prompt}};
  }
  static void expect_refused(const json& body, const std::string& param) {
    const auto [status, reply] = post("/v1/completions", body);
    EXPECT_EQ(status, 400) << body.dump();
    EXPECT_EQ(reply["error"]["param"], param) << reply.dump();
  }

  static ServerProcess* server_;
};
ServerProcess* ServeTokens::server_ = nullptr;

// (a) and (b): the same tokens, the same greedy run; prompt_token_ids are the text's
// tokens with add_special, as /tokenize says.
TEST_F(ServeTokens, TokenPromptGivesWhatItsTextGives) {
  const std::vector<int> ids = tokenize(kPrompt);
  const json by_text = ok("/v1/completions", greedy(kPrompt))["choices"][0];
  const json by_ids = ok("/v1/completions", greedy(ids))["choices"][0];
  EXPECT_EQ(by_text["prompt_token_ids"], json(ids));
  EXPECT_EQ(by_ids["prompt_token_ids"], json(ids));
  EXPECT_EQ(by_ids["text"], by_text["text"]);
  EXPECT_EQ(by_ids["token_ids"], by_text["token_ids"]);
  ASSERT_FALSE(by_text["token_ids"].empty());
  // A plain continuation's tokens are its thinking tokens, one id each.
  EXPECT_EQ(by_text["token_ids"].size(), by_text["s1"]["thinking_tokens"].get<size_t>());
  EXPECT_TRUE(by_text["stop_reason"].is_null());
  // Without return_token_ids: no ids, and the same text.
  json plain = greedy(ids);
  plain.erase("return_token_ids");
  const json without = ok("/v1/completions", plain)["choices"][0];
  EXPECT_FALSE(without.contains("token_ids"));
  EXPECT_FALSE(without.contains("prompt_token_ids"));
  EXPECT_EQ(without["text"], by_text["text"]);
}

// (c): what a first reply returns, sent back as the prompt, is all in the prefix cache
// (all but the last token, which is decoded for its logits), for a plain continuation
// and for a budget-forced one (an ignored end with "Wait", the kept trigger and the
// forced rest of the delimiter, then the answer).
TEST_F(ServeTokens, ContinuingWithTheReturnedIdsReusesThemAll) {
  json forced = greedy(kPrompt, true);
  forced["max_tokens_thinking"] = 8;
  forced["thinking_n_ignore"] = 1;
  forced["max_tokens"] = 4;
  forced["logit_bias_thinking"] = {{std::to_string(kImStart), 100}};
  for (const json& first_body : {greedy(kPrompt, true), forced}) {
    SCOPED_TRACE(first_body.dump());
    const json first = ok("/v1/completions", first_body)["choices"][0];
    std::vector<int> next = first["prompt_token_ids"].get<std::vector<int>>();
    const std::vector<int> sent = first["token_ids"].get<std::vector<int>>();
    ASSERT_FALSE(sent.empty());
    next.insert(next.end(), sent.begin(), sent.end());
    const json second = ok("/v1/completions", greedy(next, true));
    EXPECT_EQ(second["usage"]["prompt_tokens"], next.size());
    EXPECT_EQ(second["usage"]["prompt_tokens_details"]["cached_tokens"], next.size() - 1);
    EXPECT_EQ(second["choices"][0]["prompt_token_ids"], json(next));
  }
  // The forced run's ids hold the forced text too: "Wait" and the delimiter.
  const json reply = ok("/v1/completions", forced)["choices"][0];
  EXPECT_NE(reply["text"].get<std::string>().find("Wait<|im_start|>answer"), std::string::npos)
      << reply["text"];
  const auto ids = reply["token_ids"].get<std::vector<int>>();
  EXPECT_EQ(std::count(ids.begin(), ids.end(), kImStart), 1);
}

// (d): a stop token ends the choice at once and is neither text nor id; stop_reason is it.
TEST_F(ServeTokens, StopTokenIdsEndAtTheToken) {
  json body = greedy(kPrompt);
  body["max_tokens"] = 6;
  body["logit_bias"] = {{std::to_string(kThe), 100}};
  const json free_run = ok("/v1/completions", body)["choices"][0];
  const auto free_ids = free_run["token_ids"].get<std::vector<int>>();
  EXPECT_NE(std::find(free_ids.begin(), free_ids.end(), kThe), free_ids.end()) << free_run.dump();
  EXPECT_EQ(free_run["finish_reason"], "length");
  body["stop_token_ids"] = {kThe};
  const json stopped = ok("/v1/completions", body)["choices"][0];
  EXPECT_EQ(stopped["finish_reason"], "stop");
  EXPECT_EQ(stopped["stop_reason"], kThe);
  const auto ids = stopped["token_ids"].get<std::vector<int>>();
  EXPECT_EQ(std::find(ids.begin(), ids.end(), kThe), ids.end());
  EXPECT_EQ(stopped["text"].get<std::string>().find(" the"), std::string::npos);
  // A plain continuation that ends at the end trigger says so as vLLM given it as a stop
  // token would; one that runs out of tokens says nothing.
  body.erase("stop_token_ids");
  body["logit_bias"] = {{std::to_string(kImStart), 100}};
  const json at_trigger = ok("/v1/completions", body)["choices"][0];
  EXPECT_EQ(at_trigger["finish_reason"], "stop");
  EXPECT_EQ(at_trigger["stop_reason"], kImStart);
  EXPECT_TRUE(at_trigger["token_ids"].empty());
  EXPECT_TRUE(free_run["stop_reason"].is_null());
  body["logit_bias"] = {{std::to_string(kThe), 100}};
  // Chat takes stop_token_ids too.
  const auto [status, chat] = post(
      "/v1/chat/completions",
      {{"messages", {{{"role", "user"}, {"content", "hi"}}}}, {"logit_bias", body["logit_bias"]},
       {"stop_token_ids", {kThe}}});
  EXPECT_EQ(status, 200) << chat.dump();
  EXPECT_EQ(chat["choices"][0]["stop_reason"], kThe);
  EXPECT_EQ(chat["choices"][0]["finish_reason"], "stop");
}

// (e): a stream's chunks carry the ids of their own text; together they are the
// response's ids, and the first chunk has the prompt's.
TEST_F(ServeTokens, StreamedIdsAddUpToTheResponses) {
  const std::vector<int> ids = tokenize(kPrompt);
  const json whole = ok("/v1/completions", greedy(kPrompt))["choices"][0];
  json body = greedy(kPrompt);
  body["stream"] = true;
  auto c = server_->client();
  auto r = c.Post("/v1/completions", body.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  std::vector<int> streamed;
  std::string text;
  json first, last;
  for (const std::string& payload : test::sse_payloads(r->body)) {
    if (payload == "[DONE]") break;
    const json chunk = json::parse(payload);
    for (const json& choice : chunk["choices"]) {
      if (first.is_null()) first = choice;
      last = choice;
      ASSERT_TRUE(choice.contains("token_ids")) << payload;
      for (int t : choice["token_ids"]) streamed.push_back(t);
      text += choice["text"].get<std::string>();
    }
  }
  ASSERT_FALSE(first.is_null());
  EXPECT_EQ(first["prompt_token_ids"], json(ids));
  EXPECT_EQ(json(streamed), whole["token_ids"]);
  EXPECT_EQ(text, whole["text"]);
  EXPECT_TRUE(last.contains("stop_reason"));
  EXPECT_EQ(last["finish_reason"], whole["finish_reason"]);
}

// (f): ids that are not this model's, and prompts that are not one prompt, are a 400.
TEST_F(ServeTokens, BadIdsAreRefused) {
  const int beyond = 1 << 24;  // above any vocabulary of the test models
  for (const json& prompt : {json{1, beyond}, json{-1}, json::array({json{1, 2}}), json{1, "a"},
                             json::array()}) {
    expect_refused({{"prompt", prompt}}, "prompt");
  }
  expect_refused({{"prompt", kPrompt}, {"stop_token_ids", {beyond}}}, "stop_token_ids");
  expect_refused({{"prompt", kPrompt}, {"stop_token_ids", "1"}}, "stop_token_ids");
  // A token prompt counts against the context as a text prompt does.
  const auto [status, reply] = post("/v1/completions", {{"prompt", std::vector<int>(3000, 11)}});
  EXPECT_EQ(status, 400);
  EXPECT_EQ(reply["error"]["code"], "context_length_exceeded") << reply.dump();
  EXPECT_TRUE(server_->running());
}

}  // namespace
}  // namespace s1
