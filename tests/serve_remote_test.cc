// The remote backend (budget forcing at the text level over /v1/completions) against
// `s1 serve` and against llama.cpp's llama-server, compared with the local engine.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <thread>

#include "engine/backend.h"
#include "engine/remote_backend.h"
#include "serve_harness.h"

namespace s1 {
namespace {

using nlohmann::json;

constexpr Token kImStart = 151644;
constexpr Token kThe = 279;  // " the" in the Qwen2 vocabulary
const std::string kPrompt =
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<|im_start|>think";

BackendRequest request(const BudgetRules& rules, bool push_end) {
  BackendRequest r;
  r.raw_prompt = kPrompt;
  r.rules = rules;
  // Thinking text that is the same on every CPU: the local engine and a server decode in
  // different batch shapes, whose float sums differ in the last bits, so unbiased greedy
  // text could part at a near tie. Pushed tokens make the paths identical by construction;
  // what is compared is where each rule puts its forced text.
  r.thinking_sampling.logit_bias = {{push_end ? kImStart : kThe, 100.0f}};
  return r;
}

SequenceResult run(Backend& b, BackendRequest r) {
  SequenceResult out;
  std::string streamed;
  r.on_text = [&](int, const TextChunk& c) {
    if (c.channel == Channel::kThinking) streamed += c.text;
  };
  r.on_done = [&](int, const SequenceResult& res) { out = res; };
  b.submit(std::move(r));
  b.run();
  EXPECT_EQ(streamed, out.thinking);
  return out;
}

std::vector<std::string> kinds(const SequenceResult& r) {
  std::vector<std::string> k;
  for (const auto& e : r.events) k.push_back(std::string(to_string(e.kind)) + "/" + e.reason);
  return k;
}

LocalBackend* make_local(int n_parallel, int probe_sequences) {
  init_llama_backend(false);
  LoadSettings load;
  load.path = test::tiny_model();
  ContextSettings ctx;
  ctx.n_ctx = 2048;
  ctx.n_parallel = n_parallel;
  ctx.probe_sequences = probe_sequences;
  ctx.n_threads = 2;
  return new LocalBackend(load, ctx, ForcingSettings{});
}

LocalBackend& local() {
  static LocalBackend* b = make_local(1, 0);
  return *b;
}

// The local engine with a sequence for probes.
LocalBackend& local_probing() {
  static LocalBackend* b = make_local(1, 1);
  return *b;
}

// A token that closes the probe's box after one character: pushed in the answer phase's
// biases (a probe is an answer attempt), every probe answers the same at once, so the
// probes' decisions do not hang on the float sums of the server's batches.
Token closing_token() {
  for (const char* text : {")}", "]}", "$}", "+}", "-}"}) {
    const TokenSeq t = local().model().tokenize(text, false);
    if (t.size() == 1) return t[0];
  }
  return -1;
}

// Thinking pushed to " the" (the same text everywhere), probes every 8 tokens.
BackendRequest probing(BudgetRules rules, int consistent, double confidence = 0) {
  rules.max_answer = 2;
  BackendRequest r = request(rules, false);
  r.probe.every = 8;
  r.probe.consistent = consistent;
  r.probe.confidence = confidence;
  r.probe.probe_tokens = 4;
  r.answer_sampling.logit_bias = {{closing_token(), 100.0f}};
  return r;
}

const ForcingEvent* exit_event(const SequenceResult& r) {
  for (const auto& e : r.events) {
    if (e.kind == ForcingKind::kExit) return &e;
  }
  return nullptr;
}

// The probes' records as the local engine's: positions, answers, agreement.
void expect_same_probes(const SequenceResult& remote, const SequenceResult& local_result) {
  ASSERT_EQ(remote.probes.size(), local_result.probes.size());
  for (size_t i = 0; i < remote.probes.size(); ++i) {
    const ProbeRecord& a = remote.probes[i];
    const ProbeRecord& b = local_result.probes[i];
    EXPECT_EQ(a.thinking_tokens, b.thinking_tokens) << "probe " << i;
    EXPECT_EQ(a.answer, b.answer) << "probe " << i;
    EXPECT_EQ(a.closed, b.closed) << "probe " << i;
    EXPECT_EQ(a.hesitated, b.hesitated) << "probe " << i;
    EXPECT_EQ(a.agreed, b.agreed) << "probe " << i;
    EXPECT_EQ(a.confident, b.confident) << "probe " << i;
  }
  EXPECT_EQ(remote.probes_skipped, 0);
}

// Adaptive thinking over a remote server takes the local engine's decisions: the same
// probes, exits at the same probe for the same reason. Where thinking ends after the
// deciding probe depends on how fast it came back (locally a step or two, remotely the
// segment in flight is cut short), so the exit's position is bounded, not compared.
void expect_same_adaptive_decisions(Backend& remote, bool probabilities) {
  ASSERT_GE(closing_token(), 0) << "no single-token closing brace in the vocabulary";
  // Exit at the W-th agreeing probe: W = 2, probes at 8 and 16.
  BudgetRules rules;
  rules.max_think = 200;
  const SequenceResult l1 = run(local_probing(), probing(rules, 2));
  const SequenceResult r1 = run(remote, probing(rules, 2));
  expect_same_probes(r1, l1);
  ASSERT_EQ(r1.probes.size(), 2u);
  EXPECT_EQ(r1.probes[1].thinking_tokens, 16);
  EXPECT_EQ(r1.probes[1].answer, l1.probes[1].answer);
  EXPECT_FALSE(r1.probes[1].answer.empty());
  ASSERT_NE(exit_event(l1), nullptr);
  ASSERT_NE(exit_event(r1), nullptr);
  EXPECT_EQ(exit_event(r1)->reason, "consistent");
  EXPECT_EQ(exit_event(l1)->reason, "consistent");
  EXPECT_GE(exit_event(r1)->thinking_tokens, 16);
  EXPECT_LE(exit_event(r1)->thinking_tokens, 24);
  EXPECT_EQ(r1.thinking_tokens, exit_event(r1)->thinking_tokens);
  EXPECT_EQ(r1.answer_tokens, 2);
  if (probabilities) {
    for (const ProbeRecord& p : r1.probes) {
      EXPECT_GT(p.confidence, 0.0);
      EXPECT_LE(p.confidence, 1.0);
    }
  }

  // Rules that never fire (W beyond the probes; tau > 1 where probabilities come): no
  // exit, the same probes, and the cap holds as without probes.
  BudgetRules cap;
  cap.max_think = 28;
  const SequenceResult l2 = run(local_probing(), probing(cap, 100, probabilities ? 1.5 : 0));
  const SequenceResult r2 = run(remote, probing(cap, 100, probabilities ? 1.5 : 0));
  expect_same_probes(r2, l2);
  EXPECT_EQ(r2.probes.size(), 3u);  // 8, 16, 24
  EXPECT_EQ(exit_event(r2), nullptr);
  EXPECT_EQ(kinds(r2), (std::vector<std::string>{"cap/max_think"}));
  EXPECT_EQ(kinds(r2), kinds(l2));
  EXPECT_EQ(r2.thinking, l2.thinking);
  EXPECT_EQ(r2.thinking_tokens, 28);

  // min_think holds exits back: probes before 36 agree but do not exit; the one at 40
  // does.
  BudgetRules floor;
  floor.min_think = 36;
  floor.max_think = 200;
  const SequenceResult l3 = run(local_probing(), probing(floor, 2));
  const SequenceResult r3 = run(remote, probing(floor, 2));
  expect_same_probes(r3, l3);
  ASSERT_EQ(r3.probes.size(), 5u);
  EXPECT_TRUE(r3.probes[3].agreed);  // at 32: agreed, held by the floor
  ASSERT_NE(exit_event(r3), nullptr);
  EXPECT_EQ(exit_event(r3)->reason, "consistent");
  EXPECT_GE(exit_event(r3)->thinking_tokens, 40);
}

// A client ends thinking of a live remote request: the segment streaming is cut short,
// the delimiter follows, then the answer.
void expect_client_end(RemoteBackend& remote) {
  BudgetRules rules;
  rules.max_think = 800;
  rules.max_answer = 3;
  BackendRequest r = request(rules, false);
  int pieces = 0;
  SequenceResult out;
  r.on_text = [&](int, const TextChunk& c) {
    if (c.channel == Channel::kThinking) ++pieces;
  };
  r.on_done = [&](int, const SequenceResult& res) { out = res; };
  const int id = remote.submit(std::move(r));
  EXPECT_FALSE(remote.end_thinking(id + 1, "client"));  // unknown
  bool ended = false;
  while (remote.step()) {
    if (!ended && pieces >= 5) {
      EXPECT_TRUE(remote.end_thinking(id, "client"));
      ended = true;
    }
  }
  EXPECT_TRUE(ended);
  EXPECT_FALSE(remote.end_thinking(id, "client"));  // finished
  ASSERT_NE(exit_event(out), nullptr);
  EXPECT_EQ(exit_event(out)->reason, "client");
  EXPECT_GE(out.thinking_tokens, 5);
  EXPECT_LT(out.thinking_tokens, 800);
  EXPECT_EQ(out.answer_tokens, 3);
  EXPECT_EQ(out.finish_reason, FinishReason::kLength);
}

// The same rules over a remote server: the forcer's decisions match the local engine's.
void expect_same_rules(Backend& remote, bool counts_stop_token) {
  ASSERT_EQ(local().model().tokenize(" the", false), TokenSeq{kThe});
  // Ignored ends: nothing sampled, "Wait" appended twice, then a natural end.
  BudgetRules ignore;
  ignore.num_ignore = 2;
  ignore.max_answer = 3;
  const SequenceResult l1 = run(local(), request(ignore, true));
  const SequenceResult r1 = run(remote, request(ignore, true));
  EXPECT_EQ(r1.thinking, "WaitWait");
  EXPECT_EQ(r1.thinking, l1.thinking);
  EXPECT_EQ(kinds(r1), kinds(l1));
  EXPECT_EQ(kinds(r1),
            (std::vector<std::string>{"ignore/num_ignore", "ignore/num_ignore", "end/trigger"}));
  if (!counts_stop_token) {
    EXPECT_EQ(r1.thinking_tokens, l1.thinking_tokens);
  }

  // A floor: ends before min_think are ignored.
  BudgetRules floor;
  floor.min_think = 3;
  floor.max_answer = 2;
  const SequenceResult l2 = run(local(), request(floor, true));
  const SequenceResult r2 = run(remote, request(floor, true));
  EXPECT_EQ(r2.events.front().reason, "min_think");
  EXPECT_EQ(r2.events.back().kind, ForcingKind::kEnd);
  EXPECT_GE(r2.thinking_tokens, 3);
  if (!counts_stop_token) {
    EXPECT_EQ(r2.thinking, l2.thinking);
    EXPECT_EQ(kinds(r2), kinds(l2));
  }

  // The cap: the same greedy thinking, then "\n", the delimiter and "Final Answer:".
  BudgetRules cap;
  cap.max_think = 6;
  cap.max_answer = 4;
  const SequenceResult l3 = run(local(), request(cap, false));
  const SequenceResult r3 = run(remote, request(cap, false));
  EXPECT_EQ(kinds(r3), (std::vector<std::string>{"cap/max_think"}));
  EXPECT_EQ(r3.thinking, l3.thinking);
  EXPECT_EQ(r3.thinking.rfind(" the the the", 0), 0u) << r3.thinking;
  EXPECT_EQ(r3.thinking_tokens, 6);
  EXPECT_EQ(r3.answer.rfind("\nFinal Answer:", 0), 0u) << r3.answer;
  EXPECT_EQ(r3.answer_tokens, 4);
  EXPECT_EQ(r3.finish_reason, FinishReason::kLength);

  // Steps: segments end at the step boundaries, where the markers go.
  BudgetRules steps;
  steps.step_tokens = 10;
  steps.max_steps = 2;
  steps.max_answer = 2;
  const SequenceResult l4 = run(local(), request(steps, false));
  const SequenceResult r4 = run(remote, request(steps, false));
  EXPECT_EQ(kinds(l4), (std::vector<std::string>{"step/step_tokens", "step/step_tokens",
                                                 "cap/max_steps"}));
  EXPECT_EQ(kinds(r4), kinds(l4));
  EXPECT_EQ(r4.thinking, l4.thinking);
  EXPECT_NE(r4.thinking.find("\n1 steps left\n"), std::string::npos) << r4.thinking;
  EXPECT_EQ(r4.thinking_tokens, 20);
  EXPECT_EQ(l4.thinking_tokens, 20);
}

TEST(RemoteBackend, AppliesTheBudgetRulesOverS1Serve) {
  test::ServerProcess server(test::s1_serve_argv({"--parallel", "2", "-c", "1024"}), 0,
                             test::temp_dir() + "/remote-s1.log");
  RemoteSettings s;
  s.url = "http://127.0.0.1:" + std::to_string(server.port());
  s.parallel = 2;
  RemoteBackend remote(s, ForcingSettings{});
  EXPECT_EQ(remote.info().format, "s1");
  EXPECT_EQ(remote.server_kind(), ServerKind::kS1);  // from /v1/models
  EXPECT_EQ(remote.count_prompt_tokens(request({}, false)),
            local().count_prompt_tokens(request({}, false)));
  expect_same_rules(remote, false);
  // Several samples run side by side and each finishes once.
  BackendRequest r = request({6, 0, 0, 2}, false);
  r.n_samples = 3;
  r.thinking_sampling.temperature = 0.9f;
  int finished = 0;
  r.on_done = [&](int, const SequenceResult& res) {
    ++finished;
    EXPECT_EQ(res.events.back().kind, ForcingKind::kCap);
  };
  remote.submit(std::move(r));
  remote.run();
  EXPECT_EQ(finished, 3);
  // Every segment above went over the workers' keep-alive connections.
  EXPECT_LE(remote.connections_opened(), 4);
}

// `s1 serve` says its thinking format in /v1/models: a remote backend given no format
// takes it, so a cap over a think-tags model closes thinking with </think>.
TEST(RemoteBackend, TakesTheThinkingFormatS1ServeSays) {
  test::ServerProcess server(
      test::s1_serve_argv({"--parallel", "1", "-c", "512"}, test::tiny_think_model()), 0,
      test::temp_dir() + "/remote-think-tags.log");
  RemoteSettings s;
  s.url = "http://127.0.0.1:" + std::to_string(server.port());
  s.parallel = 1;
  RemoteBackend remote(s, ForcingSettings{});
  EXPECT_EQ(remote.server_kind(), ServerKind::kS1);
  EXPECT_EQ(remote.info().format, "think-tags");
  EXPECT_TRUE(remote.warnings().empty());
  BackendRequest r;
  r.messages = {{"user", "What is 2+2?"}};
  r.rules.max_think = 3;
  r.rules.max_answer = 2;
  // Only the cap ends thinking: no </think> or end of generation sampled before it.
  init_llama_backend(false);
  LoadSettings load;
  load.path = test::tiny_think_model();
  load.vocab_only = true;
  const Token think_end = Model::load(load)->tokenize("</think>", true).at(0);
  r.thinking_sampling.logit_bias = {{think_end, -100.0f}, {151643, -100.0f}, {151645, -100.0f}};
  SequenceResult result;
  r.on_done = [&](int, const SequenceResult& res) { result = res; };
  remote.submit(std::move(r));
  remote.run();
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(result.events[0].kind, ForcingKind::kCap);
  EXPECT_NE(result.events[0].text.find("</think>"), std::string::npos) << result.events[0].text;
  EXPECT_EQ(result.events[0].text.find("<|im_start|>answer"), std::string::npos);
}

// An upstream that cannot do what the remote backend needs (vLLM's kind without its
// /tokenize) fails the request as the upstream's fault: 502, not the client's 400.
TEST(RemoteBackend, AnUpstreamWithoutTokenizeIsABadGateway) {
  httplib::Server upstream;
  upstream.Get("/v1/models", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"data": [{"id": "m", "owned_by": "vllm"}]})", "application/json");
  });
  const int port = upstream.bind_to_any_port("127.0.0.1");
  std::thread listening([&] { upstream.listen_after_bind(); });
  {
    test::ServerProcess server({S1_BIN, "serve", "--backend", "openai", "--url",
                                "http://127.0.0.1:" + std::to_string(port), "--port", "0",
                                "--parallel", "1"},
                               0, test::temp_dir() + "/remote-no-tokenize.log");
    auto c = server.client();
    const std::string chat =
        R"({"messages": [{"role": "user", "content": "hi"}], "max_tokens_thinking": 3})";
    const std::string completion = R"({"prompt": "<|im_start|>think", "max_tokens_thinking": 3})";
    for (const auto& [path, body] : {std::pair{"/v1/chat/completions", chat},
                                     std::pair{"/v1/completions", completion}}) {
      const auto r = c.Post(path, body, "application/json");
      ASSERT_TRUE(r) << path;
      EXPECT_EQ(r->status, 502) << path << " " << r->body;
      const auto j = nlohmann::json::parse(r->body, nullptr, false);
      EXPECT_EQ(j["error"]["code"], "upstream_error") << r->body;
      EXPECT_EQ(j["error"]["type"], "server_error");
    }
  }
  upstream.stop();
  listening.join();
}

