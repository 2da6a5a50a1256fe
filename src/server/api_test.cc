// Unit tests of the server's edge: request parsing, stop strings, response building and
// the metrics exposition.
#include "server/api.h"

#include <gtest/gtest.h>

#include "server/metrics.h"
#include "server/responses.h"

namespace s1::server {
namespace {

using nlohmann::json;

ApiDefaults defaults() {
  ApiDefaults d;
  d.model_names = {"tiny", "alias"};
  d.rules.max_think = 100;
  d.rules.num_ignore = 1;
  d.n_vocab = 1000;
  return d;
}

ApiRequest chat(const json& extra) {
  json body = {{"model", "tiny"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
  body.update(extra);
  return parse_request(Endpoint::kChat, body.dump(), defaults());
}

// The ApiError a body raises (status 0 if none).
ApiError error_of(Endpoint e, const std::string& body) {
  try {
    parse_request(e, body, defaults());
  } catch (const ApiError& err) {
    return err;
  }
  return ApiError(0, "", "");
}

ApiError chat_error(const json& extra) {
  json body = {{"messages", {{{"role", "user"}, {"content", "hi"}}}}};
  body.update(extra);
  return error_of(Endpoint::kChat, body.dump());
}

TEST(ServerApi, DefaultsComeFromTheServer) {
  const ApiRequest r = chat(json::object());
  EXPECT_EQ(r.rules.max_think, 100);
  EXPECT_EQ(r.rules.num_ignore, 1);
  EXPECT_EQ(r.rules.max_answer, -1);
  EXPECT_EQ(r.n, 1);
  EXPECT_FALSE(r.stream);
  EXPECT_FALSE(r.ignore_strings.has_value());
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].role, "user");
}

TEST(ServerApi, EveryBudgetNameSetsTheCap) {
  for (const char* name :
       {"max_tokens_thinking", "thinking_token_budget", "thinking_budget_tokens"}) {
    EXPECT_EQ(chat({{name, 7}}).rules.max_think, 7) << name;
  }
  EXPECT_EQ(chat({{"max_tokens_thinking", 7}, {"thinking_token_budget", 7}}).rules.max_think, 7);
  EXPECT_EQ(chat({{"thinking_n_ignore", 3}}).rules.num_ignore, 3);
  EXPECT_EQ(chat({{"min_tokens_thinking", 20}}).rules.min_think, 20);
  EXPECT_EQ(chat({{"max_tokens", 9}}).rules.max_answer, 9);
  EXPECT_EQ(chat({{"max_completion_tokens", 9}}).rules.max_answer, 9);
  EXPECT_EQ(*chat({{"thinking_n_ignore_str", "Hmm"}}).ignore_strings,
            std::vector<std::string>{"Hmm"});
  EXPECT_EQ(*chat({{"thinking_n_ignore_str", {"A", ""}}}).ignore_strings,
            (std::vector<std::string>{"A", ""}));
  // A floor above the server's default cap raises the cap; above a given cap it is an error.
  EXPECT_EQ(chat({{"min_tokens_thinking", 300}}).rules.max_think, 300);
  // Steps of 100 tokens unless the request or the server says otherwise.
  ApiRequest steps = chat({{"thinking_steps", 4}});
  EXPECT_EQ(steps.rules.max_steps, 4);
  EXPECT_EQ(steps.rules.step_tokens, 100);
  steps = chat({{"thinking_steps", 0}, {"thinking_step_tokens", 50}});
  EXPECT_EQ(steps.rules.max_steps, 0);
  EXPECT_EQ(steps.rules.step_tokens, 50);
  EXPECT_EQ(chat_error({{"thinking_step_tokens", 50}}).param, "thinking_step_tokens");
  EXPECT_EQ(chat_error({{"thinking_steps", -1}}).code, "invalid_value");
  EXPECT_FALSE(parse_request(Endpoint::kCompletion, R"({"prompt": "a", "thinking_steps": 2})",
                             defaults())
                   .plain);
}

TEST(ServerApi, ConflictingAndInconsistentBudgetsAreRefused) {
  ApiError e = chat_error({{"max_tokens_thinking", 5}, {"thinking_budget_tokens", 6}});
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "conflicting_fields");
  EXPECT_EQ(e.param, "thinking_budget_tokens");
  e = chat_error({{"max_tokens", 5}, {"max_completion_tokens", 6}});
  EXPECT_EQ(e.code, "conflicting_fields");
  e = chat_error({{"max_tokens_thinking", 5}, {"min_tokens_thinking", 6}});
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "inconsistent_budget");
  for (const char* name : {"max_tokens_thinking", "thinking_token_budget", "min_tokens_thinking",
                           "thinking_n_ignore"}) {
    e = chat_error({{name, -1}});
    EXPECT_EQ(e.status, 400) << name;
    EXPECT_EQ(e.code, "invalid_value") << name;
    EXPECT_EQ(e.param, name);
  }
  EXPECT_EQ(chat_error({{"max_tokens", 0}}).code, "invalid_value");
}

