// Chat template variables: parsing and merging (rendering is tested in prompt_test.cc).
#include "engine/model.h"

#include <gtest/gtest.h>

namespace s1 {
namespace {

TEST(ChatTemplateKwargs, ParsesAnObjectIntoJsonValues) {
  const ChatTemplateKwargs k =
      parse_chat_template_kwargs(R"({"enable_thinking": false, "effort": "low", "n": 2})");
  ASSERT_EQ(k.size(), 3u);
  EXPECT_EQ(k.at("enable_thinking"), "false");
  EXPECT_EQ(k.at("effort"), "\"low\"");
  EXPECT_EQ(k.at("n"), "2");
  EXPECT_TRUE(parse_chat_template_kwargs("{}").empty());
}

TEST(ChatTemplateKwargs, RefusesWhatIsNotAnObject) {
  for (const char* bad : {"", "false", "[1]", "\"x\"", "{\"a\":", "enable_thinking=false"}) {
    EXPECT_THROW(parse_chat_template_kwargs(bad), std::invalid_argument) << bad;
  }
  // llama-server's own switch takes booleans only.
  EXPECT_THROW(parse_chat_template_kwargs(R"({"enable_thinking": "false"})"),
               std::invalid_argument);
  EXPECT_THROW(parse_chat_template_kwargs(R"({"enable_thinking": 0})"), std::invalid_argument);
}

TEST(ChatTemplateKwargs, ARequestsVariablesReplaceTheServersByName) {
  const ChatTemplateKwargs server = {{"enable_thinking", "false"}, {"effort", "\"low\""}};
  const ChatTemplateKwargs request = {{"enable_thinking", "true"}};
  const ChatTemplateKwargs merged = merge_chat_template_kwargs(server, request);
  EXPECT_EQ(merged.at("enable_thinking"), "true");
  EXPECT_EQ(merged.at("effort"), "\"low\"");
  EXPECT_EQ(merge_chat_template_kwargs(server, {}), server);
}

}  // namespace
}  // namespace s1