TEST(RemoteBackend, TakesTheLocalAdaptiveDecisionsOverS1Serve) {
  test::ServerProcess server(test::s1_serve_argv({"--parallel", "2", "-c", "1024"}), 0,
                             test::temp_dir() + "/remote-s1-adaptive.log");
  RemoteSettings s;
  s.url = "http://127.0.0.1:" + std::to_string(server.port());
  s.parallel = 2;
  RemoteBackend remote(s, ForcingSettings{});
  // `s1 serve` gives no token probabilities: exits by consistency only.
  expect_same_adaptive_decisions(remote, false);
  expect_client_end(remote);
}

// Over `s1 serve` the remote backend continues from token ids: each segment sends the
// tokens the server holds (prompt, sampled and forced tokens), so its prefix cache takes
// all of them. As text, thinking of repeated "a" tokens comes back from the server's
// tokenizer as other tokens ("aaaa" is one token), the prefix match stops at the first
// of them, and every continuation decodes the thinking so far again.
TEST(RemoteBackend, ContinuesFromTokenIdsOverS1Serve) {
  test::ServerProcess server(test::s1_serve_argv({"-c", "1024"}), 0,
                             test::temp_dir() + "/remote-s1-ids.log");
  RemoteSettings s;
  s.url = "http://127.0.0.1:" + std::to_string(server.port());
  RemoteBackend remote(s, ForcingSettings{});
  const TokenSeq a = local().model().tokenize("a", false);
  ASSERT_EQ(a.size(), 1u);
  BudgetRules steps;
  steps.step_tokens = 48;
  steps.max_steps = 3;
  steps.max_answer = 2;
  BackendRequest r = request(steps, false);
  r.thinking_sampling.logit_bias = {{a[0], 100.0f}};
  const int prompt_tokens = remote.count_prompt_tokens(r);
  const std::string before = test::metrics(server);
  const SequenceResult remote_result = run(remote, r);
  const SequenceResult local_result = run(local(), r);
  EXPECT_EQ(kinds(remote_result), (std::vector<std::string>{"step/step_tokens", "step/step_tokens",
                                                             "step/step_tokens", "cap/max_steps"}));
  EXPECT_EQ(remote_result.thinking, local_result.thinking);  // pushed: the same by construction
  EXPECT_EQ(remote_result.thinking_tokens, local_result.thinking_tokens);
  const std::string after = test::metrics(server);
  auto grew = [&](const std::string& series) {
    return test::metric(after, series) - std::max(0.0, test::metric(before, series));
  };
  // Four requests (three steps and the answer): the prompt once, then per continuation
  // only the forced tokens (markers, the delimiter, "Final Answer:") and at most the
  // last sampled token, which the server had not decoded yet.
  const double fresh = grew("s1_prompt_tokens_total") - grew("s1_prefix_cache_reused_tokens_total");
  EXPECT_GE(grew("s1_prefix_cache_hits_total"), 3);
  EXPECT_LE(fresh, prompt_tokens + remote_result.injected_tokens + 3)
      << "prompt " << prompt_tokens << ", injected " << remote_result.injected_tokens;
}