// An inconsistent budget names the field the request got wrong, not always the floor.
TEST(ServerApi, InconsistentBudgetNamesItsOwnField) {
  ApiError e = chat_error({{"max_tokens_thinking", 5}, {"min_tokens_thinking", 6}});
  EXPECT_EQ(e.param, "min_tokens_thinking");
  ApiDefaults d = defaults();
  d.rules.min_think = 50;  // the server's floor; the request caps below it
  try {
    parse_request(Endpoint::kChat,
                  R"({"messages": [{"role": "user", "content": "hi"}], "thinking_token_budget": 10})",
                  d);
    ADD_FAILURE() << "a cap below the server's floor was accepted";
  } catch (const ApiError& err) {
    EXPECT_EQ(err.code, "inconsistent_budget");
    EXPECT_EQ(err.param, "max_tokens_thinking");
  }
}

TEST(ServerApi, SamplingFieldsMapToBothPhases) {
  const ApiRequest r = chat({{"temperature", 0.7},
                             {"top_p", 0.9},
                             {"top_k", 40},
                             {"min_p", 0.05},
                             {"seed", 42},
                             {"logit_bias", {{"17", 5}, {"3", -100}}}});
  for (const SamplingParams* p : {&r.thinking_sampling, &r.answer_sampling}) {
    EXPECT_FLOAT_EQ(p->temperature, 0.7f);
    EXPECT_FLOAT_EQ(p->top_p, 0.9f);
    EXPECT_EQ(p->top_k, 40);
    EXPECT_FLOAT_EQ(p->min_p, 0.05f);
    EXPECT_EQ(p->seed, 42u);
    ASSERT_EQ(p->logit_bias.size(), 2u);
  }
  EXPECT_EQ(chat({{"top_k", -1}}).thinking_sampling.top_k, 0);                   // vLLM's "off"
  EXPECT_EQ(chat_error({{"logit_bias", {{"1000", 1}}}}).code, "invalid_value");  // beyond n_vocab
  EXPECT_EQ(chat_error({{"logit_bias", {{"x", 1}}}}).code, "invalid_value");
  EXPECT_EQ(chat_error({{"logit_bias", {{"5", 101}}}}).code, "invalid_value");
  EXPECT_EQ(chat_error({{"top_p", 0}}).code, "invalid_value");
  EXPECT_EQ(chat_error({{"temperature", -1}}).code, "invalid_value");
}

TEST(ServerApi, PerPhaseLogitBiasAddsToOnePhase) {
  using Bias = std::vector<std::pair<Token, float>>;
  ApiRequest r = chat({{"logit_bias", {{"5", 1}}},
                       {"logit_bias_thinking", {{"17", 100}}},
                       {"logit_bias_answer", {{"3", -100}}}});
  EXPECT_EQ(r.thinking_sampling.logit_bias, (Bias{{5, 1.0f}, {17, 100.0f}}));
  EXPECT_EQ(r.answer_sampling.logit_bias, (Bias{{5, 1.0f}, {3, -100.0f}}));
  // A bias on the end trigger while thinking only leaves the answer unbiased.
  r = chat({{"logit_bias_thinking", {{"17", 100}}}});
  EXPECT_EQ(r.thinking_sampling.logit_bias, (Bias{{17, 100.0f}}));
  EXPECT_TRUE(r.answer_sampling.logit_bias.empty());
  // Any bias field replaces the server's biases.
  ApiDefaults d = defaults();
  d.thinking_sampling.logit_bias = {{9, 2.0f}};
  d.answer_sampling.logit_bias = {{9, 2.0f}};
  r = parse_request(Endpoint::kChat,
                    R"({"messages": [{"role": "user", "content": "hi"}],
                        "logit_bias_answer": {"4": 3}})",
                    d);
  EXPECT_TRUE(r.thinking_sampling.logit_bias.empty());
  EXPECT_EQ(r.answer_sampling.logit_bias, (Bias{{4, 3.0f}}));
  // Validated as logit_bias is, naming the field.
  for (const char* name : {"logit_bias_thinking", "logit_bias_answer"}) {
    EXPECT_EQ(chat_error({{name, {{"1000", 1}}}}).param, name);
    EXPECT_EQ(chat_error({{name, {{"x", 1}}}}).code, "invalid_value");
    EXPECT_EQ(chat_error({{name, {{"5", -101}}}}).code, "invalid_value");
    EXPECT_EQ(chat_error({{name, {1, 2}}}).code, "invalid_type");
  }
}

TEST(ServerApi, WrongTypesNameTheField) {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"max_tokens", "5"}}, "max_tokens"},
      {{{"max_tokens_thinking", 2.5}}, "max_tokens_thinking"},
      {{{"temperature", "hot"}}, "temperature"},
      {{{"stream", "yes"}}, "stream"},
      {{{"n", true}}, "n"},
      {{{"stop", 5}}, "stop"},
      {{{"logit_bias", {1, 2}}}, "logit_bias"},
      {{{"thinking_n_ignore_str", 3}}, "thinking_n_ignore_str"},
      {{{"model", 3}}, "model"},
      {{{"messages", "hi"}}, "messages"},
      {{{"messages", {{{"role", 1}, {"content", "x"}}}}}, "messages[0].role"},
      {{{"messages", {{{"role", "user"}, {"content", 5}}}}}, "messages[0].content"},
  };
  for (const auto& [extra, param] : cases) {
    const ApiError e = chat_error(extra);
    EXPECT_EQ(e.status, 400) << extra.dump();
    EXPECT_EQ(e.param, param) << extra.dump();
  }
  EXPECT_EQ(chat_error({{"max_tokens", 100.0}}).status, 0);  // integral numbers are integers
}

