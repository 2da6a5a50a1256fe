// The remote backend's request fields for vLLM and SGLang, checked by a fake server in
// the test: it records every request and answers as the documented APIs do (streamed
// /v1/completions with usage and vLLM's stop_reason, whole probe answers with OpenAI's
// logprobs, /tokenize, /detokenize). Only the
// field mapping and the client's handling are tested here; behaviour against real
// servers is in serve_remote_test.cc.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/remote_backend.h"
#include "test_util.h"

namespace s1 {
namespace {

using nlohmann::json;

constexpr Token kImStartId = 151644;
const std::string kRendered = "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n";

class FakeServer {
 public:
  // `owner`: /v1/models' owned_by. `tokenize`: whether /tokenize exists.
  // `fail_completions`: every completion answers 500.
  FakeServer(std::string owner, bool tokenize, bool fail_completions = false)
      : owner_(std::move(owner)) {
    server_.Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) {
      count("/v1/models");
      res.set_content(json{{"data", {{{"id", "m"}, {"owned_by", owner_}}}}}.dump(),
                      "application/json");
    });
    if (tokenize) {
      server_.Post("/tokenize", [this](const httplib::Request& req, httplib::Response& res) {
        count("/tokenize");
        const json b = json::parse(req.body);
        json tokens = json::array();
        if (b.contains("messages")) {
          tokens = {1, 2, 3};
          std::lock_guard<std::mutex> lock(mutex_);
          render_requests_.push_back(b);
        } else if (b["prompt"] == "<|im_start|>") {
          tokens = {kImStartId};
        } else {
          for (size_t i = 0; i < b["prompt"].get<std::string>().size(); ++i) tokens.push_back(7);
        }
        res.set_content(json{{"tokens", tokens}, {"count", tokens.size()}}.dump(),
                        "application/json");
      });
      server_.Post("/detokenize", [this](const httplib::Request& req, httplib::Response& res) {
        count("/detokenize");
        EXPECT_EQ(json::parse(req.body)["tokens"], json({1, 2, 3}));
        res.set_content(json{{"prompt", kRendered}}.dump(), "application/json");
      });
    }
    server_.Post("/v1/completions", [this, fail_completions](const httplib::Request& req,
                                                             httplib::Response& res) {
      count("/v1/completions");
      const json b = json::parse(req.body);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        completions_.push_back(b);
      }
      if (fail_completions) {
        res.status = 500;
        res.set_content(R"({"error":{"message":"out of memory"}})", "application/json");
        return;
      }
      if (!b.value("stream", false) && b.contains("logprobs")) {
        // A probe (adaptive thinking): a box closed after two tokens, then a hesitation
        // word the backend must not take, as the local engine stops at the closing token;
        // OpenAI's logprobs per token.
        const std::vector<std::string> tokens = {"4", "2}", " wait", " no"};
        json logs = json::array();
        for (size_t i = 0; i < tokens.size(); ++i) logs.push_back(std::log(0.5));
        res.set_content(json{{"choices", {{{"text", "42} wait no"},
                                           {"finish_reason", "length"},
                                           {"logprobs", {{"tokens", tokens}, {"token_logprobs", logs}}}}}},
                             {"usage", {{"completion_tokens", 4}}}}
                            .dump(),
                        "application/json");
        return;
      }
      if (!b.value("stream", false)) {
        // Whole answers only for llama-server's start-up probe: this one hides special
        // tokens, as a llama-server without --special or preserved_tokens does.
        res.set_content(json{{"choices", {{{"text", ""}, {"finish_reason", "length"}}}},
                             {"usage", {{"completion_tokens", 1}}}}
                            .dump(),
                        "application/json");
        return;
      }
      // Thinking segments stop at the trigger after two tokens; answers run out.
      const bool thinking = b["stop"].is_array() && !b["stop"].empty() &&
                            b["stop"][0] == "<|im_start|>";
      std::vector<json> chunks;
      auto choice = [](const std::string& text, json finish) {
        return json{{"object", "text_completion"},
                    {"choices", {{{"index", 0}, {"text", text}, {"finish_reason", finish}}}}};
      };
      chunks.push_back(choice(" a", nullptr));
      chunks.push_back(choice(" b", nullptr));
      json last = choice("", thinking ? "stop" : "length");
      if (thinking) last["choices"][0]["stop_reason"] = kImStartId;  // vLLM: the token id
      chunks.push_back(last);
      chunks.push_back({{"choices", json::array()},
                        {"usage", {{"completion_tokens", 2}, {"prompt_tokens", 9}}}});
      std::string sse;
      for (const json& c : chunks) sse += "data: " + c.dump() + "\n\n";
      sse += "data: [DONE]\n\n";
      res.set_content(sse, "text/event-stream");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // Bound and listening already: clients queue until the accept loop runs.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<json> completions() {
    std::lock_guard<std::mutex> lock(mutex_);
    return completions_;
  }
  std::vector<json> render_requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return render_requests_;
  }
  int requests() const { return requests_; }