// Suppressed words, found in the tokenizer model's vocabulary, never show in thinking
// over the remote backend (sent as logit biases), as with the local engine.
TEST(RemoteBackend, SuppressesWordsWithTheTokenizerModel) {
  test::ServerProcess server(test::s1_serve_argv({"-c", "1024"}), 0,
                             test::temp_dir() + "/remote-s1-suppress.log");
  RemoteSettings s;
  s.url = "http://127.0.0.1:" + std::to_string(server.port());
  s.tokenizer_model = test::tiny_model();
  RemoteBackend remote(s, ForcingSettings{});
  EXPECT_EQ(remote.suppressed_tokens({"the"})[0].tokens, local().suppressed_tokens({"the"})[0].tokens);
  BudgetRules rules;
  rules.max_think = 24;
  rules.max_answer = 2;
  BackendRequest pushed = request(rules, false);  // thinking pulled hard towards " the"
  EXPECT_EQ(run(remote, pushed).thinking.rfind(" the the", 0), 0u);
  pushed.suppress_words = {"the"};
  const SequenceResult out = run(remote, pushed);
  EXPECT_EQ(ascii_lower(out.thinking).find("the"), std::string::npos) << out.thinking;
  EXPECT_EQ(out.thinking_tokens, 24);
}

// A conversation rendered with the GGUF's own template, as the local engine renders it:
// a Llama-family template (DeepSeek-R1-Distill-Llama) whose BOS the server adds.
TEST(RemoteBackend, RendersWithTheTokenizerModelsTemplate) {
  const std::string jinja = test::llama_template("deepseek-ai-DeepSeek-R1-Distill-Llama-8B");
  if (jinja.empty()) GTEST_SKIP() << "no llama.cpp templates";
  const std::string gguf = test::tiny_model_with_template(jinja);
  test::ServerProcess server(test::s1_serve_argv({"-c", "2048"}, gguf), 0,
                             test::temp_dir() + "/remote-template.log");
  LoadSettings load;
  load.path = gguf;
  load.vocab_only = true;
  const auto model = Model::load(load);
  const ThinkingFormat format = resolve_thinking_format(*model, ForcingSettings{});
  const auto messages = question_messages("What is 2+2?", "");
  const std::string local_text = build_prompt(*model, format, messages).text;
  ASSERT_EQ(local_text.find("<|im_start|>"), std::string::npos) << local_text;

  RemoteSettings s;
  s.url = "http://127.0.0.1:" + std::to_string(server.port());
  s.tokenizer_model = gguf;
  RemoteBackend remote(s, ForcingSettings{});
  EXPECT_EQ(remote.info().format, format.name);
  BackendRequest r;
  r.messages = messages;
  const std::string bos = model->adds_bos() ? model->piece(model->bos()) : "";
  EXPECT_EQ(bos + remote.render_prompt(r).text, local_text);
  // The template file alone renders the same, but for the BOS text (bos_token is ""
  // without a GGUF).
  RemoteSettings file = s;
  file.tokenizer_model.clear();
  file.chat_template_file = jinja;
  RemoteBackend from_file(file, ForcingSettings{"<think>", "</think>"});
  std::string no_bos = local_text;
  if (const std::string b = model->bos() >= 0 ? model->piece(model->bos()) : "";
      !b.empty() && no_bos.rfind(b, 0) == 0) {
    no_bos.erase(0, b.size());
  }
  EXPECT_EQ(from_file.render_prompt(r).text, no_bos);
  // And a generation runs on it: cap, delimiter, answer.
  BudgetRules cap;
  cap.max_think = 4;
  cap.max_answer = 2;
  r.rules = cap;
  const SequenceResult out = run(remote, r);
  EXPECT_EQ(kinds(out), (std::vector<std::string>{"cap/max_think"}));
  EXPECT_EQ(out.thinking_tokens, 4);
}

