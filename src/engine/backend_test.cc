#include "engine/backend.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.h"

namespace s1 {
namespace {

constexpr Token kImStart = 151644;

std::unique_ptr<LocalBackend> backend(int parallel) {
  init_llama_backend(false);
  ContextSettings ctx;
  ctx.n_threads = 1;  // ctest runs tests in parallel: one thread each never oversubscribes
  ctx.n_parallel = parallel;
  return std::make_unique<LocalBackend>(LoadSettings{test::tiny_model()}, ctx, ForcingSettings{});
}

BackendRequest ignoring_request(int num_ignore) {
  BackendRequest r;
  r.messages = {{"user", "What is 2+2?"}};
  r.rules = {-1, 0, num_ignore, 2};
  r.thinking_sampling.logit_bias = {{kImStart, 100.0f}};
  return r;
}

TEST(LocalBackend, PerRequestIgnoreStringsAndCapSuffix) {
  auto b = backend(2);
  SequenceResult own, custom;
  auto a = ignoring_request(2);
  a.on_done = [&](int, const SequenceResult& r) { own = r; };
  auto c = ignoring_request(3);
  c.ignore_strings = std::vector<std::string>{"Hmm", "Alternatively"};
  c.on_done = [&](int, const SequenceResult& r) { custom = r; };
  b->submit(std::move(a));
  b->submit(std::move(c));
  b->run();
  EXPECT_EQ(own.thinking, "WaitWait");
  EXPECT_EQ(custom.thinking, "HmmAlternativelyHmm");

  SequenceResult capped;
  BackendRequest d;
  d.messages = {{"user", "x"}};
  d.rules = {3, 0, 0, 1};
  d.cap_suffix = "\nANSWER:";
  d.on_done = [&](int, const SequenceResult& r) { capped = r; };
  b->submit(std::move(d));
  b->run();
  EXPECT_EQ(capped.answer.rfind("\nANSWER:", 0), 0u) << capped.answer;
}

TEST(LocalBackend, RawPromptAndInfo) {
  auto b = backend(1);
  EXPECT_EQ(b->info().format, "s1");
  BackendRequest r;
  r.raw_prompt = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<|im_start|>think";
  r.rules = {4, 0, 0, 1};
  EXPECT_EQ(b->count_prompt_tokens(r), 11);  // 4 specials, user, hi, assistant, think, 3 newlines
  SequenceResult out;
  r.on_done = [&](int, const SequenceResult& res) { out = res; };
  b->submit(std::move(r));
  b->run();
  EXPECT_EQ(out.prompt_tokens, 11);
  EXPECT_EQ(out.thinking_tokens + out.events.back().retracted, 4);
  BackendRequest empty;
  EXPECT_THROW(b->submit(std::move(empty)), std::invalid_argument);
}

// A think-tags backend with Qwen3's real template (thinking switched by
// enable_thinking), or null when llama.cpp's templates are not at hand.
std::unique_ptr<LocalBackend> qwen3_backend(ChatTemplateKwargs defaults = {}) {
  const std::string path = test::llama_template("Qwen-Qwen3-0.6B");
  if (path.empty()) return nullptr;
  init_llama_backend(false);
  ContextSettings ctx;
  ctx.n_threads = 1;
  LoadSettings load;
  load.path = test::tiny_think_model();
  load.chat_template = test::read_file(path);
  return std::make_unique<LocalBackend>(load, ctx, ForcingSettings{}, std::move(defaults));
}

SequenceResult run_one(Backend& b, const ChatTemplateKwargs& kwargs) {
  BackendRequest r;
  r.messages = {{"user", "What is 2+2?"}};
  r.rules = {3, 2, 2, 4};  // a cap, a floor and ignores, then at most 4 answer tokens
  r.chat_template_kwargs = kwargs;
  SequenceResult out;
  r.on_done = [&](int, const SequenceResult& res) { out = res; };
  b.submit(std::move(r));
  b.run();
  return out;
}

// Issue: with thinking closed by the template, s1 reopened it and spent the budget.
TEST(LocalBackend, ThinkingClosedByTheTemplateIsNeitherReopenedNorBudgeted) {
  auto b = qwen3_backend();
  if (!b) GTEST_SKIP() << "llama.cpp's models/templates is not at hand";
  const SequenceResult off = run_one(*b, {{"enable_thinking", "false"}});
  EXPECT_TRUE(off.thinking_off);
  EXPECT_TRUE(off.events.empty());
  EXPECT_EQ(off.thinking, "");
  EXPECT_EQ(off.thinking_tokens, 0);
  EXPECT_EQ(off.injected_tokens, 0);
  EXPECT_LE(off.answer_tokens, 4);
  EXPECT_TRUE(off.finish_reason == FinishReason::kStop || off.finish_reason == FinishReason::kLength)
      << to_string(off.finish_reason);

  const SequenceResult on = run_one(*b, {});
  EXPECT_FALSE(on.thinking_off);
  ASSERT_FALSE(on.events.empty());  // the cap, or an end attempt, ended thinking
  EXPECT_LE(on.thinking_tokens, 3);
}

// The backend's template variables (--chat-template-kwargs) and a request's over them.
TEST(LocalBackend, RequestTemplateVariablesOverrideTheBackendsByName) {
  auto b = qwen3_backend({{"enable_thinking", "false"}});
  if (!b) GTEST_SKIP() << "llama.cpp's models/templates is not at hand";
  EXPECT_TRUE(run_one(*b, {}).thinking_off);
  EXPECT_FALSE(run_one(*b, {{"enable_thinking", "true"}}).thinking_off);
  EXPECT_TRUE(run_one(*b, {{"unrelated", "1"}}).thinking_off);
}

TEST(LocalBackend, SuppressedWordsNeverAppearInThinking) {
  auto b = backend(1);
  constexpr Token kThe = 279;  // " the"
  const auto found = b->suppressed_tokens({"The", "wait"});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].word, "The");
  EXPECT_TRUE(std::binary_search(found[0].tokens.begin(), found[0].tokens.end(), kThe));
  EXPECT_GT(found[0].tokens.size(), 50u);  // "the", " The", "other", "theory", ...
  for (const auto& f : found) {
    for (Token t : f.tokens) {
      EXPECT_NE(ascii_lower(b->model().piece(t)).find(ascii_lower(f.word)), std::string::npos) << t;
      EXPECT_NE(t, kImStart);  // the ways to end thinking stay open
    }
  }
  // Thinking pulled hard towards " the": with the word suppressed it never shows, while
  // the answer, which is not suppressed, still says it.
  auto go = [&](std::vector<std::string> words) {
    BackendRequest r;
    r.messages = {{"user", "Say the word."}};
    r.rules = {24, 0, 0, 4};
    r.thinking_sampling.logit_bias = {{kThe, 100.0f}};
    r.answer_sampling.logit_bias = {{kThe, 100.0f}};
    r.suppress_words = std::move(words);
    SequenceResult out;
    r.on_done = [&](int, const SequenceResult& res) { out = res; };
    b->submit(std::move(r));
    b->run();
    return out;
  };
  EXPECT_NE(go({}).thinking.find(" the"), std::string::npos);
  const SequenceResult suppressed = go({"the"});
  EXPECT_EQ(ascii_lower(suppressed.thinking).find("the"), std::string::npos) << suppressed.thinking;
  EXPECT_EQ(suppressed.thinking_tokens, 24);
  EXPECT_NE(suppressed.answer.find(" the"), std::string::npos);
}