TEST(ServerApi, MalformedBodies) {
  EXPECT_EQ(error_of(Endpoint::kChat, "{").code, "invalid_json");
  EXPECT_EQ(error_of(Endpoint::kChat, "").code, "invalid_json");
  EXPECT_EQ(error_of(Endpoint::kChat, "[1]").code, "invalid_type");
  EXPECT_EQ(error_of(Endpoint::kChat, "{\"messages\": []}").code, "invalid_value");
  EXPECT_EQ(error_of(Endpoint::kChat, "{}").code, "missing_field");
  EXPECT_EQ(error_of(Endpoint::kCompletion, "{}").code, "missing_field");
  const ApiError utf8 = error_of(
      Endpoint::kChat, "{\"messages\": [{\"role\": \"user\", \"content\": \"\xff\xfe\"}]}");
  EXPECT_EQ(utf8.status, 400);
  EXPECT_EQ(utf8.code, "invalid_utf8");
  const ApiError model = chat_error({{"model", "gpt-4"}});
  EXPECT_EQ(model.status, 404);
  EXPECT_EQ(model.code, "model_not_found");
  EXPECT_EQ(chat_error({{"model", "alias"}}).status, 0);
  EXPECT_EQ(chat_error({{"n", 17}}).status, 400);
}

// Two fields (or request shapes) for one setting must agree; the error names both.
TEST(ServerApi, ConflictingAdaptiveShapesAreRefused) {
  ApiError e = chat_error({{"dynasor", {{"saving_effort", "mid"}}},
                           {"extra_body", {{"dynasor", {{"saving_effort", "high"}}}}}});
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "conflicting_fields");
  EXPECT_NE(std::string(e.what()).find("'dynasor.saving_effort'"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("'extra_body.dynasor.saving_effort'"), std::string::npos);
  e = chat_error({{"dynasor", {{"saving_effort", "mid"}}}, {"probe_every", 32}});  // N 64
  EXPECT_EQ(e.code, "conflicting_fields");
  EXPECT_EQ(e.param, "probe_every");
  e = chat_error({{"adaptive_compute", {{"certainty_window", 3}}}, {"exit_consistent", 4}});
  EXPECT_EQ(e.code, "conflicting_fields");
  e = chat_error({{"adaptive_compute", {{"probe_text", "a"}}}, {"probe_suffix", "b"}});
  EXPECT_EQ(e.code, "conflicting_fields");
  // The same value twice, or defaults beside a field, are no conflict.
  ApiRequest r = chat({{"dynasor", {{"saving_effort", "mid"}}}, {"probe_every", 64},
                       {"extra_body", {{"dynasor", {{"saving_effort", "mid"}}}}}});
  EXPECT_EQ(r.probe.every, 64);
  EXPECT_EQ(r.probe.consistent, 3);
  r = chat({{"adaptive_compute", json::object()}, {"probe_every", 16}});
  EXPECT_EQ(r.probe.every, 16);
  EXPECT_EQ(r.probe.consistent, 2);
}

// OpenAI fields the server does not implement are refused by name unless they ask for
// nothing; reasoning_effort is a template variable, as in vLLM.
TEST(ServerApi, UnsupportedFieldsAreRefusedByName) {
  const std::vector<json> refused = {
      {{"logprobs", true}},      {{"top_logprobs", 2}},         {{"echo", true}},
      {{"suffix", "end"}},       {{"best_of", 3}},              {{"frequency_penalty", 0.5}},
      {{"presence_penalty", 1}}, {{"repetition_penalty", 1.1}}, {{"logprobs", 1}}};
  for (const json& extra : refused) {
    const ApiError e = chat_error(extra);
    EXPECT_EQ(e.status, 400) << extra.dump();
    EXPECT_EQ(e.code, "unsupported_value") << extra.dump();
    EXPECT_EQ(e.param, extra.begin().key()) << extra.dump();
  }
  for (const json& extra : {json{{"frequency_penalty", "x"}}, json{{"echo", 1}},
                            json{{"logprobs", "yes"}}, json{{"best_of", 2.5}}}) {
    const ApiError e = chat_error(extra);
    EXPECT_EQ(e.code, "invalid_type") << extra.dump();
    EXPECT_EQ(e.param, extra.begin().key()) << extra.dump();
  }
  EXPECT_EQ(chat_error({{"logprobs", false}, {"top_logprobs", 0}, {"echo", false},
                        {"suffix", ""}, {"best_of", 1}, {"frequency_penalty", 0},
                        {"presence_penalty", 0.0}, {"repetition_penalty", 1}})
                .status,
            0);
  for (const json& v : {json("ultra"), json(5), json("")}) {
    const ApiError e = chat_error({{"reasoning_effort", v}});
    EXPECT_EQ(e.status, 400) << v.dump();
    EXPECT_EQ(e.param, "reasoning_effort");
  }
  EXPECT_EQ(chat({{"reasoning_effort", "high"}}).chat_template_kwargs.at("reasoning_effort"),
            "\"high\"");
  EXPECT_EQ(chat_error({{"reasoning_effort", "low"},
                        {"chat_template_kwargs", {{"reasoning_effort", "high"}}}})
                .code,
            "conflicting_fields");
  EXPECT_EQ(error_of(Endpoint::kCompletion, R"({"prompt": "x", "reasoning_effort": "low"})").param,
            "reasoning_effort");
}

