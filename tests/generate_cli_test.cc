// End-to-end tests of `s1 generate` and `s1 make-test-model`: flags, output, errors.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "test_util.h"

namespace s1 {
namespace {

using test::run_command;
using test::shell_quote;

const std::string kS1 = S1_BIN;
constexpr int kImStart = 151644;  // <|im_start|> in the Qwen2 vocabulary

std::string generate(const std::string& args) {
  return kS1 + " generate -m " + shell_quote(test::tiny_model()) + " -t 1 " + args;
}

// Exactly one line on stderr, naming the problem, and a non-zero exit.
void expect_one_line_error(const test::CommandResult& r, const std::string& needle) {
  EXPECT_NE(r.exit_code, 0);
  EXPECT_LT(r.exit_code, 128) << "crashed: " << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

TEST(GenerateCli, JsonHasTextCountsEventsAndTimings) {
  const auto r = run_command(generate("-p 'What is 2+2?' --num-ignore 2 --logit-bias " +
                                      std::to_string(kImStart) + "+100 --max-answer 6 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "s1");
  ASSERT_EQ(j["samples"].size(), 1u);
  const auto& s = j["samples"][0];
  EXPECT_EQ(s["thinking"], "WaitWait");
  ASSERT_EQ(s["events"].size(), 3u);
  EXPECT_EQ(s["events"][0]["kind"], "ignore");
  EXPECT_EQ(s["events"][0]["thinking_tokens"], 0);
  EXPECT_EQ(s["events"][1]["kind"], "ignore");
  EXPECT_EQ(s["events"][1]["thinking_tokens"], 1);
  EXPECT_EQ(s["events"][2]["kind"], "end");
  EXPECT_EQ(s["answer_tokens"], 6);
  EXPECT_GT(j["timings"]["generation_tokens_per_s"].get<double>(), 0.0);
  EXPECT_GT(j["timings"]["prompt_tokens_per_s"].get<double>(), 0.0);
  const auto& d = j["decode"];
  EXPECT_EQ(d["decoded_tokens"].get<int>(), j["prompt_tokens"].get<int>() +
                                                 d["sampled_tokens"].get<int>() +
                                                 d["injected_tokens"].get<int>());
}

TEST(GenerateCli, StreamsSectionsAndMarksForcedText) {
  const auto r = run_command(generate("-p hello --max-think 12 --max-answer 4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t think = r.out.find("=== thinking ===");
  const size_t answer = r.out.find("=== answer ===");
  ASSERT_NE(think, std::string::npos);
  ASSERT_NE(answer, std::string::npos);
  EXPECT_LT(think, answer);
  EXPECT_NE(r.out.find("\xC2\xAB\nFinal Answer:\xC2\xBB", answer), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("1 cap(s)"), std::string::npos) << r.err;
}

// Several samples: each shown once it ends, with its forced text marked as one sample's.
TEST(GenerateCli, SeveralSamplesAreShownWithMarkedInsertions) {
  const auto r = run_command(generate("-p 'What is 2+2?' -n 2 --num-ignore 1 --logit-bias " +
                                      std::to_string(kImStart) + "+100 --max-answer 2"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("2 samples decode together; each is shown when it ends"), std::string::npos)
      << r.err;
  for (const char* header : {"### sample 0 (", "### sample 1 ("}) {
    EXPECT_NE(r.out.find(header), std::string::npos) << r.out;
  }
  size_t marks = 0;
  for (size_t at = r.out.find("\xC2\xABWait\xC2\xBB"); at != std::string::npos;
       at = r.out.find("\xC2\xABWait\xC2\xBB", at + 1)) {
    ++marks;
  }
  EXPECT_EQ(marks, 2u) << r.out;
  // Each sample has its own answer section.
  EXPECT_NE(r.out.find("=== answer ==="), r.out.rfind("=== answer ===")) << r.out;
}

// A probe cut off by the end of its sample (thinking capped at 4 tokens, one answer
// token, while the probe still decodes) is a record like any other: every probe that
// decoded tokens has one, and the totals count the same probes.
TEST(GenerateCli, CutOffProbesAreRecordedAndCounted) {
  const auto r = run_command(generate(
      "-p hi --max-think 4 --max-answer 1 --probe-every 2 --probe-tokens 20 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& s = j["samples"][0];
  ASSERT_TRUE(s.contains("probes")) << s.dump();
  EXPECT_GT(s["probe_tokens"].get<int>(), 0) << s.dump();
  EXPECT_EQ(j["decode"]["probes"].get<size_t>(), s["probes"].size()) << j.dump();
  EXPECT_EQ(j["decode"]["probe_tokens"], s["probe_tokens"]);
  ASSERT_FALSE(s["probes"].empty()) << s.dump();
  const auto& last = s["probes"].back();
  EXPECT_EQ(last.value("cut", false), true) << s.dump();
  EXPECT_EQ(last["answer"], "");
}

TEST(GenerateCli, SeveralSamplesShareOnePrompt) {
  const auto r = run_command(generate("-p hi -n 4 --temp 0.8 --max-think 10 --max-answer 3 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["samples"].size(), 4u);
  EXPECT_EQ(j["decode"]["prompt_tokens"], j["prompt_tokens"]);
  std::set<std::string> texts;
  for (const auto& s : j["samples"]) {
    EXPECT_EQ(s["thinking_tokens"].get<int>() + s["events"].back()["retracted"].get<int>(), 10);
    texts.insert(s["thinking"].get<std::string>());
  }
  EXPECT_GT(texts.size(), 1u);  // distinct random streams
}

TEST(GenerateCli, PromptFromFileAndThinkTags) {
  const std::string file = test::temp_dir() + "/question.txt";
  test::write_file(file, "What is 6*7?");
  const auto r = run_command(kS1 + " generate -t 1 -m " + shell_quote(test::tiny_think_model()) +
                             " -f " + file + " --max-think 5 --max-answer 2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "think-tags");
  EXPECT_EQ(j["samples"][0]["events"][0]["text"], "\n</think>\nFinal Answer:");
}

TEST(GenerateCli, PromptFileMustHoldAQuestion) {
  const std::string dir = test::temp_dir();
  expect_one_line_error(run_command(generate("-f " + shell_quote(dir))), "is a directory");
  const std::string empty = dir + "/empty.txt", blank = dir + "/blank.txt";
  test::write_file(empty, "");
  test::write_file(blank, " \n\n");
  expect_one_line_error(run_command(generate("-f " + empty)), "is empty");
  expect_one_line_error(run_command(generate("-f " + blank)), "is empty");
  expect_one_line_error(run_command(generate("-f " + dir + "/missing.txt")), "cannot read");
  expect_one_line_error(run_command(generate("-p ''")), "no prompt");
  expect_one_line_error(run_command(generate("-p '  '")), "no prompt");
}

TEST(GenerateCli, PerPhaseLogitBias) {
  const std::string trigger = std::to_string(kImStart) + "+100";
  std::string trigger4;
  for (int i = 0; i < 4; ++i) trigger4 += "<|im_start|>";
  // --logit-bias acts in both phases: the answer is the trigger over and over.
  auto r = run_command(generate("-p hi --max-answer 4 --json --logit-bias " + trigger));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["samples"][0]["answer"], trigger4);
  // --logit-bias-think ends thinking at once without reaching the answer.
  r = run_command(generate("-p hi --max-answer 4 --json --logit-bias-think " + trigger));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  const auto& s = j["samples"][0];
  EXPECT_EQ(s["events"][0]["kind"], "end");
  EXPECT_EQ(s["thinking_tokens"], 0);
  EXPECT_EQ(s["answer_tokens"], 4);
  EXPECT_NE(s["answer"].get<std::string>().rfind("<|im_start|>", 0), 0u) << s.dump();
  expect_one_line_error(run_command(generate("-p hi --logit-bias-answer 12x3")), "logit bias");
  expect_one_line_error(run_command(generate("-p hi --logit-bias-think 99999999+1")), "outside");
}

TEST(GenerateCli, ZeroThinkingBudgetShowsNoThinking) {
  const auto r = run_command(generate("-p hi --max-think 0 --max-answer 3 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["samples"][0]["thinking"], "");
  EXPECT_EQ(j["samples"][0]["events"][0]["text"], "\n<|im_start|>answer\nFinal Answer:");
}

TEST(GenerateCli, BudgetBeyondTheContextIsClampedWithAWarning) {
  const auto r = run_command(generate("-p hi -c 256 --max-think 100000 --max-answer 4 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: --max-think lowered"), std::string::npos) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["samples"][0]["clamped"].get<bool>());
  EXPECT_LT(j["samples"][0]["max_think"].get<int>(), 256);
}

// llama.cpp pads the context to 256 cells: said once, with the context actually used.
TEST(GenerateCli, AContextRoundedUpIsSaidOnce) {
  const auto r = run_command(generate("-p hi -c 128 --max-think 4 --max-answer 2 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string note = "note: -c 128 gives each sequence 256 tokens";
  EXPECT_NE(r.err.find(note), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(note), r.err.rfind(note)) << r.err;
  const auto exact = run_command(generate("-p hi -c 256 --max-think 4 --max-answer 2 --json"));
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  EXPECT_EQ(exact.err.find("note: -c"), std::string::npos) << exact.err;
}

// Issue: thinking closed by the template was reopened and budgeted.
TEST(GenerateCli, ChatTemplateKwargsSwitchThinkingOffAndSaySo) {
  const std::string tmpl = test::llama_template("Qwen-Qwen3-0.6B");
  if (tmpl.empty()) GTEST_SKIP() << "llama.cpp's models/templates is not at hand";
  const std::string model = test::temp_dir() + "/qwen3-template.gguf";
  const auto made = run_command(kS1 + " make-test-model --think-tags --chat-template-file " +
                                shell_quote(tmpl) + " -o " + shell_quote(model));
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string run = kS1 + " generate -t 1 -m " + shell_quote(model) +
                          " -p 'What is 2+2?' --max-think 5 --num-ignore 2 --max-answer 3 ";
  const std::string off = "--chat-template-kwargs '{\"enable_thinking\": false}'";

  const auto r = run_command(run + off + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("did not apply"), std::string::npos) << r.err;
  const auto s = nlohmann::json::parse(r.out)["samples"][0];
  EXPECT_TRUE(s["thinking_off"].get<bool>());
  EXPECT_TRUE(s["events"].empty());
  EXPECT_EQ(s["thinking"], "");
  EXPECT_EQ(s["thinking_tokens"], 0);

  const auto text = run_command(run + off);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.find("=== thinking ==="), std::string::npos) << text.out;
  EXPECT_EQ(text.out.rfind("=== answer ===", 0), 0u) << text.out;

  const auto on = run_command(run + "--json");
  ASSERT_EQ(on.exit_code, 0) << on.err;
  EXPECT_EQ(on.err.find("did not apply"), std::string::npos) << on.err;
  const auto t = nlohmann::json::parse(on.out)["samples"][0];
  EXPECT_FALSE(t["thinking_off"].get<bool>());
  EXPECT_FALSE(t["events"].empty());
  std::remove(model.c_str());
}

TEST(GenerateCli, BadChatTemplateKwargs) {
  expect_one_line_error(run_command(generate("-p hi --chat-template-kwargs '[1]'")),
                        "--chat-template-kwargs");
  expect_one_line_error(run_command(generate("-p hi --chat-template-kwargs nope")),
                        "JSON object");
  expect_one_line_error(
      run_command(generate("-p hi --chat-template-kwargs '{\"enable_thinking\": \"no\"}'")),
      "enable_thinking");
  // The remote backend passes them to a real template; ChatML has no variables.
  expect_one_line_error(run_command(kS1 + " generate --backend openai --url http://127.0.0.1:9 "
                                          "--chatml -p hi --chat-template-kwargs '{\"a\": 1}'"),
                        "ChatML has none");
  expect_one_line_error(
      run_command(kS1 + " make-test-model --chat-template-file /nonexistent.jinja -o x.gguf"),
      "chat-template-file");
}

TEST(GenerateCli, BadInput) {
  expect_one_line_error(run_command(kS1 + " generate -m /nonexistent.gguf -p hi"), "cannot open");
  const std::string junk = test::temp_dir() + "/junk.gguf";
  test::write_file(junk, "this is not a model");
  expect_one_line_error(run_command(kS1 + " generate -m " + junk + " -p hi"), "not a GGUF");
  const std::string truncated = test::temp_dir() + "/truncated.gguf";
  test::write_file(truncated, std::string("GGUF\x03\0\0\0", 8) + std::string(64, '\x7f'));
  expect_one_line_error(run_command(kS1 + " generate -m " + truncated + " -p hi"), "cannot load");
  expect_one_line_error(run_command(generate("-p hi --no-such-flag")), "no-such-flag");
  expect_one_line_error(run_command(generate("")), "no prompt");
  // Rules are named by their flags.
  expect_one_line_error(run_command(generate("-p hi --min-think 50 --max-think 10")),
                        "--min-think (50) is above --max-think (10)");
  expect_one_line_error(run_command(generate("-p hi --max-steps 2")),
                        "--max-steps needs a step length (--step-tokens > 0)");
  // A step no longer than its marker ("1 steps left\n" and a newline) is refused.
  expect_one_line_error(run_command(generate("-p hi --step-tokens 5 --max-steps 2")),
                        "steps of 5 tokens are not longer than their step marker");
  expect_one_line_error(run_command(generate("-p hi --max-think -5")), "max-think");
  expect_one_line_error(run_command(generate("-p hi --logit-bias 12x3")), "logit bias");
  expect_one_line_error(run_command(generate("-p hi --logit-bias 99999999+1")), "outside");
  expect_one_line_error(run_command(generate("-p hi --think-start '<r>'")), "go together");
  std::string long_prompt;
  for (int i = 0; i < 400; ++i) long_prompt += "word ";
  expect_one_line_error(run_command(generate("-c 256 -p " + shell_quote(long_prompt))),
                        "does not fit the context");
  expect_one_line_error(run_command(kS1 + " make-test-model -o /nonexistent-dir/x.gguf"),
                        "cannot write");
  expect_one_line_error(run_command(kS1 + " frobnicate"), "frobnicate");
}

TEST(GenerateCli, EmptyIgnoreStringEnds) {
  // An ignored end with nothing to append once left the sequence with nothing to decode
  // and the process spinning for ever; `timeout` turns a hang into a failure.
  const auto r = run_command("timeout 120 " +
                             generate("-p hi --num-ignore 1 --ignore-str '' --logit-bias " +
                                      std::to_string(kImStart) + "+100 --max-answer 3 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = nlohmann::json::parse(r.out)["samples"][0];
  ASSERT_EQ(s["events"].size(), 2u) << s.dump();
  EXPECT_EQ(s["events"][0]["kind"], "ignore");
  EXPECT_EQ(s["events"][0]["text"], "");
  EXPECT_EQ(s["events"][1]["kind"], "end");
  EXPECT_EQ(s["thinking_tokens"], 1);
}

}  // namespace
}  // namespace s1
