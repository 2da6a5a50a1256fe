// End-to-end tests of `s1 eval --method adaptive` on the tiny test model: a sweep of probe
// rules beside its budget-forcing baseline, probes and exits in samples.jsonl, per
// configuration rows with tokens saved, the labeled plot, `s1 grade` over the samples,
// resuming after SIGKILL, suppressed words (NoWait) in every configuration, and bad lists
// refused.
//
// The model's text is gibberish, so it is steered by logit biases of +100, which no
// logit of the tiny model comes near: thinking is one token ("a") repeated until the cap,
// and a probe (an answer attempt, under the answer phase's biases) answers ")}" at once,
// so every probe agrees. What follows from that is exact on any CPU; nothing else is
// compared exactly.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "eval_harness.h"

namespace s1 {
namespace {

using namespace evaltest;

// Qwen2 token ids (the test model's vocabulary).
const char* kThinkA = "--logit-bias-think 64+100";          // "a"
const char* kProbesClose = "--logit-bias-answer 9139+100";  // ")}": the box closes on ")"

const std::string kBaseline = "budget-forcing max=32 ignore=0";

// Exactly one line on stderr, and a non-zero exit that is not a crash.
void expect_one_line_error(const test::CommandResult& r, const std::string& mention) {
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_LT(r.exit_code, 128) << "crashed: " << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  EXPECT_NE(r.err.find(mention), std::string::npos) << r.err;
}

TEST(EvalAdaptive, SweepWritesProbesPerConfigurationRowsAndThePlot) {
  const std::string dir = fresh_dir("adaptive-sweep");
  const std::string args = std::string("--method adaptive --max-think 32 --probe-every 8 ") +
                           "--exit-consistent 0,2 --exit-confidence 0,2 --max-answer 2 " + kThinkA +
                           " " + kProbesClose;
  const auto r = run_command(eval_command(dir, args + " --probe-tokens 4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Each adaptive configuration against its baseline, at the end of the run.
  EXPECT_NE(r.err.find("s1 eval: aime24 adaptive max=32 every=8 consistent=0 confidence=2: "
                       "accuracy 0.0% (baseline 0.0%), 32.0 thinking tokens (baseline 32.0), "
                       "0.0 saved (0.0%); 3.00 probes"),
            std::string::npos)
      << r.err;

  // Five configurations, ids distinct: the baseline and W x tau.
  const std::set<std::string> configs = {kBaseline,
                                         "adaptive max=32 every=8 consistent=0 confidence=0",
                                         "adaptive max=32 every=8 consistent=0 confidence=2",
                                         "adaptive max=32 every=8 consistent=2 confidence=0",
                                         "adaptive max=32 every=8 consistent=2 confidence=2"};
  const json config = json::parse(slurp(dir + "/config.json"));
  std::set<std::string> names;
  for (const auto& c : config["run"]["configs"]) names.insert(c["name"].get<std::string>());
  EXPECT_EQ(names, configs);
  EXPECT_EQ(config["run"]["configs"].size(), configs.size());

  const auto lines = read_lines(dir + "/samples.jsonl");
  ASSERT_EQ(lines.size(), 15u);
  std::map<std::string, int> baseline_tokens;  // by problem
  for (const auto& l : lines) {
    if (l["config"] == kBaseline) {
      EXPECT_FALSE(l.contains("probes"));
      EXPECT_EQ(l["thinking_tokens"], 32);  // "a" until the cap
      baseline_tokens[l["problem"]] = l["thinking_tokens"];
    }
  }
  std::map<std::string, json> probes_of;  // by config: sums over its samples
  for (const auto& l : lines) {
    const std::string c = l["config"];
    if (c == kBaseline) continue;
    EXPECT_EQ(l["method"], "adaptive");
    const bool consistent = c.find("consistent=2") != std::string::npos;
    const json& probes = l["probes"];
    ASSERT_TRUE(probes.is_array()) << l.dump();
    EXPECT_EQ(l["probe_count"], probes.size());
    for (size_t i = 0; i < probes.size(); ++i) {
      EXPECT_EQ(probes[i]["thinking_tokens"], 8 * static_cast<int>(i + 1)) << l.dump();
      EXPECT_EQ(probes[i]["answer"], ")");
      EXPECT_TRUE(probes[i]["closed"].get<bool>());
      EXPECT_FALSE(probes[i]["confident"].get<bool>());  // tau 2 never holds
    }
    if (consistent) {
      // The second agreeing probe (at 16) ends thinking, before the cap.
      ASSERT_EQ(probes.size(), 2u) << l.dump();
      EXPECT_TRUE(probes[1]["agreed"].get<bool>());
      EXPECT_EQ(l["exit"], "consistent");
      EXPECT_GE(l["thinking_tokens"].get<int>(), 16);
      EXPECT_LT(l["thinking_tokens"].get<int>(), 32);
      int exits = 0;
      for (const auto& e : l["events"]) exits += e["kind"] == "exit" ? 1 : 0;
      EXPECT_EQ(exits, 1);
    } else {
      // No rule can fire: probes at 8, 16 and 24, no exit, the baseline's thinking.
      EXPECT_EQ(probes.size(), 3u) << l.dump();
      EXPECT_TRUE(l["exit"].is_null());
      EXPECT_EQ(l["thinking_tokens"], baseline_tokens.at(l["problem"]));
    }
    json& sums = probes_of.emplace(c, json::object()).first->second;
    sums["probes"] = sums.value("probes", 0) + static_cast<int>(probes.size());
    sums["probe_tokens"] = sums.value("probe_tokens", 0) + l["probe_tokens"].get<int>();
    sums["exits"] = sums.value("exits", 0) + (l["exit"].is_null() ? 0 : 1);
  }

  // results.json: per configuration its probes, exits and tokens saved.
  const json d = json::parse(slurp(dir + "/results.json"))["datasets"][0];
  int adaptive_rows = 0;
  for (const auto& row : d["configs"]) {
    const std::string c = row["name"];
    if (c == kBaseline) {
      EXPECT_FALSE(row.contains("tokens_saved"));
      continue;
    }
    ++adaptive_rows;
    const json& sums = probes_of.at(c);
    EXPECT_EQ(row["probes"], sums["probes"]) << c;
    EXPECT_EQ(row["probe_tokens"], sums["probe_tokens"]) << c;
    EXPECT_EQ(row["exits"]["consistent"], sums["exits"]) << c;
    EXPECT_EQ(row["exits"]["confident"], 0) << c;
    EXPECT_EQ(row["baseline"], kBaseline);
    EXPECT_EQ(row["paired_samples"], 3);
    if (c.find("consistent=2") != std::string::npos) {
      EXPECT_EQ(row["exits"]["consistent"], 3);
      EXPECT_GT(row["tokens_saved"].get<double>(), 0) << c;
    } else {
      EXPECT_EQ(row["tokens_saved"], 0.0) << c;
      EXPECT_EQ(row["mean_thinking_tokens"], 32.0) << c;
    }
  }
  EXPECT_EQ(adaptive_rows, 4);
  ASSERT_EQ(d["methods"].size(), 2u);
  EXPECT_EQ(d["methods"][0]["family"], "budget-forcing");
  const json& m = d["methods"][1];
  EXPECT_EQ(m["family"], "adaptive");
  ASSERT_EQ(m["points"].size(), 4u);
  std::set<std::string> labels;
  for (const auto& p : m["points"]) labels.insert(p["label"].get<std::string>());
  EXPECT_EQ(labels, (std::set<std::string>{"N=8 max=32", "N=8 tau=2 max=32", "N=8 W=2 max=32",
                                           "N=8 W=2 tau=2 max=32"}));

  // The plot holds both methods and the points' labels; the report the adaptive table.
  const std::string svg = slurp(dir + "/scaling_aime24.svg");
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  for (const char* text : {"budget-forcing", "adaptive", "N=8 W=2 max=32", "N=8 tau=2 max=32"}) {
    EXPECT_NE(svg.find(svg_text(text)), std::string::npos) << text;
  }
  const std::string png = slurp(dir + "/scaling_aime24.png");
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  const std::string report = slurp(dir + "/report.md");
  EXPECT_NE(report.find("| adaptive configuration |"), std::string::npos) << report;
  EXPECT_NE(report.find("| adaptive max=32 every=8 consistent=2 confidence=0 |"), std::string::npos)
      << report;

  // Another grid is another run: refused in this directory.
  const auto other = run_command(eval_command(dir, args + " --probe-tokens 5"));
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("different configuration"), std::string::npos) << other.err;
}

// `s1 grade` over the samples (probes and all) gives results.json's accuracy.
TEST(EvalAdaptive, GradeOfTheSamplesReproducesTheResults) {
  const std::string dir = fresh_dir("adaptive-grade");
  // Each answer is "B" or "D" (right or wrong by problem); probes answer the same letters
  // and never close their box, so no exit happens.
  const auto r = run_command(
      eval_on("--dataset gpqa=" + shell_quote(gpqa_fixture()), dir,
              std::string("--method adaptive --max-think 8 --probe-every 4 --exit-consistent 2 "
                          "--probe-tokens 2 --max-answer 1 --no-plots ") +
                  kBiasB + " " + kBiasD));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = read_lines(dir + "/samples.jsonl");
  ASSERT_EQ(lines.size(), 6u);
  size_t correct = 0;
  for (const auto& l : lines) correct += l["correct"].get<bool>() ? 1 : 0;
  const json d = json::parse(slurp(dir + "/results.json"))["datasets"][0];
  size_t rows_correct = 0;
  for (const auto& c : d["configs"]) rows_correct += c["correct"].get<size_t>();
  EXPECT_EQ(rows_correct, correct);
  const auto g =
      run_command(kS1 + " grade --json --predictions " + shell_quote(dir + "/samples.jsonl"));
  ASSERT_EQ(g.exit_code, 0) << g.err;
  const json s = json::parse(g.out)["summary"];
  EXPECT_DOUBLE_EQ(s["accuracy"].get<double>(), static_cast<double>(correct) / 6.0);
}

// Probe-steered samples, one sequence at a time (so every token is reproducible, as for
// budget forcing's resume test).
const char* kResumeArgs =
    "--method adaptive --max-think 24,48 --probe-every 8 --exit-consistent 0,2 --probe-tokens 4 "
    "--logit-bias 151644+2 --logit-bias-answer 9139+100 --max-answer 6 --no-plots --parallel 1";

TEST(EvalAdaptive, KilledRunResumesToTheSamplesOfAnUninterruptedRun) {
  const std::string ref = fresh_dir("adaptive-resume-ref");
  const auto full = run_command(eval_command(ref, kResumeArgs));
  ASSERT_EQ(full.exit_code, 0) << full.err;
  const auto ref_lines = read_lines(ref + "/samples.jsonl");
  ASSERT_EQ(ref_lines.size(), 3u * 6);  // two baselines and four adaptive configurations

  const std::string dir = fresh_dir("adaptive-resume-killed");
  kill_after_lines(dir, eval_command(dir, kResumeArgs), 3, ref_lines.size());
  const auto resumed = run_command(eval_command(dir, kResumeArgs));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;

  expect_resumed_like(dir, ref);  // probes and exits included

  // Fewer probe sequences skip probes, so exits may differ: another run, refused here.
  const auto fewer = run_command(eval_command(ref, std::string(kResumeArgs) + " --probe-slots 0"));
  expect_one_line_error(fewer, "holds run");
}

// NoWait in a sweep: every configuration (the adaptive baseline too) masks the tokens
// holding the word while thinking. Thinking is steered to "a" repeated; suppressing "a"
// leaves no "a" in any thinking, where the same run without it thinks nothing else.
TEST(EvalAdaptive, SuppressedWordsApplyToEveryConfigurationAndAreNamed) {
  const std::string args = std::string("--method budget-forcing,adaptive --max-think 16 ") +
                           "--probe-every 8 --exit-consistent 2 --max-answer 2 --no-plots " +
                           kThinkA + " " + kProbesClose;
  const std::string plain = fresh_dir("adaptive-nowait-plain");
  const auto p = run_command(eval_command(plain, args));
  ASSERT_EQ(p.exit_code, 0) << p.err;
  for (const auto& l : read_lines(plain + "/samples.jsonl")) {
    EXPECT_EQ(l["thinking"].get<std::string>(), std::string(16, 'a')) << l.dump();
  }

  const std::string dir = fresh_dir("adaptive-nowait");
  // A word no token holds is said, once, and masks nothing.
  const auto r = run_command(eval_command(dir, args + " --suppress-words 'A, zqxjkvwq'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("s1 eval: note: --suppress-words: no token of this vocabulary contains "
                       "'zqxjkvwq'"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("contains 'A'"), std::string::npos) << r.err;
  const json config = json::parse(slurp(dir + "/config.json"));
  std::set<std::string> names;
  for (const auto& c : config["run"]["configs"]) {
    names.insert(c["name"].get<std::string>());
    EXPECT_EQ(c["suppress_words"], json::array({"A", "zqxjkvwq"})) << c.dump();
  }
  EXPECT_EQ(names, (std::set<std::string>{
                       "budget-forcing max=16 ignore=0 suppress=A|zqxjkvwq",
                       "adaptive max=16 every=8 consistent=2 confidence=0 suppress=A|zqxjkvwq"}));
  const auto lines = read_lines(dir + "/samples.jsonl");
  ASSERT_EQ(lines.size(), 6u);
  for (const auto& l : lines) {
    const std::string thinking = l["thinking"].get<std::string>();
    EXPECT_FALSE(thinking.empty()) << l.dump();
    EXPECT_EQ(thinking.find_first_of("aA"), std::string::npos) << l.dump();
  }
  // The adaptive rows compare with the baseline that suppresses the same words.
  const json d = json::parse(slurp(dir + "/results.json"))["datasets"][0];
  size_t compared = 0;
  for (const auto& c : d["configs"]) {
    if (!c.contains("baseline")) continue;
    EXPECT_EQ(c["baseline"], "budget-forcing max=16 ignore=0 suppress=A|zqxjkvwq") << c.dump();
    ++compared;
  }
  EXPECT_EQ(compared, 1u);
  // A list with no word is refused in one line.
  expect_one_line_error(run_command(eval_command(fresh_dir("adaptive-nowait-bad"),
                                                 "--max-think 8 --suppress-words ' , '")),
                        "--suppress-words");
}

TEST(EvalAdaptive, BadListsAreRefusedInOneLine) {
  const std::string dir = fresh_dir("adaptive-bad");
  expect_one_line_error(
      run_command(eval_command(dir, "--method adaptive --probe-every 8 --exit-confidence 1.5,x")),
      "--exit-confidence");
  expect_one_line_error(run_command(eval_command(dir, "--method adaptive --probe-every 8,-8")),
                        "--probe-every");
  expect_one_line_error(
      run_command(eval_command(dir, "--method adaptive --probe-every 8 --exit-consistent 2,x")),
      "--exit-consistent");
  // Probes are what the method is.
  expect_one_line_error(run_command(eval_command(dir, "--method adaptive --exit-consistent 2")),
                        "--probe-every");
  expect_one_line_error(run_command(eval_command(dir, "--method adaptive")), "--probe-every");
  // Probe flags without the method that probes.
  expect_one_line_error(run_command(eval_command(dir, "--max-think 8 --probe-every 8")),
                        "--probe-every needs --method adaptive");
}

}  // namespace
}  // namespace s1