TEST(ServerApi, LogitBiasKeysAreCanonicalTokenIds) {
  for (const char* key : {" 12", "+12", "12 ", "012", "1e2", "-0", "", "0x1"}) {
    const ApiError e = chat_error({{"logit_bias", {{key, 1}}}});
    EXPECT_EQ(e.status, 400) << "'" << key << "'";
    EXPECT_EQ(e.param, "logit_bias");
  }
  const ApiRequest r = chat({{"logit_bias", {{"0", 1}, {"12", -2}, {"999", 3}}}});
  EXPECT_EQ(r.thinking_sampling.logit_bias.size(), 3u);
  EXPECT_EQ(chat_error({{"logit_bias", {{"1000", 1}}}}).status, 400);  // n_vocab 1000
}

// Bounds are printed as a person writes them, not as "0.000000 and 1000000000.000000".
TEST(ServerApi, BoundsArePrintedReadably) {
  const ApiError e = chat_error({{"exit_confidence", -1}, {"probe_every", 8}});
  EXPECT_EQ(e.param, "exit_confidence");
  EXPECT_EQ(std::string(e.what()).find(".000000"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("between 0 and 1000000000"), std::string::npos) << e.what();
  const ApiError t = chat_error({{"top_p", 2}});
  EXPECT_NE(std::string(t.what()).find("between 0 and 1"), std::string::npos) << t.what();
}

TEST(ServerApi, TokenizeBodiesAreChecked) {
  auto error = [](const std::string& body) {
    try {
      parse_tokenize_request(body);
    } catch (const ApiError& e) {
      return e;
    }
    return ApiError(0, "", "");
  };
  for (const json& v : {json(1), json("yes"), json::array()}) {
    const ApiError e = error(json{{"content", "hi"}, {"add_special", v}}.dump());
    EXPECT_EQ(e.status, 400) << v.dump();
    EXPECT_EQ(e.param, "add_special");
  }
  EXPECT_EQ(error(json{{"content", "hi"}, {"with_pieces", 1}}.dump()).param, "with_pieces");
  EXPECT_EQ(error(json{{"content", "hi"}, {"parse_special", "no"}}.dump()).param, "parse_special");
  const ApiError not_json = error("content=hi");
  EXPECT_EQ(not_json.code, "invalid_json");
  EXPECT_NE(std::string(not_json.what()).find("not valid JSON"), std::string::npos);
  EXPECT_EQ(error("{}").param, "content");
  EXPECT_EQ(error(R"({"content": 3})").param, "content");
  const TokenizeRequest t = parse_tokenize_request(
      R"({"content": "a", "add_special": null, "parse_special": false, "with_pieces": true})");
  EXPECT_EQ(t.content, "a");
  EXPECT_FALSE(t.add_special);
  EXPECT_FALSE(t.parse_special);
  EXPECT_TRUE(t.with_pieces);
  // llama-server's with_pieces form: a piece that is not valid UTF-8 is its bytes.
  const json j = tokenize_response({5, 6}, nullptr);
  EXPECT_EQ(j, json::parse(R"({"tokens": [5, 6]})"));
  const std::vector<std::string> pieces = {"hi", "\xe2\x82"};
  EXPECT_EQ(tokenize_response({5, 6}, &pieces),
            json::parse(R"({"tokens": [{"id": 5, "piece": "hi"}, {"id": 6, "piece": [226, 130]}]})"));
}

TEST(ServerApi, ErrorJsonHasTheOpenAiShape) {
  const json j = error_json(ApiError(400, "invalid_json", "bad \xff", "messages"));
  EXPECT_EQ(j["error"]["type"], "invalid_request_error");
  EXPECT_EQ(j["error"]["code"], "invalid_json");
  EXPECT_EQ(j["error"]["param"], "messages");
  EXPECT_EQ(j["error"]["message"], "bad \xEF\xBF\xBD");
  EXPECT_EQ(error_json(ApiError(503, "server_busy", "x"))["error"]["type"], "server_error");
  EXPECT_TRUE(error_json(ApiError(500, "x", "y"))["error"]["param"].is_null());
}

TEST(ServerApi, CompletionsWithoutBudgetFieldsArePlain) {
  ApiRequest r =
      parse_request(Endpoint::kCompletion, R"({"prompt": "abc", "max_tokens": 6})", defaults());
  EXPECT_TRUE(r.plain);
  EXPECT_EQ(r.prompt, "abc");
  EXPECT_EQ(r.rules.max_think, 6);
  EXPECT_EQ(r.rules.max_answer, 0);
  EXPECT_EQ(r.rules.num_ignore, 0);  // the server default does not apply
  r = parse_request(Endpoint::kCompletion, R"({"prompt": ["abc"], "thinking_n_ignore": 2})",
                    defaults());
  EXPECT_FALSE(r.plain);
  EXPECT_EQ(r.rules.num_ignore, 2);
  EXPECT_EQ(r.rules.max_think, 100);
  EXPECT_EQ(error_of(Endpoint::kCompletion, R"({"prompt": ["a", "b"]})").code, "unsupported_value");
}

ApiError completion_error(const json& body) { return error_of(Endpoint::kCompletion, body.dump()); }

TEST(ServerApi, TokenPromptsAndStopTokenIds) {
  ApiRequest r = parse_request(
      Endpoint::kCompletion,
      R"({"prompt": [1, 999, 0], "return_token_ids": true, "stop_token_ids": [7, 8]})", defaults());
  EXPECT_EQ(r.prompt_tokens, (TokenSeq{1, 999, 0}));
  EXPECT_EQ(r.prompt, "");
  EXPECT_TRUE(r.return_token_ids);
  EXPECT_EQ(r.stop_token_ids, (TokenSeq{7, 8}));
  r = parse_request(Endpoint::kCompletion, R"({"prompt": "abc"})", defaults());
  EXPECT_TRUE(r.prompt_tokens.empty());
  EXPECT_FALSE(r.return_token_ids);
  EXPECT_TRUE(r.stop_token_ids.empty());
  EXPECT_EQ(chat({{"stop_token_ids", {5}}}).stop_token_ids, TokenSeq{5});
  // Ids beyond the vocabulary, lists of lists, mixed lists: 400 naming the field.
  for (const json& bad : {json{1, 1000}, json{-1}, json::array({json{1, 2}}), json{1, "a"},
                          json::array(), json{1.5}, json{true}}) {
    const ApiError e = completion_error({{"prompt", bad}});
    EXPECT_EQ(e.status, 400) << bad;
    EXPECT_EQ(e.param, "prompt") << bad;
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
  EXPECT_EQ(completion_error({{"prompt", {"a", "b"}}}).code, "unsupported_value");
  for (const json& bad : {json{1000}, json{-2}, json(3), json{"3"},
                          json(std::vector<int>(kMaxStopTokenIds + 1, 3))}) {
    const ApiError e = completion_error({{"prompt", "p"}, {"stop_token_ids", bad}});
    EXPECT_EQ(e.status, 400) << bad;
    EXPECT_EQ(e.param, "stop_token_ids") << bad;
  }
  EXPECT_EQ(completion_error({{"prompt", "p"}, {"return_token_ids", 1}}).param, "return_token_ids");
  EXPECT_EQ(chat_error({{"return_token_ids", true}}).param, "return_token_ids");
  // The engine's names for them, in its RequestErrors.
  EXPECT_EQ(budget_param("prompt_tokens"), "prompt");
  EXPECT_EQ(budget_param("stop_tokens"), "stop_token_ids");
}

TEST(ServerApi, StreamOptionsAndStop) {
  const ApiRequest r = chat(
      {{"stream", true}, {"stream_options", {{"include_usage", true}}}, {"stop", {"a", "bc"}}});
  EXPECT_TRUE(r.stream);
  EXPECT_TRUE(r.include_usage);
  EXPECT_EQ(r.stop, (std::vector<std::string>{"a", "bc"}));
  EXPECT_EQ(chat_error({{"stop", {"a", "b", "c", "d", "e"}}}).code, "invalid_value");
  EXPECT_EQ(chat_error({{"stop", ""}}).code, "invalid_value");
  // null means "not set", as some clients send it.
  EXPECT_EQ(chat({{"max_tokens", nullptr}, {"stop", nullptr}}).rules.max_answer, -1);
}

TEST(ServerApi, ChatTemplateKwargsMustBeAnObject) {
  const ApiRequest r = chat({{"chat_template_kwargs", {{"enable_thinking", false}, {"x", "y"}}}});
  EXPECT_EQ(r.chat_template_kwargs.at("enable_thinking"), "false");
  EXPECT_EQ(r.chat_template_kwargs.at("x"), "\"y\"");
  EXPECT_TRUE(chat(json::object()).chat_template_kwargs.empty());
  EXPECT_TRUE(chat({{"chat_template_kwargs", nullptr}}).chat_template_kwargs.empty());
  for (const json& bad : {json("enable_thinking"), json::array({1}), json(false)}) {
    const ApiError e = chat_error({{"chat_template_kwargs", bad}});
    EXPECT_EQ(e.status, 400) << bad.dump();
    EXPECT_EQ(e.param, "chat_template_kwargs");
    EXPECT_EQ(e.code, "invalid_type");
  }
  const ApiError e = chat_error({{"chat_template_kwargs", {{"enable_thinking", "no"}}}});
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.param, "chat_template_kwargs");
  EXPECT_NE(std::string(e.what()).find("enable_thinking"), std::string::npos) << e.what();
}

TEST(ServerApi, AssistantReasoningContentIsKept) {
  const json messages = {{{"role", "user"}, {"content", "q1"}},
                         {{"role", "assistant"}, {"content", "4"}, {"reasoning_content", "2+2"}},
                         {{"role", "assistant"}, {"content", "5"}, {"reasoning_content", nullptr}},
                         {{"role", "user"}, {"content", "q2"}, {"reasoning_content", "x"}}};
  const ApiRequest r = chat({{"messages", messages}});
  ASSERT_EQ(r.messages.size(), 4u);
  EXPECT_EQ(r.messages[1].reasoning_content, "2+2");
  EXPECT_EQ(r.messages[1].content, "4");
  EXPECT_EQ(r.messages[2].reasoning_content, "");
  EXPECT_EQ(r.messages[3].reasoning_content, "");  // only an assistant turn has thinking
  const ApiError e = chat_error(
      {{"messages", {{{"role", "assistant"}, {"content", "4"}, {"reasoning_content", 7}}}}});
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.param, "messages[0].reasoning_content");
  EXPECT_EQ(e.code, "invalid_type");
}

