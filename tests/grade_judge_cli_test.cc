// End-to-end tests of `s1 grade`'s question-aware rules, its LLM judge (local engine and
// `s1 serve` as a remote judge) and the grader-agreement report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "serve_harness.h"
#include "test_util.h"

namespace s1 {
namespace {

using nlohmann::json;
using test::run_command;
using test::shell_quote;
using ::testing::HasSubstr;

std::string grade(const std::string& args) {
  return std::string(S1_BIN) + " grade " + args;
}

std::string file(const std::string& name, const std::string& content) {
  std::string path = test::temp_dir() + "/" + name;
  test::write_file(path, content);
  return path;
}

std::string fresh_cache(const std::string& name) {
  std::string path = test::temp_dir() + "/" + name;
  std::remove(path.c_str());
  return path;
}

// One line a pair: a plain number against another (never judged), an answer the rules
// reject but a judge may accept, and an equal pair.
const std::string kJudgeRows =
    "{\"id\": \"n\", \"prediction\": \"7\", \"gold\": \"8\"}\n"
    "{\"id\": \"s\", \"prediction\": \"the smaller root\", \"gold\": \"\\\\sqrt{2}\","
    " \"question\": \"Which root is it?\"}\n"
    "{\"id\": \"e\", \"prediction\": \"0.5\", \"gold\": \"\\\\frac12\"}\n";

void expect_judged_only_the_mismatch(const json& out) {
  ASSERT_EQ(out["items"].size(), 3u);
  for (int i : {0, 2}) {
    EXPECT_EQ(out["items"][i]["verdict_source"], "rules");
    EXPECT_FALSE(out["items"][i].contains("judge_malformed"));
  }
  const json& s = out["items"][1];
  // The random-weight judge says anything: either it gave a verdict, or its malformed
  // output left the rules' "wrong" in place.
  if (s["verdict_source"] == "judge") {
    EXPECT_FALSE(s.contains("judge_malformed"));
  } else {
    EXPECT_EQ(s["verdict_source"], "rules");
    EXPECT_EQ(s["judge_malformed"], true);
    EXPECT_EQ(s["correct"], false);
  }
  EXPECT_EQ(out["summary"]["judge"]["judged"], 1);
  EXPECT_EQ(out["summary"]["judge"]["malformed"], s.contains("judge_malformed") ? 1 : 0);
}

TEST(GradeRulesCli, TheQuestionFieldEnablesQuestionAwareRules) {
  std::string rows = file(
      "angle.jsonl",
      "{\"id\": 1, \"prediction\": \"150^\\\\circ\", \"gold\": \"\\\\frac{5\\\\pi}{6}\","
      " \"question\": \"Find the measure of angle $A$.\"}\n"
      "{\"id\": 2, \"prediction\": \"150^\\\\circ\", \"gold\": \"\\\\frac{5\\\\pi}{6}\","
      " \"question\": \"Find the length of the arc.\"}\n"
      // Without a question, a bare 150 is not read as degrees.
      "{\"id\": 3, \"prediction\": \"150\", \"gold\": \"\\\\frac{5\\\\pi}{6}\"}\n");
  test::CommandResult r = run_command(grade("--predictions " + shell_quote(rows) + " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["items"][0]["correct"], true);
  EXPECT_EQ(out["items"][0]["rule"], "angle");
  EXPECT_EQ(out["items"][0]["verdict_source"], "rules");
  EXPECT_EQ(out["items"][1]["correct"], false);
  EXPECT_EQ(out["items"][2]["correct"], false);
  EXPECT_FALSE(out["summary"].contains("judge"));
}

TEST(GradeRulesCli, QuestionsComeFromTheGoldDataset) {
  std::string gold = file("order-gold.jsonl",
                          "{\"id\": \"p\", \"problem\": \"Find the minimum and maximum values.\","
                          " \"answer\": \"2, 9\"}\n");
  std::string rows = file("order.jsonl",
                          "{\"id\": \"p\", \"prediction\": \"Max: 9, Min: 2\"}\n"
                          "{\"id\": \"p\", \"prediction\": \"9, 2\"}\n");
  test::CommandResult r = run_command(grade("--predictions " + shell_quote(rows) + " --gold " +
                                            shell_quote(gold) + " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["items"][0]["correct"], true);
  EXPECT_EQ(out["items"][0]["rule"], "labels");
  EXPECT_EQ(out["items"][1]["correct"], false);  // the order asked is min then max
  EXPECT_EQ(out["items"][1]["rule"], "order");
}

TEST(GradeAgreementCli, TablePerFileAndTheDisagreements) {
  std::string a = file("agree-a.jsonl",
                       "{\"id\": 1, \"prediction\": \"0.5\", \"gold\": \"\\\\frac12\", \"label\": true}\n"
                       "{\"id\": 2, \"prediction\": \"Alice wins the game.\", \"gold\": \"Alice\","
                       " \"label\": false}\n"
                       "{\"id\": 3, \"prediction\": \"3\", \"gold\": \"4\", \"label\": 0}\n"
                       "{\"id\": 4, \"prediction\": \"3\", \"gold\": \"4\"}\n");
  std::string b = file("agree-b.jsonl",
                       "{\"id\": 1, \"prediction\": \"2\", \"gold\": \"2\", \"label\": \"correct\"}\n"
                       "{\"id\": 2, \"prediction\": \"5\", \"gold\": \"6\", \"label\": \"correct\"}\n");
  test::CommandResult r = run_command(grade("--predictions " + shell_quote(a) + " " +
                                            shell_quote(b) + " --agreement --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["items"].size(), 6u);
  const json& files = out["agreement"]["files"];
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0]["file"], a);
  EXPECT_EQ(files[0]["rows"], 3);  // the unlabelled row is left out
  EXPECT_EQ(files[0]["agree"], 2);
  EXPECT_EQ(files[0]["only_we_accept"], 1);
  EXPECT_EQ(files[0]["only_label_accepts"], 0);
  EXPECT_EQ(files[1]["rows"], 2);
  EXPECT_EQ(files[1]["agree"], 1);
  EXPECT_EQ(files[1]["only_label_accepts"], 1);
  EXPECT_TRUE(files[1]["kappa"].is_number() || files[1]["kappa"].is_null());
  const json& d = out["agreement"]["disagreements"];
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0]["line"], 2);
  EXPECT_EQ(d[0]["correct"], true);
  EXPECT_EQ(d[0]["label"], false);
  EXPECT_EQ(d[0]["predicted"], "Alice wins the game.");
  EXPECT_EQ(d[0]["verdict_source"], "rules");
  EXPECT_EQ(d[1]["file"], b);
  EXPECT_EQ(d[1]["predicted"], "5");

  test::CommandResult text = run_command(grade("--predictions " + shell_quote(a) + " " +
                                               shell_quote(b) + " --agreement"));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("agreement with 'label':"));
  EXPECT_THAT(text.out, HasSubstr("disagreements: 2"));
  EXPECT_THAT(text.out, HasSubstr(a + ":2  id 2  ours: correct (rules)  label: wrong"));
  EXPECT_THAT(text.out, HasSubstr("accuracy: 3/6"));
}

TEST(GradeAgreementCli, ALabelFieldOfOnesOwn) {
  std::string rows = file("mv.jsonl",
                          "{\"id\": 1, \"prediction\": \"x\", \"gold\": \"y\", \"mv\": \"no\"}\n"
                          "{\"id\": 2, \"prediction\": \"y\", \"gold\": \"y\", \"mv\": \"yes\"}\n");
  test::CommandResult r = run_command(grade("--predictions " + shell_quote(rows) +
                                            " --agreement --label-field mv --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["agreement"]["label_field"], "mv");
  EXPECT_EQ(out["agreement"]["files"][0]["agree"], 2);
  EXPECT_DOUBLE_EQ(out["agreement"]["files"][0]["kappa"].get<double>(), 1.0);

  std::string bad = file("bad-label.jsonl",
                         "{\"id\": 1, \"prediction\": \"x\", \"gold\": \"y\", \"label\": \"maybe\"}\n");
  test::CommandResult e = run_command(grade("--predictions " + shell_quote(bad) + " --agreement"));
  EXPECT_NE(e.exit_code, 0);
  EXPECT_THAT(e.err, HasSubstr(":1: field 'label' must be"));
  EXPECT_EQ(std::count(e.err.begin(), e.err.end(), '\n'), 1) << e.err;
}

TEST(GradeJudgeCli, LocalJudgeAsksOnlyAboutRuleMismatchesAndCaches) {
  std::string rows = file("judge-local.jsonl", kJudgeRows);
  std::string cache = fresh_cache("judge-local-cache.tsv");
  const std::string cmd = grade("--predictions " + shell_quote(rows) + " --judge-model " +
                                shell_quote(test::tiny_model()) + " --judge-max-think 4" +
                                " --judge-cache " + shell_quote(cache) + " --json");
  test::CommandResult r = run_command("env S1_CACHE=" + shell_quote(test::temp_dir()) + " " + cmd);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  expect_judged_only_the_mismatch(out);
  EXPECT_EQ(out["summary"]["judge"]["generated"], 1);
  EXPECT_EQ(out["summary"]["judge"]["cached"], 0);
  // A re-run takes a valid verdict from the cache; a malformed one is asked again.
  const bool valid = out["items"][1]["verdict_source"] == "judge";
  test::CommandResult again =
      run_command("env S1_CACHE=" + shell_quote(test::temp_dir()) + " " + cmd);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  json second = json::parse(again.out);
  EXPECT_EQ(second["summary"]["judge"]["cached"], valid ? 1 : 0);
  EXPECT_EQ(second["summary"]["judge"]["generated"], valid ? 0 : 1);
  EXPECT_EQ(second["items"][1]["correct"], out["items"][1]["correct"]);
}

TEST(GradeJudgeCli, ServeIsARemoteJudge) {
  test::ServerProcess server(test::s1_serve_argv({}), 0, test::temp_dir() + "/judge-serve.log");
  std::string rows = file("judge-remote.jsonl", kJudgeRows);
  test::CommandResult r = run_command(
      grade("--predictions " + shell_quote(rows) + " --judge-backend openai --judge-url " +
            "http://127.0.0.1:" + std::to_string(server.port()) + " --judge-max-think 4" +
            " --judge-cache " + shell_quote(fresh_cache("judge-remote-cache.tsv")) + " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_judged_only_the_mismatch(json::parse(r.out));
}

TEST(EvalJudgeCli, SamplesRecordTheirVerdictSourceAndTheJudgeIsPartOfTheRun) {
  const std::string out = test::temp_dir() + "/eval-judge";
  run_command("rm -rf " + shell_quote(out));
  const std::string aime = std::string(S1_SHARED_DATA) + "/aime24.jsonl";
  const std::string cmd = "env S1_CACHE=" + shell_quote(test::temp_dir()) + " " + S1_BIN +
                          " eval -m " + shell_quote(test::tiny_model()) +
                          " -t 1 -c 512 --dataset aime24=" + shell_quote(aime) +
                          " --limit 2 --max-think 8 --max-answer 6 --no-plots --out " +
                          shell_quote(out);
  const std::string judge = " --judge-model " + shell_quote(test::tiny_model()) +
                            " --judge-max-think 4 --judge-cache " +
                            shell_quote(fresh_cache("eval-judge-cache.tsv"));
  test::CommandResult r = run_command(cmd + judge);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(out + "/samples.jsonl");
  std::string line;
  size_t lines = 0;
  while (std::getline(in, line)) {
    json l = json::parse(line);
    ++lines;
    ASSERT_TRUE(l.contains("verdict_source")) << line;
    if (l["verdict_source"] == "judge") {
      EXPECT_FALSE(l.contains("judge_malformed"));
    } else {
      EXPECT_EQ(l["verdict_source"], "rules");
    }
    if (l.value("judge_malformed", false)) EXPECT_EQ(l["correct"], false);
  }
  EXPECT_EQ(lines, 2u);
  json config = json::parse(test::read_file(out + "/config.json"));
  EXPECT_THAT(config.dump(), HasSubstr("\"judge\""));
  // The same directory without the judge is another run.
  test::CommandResult plain = run_command(cmd);
  EXPECT_NE(plain.exit_code, 0);
  EXPECT_THAT(plain.err, HasSubstr("judge"));
}

TEST(GradeJudgeCli, BadJudgeFlagsAreOneLineErrors) {
  std::string rows = file("judge-bad.jsonl", kJudgeRows);
  for (const std::string& flags :
       {std::string(" --judge-backend openai"), std::string(" --judge-url http://127.0.0.1:1"),
        std::string(" --judge-model /nonexistent.gguf")}) {
    test::CommandResult r = run_command(grade("--predictions " + shell_quote(rows) + flags));
    EXPECT_NE(r.exit_code, 0) << flags;
    EXPECT_THAT(r.err, HasSubstr("s1 grade: error: ")) << flags;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << flags << ": " << r.err;
  }
}

}  // namespace
}  // namespace s1
