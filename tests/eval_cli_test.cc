// End-to-end tests of `s1 eval` on the tiny test model and the shared AIME data: the
// sweep's sample lines, results from samples.jsonl, the plots, GPQA's prompt and letters,
// `s1 grade` over an eval's samples, resuming after SIGKILL and after Ctrl-C, and refusing
// a changed configuration.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/datasets.h"
#include "eval_harness.h"
#include "test_util.h"

namespace s1 {
namespace {

using namespace evaltest;

const char* kSweep = "--max-think 16,32 --num-ignore 0,1 --logit-bias 151644+3 --max-answer 8";

TEST(EvalCli, SweepWritesTheExpectedSamplesAndResults) {
  const std::string dir = fresh_dir("sweep");
  const auto r = run_command(eval_command(dir, kSweep));
  ASSERT_EQ(r.exit_code, 0) << r.err;

  std::vector<Problem> problems = load_problems(kAime);
  problems.resize(3);
  const std::map<std::string, int> budgets = {{"budget-forcing max=16 ignore=0", 16},
                                              {"budget-forcing max=16 ignore=1 str=Wait", 16},
                                              {"budget-forcing max=32 ignore=0", 32},
                                              {"budget-forcing max=32 ignore=1 str=Wait", 32}};
  std::set<std::string> expected;
  for (const auto& p : problems) {
    for (const auto& [c, b] : budgets) expected.insert("aime24|" + p.id + "|" + c + "|0");
  }
  const auto lines = read_lines(dir + "/samples.jsonl");
  std::set<std::string> keys;
  for (const auto& l : lines) keys.insert(key(l));
  EXPECT_EQ(lines.size(), 12u);
  EXPECT_EQ(keys, expected);

  // Per line: budget respected, forcing events as configured, the gold answer.
  std::map<std::string, std::vector<const json*>> by_config;
  int ignores_seen = 0;
  for (const auto& l : lines) {
    const std::string c = l["config"];
    by_config[c].push_back(&l);
    EXPECT_LE(l["thinking_tokens"].get<int>(), budgets.at(c));
    EXPECT_EQ(l["method"], "budget-forcing");
    EXPECT_FALSE(l["prompt"].get<std::string>().empty());
    const bool may_ignore = c.find("ignore=1") != std::string::npos;
    int ignores = 0;
    for (const auto& e : l["events"]) {
      if (e["kind"] != "ignore") continue;
      ++ignores;
      EXPECT_EQ(e["text"], "Wait");
    }
    EXPECT_LE(ignores, may_ignore ? 1 : 0) << l.dump();
    ignores_seen += ignores;
    std::string gold;
    for (const auto& p : problems) {
      if (p.id == l["problem"]) gold = p.answer;
    }
    EXPECT_EQ(l["gold"], gold);
    EXPECT_FALSE(l.contains("choices"));  // free-form: graded by equivalence
    EXPECT_GT(l["timing"]["generation_ms"].get<double>(), 0.0);
  }
  EXPECT_GT(ignores_seen, 0);  // the bias makes the model try to end, and "Wait" is appended

  // results.json: per configuration its samples' mean thinking tokens and Control (the
  // values of Scaling and Performance are checked where accuracy varies, below).
  const json res = json::parse(slurp(dir + "/results.json"));
  EXPECT_TRUE(res["complete"].get<bool>());
  ASSERT_EQ(res["datasets"].size(), 1u);
  const json& d = res["datasets"][0];
  size_t within = 0, total = 0;
  for (const auto& c : d["configs"]) {
    const auto& samples = by_config.at(c["name"]);
    double tokens = 0;
    for (const json* l : samples) {
      tokens += (*l)["thinking_tokens"].get<double>();
      within += (*l)["thinking_tokens"].get<int>() <= budgets.at(c["name"]) ? 1 : 0;
      ++total;
    }
    EXPECT_NEAR(c["mean_thinking_tokens"].get<double>(), tokens / samples.size(), 1e-9);
  }
  ASSERT_EQ(d["methods"].size(), 1u);
  const json& m = d["methods"][0];
  EXPECT_EQ(m["family"], "budget-forcing");
  EXPECT_EQ(m["points"].size(), 4u);
  EXPECT_NEAR(m["control"].get<double>(), static_cast<double>(within) / total, 1e-9);

  // `s1 grade` of the samples shows each configuration's results.
  const auto g =
      run_command(kS1 + " grade --json --predictions " + shell_quote(dir + "/samples.jsonl"));
  ASSERT_EQ(g.exit_code, 0) << g.err;
  const json graded = json::parse(g.out)["summary"]["configs"];
  ASSERT_EQ(graded.size(), d["configs"].size());
  for (const auto& c : d["configs"]) {
    const auto it = std::find_if(graded.begin(), graded.end(),
                                 [&](const json& x) { return x["config"] == c["name"]; });
    ASSERT_NE(it, graded.end()) << c["name"];
    EXPECT_EQ((*it)["dataset"], "aime24");
    EXPECT_EQ((*it)["accuracy"], c["accuracy"]);
    EXPECT_NEAR((*it)["thinking_tokens"]["mean"].get<double>(),
                c["mean_thinking_tokens"].get<double>(), 1e-9);
  }

  // The plots: real PNG and SVG files.
  const std::string png = slurp(dir + "/scaling_aime24.png");
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  const std::string svg = slurp(dir + "/scaling_aime24.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  const std::string report = slurp(dir + "/report.md");
  EXPECT_NE(report.find("budget-forcing max=32 ignore=1 str=Wait"), std::string::npos);
  EXPECT_NE(report.find("scaling_aime24.png"), std::string::npos);
}

// Edited sample lines (thinking tokens and grades chosen here) give results.json known
// values: results come from samples.jsonl, recomputed when the same command runs again.
TEST(EvalCli, ResultsAreComputedFromTheSampleLines) {
  const std::string dir = fresh_dir("recomputed");
  const std::string args = "--max-think 8,16 --max-answer 2 --no-plots";
  ASSERT_EQ(run_command(eval_command(dir, args)).exit_code, 0);
  std::vector<json> lines = read_lines(dir + "/samples.jsonl");
  ASSERT_EQ(lines.size(), 6u);
  // max=8: 4, 6, 8 tokens (mean 6), one of three correct; max=16: 10, 12, 20 tokens (mean
  // 14, one over budget), two of three correct.
  std::map<std::string, int> seen;
  std::string text;
  for (json& l : lines) {
    const bool small = l["config"] == "budget-forcing max=8 ignore=0";
    const int i = seen[l["config"]]++;
    l["thinking_tokens"] = small ? 4 + 2 * i : std::vector<int>{10, 12, 20}[i];
    l["correct"] = small ? i == 0 : i != 0;
    text += l.dump() + "\n";
  }
  test::write_file(dir + "/samples.jsonl", text);
  const auto again = run_command(eval_command(dir, args));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("6/6 samples (0 new)"), std::string::npos) << again.err;
  const json d = json::parse(slurp(dir + "/results.json"))["datasets"][0];
  EXPECT_DOUBLE_EQ(d["configs"][0]["accuracy"].get<double>(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(d["configs"][0]["mean_thinking_tokens"].get<double>(), 6.0);
  EXPECT_DOUBLE_EQ(d["configs"][1]["accuracy"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(d["configs"][1]["mean_thinking_tokens"].get<double>(), 14.0);
  const json& m = d["methods"][0];
  EXPECT_DOUBLE_EQ(m["control"].get<double>(), 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(m["scaling"].get<double>(), (2.0 / 3.0 - 1.0 / 3.0) / (14.0 - 6.0));
  EXPECT_DOUBLE_EQ(m["performance"].get<double>(), 2.0 / 3.0);
}

TEST(EvalCli, GpqaShowsTheShuffledChoicesAndGradesLetters) {
  const std::string csv = gpqa_fixture();
  const std::string dir = fresh_dir("gpqa");
  // Every answer is the one token "B" (after the forced "Final Answer:").
  const auto r =
      run_command(eval_on("--dataset gpqa=" + shell_quote(csv), dir,
                          std::string("--max-think 4 --max-answer 1 --no-plots ") + kBiasB));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = read_lines(dir + "/samples.jsonl");
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& l : lines) {
    const std::string id = l["problem"];
    EXPECT_EQ(l["gold"], kGpqaGold.at(id)) << id;
    EXPECT_EQ(l["choices"], 4) << id;
    EXPECT_EQ(l["extracted"], "B") << l["answer"];
    EXPECT_EQ(l["extracted_from"], "choice");
    EXPECT_EQ(l["equivalence"], "choice");
    EXPECT_EQ(l["correct"].get<bool>(), id == "r3") << id;
    if (id == "r3") {
      EXPECT_EQ(l["prompt"],
                "Answer the following multiple choice question. The last line of your response "
                "should be of the following format: 'Answer: $LETTER' (without quotes) where "
                "LETTER is one of ABCD. Think step by step before answering.\n\nHow many legs\n"
                "has a spider?\n\nA) 4\nB) 8\nC) 10\nD) 6");
    }
  }
  const json res = json::parse(slurp(dir + "/results.json"));
  EXPECT_DOUBLE_EQ(res["datasets"][0]["configs"][0]["accuracy"].get<double>(), 1.0 / 3.0);

  // `s1 grade` agrees, from the lines' own gold letters or from the CSV (the same seed).
  for (const std::string gold : {std::string(), " --gold " + shell_quote(csv)}) {
    const auto g = run_command(kS1 + " grade --json --predictions " +
                               shell_quote(dir + "/samples.jsonl") + gold);
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const json out = json::parse(g.out);
    EXPECT_EQ(out["summary"]["correct"], 1) << gold;
    for (const auto& item : out["items"]) {
      EXPECT_EQ(item["gold"], kGpqaGold.at(item["id"])) << gold;
      EXPECT_EQ(item["predicted"], "B") << gold;
    }
  }
  // Another seed is another shuffle: r3's right answer moves.
  const auto other =
      run_command(kS1 + " grade --json --seed 3 --predictions " +
                  shell_quote(dir + "/samples.jsonl") + " --gold " + shell_quote(csv));
  ASSERT_EQ(other.exit_code, 0) << other.err;
  for (const auto& item : json::parse(other.out)["items"]) {
    if (item["id"] == "r3") EXPECT_EQ(item["gold"], "A");
  }
}

TEST(EvalCli, FreeFormAnswersAreGradedByEquivalence) {
  const std::string data = test::temp_dir() + "/sevens.jsonl";
  test::write_file(data,
                   "{\"id\": \"a\", \"problem\": \"3+4?\", \"answer\": \"7\"}\n"
                   "{\"id\": \"b\", \"problem\": \"14/2?\", \"answer\": \"\\\\frac{14}{2}\"}\n"
                   "{\"id\": \"c\", \"problem\": \"2+3?\", \"answer\": \"5\"}\n");
  const std::string dir = fresh_dir("sevens");
  // Every answer is the one token "7".
  const auto r =
      run_command(eval_on("--dataset sevens=" + shell_quote(data), dir,
                          std::string("--max-think 4 --max-answer 1 --no-plots ") + kBias7));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::map<std::string, bool> correct = {{"a", true}, {"b", true}, {"c", false}};
  const auto lines = read_lines(dir + "/samples.jsonl");
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& l : lines) {
    EXPECT_EQ(l["extracted"], "7") << l["answer"];
    EXPECT_EQ(l["correct"].get<bool>(), correct.at(l["problem"])) << l["problem"];
    if (l["problem"] == "b") EXPECT_EQ(l["equivalence"], "numeric");
  }
}

// The one grading path: `s1 grade` over an eval's samples.jsonl gives results.json's
// accuracy, maj@k and pass@k exactly.
TEST(EvalCli, GradeOfTheSamplesReproducesTheResults) {
  const std::string csv = gpqa_fixture();
  const std::string dir = fresh_dir("grade-reproduces");
  // Each answer is "B" or "D": right or wrong by problem.
  const auto r = run_command(
      eval_on("--dataset gpqa=" + shell_quote(csv), dir,
              std::string("--method majority -n 4 --max-think 4 --max-answer 1 --no-plots ") +
                  kBiasB + " " + kBiasD));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = read_lines(dir + "/samples.jsonl");
  ASSERT_EQ(lines.size(), 12u);
  for (const auto& l : lines) {
    const std::string letter = l["extracted"];
    EXPECT_TRUE(letter == "B" || letter == "D") << l["answer"];
    EXPECT_EQ(l["correct"].get<bool>(), letter == kGpqaGold.at(l["problem"]));
  }
  const json c = json::parse(slurp(dir + "/results.json"))["datasets"][0]["configs"][0];
  const auto g =
      run_command(kS1 + " grade --json --predictions " + shell_quote(dir + "/samples.jsonl"));
  ASSERT_EQ(g.exit_code, 0) << g.err;
  const json s = json::parse(g.out)["summary"];
  EXPECT_EQ(s["accuracy"], c["accuracy"]);
  EXPECT_EQ(s["samples_per_problem"], 4);
  EXPECT_EQ(s["problems_with_all_samples"], c["problems_with_all_samples"]);
  ASSERT_EQ(c["maj_at_k"].size(), 3u);  // k = 1, 2, 4
  EXPECT_EQ(s["maj_at_k"], c["maj_at_k"]);
  EXPECT_EQ(s["pass_at_k"], c["pass_at_k"]);
}

// With a judge, the samples carry its verdicts and the question, and `s1 grade` with the
// same judge (its cache, or the same single query on a fresh judge) gives the same grades.
TEST(EvalCli, GradeWithTheEvalsJudgeReproducesTheResults) {
  const std::string data = test::temp_dir() + "/judged-sevens.jsonl";
  test::write_file(data,
                   // Right only by the question's precision rule.
                   "{\"id\": \"a\", \"problem\": \"What is x, rounded to the nearest integer?\","
                   " \"answer\": \"7.2\"}\n"
                   // Not a plain number against another: the one query for the judge.
                   "{\"id\": \"b\", \"problem\": \"Which constant is it?\", \"answer\": \"\\\\pi\"}\n"
                   // Two plain numbers: final.
                   "{\"id\": \"c\", \"problem\": \"2+3?\", \"answer\": \"5\"}\n");
  const std::string dir = fresh_dir("judged-sevens");
  const std::string cache = test::temp_dir() + "/judged-sevens-verdicts.tsv";
  std::remove(cache.c_str());
  const std::string judge = " --judge-model " + shell_quote(test::tiny_model()) +
                            " --judge-max-think 4 --judge-cache " + shell_quote(cache);
  const auto r = run_command(eval_on("--dataset sevens=" + shell_quote(data), dir,
                                     std::string("--max-think 4 --max-answer 1 --no-plots ") +
                                         kBias7 + judge));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = read_lines(dir + "/samples.jsonl");
  ASSERT_EQ(lines.size(), 3u);
  std::map<std::string, json> by_id;
  for (const auto& l : lines) {
    EXPECT_EQ(l["extracted"], "7") << l["answer"];
    by_id[l["problem"]] = l;
  }
  EXPECT_EQ(by_id["a"]["question"], "What is x, rounded to the nearest integer?");
  EXPECT_EQ(by_id["a"]["correct"], true);
  EXPECT_EQ(by_id["a"]["rule"], "precision");
  EXPECT_EQ(by_id["c"]["verdict_source"], "rules");
  EXPECT_FALSE(by_id["c"].contains("judge_malformed"));
  const json& b = by_id["b"];
  const bool judged = b["verdict_source"] == "judge";
  EXPECT_NE(judged, b.value("judge_malformed", false)) << b.dump();

  const json c = json::parse(slurp(dir + "/results.json"))["datasets"][0]["configs"][0];
  const auto g = run_command("env S1_CACHE=" + shell_quote(hash_cache_dir()) + " " + kS1 +
                             " grade --json --predictions " +
                             shell_quote(dir + "/samples.jsonl") + judge);
  ASSERT_EQ(g.exit_code, 0) << g.err;
  const json out = json::parse(g.out);
  EXPECT_EQ(out["summary"]["accuracy"], c["accuracy"]);
  EXPECT_EQ(out["summary"]["correct"], c["correct"]);
  EXPECT_EQ(out["summary"]["judge"]["judged"], 1);
  // A valid verdict of the eval is found in the cache; a malformed one is asked again.
  EXPECT_EQ(out["summary"]["judge"]["cached"], judged ? 1 : 0);
  ASSERT_EQ(out["items"].size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(out["items"][i]["correct"], lines[i]["correct"]) << i;
    EXPECT_EQ(out["items"][i]["verdict_source"], lines[i]["verdict_source"]) << i;
  }
}

TEST(EvalCli, ChangedConfigurationIsRefused) {
  const std::string dir = fresh_dir("changed");
  ASSERT_EQ(run_command(eval_command(dir, "--max-think 8 --max-answer 2 --no-plots")).exit_code, 0);
  const auto r = run_command(eval_command(dir, "--max-think 9 --max-answer 2 --no-plots"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("different configuration"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  EXPECT_EQ(read_lines(dir + "/samples.jsonl").size(), 3u);
  // The same command again: nothing new, nothing duplicated.
  const auto again = run_command(eval_command(dir, "--max-think 8 --max-answer 2 --no-plots"));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("3/3 samples (0 new)"), std::string::npos) << again.err;
  EXPECT_EQ(read_lines(dir + "/samples.jsonl").size(), 3u);
}

TEST(EvalCli, TheModelIsIdentifiedByContent) {
  // Two models of one shape (so one size) and one file name, with other weights.
  const std::string a = fresh_dir("weights-a") + "/model.gguf";
  const std::string b = fresh_dir("weights-b") + "/model.gguf";
  for (const auto& [path, seed] : {std::pair{a, 11}, std::pair{b, 12}}) {
    const std::string dir = path.substr(0, path.rfind('/'));
    const auto made = run_command("mkdir -p " + shell_quote(dir) + " && " + kS1 +
                                  " make-test-model -o " + shell_quote(path) + " --seed " +
                                  std::to_string(seed));
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  ASSERT_EQ(slurp(a).size(), slurp(b).size());
  ASSERT_NE(slurp(a), slurp(b));
  const char* args = "--max-think 4 --max-answer 2 --no-plots";
  const std::string da = fresh_dir("identity-a"), db = fresh_dir("identity-b");
  auto r = run_command(eval_command(da, args, a));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("hashing"), std::string::npos) << r.err;  // first use
  r = run_command(eval_command(db, args, b));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json ca = json::parse(slurp(da + "/config.json"));
  const json cb = json::parse(slurp(db + "/config.json"));
  EXPECT_NE(ca["run_id"], cb["run_id"]);
  EXPECT_EQ(ca["run"]["identity"]["model"]["bytes"], cb["run"]["identity"]["model"]["bytes"]);
  // The other weights do not resume into the first run's directory.
  r = run_command(eval_command(da, args, b));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("(the model's content (-m) differs)"), std::string::npos) << r.err;
  // The same weights under another name are the same run, and the hash comes from the
  // cache (keyed by path, size and time).
  const std::string a2 = test::temp_dir() + "/weights-a-copy.gguf";
  test::write_file(a2, slurp(a));
  r = run_command(eval_command(da, args, a2));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("3/3 samples (0 new)"), std::string::npos) << r.err;
  r = run_command(eval_command(da, args, a));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("hashing"), std::string::npos) << r.err;
  const std::string cache = slurp(hash_cache_dir() + "/model-hashes.tsv");
  EXPECT_NE(cache.find(ca["run"]["identity"]["model"]["xxh64"].get<std::string>()),
            std::string::npos)
      << cache;
}

TEST(EvalCli, ChatTemplateVariablesArePartOfTheRun) {
  const std::string dir = fresh_dir("template-kwargs");
  const std::string off = "--chat-template-kwargs '{\"enable_thinking\": false}' ";
  const auto r = run_command(eval_command(dir, off + "--max-think 8 --max-answer 2 --no-plots"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = read_lines(dir + "/samples.jsonl");
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& l : lines) {
    EXPECT_TRUE(l.value("thinking_off", false)) << l.dump();
    EXPECT_EQ(l["thinking_tokens"], 0);
  }
  const auto changed = run_command(eval_command(dir, "--max-think 8 --max-answer 2 --no-plots"));
  EXPECT_EQ(changed.exit_code, 1);
  EXPECT_NE(changed.err.find("(--chat-template-kwargs differs)"), std::string::npos) << changed.err;
}

// Budget forcing and majority (sampled, seeded) samples, with more work than fits
// between two polls of the file. One sequence at a time: llama.cpp's numerics depend on
// what else is in the batch, so only then is every token reproducible (with more, a
// resumed run has the same samples, but their text may differ).
const char* kResumeArgs =
    "--method budget-forcing,majority -n 2 --max-think 24,48 --num-ignore 0,2 "
    "--logit-bias 151644+2 --max-answer 6 --no-plots";
const std::string kOneAtATime = std::string(kResumeArgs) + " --parallel 1";

TEST(EvalCli, KilledRunResumesToTheSamplesOfAnUninterruptedRun) {
  const std::string ref = fresh_dir("resume-ref");
  const auto full = run_command(eval_command(ref, kOneAtATime));
  ASSERT_EQ(full.exit_code, 0) << full.err;
  const auto ref_lines = read_lines(ref + "/samples.jsonl");
  ASSERT_EQ(ref_lines.size(), 3u * (4 + 2 * 2));

  const std::string dir = fresh_dir("resume-killed");
  kill_after_lines(dir, eval_command(dir, kOneAtATime), 3, ref_lines.size());
  {
    // A write cut short by the kill.
    std::ofstream torn(dir + "/samples.jsonl", std::ios::app | std::ios::binary);
    torn << "{\"dataset\":\"aime24\",\"problem\":\"2024-I";
  }
  const auto resumed = run_command(eval_command(dir, kOneAtATime));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("torn last line"), std::string::npos) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;

  expect_resumed_like(dir, ref);
}

// docs/eval.md's first example from a fresh clone: the sample set that ships, and an --out
// whose parent folders do not exist yet.
TEST(EvalCli, TheShippedSampleSetRunsIntoANewNestedFolder) {
  const std::string out = fresh_dir("fresh-clone") + "/runs/bf";
  const std::string sample = std::string(S1_SOURCE_DIR) + "/data/sample.jsonl";
  const auto r = run_command(eval_on("--dataset sample=" + shell_quote(sample) + " --limit 2", out,
                                     "--max-think 8 --max-answer 2 --no-plots"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json res = json::parse(slurp(out + "/results.json"));
  EXPECT_EQ(res["datasets"][0]["problems"], 2);
  const auto g = run_command(kS1 + " grade --predictions " + shell_quote(out + "/samples.jsonl") +
                             " --gold " + shell_quote(sample));
  EXPECT_EQ(g.exit_code, 0) << g.err;
}

// A budget beyond the context: a warning before the run, and the budget the samples
// actually had in results.json and report.md.
TEST(EvalCli, BudgetsBeyondTheContextAreSaidAndReported) {
  const std::string dir = fresh_dir("beyond-context");
  const auto r = run_command(eval_command(dir, "--max-think 5000 --max-answer 4 --no-plots"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: --max-think 5000 is beyond the context (512 tokens per sequence"),
            std::string::npos)
      << r.err;
  const json c = json::parse(slurp(dir + "/results.json"))["datasets"][0]["configs"][0];
  EXPECT_EQ(c["clamped_samples"], 3);
  const int effective = c["effective_max_think"].get<int>();
  EXPECT_GT(effective, 0);
  EXPECT_LT(effective, 512);
  EXPECT_LE(c["max_thinking_tokens"].get<double>(), effective);
  EXPECT_NE(slurp(dir + "/report.md")
                .find("3 of 3 samples could think for at most " + std::to_string(effective)),
            std::string::npos);
}

// Errors name the flags, not the rules' fields: a floor beyond what the context leaves
// (found per problem by the engine), and more steps than a sequence holds (found before
// the run).
TEST(EvalCli, ErrorsNameTheFlagsNotTheRulesFields) {
  auto r = run_command(
      eval_command(fresh_dir("floor-beyond"), "--min-think 5000 --max-answer 4 --no-plots"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("--min-think (5000) is beyond what the context leaves"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("min_think"), std::string::npos) << r.err;

  r = run_command(eval_command(fresh_dir("steps-beyond"),
                               "--method step-conditional --max-think 100000 --no-plots"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--max-think 100000 asks for 1000 steps of 100 tokens, more than a "
                       "sequence holds (512 tokens, -c)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("max_steps"), std::string::npos) << r.err;
}

TEST(EvalCli, InterruptStopsCleanlyAndTheRunResumes) {
  const std::string dir = fresh_dir("interrupt");
  const std::string args = std::string(kResumeArgs) + " --parallel 2";
  const pid_t pid = spawn(eval_command(dir, args));
  ASSERT_TRUE(signal_after_lines(pid, dir + "/samples.jsonl", 2, SIGINT));
  const json partial = json::parse(slurp(dir + "/results.json"));
  EXPECT_FALSE(partial["complete"].get<bool>());
  const std::string samples = slurp(dir + "/samples.jsonl");
  ASSERT_FALSE(samples.empty());
  EXPECT_EQ(samples.back(), '\n');  // nothing half-written
  const auto r = run_command(eval_command(dir, args));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_lines(dir + "/samples.jsonl").size(), 3u * (4 + 2 * 2));
  EXPECT_TRUE(json::parse(slurp(dir + "/results.json"))["complete"].get<bool>());
}

TEST(EvalCli, ParallelMethodsReportVotesAndVerdicts) {
  const std::string dir = fresh_dir("parallel");
  const auto r = run_command(eval_command(
      dir,
      "--method majority,best-of-n,rejection-sampling -n 4 --max-think 8 --verify-think 4 "
      "--max-tries 2 --max-answer 3 --no-plots --parallel 4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = read_lines(dir + "/samples.jsonl");
  EXPECT_EQ(lines.size(), 3u * (4 + 4 + 1));
  for (const auto& l : lines) {
    if (l["method"] == "best-of-n") {
      EXPECT_TRUE(l.contains("verdict"));
      EXPECT_LE(l["verify_thinking_tokens"].get<int>(), 4);
    }
    if (l["method"] == "rejection-sampling") {
      EXPECT_EQ(l["tries"], 2);  // the random model never ends within 8 tokens by itself
      EXPECT_FALSE(l["fits"].get<bool>());
    }
  }
  const json res = json::parse(slurp(dir + "/results.json"));
  for (const auto& c : res["datasets"][0]["configs"]) {
    if (c["method"] == "majority" || c["method"] == "best-of-n") {
      EXPECT_EQ(c["maj_at_k"].size(), 3u) << c.dump();  // k = 1, 2, 4
      EXPECT_TRUE(c.contains("pass_at_k"));
    }
  }
  const json& methods = res["datasets"][0]["methods"];
  ASSERT_EQ(methods.size(), 3u);
  EXPECT_EQ(methods[0]["family"], "majority");
  EXPECT_EQ(methods[0]["points"].size(), 3u);
}

TEST(EvalCli, RoundScheduleRunsTheSameSweepWithBarriers) {
  const std::string dir = fresh_dir("rounds");
  const auto r = run_command(eval_command(dir, std::string(kSweep) + " --schedule rounds"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = read_lines(dir + "/samples.jsonl");
  ASSERT_EQ(lines.size(), 12u);
  int ignores = 0;
  for (const auto& l : lines) {
    const int budget = l["config"].get<std::string>().find("max=16") != std::string::npos ? 16 : 32;
    // The answer-only round may add one token past a spent budget (see rounds.cc).
    EXPECT_LE(l["thinking_tokens"].get<int>(), budget + 1) << l.dump();
    for (const auto& e : l["events"]) {
      if (e["kind"] != "ignore") continue;
      ++ignores;
      EXPECT_EQ(e["text"], "Wait");
      EXPECT_NE(l["thinking"].get<std::string>().find("Wait"), std::string::npos);
    }
  }
  EXPECT_GT(ignores, 0);
  const auto refused = run_command(eval_command(
      fresh_dir("rounds-majority"), "--method majority --max-think 8 --schedule rounds"));
  EXPECT_EQ(refused.exit_code, 2);  // a usage error, found before the model loads
  EXPECT_NE(refused.err.find("budget forcing only"), std::string::npos) << refused.err;
}

// `s1 plot`: the runs' lines in one plot, written where asked; bad runs refused in one line.
TEST(EvalCli, PlotDrawsSeveralRunsInOneFigure) {
  const std::string dir = fresh_dir("plot-runs");
  std::filesystem::create_directories(dir + "/a");
  std::filesystem::create_directories(dir + "/b");
  const json a = {{"datasets",
                   {{{"name", "toy"},
                     {"methods",
                      {{{"family", "budget-forcing"},
                        {"points",
                         {{{"config", "c1"}, {"compute", 10}, {"accuracy", 0.1}},
                          {{"config", "c2"}, {"compute", 100}, {"accuracy", 0.5}}}}}}}}}}};
  const json b = {{"datasets",
                   {{{"name", "toy"},
                     {"methods",
                      {{{"family", "majority"},
                        {"points", {{{"config", "m"}, {"k", 1}, {"compute", 50}, {"accuracy", 0.4}}}}}}}}}}};
  std::ofstream(dir + "/a/results.json") << a.dump();
  std::ofstream(dir + "/b/results.json") << b.dump();
  const auto r = run_command(kS1 + " plot -o " + shell_quote(dir + "/both") + " " +
                             shell_quote(dir + "/a") + " " + shell_quote(dir + "/b"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string svg = slurp(dir + "/both.svg");
  for (const char* label : {"budget-forcing", "majority"}) {
    EXPECT_NE(svg.find(svg_text(label)), std::string::npos) << label;
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/both.png"));

  auto expect_refused = [&](const std::string& args, const std::string& mention) {
    const auto bad = run_command(kS1 + " plot " + args);
    EXPECT_EQ(bad.exit_code, 2) << bad.err;
    EXPECT_EQ(bad.err.find('\n'), bad.err.size() - 1) << bad.err;
    EXPECT_NE(bad.err.find(mention), std::string::npos) << bad.err;
  };
  expect_refused("-o " + shell_quote(dir + "/x") + " " + shell_quote(dir + "/none"), "no results.json");
  expect_refused("-o " + shell_quote(dir + "/x") + " --dataset aime " + shell_quote(dir + "/a"),
                 "no dataset 'aime' (it has: toy)");
  std::ofstream(dir + "/b/results.json") << "{\"datasets\": 3}";
  expect_refused("-o " + shell_quote(dir + "/x") + " " + shell_quote(dir + "/b"),
                 "is not the results of an s1 eval run");
  std::ofstream(dir + "/b/results.json")
      << R"({"datasets": [{"name": "toy", "methods": [{"family": "x", "points": [{"config": "a"}]}]}]})";
  expect_refused("-o " + shell_quote(dir + "/x") + " " + shell_quote(dir + "/b"),
                 "is not the results of an s1 eval run (key 'compute' not found)");
  // PLplot would retry and abort on a path it cannot open: refused before it runs.
  const auto unwritable = run_command(kS1 + " plot -o " + shell_quote(dir + "/no/such/dir/x") + " " +
                                      shell_quote(dir + "/a"));
  EXPECT_EQ(unwritable.exit_code, 1) << unwritable.err;
  EXPECT_EQ(unwritable.err, "s1 plot: error: cannot write " + dir + "/no/such/dir/x.svg: No such file or directory\n");
}

}  // namespace
}  // namespace s1