TEST(StopMatcher, HoldsPrefixesAndCutsAtTheFirstMatch) {
  StopMatcher m({"END", "xy"});
  EXPECT_EQ(m.push("abc E"), "abc ");
  EXPECT_EQ(m.push("N"), "");
  EXPECT_EQ(m.push("d"), "ENd");
  EXPECT_FALSE(m.matched());
  EXPECT_EQ(m.push("qq x"), "qq ");
  EXPECT_EQ(m.push("yEND"), "");
  EXPECT_TRUE(m.matched());
  EXPECT_EQ(m.push("more"), "");
  EXPECT_EQ(m.flush(), "");
  StopMatcher none({});
  EXPECT_EQ(none.push("E"), "E");
  StopMatcher tail({"END"});
  EXPECT_EQ(tail.push("aEN"), "a");
  EXPECT_EQ(tail.flush(), "EN");
}

JobEvent text(int sample, Channel channel, const std::string& t, bool forced = false,
              TokenSeq tokens = {}) {
  JobEvent e;
  e.sample = sample;
  e.chunk = {channel, t, forced, std::move(tokens)};
  return e;
}

JobEvent done(int sample, int thinking, int answer, FinishReason reason) {
  JobEvent e;
  e.kind = JobEvent::Kind::kDone;
  e.sample = sample;
  e.result.prompt_tokens = 10;
  e.result.thinking_tokens = thinking;
  e.result.answer_tokens = answer;
  e.result.finish_reason = reason;
  e.result.events.push_back({ForcingKind::kIgnore, 3, "num_ignore", "Wait", 0});
  return e;
}