 private:
  void count(const std::string&) { ++requests_; }
  std::string owner_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<json> completions_, render_requests_;
  std::atomic<int> requests_{0};
};

BackendRequest question(BudgetRules rules) {
  BackendRequest r;
  r.messages = {{"user", "Q"}};
  r.rules = rules;
  return r;
}

struct Outcome {
  SequenceResult result;
  std::vector<std::string> pieces;  // thinking as it streamed
};

Outcome run(RemoteBackend& b, BackendRequest r) {
  Outcome out;
  r.on_text = [&](int, const TextChunk& c) {
    if (c.channel == Channel::kThinking) out.pieces.push_back(c.text);
  };
  r.on_done = [&](int, const SequenceResult& res) { out.result = res; };
  b.submit(std::move(r));
  b.run();
  return out;
}

// Submitting `r` is refused with an error of type E whose message names `needle`.
template <typename E>
void expect_refused(RemoteBackend& remote, BackendRequest r, const std::string& needle) {
  try {
    remote.submit(std::move(r));
    ADD_FAILURE() << "submitted";
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

// Settings for `server`; `chatml`: render conversations as ChatML (for servers that do
// not render, or tests that need no template).
RemoteSettings settings_for(const FakeServer& server, bool chatml = false) {
  RemoteSettings s;
  s.chatml = chatml;
  s.url = server.url();
  s.parallel = 2;
  s.api_model = "m";
  return s;
}

TEST(RemoteFakeServer, SendsVllmFieldsAndRendersWithItsTokenizeRoute) {
  FakeServer server("vllm", true);
  RemoteBackend remote(settings_for(server), ForcingSettings{});
  EXPECT_EQ(remote.server_kind(), ServerKind::kVllm);
  BudgetRules rules;
  rules.num_ignore = 1;
  rules.max_answer = 2;
  BackendRequest r = question(rules);
  r.ignore_strings = std::vector<std::string>{""};  // the trigger masked once
  r.chat_template_kwargs = {{"enable_thinking", "true"}};
  const Outcome o = run(remote, std::move(r));
  // The conversation went to vLLM's /tokenize with its template variables, came back
  // through /detokenize, and thinking was opened after it.
  ASSERT_FALSE(server.render_requests().empty());
  const json render = server.render_requests().front();
  EXPECT_EQ(render["messages"], json({{{"role", "user"}, {"content", "Q"}}}));
  EXPECT_EQ(render["add_generation_prompt"], true);
  EXPECT_EQ(render["chat_template_kwargs"], json({{"enable_thinking", true}}));
  const std::vector<json> sent = server.completions();
  ASSERT_EQ(sent.size(), 3u);  // ignored end, natural end, answer
  EXPECT_EQ(sent[0]["prompt"], kRendered + "<|im_start|>think");
  for (const json& b : sent) {
    EXPECT_EQ(b["model"], "m");
    EXPECT_EQ(b["stream"], true);
    EXPECT_EQ(b["stream_options"]["include_usage"], true);
    EXPECT_EQ(b["skip_special_tokens"], false);
    EXPECT_EQ(b["spaces_between_special_tokens"], false);
    EXPECT_EQ(b["include_stop_str_in_output"], false);
  }
  EXPECT_EQ(sent[0]["stop_token_ids"], json({kImStartId}));
  EXPECT_FALSE(sent[0].contains("min_tokens"));
  EXPECT_EQ(sent[1]["min_tokens"], 1);  // the masked trigger: no stop before one token
  EXPECT_FALSE(sent[2].contains("stop_token_ids"));  // the answer stops at EOS text only
  // vLLM's stop_reason (the trigger's id) read as the trigger: ignored, then an end.
  ASSERT_EQ(o.result.events.size(), 2u);
  EXPECT_EQ(o.result.events[0].kind, ForcingKind::kIgnore);
  EXPECT_EQ(o.result.events[1].kind, ForcingKind::kEnd);
  EXPECT_EQ(o.result.thinking, " a b a b");
  EXPECT_EQ(o.result.thinking_tokens, 4);
  // Streamed piece by piece, not a segment at once.
  EXPECT_EQ(o.pieces, (std::vector<std::string>{" a", " b", " a", " b"}));
  EXPECT_EQ(o.result.answer, " a b");
  EXPECT_EQ(o.result.finish_reason, FinishReason::kLength);
  // One keep-alive connection per worker (plus the start-up's), not one per request.
  EXPECT_LE(remote.connections_opened(), 3);
  EXPECT_GE(server.requests(), 6);
}

// A server that does not say its thinking format (vLLM's /v1/models): the s1 format is
// assumed, with a warning naming the flags that would say it; given flags, no warning.
TEST(RemoteFakeServer, AnUnknownThinkingFormatIsWarnedAbout) {
  FakeServer server("vllm", true);
  RemoteBackend remote(settings_for(server), ForcingSettings{});
  EXPECT_EQ(remote.server_kind(), ServerKind::kVllm);
  EXPECT_EQ(remote.info().format, "s1");
  ASSERT_EQ(remote.warnings().size(), 1u);
  EXPECT_NE(remote.warnings()[0].find("does not say its thinking format"), std::string::npos);
  EXPECT_NE(remote.warnings()[0].find("--think-start"), std::string::npos);
  RemoteBackend given(settings_for(server), ForcingSettings{"<|im_start|>think", "<|im_start|>answer"});
  EXPECT_EQ(given.server_kind(), ServerKind::kVllm);
  EXPECT_TRUE(given.warnings().empty());
}

TEST(RemoteFakeServer, SendsSglangFields) {
  FakeServer server("sglang", true);
  // SGLang does not render: ChatML, asked for.
  RemoteBackend remote(settings_for(server, true), ForcingSettings{});
  BudgetRules rules;
  rules.max_answer = 2;
  run(remote, question(rules));
  const std::vector<json> sent = server.completions();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0]["prompt"], kRendered + "<|im_start|>think");
  EXPECT_EQ(sent[0]["no_stop_trim"], false);
  EXPECT_EQ(sent[0]["skip_special_tokens"], false);
  EXPECT_EQ(sent[0]["spaces_between_special_tokens"], false);
  EXPECT_EQ(sent[0]["stop_token_ids"], json({kImStartId}));
  EXPECT_FALSE(sent[0].contains("include_stop_str_in_output"));
  EXPECT_TRUE(server.render_requests().empty());
}

