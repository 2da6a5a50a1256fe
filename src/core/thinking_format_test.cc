#include "core/thinking_format.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace s1 {
namespace {

auto vocab_with(std::set<std::string> singles) {
  return [singles](std::string_view t) { return singles.count(std::string(t)) > 0; };
}

TEST(ThinkingFormat, DetectsThinkTagsFromTheVocabulary) {
  const auto f = detect_thinking_format("", vocab_with({"<think>", "</think>", "<|im_start|>"}));
  EXPECT_EQ(f.name, "think-tags");
  EXPECT_EQ(f.end_trigger, "</think>");
}

TEST(ThinkingFormat, DetectsThinkTagsFromTheTemplate) {
  const auto f = detect_thinking_format("{{'<｜Assistant｜><think>\\n'}}", vocab_with({}));
  EXPECT_EQ(f.name, "think-tags");
}

TEST(ThinkingFormat, ChatMlWithoutThinkTokensIsS1) {
  const auto f = detect_thinking_format("<|im_start|>", vocab_with({"<|im_start|>"}));
  EXPECT_EQ(f.name, "s1");
  EXPECT_EQ(f.start, "<|im_start|>think");
  EXPECT_EQ(f.end, "<|im_start|>answer");
  EXPECT_EQ(f.end_trigger, "<|im_start|>");
}

TEST(ThinkingFormat, UnknownFormatAsksForFlags) {
  try {
    detect_thinking_format("[INST]", vocab_with({}));
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("--think-start"), std::string::npos);
  }
}

TEST(ThinkingFormat, CustomFormat) {
  const auto f = custom_thinking_format("<reasoning>", "</reasoning>");
  EXPECT_EQ(f.end_trigger, "</reasoning>");
  EXPECT_THROW(custom_thinking_format("", "x"), std::invalid_argument);
  EXPECT_THROW(custom_thinking_format("x", "x"), std::invalid_argument);
}

TEST(ThinkingFormat, PromptThatOpensOrClosesThinking) {
  const auto tags = think_tags_format();
  EXPECT_EQ(prompt_thinking("<|im_start|>assistant\n<think>\n", tags), PromptThinking::kOpen);
  EXPECT_EQ(prompt_thinking("<|im_start|>assistant\n", tags), PromptThinking::kNone);
  EXPECT_EQ(prompt_thinking("x<|im_start|>think", s1_thinking_format()), PromptThinking::kOpen);
  EXPECT_EQ(prompt_thinking("x<|im_start|>assistant\n", s1_thinking_format()),
            PromptThinking::kNone);
}

TEST(ThinkingFormat, PromptThatClosesThinking) {
  const auto tags = think_tags_format();
  // Qwen3 (enable_thinking=false), SmolLM3 (/no_think), GLM-4.6, DeepSeek-V3.1.
  EXPECT_EQ(prompt_thinking("<|im_start|>assistant\n<think>\n\n</think>\n\n", tags),
            PromptThinking::kClosed);
  EXPECT_EQ(prompt_thinking("<|im_start|>assistant\n<think>\n\n</think>\n", tags),
            PromptThinking::kClosed);
  EXPECT_EQ(prompt_thinking("<|assistant|>\n<think></think>", tags), PromptThinking::kClosed);
  EXPECT_EQ(prompt_thinking("<\xef\xbd\x9c" "Assistant\xef\xbd\x9c></think>", tags),
            PromptThinking::kClosed);
  EXPECT_EQ(prompt_thinking("<|im_start|>assistant\n<|im_start|>answer\n", s1_thinking_format()),
            PromptThinking::kClosed);
  // The end delimiter inside the prompt, not at its end, closes nothing.
  EXPECT_EQ(prompt_thinking("<think>a</think>b<|im_start|>assistant\n", tags),
            PromptThinking::kNone);
}

}  // namespace
}  // namespace s1