TEST(ResponseBuilder, ChatStreamAndResponseAgree) {
  const ApiRequest r = chat({{"stream", true}, {"stream_options", {{"include_usage", true}}}});
  ResponseBuilder b(r, "chatcmpl-x", 123);
  std::vector<json> chunks = b.begin();
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0]["choices"][0]["delta"]["role"], "assistant");
  for (const JobEvent& e :
       {text(0, Channel::kThinking, "Hm"), text(0, Channel::kThinking, "Wait", true),
        text(0, Channel::kDelimiter, "<|im_start|>answer", true),
        text(0, Channel::kAnswer, "42")}) {
    for (auto& c : b.on_event(e)) chunks.push_back(c);
  }
  ASSERT_EQ(chunks.size(), 4u);  // the delimiter is structure, not text
  EXPECT_EQ(chunks[1]["choices"][0]["delta"]["reasoning_content"], "Hm");
  EXPECT_FALSE(chunks[1]["choices"][0].contains("s1"));
  EXPECT_EQ(chunks[2]["choices"][0]["s1"]["forced"], true);
  EXPECT_EQ(chunks[3]["choices"][0]["delta"]["content"], "42");
  EXPECT_FALSE(b.done());
  const auto fin = b.on_event(done(0, 5, 1, FinishReason::kStop));
  ASSERT_EQ(fin.size(), 1u);
  EXPECT_EQ(fin[0]["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(fin[0]["choices"][0]["s1"]["events"][0]["kind"], "ignore");
  EXPECT_TRUE(b.done());
  for (const auto& c : chunks) {
    EXPECT_EQ(c["id"], "chatcmpl-x");
    EXPECT_EQ(c["object"], "chat.completion.chunk");
    EXPECT_EQ(c["created"], 123);
    EXPECT_EQ(c["model"], "tiny");
  }
  const auto end = b.end();
  ASSERT_EQ(end.size(), 1u);
  EXPECT_TRUE(end[0]["choices"].empty());
  EXPECT_EQ(end[0]["usage"]["completion_tokens"], 6);
  EXPECT_EQ(end[0]["usage"]["completion_tokens_details"]["reasoning_tokens"], 5);
  const json whole = b.response();
  EXPECT_EQ(whole["object"], "chat.completion");
  EXPECT_EQ(whole["choices"][0]["message"]["reasoning_content"], "HmWait");
  EXPECT_EQ(whole["choices"][0]["message"]["content"], "42");
  EXPECT_EQ(whole["usage"]["total_tokens"], 16);
}

TEST(ResponseBuilder, ThinkingOffIsReportedInTheS1Object) {
  const ApiRequest r = chat(json::object());
  ResponseBuilder b(r, "chatcmpl-x", 1);
  b.on_event(text(0, Channel::kAnswer, "42"));
  JobEvent d = done(0, 0, 1, FinishReason::kStop);
  d.result.events.clear();
  d.result.thinking_off = true;
  b.on_event(d);
  const json whole = b.response();
  EXPECT_EQ(whole["choices"][0]["s1"]["thinking_off"], true);
  EXPECT_TRUE(whole["choices"][0]["s1"]["events"].empty());
  EXPECT_EQ(whole["choices"][0]["message"]["content"], "42");
  EXPECT_EQ(whole["usage"]["completion_tokens_details"]["reasoning_tokens"], 0);

  ResponseBuilder on(r, "chatcmpl-y", 1);
  on.on_event(done(0, 5, 1, FinishReason::kStop));
  EXPECT_EQ(on.response()["choices"][0]["s1"]["thinking_off"], false);
}

TEST(ResponseBuilder, StopStringsEndAChoiceAndAskForCancel) {
  const ApiRequest r = chat({{"n", 2}, {"stop", "STOP"}});
  ResponseBuilder b(r, "chatcmpl-x", 1);
  b.on_event(text(0, Channel::kAnswer, "abSTOPcd"));
  EXPECT_FALSE(b.should_cancel());  // choice 1 still runs
  b.on_event(text(1, Channel::kAnswer, "xxST"));
  b.on_event(text(1, Channel::kAnswer, "OP"));
  EXPECT_TRUE(b.should_cancel());
  b.on_event(done(0, 1, 1, FinishReason::kCancelled));
  b.on_event(done(1, 1, 1, FinishReason::kCancelled));
  const json whole = b.response();
  EXPECT_EQ(whole["choices"][0]["message"]["content"], "ab");
  EXPECT_EQ(whole["choices"][1]["message"]["content"], "xx");
  EXPECT_EQ(whole["choices"][1]["finish_reason"], "stop");
}

TEST(ResponseBuilder, PlainCompletionShowsOnlySampledText) {
  const ApiRequest r =
      parse_request(Endpoint::kCompletion, R"({"prompt": "p", "stream": true})", defaults());
  ResponseBuilder b(r, "cmpl-x", 1);
  EXPECT_TRUE(b.begin().empty());
  EXPECT_EQ(b.on_event(text(0, Channel::kThinking, "abc")).at(0)["choices"][0]["text"], "abc");
  EXPECT_TRUE(b.on_event(text(0, Channel::kDelimiter, "\n", true)).empty());
  EXPECT_TRUE(b.on_event(text(0, Channel::kDelimiter, "</think>", true)).empty());
  JobEvent d = done(0, 3, 0, FinishReason::kLength);
  d.result.events = {{ForcingKind::kCap, 3, "max_think", "\n</think>", 0}};
  const auto fin = b.on_event(d);
  const json whole = b.response();
  EXPECT_EQ(whole["object"], "text_completion");
  EXPECT_EQ(whole["choices"][0]["text"], "abc");
  EXPECT_EQ(whole["choices"][0]["finish_reason"], "length");
  // All of it is thinking: usage and the s1 object agree, and the cap that ended it
  // claims no text, as none was added to the output.
  EXPECT_EQ(whole["usage"]["completion_tokens"], 3);
  EXPECT_EQ(whole["usage"]["completion_tokens_details"]["reasoning_tokens"], 3);
  EXPECT_EQ(whole["choices"][0]["s1"]["thinking_tokens"], 3);
  ASSERT_EQ(whole["choices"][0]["s1"]["events"].size(), 1u);
  EXPECT_EQ(whole["choices"][0]["s1"]["events"][0]["kind"], "cap");
  EXPECT_EQ(whole["choices"][0]["s1"]["events"][0]["text"], "");
  EXPECT_EQ(fin.at(0)["choices"][0]["s1"], whole["choices"][0]["s1"]);
}

// The ids of every chunk of a stream, in order.
TokenSeq stream_ids(const std::vector<json>& chunks) {
  TokenSeq ids;
  for (const auto& c : chunks) {
    for (const auto& choice : c["choices"]) {
      EXPECT_TRUE(choice.contains("token_ids")) << c;
      for (Token t : choice["token_ids"]) ids.push_back(t);
    }
  }
  return ids;
}

TEST(ResponseBuilder, CompletionTokenIdsFollowTheirText) {
  const ApiRequest r = parse_request(
      Endpoint::kCompletion,
      R"({"prompt": "p", "stream": true, "return_token_ids": true, "stop": "END",
          "max_tokens_thinking": 50})",
      defaults());
  ResponseBuilder b(r, "cmpl-x", 1, {1, 2, 3});
  std::vector<json> chunks;
  for (const JobEvent& e :
       {text(0, Channel::kThinking, "ab", false, {10, 11}), text(0, Channel::kThinking, "", false, {12}),
        text(0, Channel::kThinking, "cE", false, {13}), text(0, Channel::kThinking, "N", false, {14}),
        text(0, Channel::kDelimiter, "</think>", true, {20}), text(0, Channel::kAnswer, "x", false, {30})}) {
    for (auto& c : b.on_event(e)) chunks.push_back(c);
  }
  // "ab"; "c" with 12 and 13; "EN" held, then sent on its own before the forced "</think>"
  // (a stop string never spans forced text); then "x".
  ASSERT_EQ(chunks.size(), 5u);
  EXPECT_EQ(chunks[0]["choices"][0]["prompt_token_ids"], json({1, 2, 3}));
  EXPECT_EQ(chunks[0]["choices"][0]["token_ids"], json({10, 11}));
  EXPECT_FALSE(chunks[1]["choices"][0].contains("prompt_token_ids"));
  EXPECT_EQ(chunks[1]["choices"][0]["text"], "c");
  EXPECT_EQ(chunks[1]["choices"][0]["token_ids"], json({12, 13}));
  EXPECT_EQ(chunks[2]["choices"][0]["text"], "EN");
  EXPECT_EQ(chunks[2]["choices"][0]["token_ids"], json({14}));
  EXPECT_EQ(chunks[3]["choices"][0]["text"], "</think>");
  EXPECT_EQ(chunks[3]["choices"][0]["token_ids"], json({20}));
  for (auto& c : b.on_event(done(0, 5, 1, FinishReason::kStop))) chunks.push_back(c);
  const json whole = b.response();
  EXPECT_EQ(whole["choices"][0]["text"], "abcEN</think>x");
  EXPECT_EQ(whole["choices"][0]["prompt_token_ids"], json({1, 2, 3}));
  EXPECT_EQ(whole["choices"][0]["token_ids"], json({10, 11, 12, 13, 14, 20, 30}));
  EXPECT_EQ(stream_ids(chunks), whole["choices"][0]["token_ids"].get<TokenSeq>());
  EXPECT_TRUE(whole["choices"][0]["stop_reason"].is_null());

  // A piece's ids go with the first of its text sent; a stop string sends those that made it.
  ResponseBuilder s(r, "cmpl-y", 1);
  std::vector<json> held = s.on_event(text(0, Channel::kThinking, "aE", false, {1, 2}));
  ASSERT_EQ(held.size(), 1u);
  EXPECT_TRUE(held[0]["choices"][0]["prompt_token_ids"].is_null());  // unknown
  EXPECT_EQ(held[0]["choices"][0]["token_ids"], json({1, 2}));  // with the first of their text
  held = s.on_event(text(0, Channel::kThinking, "NDzz", false, {3, 4}));
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0]["choices"][0]["text"], "");
  EXPECT_EQ(held[0]["choices"][0]["token_ids"], json({3, 4}));
  EXPECT_TRUE(s.should_cancel());
  s.on_event(done(0, 2, 0, FinishReason::kCancelled));
  EXPECT_EQ(s.response()["choices"][0]["text"], "a");
  EXPECT_EQ(s.response()["choices"][0]["token_ids"], json({1, 2, 3, 4}));
  EXPECT_EQ(s.response()["choices"][0]["stop_reason"], "END");
  EXPECT_EQ(s.response()["choices"][0]["finish_reason"], "stop");
}