bool have_llama_server() {
  struct stat st;
  return ::stat(test::llama_server_bin().c_str(), &st) == 0;
}

// llama-server on the tiny model, two slots. No --special: each request's
// preserved_tokens shows <|im_start|> as text, so the stop string can catch it (checked
// at start-up with a probe token).
struct LlamaServer {
  int port = test::free_port();
  test::ServerProcess process;
  explicit LlamaServer(const std::string& log)
      : process({test::llama_server_bin(), "-m", test::tiny_model(), "--host", "127.0.0.1", "--port",
                 std::to_string(port), "-c", "2048", "-np", "2", "-t", "1", "--no-webui"},
                port, test::temp_dir() + log) {}
  RemoteSettings settings() const {
    RemoteSettings s;
    s.url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    s.parallel = 2;
    return s;
  }
};

TEST(RemoteBackend, AppliesTheBudgetRulesOverLlamaServer) {
  if (!have_llama_server()) GTEST_SKIP() << "no llama-server";
  LlamaServer server("/remote-llama.log");
  RemoteBackend remote(server.settings(), ForcingSettings{});
  EXPECT_EQ(remote.server_kind(), ServerKind::kLlama);
  // llama-server counts the stop token among the completion tokens, as vLLM does.
  expect_same_rules(remote, true);
  // Conversations rendered by the server's /apply-template, as the local engine does.
  BackendRequest chat;
  chat.messages = question_messages("What is 2+2?", "");
  EXPECT_EQ(remote.render_prompt(chat).text,
            build_prompt(local().model(), s1_thinking_format(), chat.messages).text);
}

