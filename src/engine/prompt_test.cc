// Prompts from real chat templates (llama.cpp's models/templates, on the tiny test
// model's tokenizer): how thinking is opened, never reopened, and what reaches the
// template.
#include "engine/prompt.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "engine/forcing_vocab.h"
#include "test_util.h"

namespace s1 {
namespace {

const char kNoTemplates[] = "llama.cpp's models/templates is not at hand";

// The tokenizer and template of a test model (no weights); `chat_template` replaces its own.
std::unique_ptr<Model> load(const std::string& path, const std::string& chat_template = "") {
  init_llama_backend(false);
  LoadSettings s;
  s.path = path;
  s.vocab_only = true;
  s.chat_template = chat_template;
  return Model::load(s);
}

// The think-tags test model with llama.cpp's template NAME (loaded once per test
// binary), or null when the templates are not at hand.
const Model* with_template(const std::string& name) {
  static auto* loaded = new std::map<std::string, std::unique_ptr<Model>>();
  const std::string path = test::llama_template(name);
  if (path.empty()) return nullptr;
  auto& m = (*loaded)[name];
  if (!m) m = load(test::tiny_think_model(), test::read_file(path));
  return m.get();
}

std::string trim_whitespace(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

bool ends_with(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

Prompt prompt(const Model& m, const std::vector<ChatMessage>& messages,
              const ChatTemplateKwargs& kwargs = {}) {
  return build_prompt(m, resolve_thinking_format(m, {}), messages, kwargs);
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const std::vector<ChatMessage> kQuestion = {{"user", "What is 2+2?"}};

TEST(Prompt, S1FormatOnAChatMlTemplateGetsTheBareDelimiter) {
  auto m = load(test::tiny_model());
  const Prompt p = prompt(*m, kQuestion);
  EXPECT_EQ(p.text, "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n"
                    "<|im_start|>think");
  EXPECT_FALSE(p.thinking_off);
  EXPECT_FALSE(p.ends_with_newline);
  EXPECT_EQ(p.tokens, m->tokenize(p.text, true));
}

TEST(Prompt, ATemplateThatOpensThinkingIsKept) {
  auto m = load(test::tiny_think_model());
  const Prompt p = prompt(*m, kQuestion);
  EXPECT_EQ(p.text, "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n");
  EXPECT_FALSE(p.thinking_off);
  EXPECT_TRUE(p.ends_with_newline);
}

// Issue: GLM-4.6 got "<|assistant|><think>" where its template writes "<|assistant|>\n<think>".
TEST(Prompt, ThinkingIsOpenedAsTheTemplateWritesIt) {
  auto glm = with_template("GLM-4.6");
  if (!glm) GTEST_SKIP() << kNoTemplates;
  const Prompt p = prompt(*glm, kQuestion);
  EXPECT_EQ(p.text, "[gMASK]<sop><|user|>\nWhat is 2+2?<|assistant|>\n<think>");
  EXPECT_FALSE(p.thinking_off);

  auto qwen3 = with_template("Qwen-Qwen3-0.6B");
  const Prompt q = prompt(*qwen3, kQuestion);
  EXPECT_EQ(q.text, "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n");
  EXPECT_TRUE(q.ends_with_newline);
}

const std::vector<ChatMessage> kTwoTurns = {{"system", "Be brief."},
                                            {"user", "What is 1+1?"},
                                            {"assistant", "2", "one and one"},
                                            {"user", "What is 2+2?"}};

// The prompt is what the template itself writes before an assistant turn's thinking,
// for real templates that show the thinking of the turn being answered (s1 opens it
// for GLM-4.6, Qwen3 and LFM2.5; the others open it in their generation prompt).
TEST(Prompt, ThePromptIsTheTemplatesOwnStartOfAThinkingTurn) {
  if (test::llama_template("GLM-4.6").empty()) GTEST_SKIP() << kNoTemplates;
  for (const char* name :
       {"GLM-4.6", "Qwen-Qwen3-0.6B", "LFM2.5-8B-A1B", "Qwen3.5-4B", "Bielik-11B-v3.0-Instruct",
        "NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", "MiniMax-M2", "StepFun3.5-Flash",
        "openbmb-MiniCPM5-1B", "deepseek-ai-DeepSeek-V3.2"}) {
    SCOPED_TRACE(name);
    auto m = with_template(name);
    ASSERT_TRUE(m);
    for (const auto& messages : {kQuestion, kTwoTurns}) {
      const Prompt p = prompt(*m, messages);
      EXPECT_FALSE(p.thinking_off);
      auto answered = messages;
      answered.push_back({"assistant", "4", "two and two"});
      const std::string turn = m->apply_chat_template(answered, {}, false);
      const size_t thinking = turn.rfind("two and two");
      ASSERT_NE(thinking, std::string::npos) << turn;
      ASSERT_LE(p.text.size(), thinking) << p.text;
      EXPECT_EQ(turn.substr(0, p.text.size()), p.text) << p.text;
      EXPECT_EQ(trim_whitespace(turn.substr(p.text.size(), thinking - p.text.size())), "")
          << turn;
    }
  }
}

// Templates that leave thinking out of their turns: thinking is opened exactly once,
// by the template or with the bare delimiter.
TEST(Prompt, ThinkingIsOpenedOnceWhereTheTemplateShowsNoThinking) {
  if (test::llama_template("Qwen-QwQ-32B").empty()) GTEST_SKIP() << kNoTemplates;
  for (const char* name :
       {"Qwen-QwQ-32B", "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B",
        "deepseek-ai-DeepSeek-R1-Distill-Llama-8B", "Kimi-K2-Thinking", "HuggingFaceTB-SmolLM3-3B",
        "Qwen-Qwen2.5-7B-Instruct", "deepseek-ai-DeepSeek-V3.1"}) {
    SCOPED_TRACE(name);
    auto m = with_template(name);
    ASSERT_TRUE(m);
    for (const auto& messages : {kQuestion, kTwoTurns}) {
      const Prompt p = prompt(*m, messages);
      EXPECT_FALSE(p.thinking_off);
      const std::string gen = m->apply_chat_template(messages);
      ASSERT_EQ(p.text.substr(0, gen.size()), gen);
      const std::string answer_side = p.text.substr(p.text.rfind("What is 2+2?"));
      EXPECT_EQ(count(answer_side, "<think>"), 1u) << p.text;
      EXPECT_EQ(count(answer_side, "</think>"), 0u) << p.text;
      EXPECT_TRUE(ends_with(trim_whitespace(p.text), "<think>"))
          << p.text;
    }
  }
}

TEST(Prompt, ThinkingOpeningFallsBackToTheDelimiter) {
  auto m = load(test::tiny_model());
  const ThinkingFormat f = resolve_thinking_format(*m, {});
  const std::string gen = m->apply_chat_template(kQuestion);
  // ChatML shows no thinking in an assistant turn.
  EXPECT_EQ(thinking_opening(*m, f, kQuestion, {}, gen), "<|im_start|>think");
  // A generation prompt the turn does not extend.
  EXPECT_EQ(thinking_opening(*m, f, kQuestion, {}, "something else"), "<|im_start|>think");
  // A delimiter the template does not write.
  auto glm = with_template("GLM-4.6");
  if (!glm) GTEST_SKIP() << kNoTemplates;
  const ThinkingFormat custom = custom_thinking_format("<reasoning>", "</reasoning>");
  EXPECT_EQ(thinking_opening(*glm, custom, kQuestion, {}, glm->apply_chat_template(kQuestion)),
            "<reasoning>");
}

// Issue: a generation prompt that closes thinking got "<think>" again.
TEST(Prompt, ClosedThinkingIsNeverReopened) {
  auto qwen3 = with_template("Qwen-Qwen3-0.6B");
  if (!qwen3) GTEST_SKIP() << kNoTemplates;
  const ChatTemplateKwargs off = {{"enable_thinking", "false"}};
  const Prompt q = prompt(*qwen3, kQuestion, off);
  EXPECT_EQ(q.text, "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n"
                    "<think>\n\n</think>\n\n");
  EXPECT_TRUE(q.thinking_off);

  auto smol = with_template("HuggingFaceTB-SmolLM3-3B");
  const Prompt s = prompt(*smol, {{"system", "Be brief. /no_think"}, {"user", "What is 2+2?"}});
  EXPECT_TRUE(s.thinking_off);
  EXPECT_TRUE(ends_with(s.text, "<|im_start|>assistant\n<think>\n\n</think>\n")) << s.text;
  EXPECT_FALSE(prompt(*smol, kQuestion).thinking_off);

  // DeepSeek-V3.1's own switch, and the common one.
  auto v31 = with_template("deepseek-ai-DeepSeek-V3.1");
  const Prompt on = prompt(*v31, kQuestion);
  EXPECT_FALSE(on.thinking_off);
  EXPECT_EQ(count(on.text, "<think>"), 1u) << on.text;
  for (const ChatTemplateKwargs& k : {ChatTemplateKwargs{{"thinking", "false"}}, off}) {
    const Prompt p = prompt(*v31, kQuestion, k);
    EXPECT_TRUE(p.thinking_off) << p.text;
    EXPECT_TRUE(ends_with(p.text, "</think>")) << p.text;
    EXPECT_EQ(count(p.text, "<think>"), count(p.text, "</think>")) << p.text;
  }

  auto glm = with_template("GLM-4.6");
  const Prompt g = prompt(*glm, kQuestion, off);
  EXPECT_TRUE(g.thinking_off);
  EXPECT_TRUE(ends_with(g.text, "<|assistant|>\n<think></think>")) << g.text;

  // Switched off, a template that writes nothing about thinking: not opened either.
  auto bielik = with_template("Bielik-11B-v3.0-Instruct");
  EXPECT_TRUE(ends_with(prompt(*bielik, kQuestion).text, "<|im_start|>assistant\n<think>\n"));
  const Prompt b = prompt(*bielik, kQuestion, off);
  EXPECT_TRUE(b.thinking_off);
  EXPECT_TRUE(ends_with(b.text, "<|im_start|>assistant\n")) << b.text;
}

TEST(Prompt, ThinkingSwitchedOffOnAChatMlTemplateIsNotOpened) {
  auto m = load(test::tiny_model());
  const Prompt p = prompt(*m, kQuestion, {{"enable_thinking", "false"}});
  EXPECT_EQ(p.text, "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_TRUE(p.thinking_off);
  EXPECT_FALSE(prompt(*m, kQuestion, {{"enable_thinking", "true"}}).thinking_off);
}

// Issue: reasoning_content of earlier assistant turns was dropped.
TEST(Prompt, EarlierThinkingReachesTheTemplate) {
  auto bielik = with_template("Bielik-11B-v3.0-Instruct");
  if (!bielik) GTEST_SKIP() << kNoTemplates;
  const std::vector<ChatMessage> messages = {
      {"user", "What is 1+1?"}, {"assistant", "2", "one and one"}, {"user", "What is 2+2?"}};
  const Prompt b = prompt(*bielik, messages);
  EXPECT_NE(b.text.find("<|im_start|>assistant\n<think>\none and one\n</think>\n2<|im_end|>"),
            std::string::npos)
      << b.text;

  // Nemotron 3 keeps earlier thinking when told to (a template variable).
  auto nemotron = with_template("NVIDIA-Nemotron-3-Nano-30B-A3B-BF16");
  const std::string kept = "<think>\none and one\n</think>\n2";
  EXPECT_EQ(prompt(*nemotron, messages).text.find(kept), std::string::npos);
  const Prompt n = prompt(*nemotron, messages, {{"truncate_history_thinking", "false"}});
  EXPECT_NE(n.text.find(kept), std::string::npos) << n.text;
}

}  // namespace
}  // namespace s1