TEST(RemoteFakeServer, AServerThatCannotRenderNeedsATemplate) {
  FakeServer server("sglang", true);
  RemoteBackend remote(settings_for(server), ForcingSettings{});
  expect_refused<std::invalid_argument>(remote, question({}), "--chat-template-file");
}

TEST(RemoteFakeServer, NoTokenizeIsAnErrorUnlessEstimatesAreAllowed) {
  FakeServer server("sglang", false);
  RemoteSettings s = settings_for(server);
  s.chatml = true;
  RemoteBackend strict(s, ForcingSettings{});
  expect_refused<std::runtime_error>(strict, question({}), "--remote-estimate-tokens");
  EXPECT_TRUE(server.completions().empty());
  s.estimate_tokens = true;
  RemoteBackend lenient(s, ForcingSettings{});
  BudgetRules rules;
  rules.num_ignore = 1;  // "Wait": estimated as 1 token (4 bytes)
  rules.max_answer = 2;
  const Outcome o = run(lenient, question(rules));
  EXPECT_EQ(o.result.thinking, " a bWait a b");
  EXPECT_EQ(o.result.thinking_tokens, 5);
}

TEST(RemoteFakeServer, ALlamaServerThatHidesTheTriggerIsAClearError) {
  FakeServer server("llamacpp", true);
  RemoteBackend remote(settings_for(server, true), ForcingSettings{});
  expect_refused<std::runtime_error>(remote, question({}), "start it with --special");
  // The probe: one token pushed to be the trigger, asked to come back as text.
  const std::vector<json> sent = server.completions();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["max_tokens"], 1);
  EXPECT_EQ(sent[0]["logit_bias"], json({{std::to_string(kImStartId), 100}}));
  EXPECT_EQ(sent[0]["preserved_tokens"], json({"<|im_start|>"}));
  EXPECT_EQ(sent[0]["stop"], json::array());
}

