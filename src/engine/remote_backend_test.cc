// The remote backend without a server: prompt rendering and the checks made before any
// request. Its requests are tested against real servers and a fake one in tests/.
#include "engine/remote_backend.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace s1 {
namespace {

RemoteSettings unreachable() {
  RemoteSettings s;
  s.url = "http://127.0.0.1:9";
  s.parallel = 1;
  return s;
}

BackendRequest question(const ChatTemplateKwargs& kwargs = {}) {
  BackendRequest r;
  r.messages = {{"user", "What is 2+2?"}};
  r.chat_template_kwargs = kwargs;
  return r;
}

TEST(RemoteBackend, ChatmlIsAskedForAndHasNoTemplateVariables) {
  RemoteSettings s = unreachable();
  s.chatml = true;
  RemoteBackend remote(s, ForcingSettings{});
  EXPECT_EQ(remote.render_prompt(question()).text,
            "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<|im_start|>think");
  EXPECT_THROW(remote.submit(question({{"enable_thinking", "false"}})), std::invalid_argument);
  s.chat_template_kwargs = {{"enable_thinking", "false"}};
  EXPECT_THROW(RemoteBackend(s, ForcingSettings{}), std::invalid_argument);
}

// Too many steps for the remote loop is the request's error, naming its field, so the
// command line can name the flag (--max-steps), before any network traffic.
TEST(RemoteBackend, TooManyStepsNameTheField) {
  RemoteSettings s = unreachable();
  s.chatml = true;
  RemoteBackend remote(s, ForcingSettings{});
  BackendRequest r = question();
  r.rules.step_tokens = 5;
  r.rules.max_steps = 5000;
  try {
    remote.submit(std::move(r));
    ADD_FAILURE() << "no error";
  } catch (const RequestError& e) {
    EXPECT_EQ(e.field(), "max_steps");
    EXPECT_NE(std::string(e.what()).find("max_steps (5000)"), std::string::npos) << e.what();
  }
}

// A template file is rendered by llama.cpp's Jinja engine as the local engine renders
// the same template: thinking opened as it writes it, or closed by its variables.
TEST(RemoteBackend, RendersATemplateFileAsTheLocalEngine) {
  const std::string path = test::llama_template("Qwen-Qwen3-0.6B");
  if (path.empty()) GTEST_SKIP() << "llama.cpp's models/templates is not at hand";
  init_llama_backend(false);
  LoadSettings load;
  load.path = test::tiny_think_model();
  load.vocab_only = true;
  load.chat_template = test::read_file(path);
  const auto model = Model::load(load);
  const ThinkingFormat format = think_tags_format();
  RemoteSettings s = unreachable();
  s.chat_template_file = path;
  RemoteBackend remote(s, ForcingSettings{"<think>", "</think>"});
  for (const ChatTemplateKwargs& kwargs :
       {ChatTemplateKwargs{}, ChatTemplateKwargs{{"enable_thinking", "false"}}}) {
    const Prompt local = build_prompt(*model, format, question().messages, kwargs);
    const RenderedPrompt r = remote.render_prompt(question(kwargs));
    EXPECT_EQ(r.text, local.text);
    EXPECT_EQ(r.thinking_off, local.thinking_off);
  }
  EXPECT_TRUE(remote.render_prompt(question({{"enable_thinking", "false"}})).thinking_off);
  // Settings-wide variables apply under the request's.
  s.chat_template_kwargs = {{"enable_thinking", "false"}};
  RemoteBackend off(s, ForcingSettings{"<think>", "</think>"});
  EXPECT_TRUE(off.render_prompt(question()).thinking_off);
  EXPECT_FALSE(off.render_prompt(question({{"enable_thinking", "true"}})).thinking_off);
}

TEST(RemoteBackend, RefusesWhatCannotWorkBeforeAnyRequest) {
  RemoteSettings s = unreachable();
  s.chat_template_file = test::temp_dir() + "/no-such-template.jinja";
  EXPECT_THROW(RemoteBackend(s, ForcingSettings{}), std::runtime_error);
  s = unreachable();
  s.parallel = 0;
  EXPECT_THROW(RemoteBackend(s, ForcingSettings{}), std::invalid_argument);
  EXPECT_THROW(RemoteBackend(unreachable(), ForcingSettings{"<think>", ""}),
               std::invalid_argument);
  // A raw prompt needs the server for its token counts: unreachable is a clear error.
  RemoteBackend remote(unreachable(), ForcingSettings{});
  BackendRequest raw;
  raw.raw_prompt = "<|im_start|>think";
  try {
    remote.submit(std::move(raw));
    FAIL() << "submitted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach http://127.0.0.1:9"), std::string::npos)
        << e.what();
  }
  // Token prompts and stop ids are not passed on (segments are the backend's own): each
  // is refused in one line, naming its field, before any request.
  BackendRequest tokens;
  tokens.prompt_tokens = {1, 2, 3};
  BackendRequest stops = question();
  stops.stop_tokens = {2};
  for (BackendRequest* r : {&tokens, &stops}) {
    try {
      remote.submit(*r);
      FAIL() << "submitted";
    } catch (const RequestError& e) {
      EXPECT_EQ(e.field(), r == &tokens ? "prompt_tokens" : "stop_tokens");
      EXPECT_NE(std::string(e.what()).find("not supported over the remote backend"),
                std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace s1
