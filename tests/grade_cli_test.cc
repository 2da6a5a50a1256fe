// End-to-end tests of `s1 grade`: input formats, verdicts, summary, JSON and errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "test_util.h"

namespace s1 {
namespace {

using test::run_command;
using test::shell_quote;
using test::write_file;
using ::testing::HasSubstr;

std::string grade(const std::string& args) {
  return std::string(S1_BIN) + " grade " + args;
}

std::string predictions_file(const std::string& name, const std::string& content) {
  std::string path = test::temp_dir() + "/" + name;
  write_file(path, content);
  return path;
}

const std::string kMath500 = std::string(S1_SHARED_DATA) + "/math500.jsonl";

TEST(GradeCli, GradesAgainstADatasetAsJson) {
  std::string path = predictions_file(
      "math.jsonl",
      "{\"id\": \"test/precalculus/807.json\", \"answer\": \"so $\\\\boxed{(3, \\\\pi/2)}$\","
      " \"thinking_tokens\": 100}\n"
      "{\"id\": \"test/intermediate_algebra/1994.json\", \"prediction\": \"q - p\","
      " \"thinking_tokens\": 300}\n"
      "\n"
      "{\"id\": \"test/intermediate_algebra/1994.json\", \"output\": \"no idea\","
      " \"thinking_tokens\": 200}\n");
  test::CommandResult r = run_command(
      grade("--predictions " + shell_quote(path) + " --gold " + shell_quote(kMath500) + " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json out = nlohmann::json::parse(r.out);
  ASSERT_EQ(out["items"].size(), 3u);
  EXPECT_EQ(out["items"][0]["correct"], true);
  EXPECT_EQ(out["items"][0]["source"], "boxed");
  EXPECT_EQ(out["items"][0]["predicted"], "(3, \\pi/2)");
  EXPECT_EQ(out["items"][1]["correct"], false);
  EXPECT_EQ(out["items"][1]["source"], "given");
  EXPECT_EQ(out["items"][2]["line"], 4);
  EXPECT_EQ(out["items"][2]["source"], "none");
  const nlohmann::json& s = out["summary"];
  EXPECT_EQ(s["items"], 3);
  EXPECT_EQ(s["correct"], 1);
  EXPECT_DOUBLE_EQ(s["accuracy"].get<double>(), 1.0 / 3);
  EXPECT_LT(s["accuracy_ci95"][0].get<double>(), 1.0 / 3);
  EXPECT_GT(s["accuracy_ci95"][1].get<double>(), 1.0 / 3);
  EXPECT_EQ(s["no_answer"], 1);
  EXPECT_DOUBLE_EQ(s["thinking_tokens"]["mean"].get<double>(), 200);
  EXPECT_DOUBLE_EQ(s["thinking_tokens"]["median"].get<double>(), 200);
}

TEST(GradeCli, InlineGoldAndSamplingMetricsInATable) {
  std::string path =
      predictions_file("inline.jsonl",
                       "{\"id\": 1, \"prediction\": \"0.5\", \"gold\": \"\\\\frac12\"}\n"
                       "{\"id\": 1, \"prediction\": \"1/3\", \"gold\": \"\\\\frac12\"}\n"
                       "{\"id\": 2, \"prediction\": \"7\", \"gold\": 8}\n"
                       "{\"id\": 2, \"prediction\": \"8\", \"gold\": 8}\n");
  test::CommandResult r = run_command(grade("--predictions " + shell_quote(path)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("verdict"));
  EXPECT_THAT(r.out, HasSubstr("accuracy: 2/4 = 50.0%"));
  // Problem 1: votes 1/2 then 1/3 (tie: the first wins, correct); problem 2: 7 first (wrong).
  EXPECT_THAT(r.out, HasSubstr("2 problems x 2 samples: maj@1 50.0%, maj@2 50.0%, "
                               "pass@1 50.0%, pass@2 100.0%\n"));
}

TEST(GradeCli, ProblemsWithoutAllSamplesAreLeftOutOfTheCurves) {
  // Problem 3 has one sample of two, problem 1 its samples out of order ("sample").
  std::string path =
      predictions_file("incomplete.jsonl",
                       "{\"id\": 1, \"sample\": 1, \"prediction\": \"4\", \"gold\": 5}\n"
                       "{\"id\": 2, \"sample\": 0, \"prediction\": \"6\", \"gold\": 6}\n"
                       "{\"id\": 1, \"sample\": 0, \"prediction\": \"5\", \"gold\": 5}\n"
                       "{\"id\": 3, \"sample\": 0, \"prediction\": \"9\", \"gold\": 1}\n"
                       "{\"id\": 2, \"sample\": 1, \"prediction\": \"6\", \"gold\": 6}\n");
  test::CommandResult r = run_command(grade("--predictions " + shell_quote(path) + " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json s = nlohmann::json::parse(r.out)["summary"];
  EXPECT_EQ(s["correct"], 3);
  EXPECT_EQ(s["problems"], 3);
  EXPECT_EQ(s["samples_per_problem"], 2);
  EXPECT_EQ(s["problems_with_all_samples"], 2);
  // Over problems 1 (5 right, then 4 wrong: maj@1 right) and 2 (both right).
  EXPECT_DOUBLE_EQ(s["maj_at_k"]["1"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(s["maj_at_k"]["2"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(s["pass_at_k"]["1"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(s["pass_at_k"]["2"].get<double>(), 1.0);
  r = run_command(grade("--predictions " + shell_quote(path)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("3 problems x 2 samples (1 without all of them, left out of "
                               "maj@k and pass@k): maj@1 100.0%"));
}

const char* kGpqaCsv =
    "Record ID,Question,Correct Answer,Incorrect Answer 1,Incorrect Answer 2,Incorrect Answer 3\n"
    "r1,\"2+2?\",4,3,5,6\n";

TEST(GradeCli, MultipleChoiceFromAGpqaCsv) {
  std::string csv = predictions_file("gpqa.csv", kGpqaCsv);
  // With seed 3, r1's choices show as A) 6 B) 5 C) 4 D) 3: the right one is C; with the
  // default seed 0, as 6, 5, 3, 4: D.
  std::string path = predictions_file("mc.jsonl",
                                      "{\"id\": \"r1\", \"answer\": \"The answer is (C).\"}\n"
                                      "{\"id\": \"r1\", \"answer\": \"Answer: D\"}\n"
                                      "{\"id\": \"r1\", \"answer\": \"so \\\\boxed{4}\"}\n");
  test::CommandResult r = run_command(grade("--predictions " + shell_quote(path) + " --gold " +
                                            shell_quote(csv) + " --seed 3 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json out = nlohmann::json::parse(r.out);
  ASSERT_EQ(out["items"].size(), 3u);
  EXPECT_EQ(out["items"][0]["gold"], "C");
  EXPECT_EQ(out["items"][0]["predicted"], "C");
  EXPECT_EQ(out["items"][0]["correct"], true);
  EXPECT_EQ(out["items"][1]["predicted"], "D");
  EXPECT_EQ(out["items"][1]["correct"], false);
  // The right choice's text is not its letter.
  EXPECT_EQ(out["items"][2]["predicted"], "");
  EXPECT_EQ(out["items"][2]["source"], "none");
  EXPECT_EQ(out["items"][2]["correct"], false);
  r = run_command(
      grade("--predictions " + shell_quote(path) + " --gold " + shell_quote(csv) + " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["items"][0]["gold"], "D");
  EXPECT_EQ(out["items"][0]["correct"], false);
  EXPECT_EQ(out["items"][1]["correct"], true);
}

TEST(GradeCli, InlineMultipleChoiceByLetter) {
  std::string path = predictions_file(
      "inline_mc.jsonl",
      "{\"id\": \"q\", \"answer\": \"**B**\", \"gold\": \"B\", \"choices\": 4}\n"
      "{\"id\": \"q\", \"prediction\": \"(A)\", \"gold\": \"B\", \"choices\": [\"x\", \"y\"]}\n"
      "{\"id\": \"r\", \"answer\": \"B\", \"gold\": \"B\"}\n");
  test::CommandResult r = run_command(grade("--predictions " + shell_quote(path) + " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["items"][0]["predicted"], "B");
  EXPECT_EQ(out["items"][0]["correct"], true);
  EXPECT_EQ(out["items"][1]["predicted"], "A");
  EXPECT_EQ(out["items"][1]["correct"], false);
  // Without "choices" a "B" is a free-form answer, found by no extraction rule.
  EXPECT_EQ(out["items"][2]["source"], "none");
  EXPECT_EQ(out["items"][2]["correct"], false);
}

// A dataset of two problems, written here.
std::string two_problem_dataset() {
  return predictions_file("two-problems.jsonl",
                          "{\"id\": \"p/1\", \"problem\": \"What is  $1+1$?\\nAnswer.\", "
                          "\"answer\": \"2\"}\n"
                          "{\"id\": \"p/2\", \"problem\": \"What is $2+2$?\", \"answer\": \"4\"}\n");
}

// Lines are matched by id, then by problem text; a line's own gold wins; a line with no
// gold answer anywhere is reported and skipped, and the rest are graded.
TEST(GradeCli, LinesMatchByIdThenProblemTextAndUnmatchedOnesAreSkipped) {
  const std::string gold = two_problem_dataset();
  const std::string path = predictions_file(
      "mixed.jsonl",
      "{\"id\": \"p/1\", \"prediction\": \"2\"}\n"
      "{\"problem\": \" What is $1+1$? Answer. \", \"prediction\": \"2\"}\n"
      "{\"problem\": \"p/2\", \"prediction\": \"5\"}\n"
      "{\"id\": \"2024-I-1\", \"prediction\": \"204\"}\n"
      "{\"id\": \"2024-I-2\", \"prediction\": \"55\", \"gold\": \"55\"}\n"
      "{\"id\": \"p/2\", \"prediction\": \"7\", \"gold\": \"7\"}\n");
  const auto r = run_command(
      grade("--predictions " + shell_quote(path) + " --gold " + shell_quote(gold) + " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr(":4: no gold answer in " + gold + " for '2024-I-1': skipped"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  ASSERT_EQ(out["items"].size(), 5u);
  EXPECT_EQ(out["items"][0]["correct"], true);
  EXPECT_EQ(out["items"][1]["id"], "p/1");  // by its problem text
  EXPECT_EQ(out["items"][1]["correct"], true);
  EXPECT_EQ(out["items"][2]["gold"], "4");  // "problem" holding an id, as eval writes it
  EXPECT_EQ(out["items"][3]["gold"], "55");  // its own gold: not in the dataset
  EXPECT_EQ(out["items"][4]["gold"], "7");   // its own gold, over the dataset's
  EXPECT_EQ(out["items"][4]["correct"], true);
  EXPECT_EQ(out["summary"]["skipped"], 1);
  EXPECT_EQ(out["summary"]["correct"], 4);

  const auto table = run_command(
      grade("--predictions " + shell_quote(path) + " --gold " + shell_quote(gold)));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("lines skipped (no gold answer): 1"));

  const std::string none = predictions_file("none-match.jsonl", "{\"id\": \"x\", \"prediction\": \"1\"}\n");
  const auto r2 = run_command(
      grade("--predictions " + shell_quote(none) + " --gold " + shell_quote(gold)));
  EXPECT_NE(r2.exit_code, 0);
  EXPECT_THAT(r2.err, HasSubstr("no line has a gold answer in"));
}

// Lines of an eval's samples.jsonl are summarized per configuration and dataset.
TEST(GradeCli, SummariesPerConfigurationAndDataset) {
  const std::string path = predictions_file(
      "configs.jsonl",
      "{\"problem\": \"a\", \"dataset\": \"d1\", \"config\": \"max=8\", \"gold\": \"1\","
      " \"prediction\": \"1\", \"thinking_tokens\": 8}\n"
      "{\"problem\": \"b\", \"dataset\": \"d1\", \"config\": \"max=8\", \"gold\": \"1\","
      " \"prediction\": \"2\", \"thinking_tokens\": 6}\n"
      "{\"problem\": \"a\", \"dataset\": \"d1\", \"config\": \"max=16\", \"gold\": \"1\","
      " \"prediction\": \"1\", \"thinking_tokens\": 16}\n"
      "{\"problem\": \"b\", \"dataset\": \"d1\", \"config\": \"max=16\", \"gold\": \"1\","
      " \"prediction\": \"1\", \"thinking_tokens\": 12}\n"
      "{\"problem\": \"a\", \"dataset\": \"d2\", \"config\": \"max=8\", \"gold\": \"3\","
      " \"prediction\": \"1\", \"thinking_tokens\": 8}\n");
  const auto r = run_command(grade("--predictions " + shell_quote(path) + " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  EXPECT_EQ(out["items"][0]["config"], "max=8");
  EXPECT_EQ(out["items"][0]["dataset"], "d1");
  const auto& c = out["summary"]["configs"];
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0]["dataset"], "d1");
  EXPECT_EQ(c[0]["config"], "max=8");
  EXPECT_DOUBLE_EQ(c[0]["accuracy"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(c[0]["thinking_tokens"]["mean"].get<double>(), 7);
  EXPECT_EQ(c[1]["config"], "max=16");
  EXPECT_DOUBLE_EQ(c[1]["accuracy"].get<double>(), 1.0);
  EXPECT_EQ(c[2]["dataset"], "d2");
  EXPECT_DOUBLE_EQ(c[2]["accuracy"].get<double>(), 0.0);

  const auto table = run_command(grade("--predictions " + shell_quote(path)));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("max=16"));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("d1 +max=16 +2 +100\\.0%"));
}

TEST(GradeCli, BadInputIsOneLineAndNonZero) {
  struct Case {
    std::string content;
    std::string flags;
    std::string message;
  };
  const Case cases[] = {
      {"{\"id\": 1, \"prediction\": \"5\", \"gold\": \"5\"}\n{oops\n", "", ":2: invalid JSON"},
      {"[1]\n", "", ":1: expected a JSON object"},
      {"{\"id\": 1, \"prediction\": \"5\"}\n", "", ":1: no 'gold' field"},
      {"{\"id\": 1, \"gold\": \"5\"}\n", "", ":1: no 'prediction', 'answer' or 'output' field"},
      {"{\"id\": 1, \"prediction\": \"B\", \"gold\": \"B\", \"choices\": 0}\n", "",
       ":1: 'choices' must be a count or a list of 1 to 26 choices"},
      {"{\"id\": 1, \"sample\": \"x\", \"prediction\": \"5\", \"gold\": \"5\"}\n", "",
       ":1: 'sample' must be an integer"},
      {"", "", "no predictions in"},
      {"{\"id\": 1, \"sample\": -1, \"prediction\": \"5\", \"gold\": \"5\"}\n", "",
       ":1: 'sample' must be an integer, 0 or more"},
      // Two runs in one file: each sample would count twice in maj@k and pass@k.
      {"{\"id\": 1, \"sample\": 0, \"prediction\": \"5\", \"gold\": \"5\"}\n"
       "{\"id\": 2, \"sample\": 0, \"prediction\": \"5\", \"gold\": \"5\"}\n"
       "{\"id\": 1, \"sample\": 0, \"prediction\": \"4\", \"gold\": \"5\"}\n",
       "", ":3: sample 0 of '1' again (first at "},
      {"{\"id\": 1, \"prediction\": \"E\", \"gold\": \"E\", \"choices\": 4}\n", "",
       ":1: 'gold' must be a letter A to D for 4 choices, not 'E'"},
      {"{\"id\": 1, \"prediction\": \"5\", \"gold\": \"5\"}\n", " --gold " + test::temp_dir(),
       "--gold " + test::temp_dir() + " is a directory"},
  };
  int i = 0;
  for (const Case& c : cases) {
    std::string path = predictions_file("bad" + std::to_string(i++) + ".jsonl", c.content);
    test::CommandResult r = run_command(grade("--predictions " + shell_quote(path) + c.flags));
    EXPECT_NE(r.exit_code, 0) << c.message;
    EXPECT_THAT(r.err, HasSubstr("s1 grade: error: ")) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  test::CommandResult dir = run_command(grade("--predictions " + shell_quote(test::temp_dir())));
  EXPECT_NE(dir.exit_code, 0);
  EXPECT_THAT(dir.err, HasSubstr("is a directory: give a JSONL file"));
  test::CommandResult missing = run_command(grade("--predictions /nonexistent.jsonl"));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("cannot open predictions file"));
  test::CommandResult no_flag = run_command(grade(""));
  EXPECT_NE(no_flag.exit_code, 0);
  EXPECT_THAT(no_flag.err, HasSubstr("--predictions"));
}

// A gap in a problem's sample numbers (an interrupted run) is reported, not hidden.
TEST(GradeCli, MissingSampleNumbersAreReported) {
  const std::string path =
      predictions_file("sparse.jsonl",
                       "{\"id\": 7, \"sample\": 0, \"prediction\": \"5\", \"gold\": 5}\n"
                       "{\"id\": 7, \"sample\": 2, \"prediction\": \"5\", \"gold\": 5}\n");
  const test::CommandResult r = run_command(grade("--predictions " + shell_quote(path) + " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("'7' has samples up to 2 but not sample 1"));
}

}  // namespace
}  // namespace s1
