// Unit tests of the round schedule's preconditions (its runs are tested end to end in
// tests/eval_cli_test.cc).
#include "eval/rounds.h"

#include <gtest/gtest.h>

#include "engine/remote_backend.h"
#include "scripted_backend.h"

namespace s1::eval {
namespace {

// Any Backend will do, but one that does not render prompts itself cannot re-send them
// with the thinking so far: refused before anything is sent (it connects lazily).
TEST(Rounds, NeedABackendThatRendersPrompts) {
  // A backend whose prepare() renders nothing (the default) cannot run rounds.
  test::ScriptedBackend scripted({});
  MethodConfig config;
  config.num_ignore = 1;
  bool done = false;
  std::vector<RoundsItem> items = {{&config, "What is 1+1?", [&](SampleRun) { done = true; }}};
  try {
    run_rounds(scripted, MethodContext{}, std::move(items), nullptr);
    ADD_FAILURE() << "the round schedule ran on a backend that does not render prompts";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--backend local"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(done);
  EXPECT_TRUE(scripted.requests.empty());
}

TEST(Rounds, RunBudgetForcingOnly) {
  RemoteSettings settings;
  settings.url = "http://127.0.0.1:9";
  settings.chatml = true;           // renders here, and
  settings.estimate_tokens = true;  // counts here, and
  settings.server_kind = ServerKind::kOpenAi;  // is not detected: nothing asks the (absent) server
  RemoteBackend remote(settings, ForcingSettings{});
  MethodConfig config;
  config.kind = MethodKind::kMajority;
  std::vector<RoundsItem> items = {{&config, "q", [](SampleRun) {}}};
  EXPECT_THROW(run_rounds(remote, MethodContext{}, std::move(items), nullptr),
               std::invalid_argument);
}

}  // namespace
}  // namespace s1::eval