TEST(RemoteBackend, TakesTheLocalAdaptiveDecisionsOverLlamaServer) {
  if (!have_llama_server()) GTEST_SKIP() << "no llama-server";
  LlamaServer server("/remote-llama-adaptive.log");
  RemoteBackend remote(server.settings(), ForcingSettings{});
  // llama-server lists each probe token's probability (n_probs): confidence is known,
  // and tau above 1 still never exits.
  expect_same_adaptive_decisions(remote, true);
  expect_client_end(remote);
}

TEST(RemoteBackend, ReportsAnUnreachableServer) {
  RemoteSettings s;
  s.url = "http://127.0.0.1:" + std::to_string(test::free_port());
  RemoteBackend remote(s, ForcingSettings{});
  try {
    remote.submit(request({}, false));
    FAIL() << "submitted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach"), std::string::npos) << e.what();
  }
  EXPECT_THROW(RemoteBackend({}, ForcingSettings{}), std::invalid_argument);
  s.chatml = true;
  s.chat_template_file = "x.jinja";
  EXPECT_THROW(RemoteBackend(s, ForcingSettings{}), std::invalid_argument);
}

TEST(RemoteBackend, GenerateTakesTheOpenAiBackend) {
  test::ServerProcess server(test::s1_serve_argv({}), 0, test::temp_dir() + "/remote-cli.log");
  const std::string base = std::string(S1_BIN) + " generate --backend openai --url http://127.0.0.1:" +
                           std::to_string(server.port()) +
                           " -p 'What is 2+2?' --max-think 5 --max-answer 3";
  const auto r = test::run_command(base + " --json --tokenizer-model " + test::tiny_model());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["samples"][0]["thinking_tokens"], 5);
  EXPECT_EQ(j["samples"][0]["events"][0]["kind"], "cap");
  // Without a template flag `s1 serve` renders the conversation (POST /apply-template):
  // the same prompt as the tokenizer model's template gives.
  const auto served = test::run_command(base + " --json");
  ASSERT_EQ(served.exit_code, 0) << served.err;
  EXPECT_EQ(json::parse(served.out)["prompt_tokens"], j["prompt_tokens"]);
  const auto text = test::run_command(base + " --chatml");
  EXPECT_EQ(text.exit_code, 0) << text.err;
  // The server's prompt time is unknown here: no rate made of a zero.
  EXPECT_EQ(text.err.find("0.0 t/s"), std::string::npos) << text.err;
  EXPECT_NE(text.err.find("prompt "), std::string::npos) << text.err;
  // A server that cannot render (here: a template-less answer to /apply-template is not
  // given by a plain OpenAI server) is a clear one-line error.
  const auto bad = test::run_command(base + " --server-kind openai");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--chat-template-file"), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
}

}  // namespace
}  // namespace s1