TEST(ResponseBuilder, StopReasonNamesWhatEndedIt) {
  const ApiRequest r = parse_request(Endpoint::kCompletion, R"({"prompt": "p", "n": 2})", defaults());
  ResponseBuilder b(r, "cmpl-x", 1);
  JobEvent by_token = done(0, 1, 0, FinishReason::kStop);
  by_token.result.events.clear();
  by_token.result.stop_token = 42;
  const auto fin = b.on_event(by_token);
  ASSERT_EQ(fin.size(), 1u);
  EXPECT_EQ(fin[0]["choices"][0]["stop_reason"], 42);
  b.on_event(done(1, 1, 0, FinishReason::kLength));
  const json whole = b.response();
  EXPECT_EQ(whole["choices"][0]["stop_reason"], 42);
  EXPECT_EQ(whole["choices"][0]["finish_reason"], "stop");
  EXPECT_TRUE(whole["choices"][1]["stop_reason"].is_null());
  EXPECT_FALSE(whole["choices"][0].contains("token_ids"));  // not asked for
  const ApiRequest c = chat({{"stop_token_ids", {42}}});
  ResponseBuilder cb(c, "chatcmpl-x", 1);
  cb.on_event(by_token);
  EXPECT_EQ(cb.response()["choices"][0]["stop_reason"], 42);
}