// A run's result and the tokens of every chunk it showed, in order.
struct Traced {
  SequenceResult result;
  TokenSeq chunk_tokens;
};

Traced run_traced(Backend& b, BackendRequest r) {
  Traced t;
  r.on_text = [&](int, const TextChunk& c) {
    t.chunk_tokens.insert(t.chunk_tokens.end(), c.tokens.begin(), c.tokens.end());
  };
  r.on_done = [&](int, const SequenceResult& res) { t.result = res; };
  b.submit(std::move(r));
  b.run();
  return t;
}

std::string field_refused(Backend& b, BackendRequest r) {
  try {
    b.prepare(r);
  } catch (const RequestError& e) {
    return e.field();
  }
  return "(accepted)";
}

TEST(LocalBackend, TokenPromptIsTakenAsItIs) {
  auto b = backend(1);
  const std::string text = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<|im_start|>think";
  BackendRequest by_text;
  by_text.raw_prompt = text;
  by_text.rules = {6, 0, 0, 3};
  by_text.cache_prompt = false;  // both decode the whole prompt: the same batch shapes
  b->prepare(by_text);
  const TokenSeq tokens = by_text.prepared->tokens;
  BackendRequest by_tokens = by_text;
  by_tokens.prepared.reset();
  by_tokens.raw_prompt.clear();
  by_tokens.prompt_tokens = tokens;
  EXPECT_EQ(b->count_prompt_tokens(by_tokens), static_cast<int>(tokens.size()));
  b->prepare(by_tokens);
  EXPECT_EQ(by_tokens.prepared->tokens, tokens);  // no second BOS, nothing re-tokenized
  EXPECT_EQ(by_tokens.prepared->text.substr(by_tokens.prepared->text.size() - 5), "think");
  // The same tokens, the same greedy run, and the chunks' tokens are those it sampled.
  const Traced a = run_traced(*b, std::move(by_text));
  const Traced c = run_traced(*b, std::move(by_tokens));
  EXPECT_EQ(c.result.thinking, a.result.thinking);
  EXPECT_EQ(c.result.answer, a.result.answer);
  EXPECT_EQ(c.chunk_tokens, a.chunk_tokens);
  EXPECT_FALSE(c.chunk_tokens.empty());

  BackendRequest bad;
  bad.prompt_tokens = {1, b->info().n_vocab};
  EXPECT_EQ(field_refused(*b, bad), "prompt_tokens");
  bad.prompt_tokens = {-1};
  EXPECT_EQ(field_refused(*b, bad), "prompt_tokens");
  bad.prompt_tokens = {1};
  bad.stop_tokens = {b->info().n_vocab};
  EXPECT_EQ(field_refused(*b, bad), "stop_tokens");
  EXPECT_THROW(b->submit(bad), RequestError);
}

TEST(LocalBackend, StopTokenEndsTheSampleAtOnce) {
  auto b = backend(1);
  constexpr Token kThe = 279;  // " the"
  BackendRequest r;
  r.messages = {{"user", "Say the word."}};
  r.rules = {24, 0, 0, 4};
  r.thinking_sampling.logit_bias = {{kThe, 100.0f}};
  r.stop_tokens = {kThe};
  const Traced t = run_traced(*b, r);
  EXPECT_EQ(t.result.finish_reason, FinishReason::kStop);
  EXPECT_EQ(t.result.stop_token, kThe);
  EXPECT_EQ(t.result.thinking, "");  // not shown
  EXPECT_EQ(t.result.sampled_tokens, 0);  // not fed
  EXPECT_TRUE(t.chunk_tokens.empty());
  // Without it the token is what thinking says.
  r.stop_tokens.clear();
  const Traced free_run = run_traced(*b, r);
  EXPECT_EQ(free_run.result.stop_token, -1);
  EXPECT_NE(free_run.result.thinking.find(" the"), std::string::npos);
}

}  // namespace
}  // namespace s1