TEST(RemoteFakeServer, ReportsEverySegmentError) {
  FakeServer server("vllm", true, /*fail_completions=*/true);
  RemoteBackend remote(settings_for(server), ForcingSettings{});
  BackendRequest r = question({});
  r.n_samples = 2;
  std::vector<std::string> reasons;
  r.on_done = [&](int, const SequenceResult& res) { reasons.push_back(to_string(res.finish_reason)); };
  remote.submit(std::move(r));
  std::string message;
  try {
    while (remote.step()) {
    }
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  while (true) {  // a second error may come in a later step
    try {
      if (!remote.step()) break;
    } catch (const std::runtime_error& e) {
      message += e.what();
    }
  }
  EXPECT_EQ(reasons, (std::vector<std::string>{"error", "error"}));
  ASSERT_EQ(remote.errors().size(), 2u);
  for (const auto& e : remote.errors()) {
    EXPECT_NE(e.find("500"), std::string::npos) << e;
    EXPECT_NE(e.find("out of memory"), std::string::npos) << e;
  }
  EXPECT_NE(message.find("failed"), std::string::npos) << message;
}

// Probes are whole greedy requests for the thinking so far plus the suffix, asking for
// each token's probability in the kind's own field; two agreeing answers end thinking.
void expect_probes(const std::string& owner) {
  FakeServer server(owner, true);
  RemoteBackend remote(settings_for(server, true), ForcingSettings{});
  BudgetRules rules;
  rules.num_ignore = 50;  // thinking would go on and on
  rules.max_answer = 2;
  BackendRequest r = question(rules);
  r.probe.every = 2;
  r.probe.consistent = 2;
  r.probe.probe_tokens = 5;
  r.answer_sampling.logit_bias = {{17, 5.0f}};
  std::vector<ProbeRecord> seen;
  r.on_probe = [&](int, const ProbeRecord& p) { seen.push_back(p); };
  const Outcome o = run(remote, std::move(r));
  std::vector<json> probes;
  for (const json& b : server.completions()) {
    if (b.contains("logprobs")) probes.push_back(b);
  }
  ASSERT_EQ(probes.size(), 2u);
  for (const json& p : probes) {
    EXPECT_EQ(p["logprobs"], 1);
    EXPECT_EQ(p["temperature"], 0);
    EXPECT_EQ(p["max_tokens"], 5);
    EXPECT_EQ(p["stream"], false);
    EXPECT_EQ(p["skip_special_tokens"], false);
    EXPECT_EQ(p["logit_bias"], json({{"17", 5.0}}));  // the answer phase's biases
    const std::string prompt = p["prompt"];
    ASSERT_GE(prompt.size(), std::string(kDynasorProbeSuffix).size());
    EXPECT_EQ(prompt.substr(prompt.size() - std::string(kDynasorProbeSuffix).size()), kDynasorProbeSuffix);
    EXPECT_EQ(prompt.rfind(kRendered + "<|im_start|>think", 0), 0u) << prompt;
  }
  // Each segment of thinking (" a b", then "Wait" of 4 estimated tokens) passes a
  // multiple of 2: probes at 6 and 12 thinking tokens, the second agreeing.
  ASSERT_EQ(o.result.probes.size(), 2u);
  EXPECT_EQ(o.result.probes[0].thinking_tokens, 6);
  EXPECT_EQ(o.result.probes[1].thinking_tokens, 12);
  for (const ProbeRecord& p : o.result.probes) {
    EXPECT_EQ(p.answer, "42");
    EXPECT_FALSE(p.hesitated);  // " wait" came after the box closed
    EXPECT_NEAR(p.confidence, 0.5, 1e-6);  // two tokens of probability 0.5
  }
  EXPECT_FALSE(o.result.probes[0].agreed);
  EXPECT_TRUE(o.result.probes[1].agreed);
  EXPECT_EQ(seen.size(), 2u);
  const ForcingEvent& exit = o.result.events.back();
  EXPECT_EQ(exit.kind, ForcingKind::kExit);
  EXPECT_EQ(exit.reason, "consistent");
  EXPECT_GE(exit.thinking_tokens, 12);
  EXPECT_EQ(o.result.answer, " a b");
  EXPECT_EQ(remote.stats().probes, 2);
  EXPECT_EQ(remote.stats().exits, 1);
  EXPECT_GT(o.result.probe_tokens, 0);
}

TEST(RemoteFakeServer, ProbesAskVllmForLogprobs) { expect_probes("vllm"); }
TEST(RemoteFakeServer, ProbesAskSglangForLogprobs) { expect_probes("sglang"); }

// The probabilities the server lists decide an exit by confidence at the first probe.
TEST(RemoteFakeServer, ExitsByConfidenceFromTheServersLogprobs) {
  FakeServer server("vllm", true);
  RemoteBackend remote(settings_for(server, true), ForcingSettings{});
  BudgetRules rules;
  rules.num_ignore = 50;
  rules.max_think = 20;
  rules.max_answer = 2;
  for (const double tau : {0.4, 0.6}) {
    BackendRequest r = question(rules);
    r.probe.every = 2;
    r.probe.confidence = tau;  // the fake's tokens have probability 0.5
    r.probe.probe_tokens = 5;
    const Outcome o = run(remote, std::move(r));
    ASSERT_FALSE(o.result.probes.empty());
    EXPECT_EQ(o.result.probes[0].confident, tau < 0.5);
    if (tau < 0.5) {
      EXPECT_EQ(o.result.probes.size(), 1u);
      EXPECT_EQ(o.result.events.back().kind, ForcingKind::kExit);
      EXPECT_EQ(o.result.events.back().reason, "confident");
    } else {
      EXPECT_GT(o.result.probes.size(), 1u);
      EXPECT_EQ(o.result.events.back().kind, ForcingKind::kCap);
    }
  }
}

// ExitAction::kAnswer: the probed answer is written after the delimiter and the sample
// ends; no answer segment is asked for.
TEST(RemoteFakeServer, AnExitCanWriteTheProbedAnswer) {
  FakeServer server("vllm", true);
  RemoteBackend remote(settings_for(server, true), ForcingSettings{});
  BudgetRules rules;
  rules.num_ignore = 50;
  BackendRequest r = question(rules);
  r.probe.every = 2;
  r.probe.consistent = 1;
  r.probe.action = ProbeRules::ExitAction::kAnswer;
  const Outcome o = run(remote, std::move(r));
  EXPECT_EQ(o.result.events.back().reason, "consistent");
  EXPECT_EQ(o.result.answer, "\nFinal Answer: \\boxed{42}");
  EXPECT_EQ(o.result.finish_reason, FinishReason::kStop);
  for (const json& b : server.completions()) {
    EXPECT_NE(b["prompt"].get<std::string>().find("<|im_start|>think"), std::string::npos);
    EXPECT_EQ(b["prompt"].get<std::string>().find("<|im_start|>answer"), std::string::npos);
  }
}

TEST(RemoteFakeServer, ConfidenceNeedsAServerThatGivesProbabilities) {
  FakeServer server("s1.cpp", true);
  RemoteBackend remote(settings_for(server, true), ForcingSettings{});
  BackendRequest r = question({});
  r.probe.every = 8;
  r.probe.confidence = 0.9;
  expect_refused<std::invalid_argument>(remote, std::move(r), "consistency");
}

// Suppressed words go out as logit biases of the tokenizer model's tokens, while
// thinking only; without a tokenizer model they are a clear error.
TEST(RemoteFakeServer, SuppressesWordsThroughLogitBias) {
  FakeServer server("vllm", true);
  RemoteSettings s = settings_for(server);
  s.chatml = true;
  RemoteBackend blind(s, ForcingSettings{});
  BackendRequest r = question({});
  r.suppress_words = {"wait"};
  EXPECT_THROW(blind.submit(r), std::invalid_argument);
  s.chatml = false;
  s.tokenizer_model = test::tiny_model();
  RemoteBackend remote(s, ForcingSettings{});
  const auto found = remote.suppressed_tokens({"wait"});
  ASSERT_EQ(found.size(), 1u);
  ASSERT_FALSE(found[0].tokens.empty());
  BudgetRules rules;
  rules.max_answer = 2;
  r.rules = rules;
  run(remote, r);
  const std::vector<json> sent = server.completions();
  ASSERT_EQ(sent.size(), 2u);  // thinking, answer
  ASSERT_TRUE(sent[0].contains("logit_bias"));
  EXPECT_EQ(sent[0]["logit_bias"].size(), found[0].tokens.size());
  for (Token t : found[0].tokens) EXPECT_EQ(sent[0]["logit_bias"][std::to_string(t)], -100.0);
  EXPECT_FALSE(sent[1].contains("logit_bias"));
}

}  // namespace
}  // namespace s1