TEST(Metrics, RendersPrometheusText) {
  Metrics m;
  m.declare_counter("req_total", "Requests.");
  m.declare_gauge("busy", "Busy.");
  m.declare_histogram("lat_seconds", "Latency.", {0.1, 1});
  m.add("req_total", 1, "code=\"200\"");
  m.add("req_total", 2, "code=\"200\"");
  m.set("busy", 3);
  m.observe("lat_seconds", 0.05);
  m.observe("lat_seconds", 0.5);
  m.observe("lat_seconds", 5);
  const std::string t = m.render();
  EXPECT_NE(t.find("# TYPE req_total counter\nreq_total{code=\"200\"} 3\n"), std::string::npos)
      << t;
  EXPECT_NE(t.find("# TYPE busy gauge\nbusy 3\n"), std::string::npos) << t;
  EXPECT_NE(
      t.find("lat_seconds_bucket{le=\"0.1\"} 1\nlat_seconds_bucket{le=\"1\"} 2\n"
             "lat_seconds_bucket{le=\"+Inf\"} 3\nlat_seconds_sum 5.55\nlat_seconds_count 3\n"),
      std::string::npos)
      << t;
  EXPECT_EQ(m.value("req_total", "code=\"200\""), 3);
  EXPECT_THROW(m.add("nope", 1), std::logic_error);
  EXPECT_EQ(escape_label("a\"b\\c\n"), "a\\\"b\\\\c\\n");
}

}  // namespace
}  // namespace s1::server
