// Results from sample lines, the sample store's resume rules, and the grid expansion.
#include "eval/results.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "eval/run_config.h"
#include "eval/sample_store.h"
#include "test_util.h"

namespace s1::eval {
namespace {

using nlohmann::json;

LoadedDataset dataset(int problems) {
  LoadedDataset d;
  d.spec = {"toy", "toy.jsonl"};
  for (int i = 0; i < problems; ++i) {
    Problem p;
    p.id = "p" + std::to_string(i);
    p.answer = std::to_string(i);
    d.problems.push_back(p);
  }
  return d;
}

json line(const std::string& config, int problem, int sample, int tokens,
          const std::string& extracted, bool correct) {
  return {{"dataset", "toy"},          {"problem", "p" + std::to_string(problem)},
          {"config", config},          {"sample", sample},
          {"thinking_tokens", tokens}, {"extracted", extracted},
          {"correct", correct}};
}

TEST(Results, BudgetForcingMetricsFromLines) {
  MethodConfig a, b;
  a.budget = 100;
  b.budget = 300;
  // a: 1 of 2 correct at 50 and 100 tokens (mean 75); b: 2 of 2 at 200 and 310 (one over budget).
  std::vector<json> lines = {
      line(a.name(), 0, 0, 50, "0", true), line(a.name(), 1, 0, 100, "7", false),
      line(b.name(), 0, 0, 200, "0", true), line(b.name(), 1, 0, 310, "1", true),
      line("other", 0, 0, 1, "", false)};
  const json r = compute_results("id", {dataset(2)}, {a, b}, lines, true);
  const json& d = r["datasets"][0];
  EXPECT_DOUBLE_EQ(d["configs"][0]["accuracy"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(d["configs"][0]["mean_thinking_tokens"].get<double>(), 75);
  EXPECT_DOUBLE_EQ(d["configs"][1]["accuracy"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(d["configs"][1]["control"].get<double>(), 0.5);
  const json& m = d["methods"][0];
  EXPECT_EQ(m["family"], "budget-forcing");
  EXPECT_DOUBLE_EQ(m["control"].get<double>(), 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(m["scaling"].get<double>(), 0.5 / (255.0 - 75.0));
  EXPECT_DOUBLE_EQ(m["performance"].get<double>(), 1.0);
  const std::string md = render_report(r);
  EXPECT_NE(md.find("| budget-forcing | 2 | 75.0% |"), std::string::npos) << md;
}

TEST(Results, MajorityCurveAndBestOfVerdicts) {
  MethodConfig maj;
  maj.kind = MethodKind::kMajority;
  maj.n = 3;
  MethodConfig best = maj;
  best.kind = MethodKind::kBestOfN;
  std::vector<json> lines;
  // Problem 0 (gold 0): votes 5, 0, 0 -> maj@1 wrong, maj@3 right.
  lines.push_back(line(maj.name(), 0, 0, 10, "5", false));
  lines.push_back(line(maj.name(), 0, 1, 10, "0", true));
  lines.push_back(line(maj.name(), 0, 2, 10, "0", true));
  // Best-of: the judge accepts only the wrong candidate 9 of problem 0.
  for (int s = 0; s < 3; ++s) {
    json l = line(best.name(), 0, s, 10, s == 0 ? "9" : "0", s != 0);
    l["verdict"] = s == 0 ? 1 : 0;
    l["verify_thinking_tokens"] = 5;
    lines.push_back(l);
  }
  const json r = compute_results("id", {dataset(1)}, {maj, best}, lines, true);
  const json& c = r["datasets"][0]["configs"][0];
  EXPECT_DOUBLE_EQ(c["maj_at_k"]["1"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(c["maj_at_k"]["3"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(c["pass_at_k"]["1"].get<double>(), 2.0 / 3.0);
  const json& b = r["datasets"][0]["configs"][1];
  EXPECT_DOUBLE_EQ(b["best_of_k"]["3"].get<double>(), 0.0);  // the judge picked 9
  const json& points = r["datasets"][0]["methods"][1]["points"];
  ASSERT_EQ(points.size(), 3u);  // k = 1, 2, 3
  EXPECT_DOUBLE_EQ(points[2]["compute"].get<double>(), 3 * 15.0);
}

TEST(Results, ProblemsWithoutAllSamplesAreLeftOutOfTheCurves) {
  MethodConfig maj;
  maj.kind = MethodKind::kMajority;
  maj.n = 2;
  // Problem 0: 0 (right), then 3 (wrong). Problem 1 has one sample of two: it counts for the
  // accuracy, not for maj@k and pass@k.
  const std::vector<json> lines = {line(maj.name(), 0, 1, 10, "3", false),
                                   line(maj.name(), 0, 0, 10, "0", true),
                                   line(maj.name(), 1, 0, 10, "1", true)};
  const json c =
      compute_results("id", {dataset(2)}, {maj}, lines, false)["datasets"][0]["configs"][0];
  EXPECT_DOUBLE_EQ(c["accuracy"].get<double>(), 2.0 / 3.0);
  EXPECT_EQ(c["problems_with_all_samples"], 1);
  EXPECT_DOUBLE_EQ(c["maj_at_k"]["1"].get<double>(), 1.0);  // sample 0 votes first
  EXPECT_DOUBLE_EQ(c["maj_at_k"]["2"].get<double>(), 1.0);  // a 1-1 tie: the earlier, 0
  EXPECT_DOUBLE_EQ(c["pass_at_k"]["1"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(c["pass_at_k"]["2"].get<double>(), 1.0);
}

// An adaptive sample line with its probe counts and exit.
json adaptive_line(const std::string& config, int problem, int tokens, bool correct, int probes,
                   int probe_tokens, const char* exit) {
  json l = line(config, problem, 0, tokens, correct ? std::to_string(problem) : "x", correct);
  l["probe_count"] = probes;
  l["probe_tokens"] = probe_tokens;
  l["probes_skipped"] = 0;
  l["exit"] = exit ? json(exit) : json(nullptr);
  return l;
}

TEST(Results, AdaptiveRowsCountProbesAndExitsAndTokensSavedAgainstTheCap) {
  MethodConfig a;
  a.kind = MethodKind::kAdaptive;
  a.budget = 100;
  a.probe.every = 10;
  a.probe.consistent = 2;
  MethodConfig b = a;  // another rule, with one sample only
  b.probe.confidence = 0.9;
  const MethodConfig base = adaptive_baseline(a);
  EXPECT_EQ(base.name(), "budget-forcing max=100 ignore=0");
  // The baseline thinks to the cap (100, 100; one of two right); a exits on p0 at 40 tokens
  // (still right) and thinks to the cap on p1; b exits confidently on p1 at 60.
  std::vector<json> lines = {line(base.name(), 0, 0, 100, "0", true),
                             line(base.name(), 1, 0, 100, "7", false),
                             adaptive_line(a.name(), 0, 40, true, 4, 20, "consistent"),
                             adaptive_line(a.name(), 1, 100, false, 9, 45, nullptr),
                             adaptive_line(b.name(), 1, 60, true, 6, 30, "confident")};
  const json r = compute_results("id", {dataset(2)}, {base, a, b}, lines, true);
  const json& d = r["datasets"][0];
  const json& ra = d["configs"][1];
  EXPECT_EQ(ra["probes"], 13);
  EXPECT_DOUBLE_EQ(ra["mean_probes"].get<double>(), 6.5);
  EXPECT_EQ(ra["probe_tokens"], 65);
  EXPECT_DOUBLE_EQ(ra["mean_probe_tokens"].get<double>(), 32.5);
  EXPECT_EQ(ra["exits"], json({{"consistent", 1}, {"confident", 0}}));
  EXPECT_DOUBLE_EQ(ra["exit_rate"].get<double>(), 0.5);
  EXPECT_EQ(ra["baseline"], base.name());
  EXPECT_EQ(ra["paired_samples"], 2);
  EXPECT_DOUBLE_EQ(ra["baseline_mean_thinking_tokens"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(ra["tokens_saved"].get<double>(), 30);
  EXPECT_DOUBLE_EQ(ra["tokens_saved_fraction"].get<double>(), 0.3);
  EXPECT_DOUBLE_EQ(ra["tokens_saved_net"].get<double>(), (200.0 - 140 - 65) / 2);
  EXPECT_DOUBLE_EQ(ra["accuracy_change"].get<double>(), 0);
  // b is compared on its one sample only (p1, where the baseline was wrong).
  const json& rb = d["configs"][2];
  EXPECT_EQ(rb["exits"], json({{"consistent", 0}, {"confident", 1}}));
  EXPECT_EQ(rb["paired_samples"], 1);
  EXPECT_DOUBLE_EQ(rb["tokens_saved"].get<double>(), 40);
  EXPECT_DOUBLE_EQ(rb["baseline_accuracy"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(rb["accuracy_change"].get<double>(), 1);
  EXPECT_FALSE(d["configs"][0].contains("tokens_saved"));  // the baseline itself

  // One plot: the baseline on budget forcing's line, the rules as labeled points.
  ASSERT_EQ(d["methods"].size(), 2u);
  EXPECT_EQ(d["methods"][0]["family"], "budget-forcing");
  const json& m = d["methods"][1];
  EXPECT_EQ(m["family"], "adaptive");
  ASSERT_EQ(m["points"].size(), 2u);
  EXPECT_EQ(m["points"][0]["label"], "N=10 W=2 tau=0.9 max=100");  // b: 60 tokens, first
  EXPECT_EQ(m["points"][1]["label"], "N=10 W=2 max=100");
  const std::string md = render_report(r);
  EXPECT_NE(md.find("| " + a.name() +
                    " | 50.0% | 70.0 | 50.0% | 100.0 | 30.0 | 30.0% | 6.50 | "
                    "32.5 | 1 / 0 |"),
            std::string::npos)
      << md;
  EXPECT_EQ(adaptive_summary(r),
            "toy " + a.name() +
                ": accuracy 50.0% (baseline 50.0%), 70.0 thinking tokens (baseline 100.0), 30.0 "
                "saved (30.0%); 6.50 probes, 32.5 probe tokens per sample; exits: 1 consistent, "
                "0 confident\n"
                "toy " +
                b.name() +
                ": accuracy 100.0% (baseline 0.0%), 60.0 thinking tokens (baseline 100.0), 40.0 "
                "saved (40.0%); 6.00 probes, 30.0 probe tokens per sample; exits: 0 consistent, "
                "1 confident\n");
  EXPECT_EQ(adaptive_summary(compute_results("id", {dataset(2)}, {base}, lines, true)), "");
}

TEST(SampleStore, DropsATornLastLineAndRefusesDuplicates) {
  const std::string path = test::temp_dir() + "/store.jsonl";
  test::write_file(path, line("c", 0, 0, 1, "", false).dump() + "\n" + "{\"dataset\":\"to");
  {
    SampleStore s(path);
    EXPECT_TRUE(s.dropped_torn_line());
    EXPECT_EQ(s.lines().size(), 1u);
    EXPECT_TRUE(s.has(SampleStore::key("toy", "p0", "c", 0)));
    EXPECT_THROW(s.append(line("c", 0, 0, 1, "", false)), std::runtime_error);
    json with_text = line("c", 0, 1, 2, "", false);
    with_text["thinking"] = std::string(1000, 'x');
    s.append(with_text);
    EXPECT_FALSE(s.lines().back().contains("thinking"));  // kept on disk, not in memory
    EXPECT_EQ(s.lines().back()["thinking_tokens"], 2);
  }
  SampleStore again(path);
  EXPECT_FALSE(again.dropped_torn_line());
  EXPECT_EQ(again.lines().size(), 2u);
  std::ifstream in(path);
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  EXPECT_EQ(json::parse(second)["thinking"].get<std::string>().size(), 1000u);
  test::write_file(path, "not json\n{}\n");
  EXPECT_THROW(SampleStore{path}, std::runtime_error);
}

TEST(RunConfig, GridExpansionAndRunDirectory) {
  GridSpec g;
  g.methods = {"budget-forcing", "token-conditional+forcing", "class-conditional"};
  g.budgets = {64, -1};
  g.num_ignores = {0, 2};
  g.ignore_strings = {"Wait", ""};
  const auto configs = expand_grid(g);
  std::vector<std::string> names;
  for (const auto& c : configs) names.push_back(c.name());
  const std::vector<std::string> want = {"budget-forcing max=64 ignore=0",
                                         "budget-forcing max=64 ignore=2 str=Wait",
                                         "budget-forcing max=64 ignore=2 str=none",
                                         "budget-forcing max=auto ignore=0",
                                         "budget-forcing max=auto ignore=2 str=Wait",
                                         "budget-forcing max=auto ignore=2 str=none",
                                         "token-conditional+forcing tokens=64",
                                         "class-conditional short",
                                         "class-conditional long"};
  EXPECT_EQ(names, want);
  g.methods = {"rejection-sampling"};
  g.budgets = {-1};
  EXPECT_THROW(expand_grid(g), std::invalid_argument);
  // "auto" that no method of the grid can take is refused, not dropped...
  g.methods = {"token-conditional"};
  g.budgets = {64, 128, -1};
  try {
    expand_grid(g);
    FAIL() << "auto was dropped";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--max-think auto: token-conditional need numeric"),
              std::string::npos)
        << e.what();
  }
  // ...and left out, said in a note, where another method takes it.
  GridSpec mixed;
  mixed.methods = {"budget-forcing", "token-conditional"};
  mixed.budgets = {64, 128, -1};
  std::vector<std::string> notes;
  EXPECT_EQ(expand_grid(mixed, &notes).size(), 5u);  // 3 budget forcing, 2 token-conditional
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], "auto is left out for token-conditional (numeric budgets only)");
  g.methods = {"majority+forcing"};
  EXPECT_THROW(expand_grid(g), std::invalid_argument);

  EXPECT_EQ(parse_dataset_spec("/a/b/aime24.jsonl").name, "aime24");
  EXPECT_EQ(parse_dataset_spec("x=/a/b.jsonl").path, "/a/b.jsonl");

  const std::string dir = test::temp_dir() + "/claim";
  const json run = run_json({{"model", "m"}}, {}, configs);
  claim_run_dir(dir, run, {{"path", "here"}});
  EXPECT_NO_THROW(claim_run_dir(dir, run, {{"path", "elsewhere"}}));
  try {
    claim_run_dir(dir, run_json({{"model", "m"}, {"max_answer", 8}}, {}, configs), {});
    FAIL() << "a different answer budget was accepted";
  } catch (const std::runtime_error& e) {  // named by the flag that sets it
    EXPECT_NE(std::string(e.what()).find("(--max-answer differs)"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("/identity"), std::string::npos) << e.what();
  }
  const json other = run_json({{"model", "m2"}}, {}, configs);
  try {
    claim_run_dir(dir, other, {});
    FAIL() << "a different run was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("(-m (the model) differs)"), std::string::npos) << e.what();
  }
  EXPECT_NE(run_id(run), run_id(other));
}

TEST(RunConfig, ClaimingARunDirCreatesItsParentFolders) {
  const std::string dir = test::temp_dir() + "/runs/nested/bf";
  GridSpec g;
  g.methods = {"budget-forcing"};
  g.budgets = {64};
  const json run = run_json({{"model", "m"}}, {}, expand_grid(g));
  ASSERT_NO_THROW(claim_run_dir(dir, run, {}));
  EXPECT_TRUE(std::filesystem::exists(dir + "/config.json"));
}

TEST(RunConfig, AdaptiveSweepsEveryCombinationBesideItsBaseline) {
  GridSpec g;
  g.methods = {"adaptive", "budget-forcing"};
  g.budgets = {64};
  g.probe_every = {8, 16};
  g.exit_consistent = {2};
  g.exit_confidence = {0, 0.95};
  std::vector<std::string> names;
  for (const auto& c : expand_grid(g)) names.push_back(c.name());
  const std::vector<std::string> want = {"budget-forcing max=64 ignore=0",  // the baseline, once
                                         "adaptive max=64 every=8 consistent=2 confidence=0",
                                         "adaptive max=64 every=8 consistent=2 confidence=0.95",
                                         "adaptive max=64 every=16 consistent=2 confidence=0",
                                         "adaptive max=64 every=16 consistent=2 confidence=0.95"};
  EXPECT_EQ(names, want);
  // Shared probe settings are part of each configuration (so of the run id).
  g.methods = {"adaptive"};
  const json one = run_json({}, {}, expand_grid(g));
  g.probe.probe_tokens = 8;
  const json other = run_json({}, {}, expand_grid(g));
  EXPECT_EQ(one["configs"][1]["probe"]["probe_tokens"], 20);
  EXPECT_NE(run_id(one), run_id(other));

  // Suppressed words: in every configuration, the baseline too, and in the run id.
  g.methods = {"adaptive", "majority"};
  g.probe_every = {8};
  g.exit_confidence = {0};
  g.suppress_words = {"wait"};
  std::vector<std::string> suppressed;
  for (const auto& c : expand_grid(g)) suppressed.push_back(c.name());
  EXPECT_EQ(suppressed, (std::vector<std::string>{
                            "budget-forcing max=64 ignore=0 suppress=wait",
                            "adaptive max=64 every=8 consistent=2 confidence=0 suppress=wait",
                            "majority n=8 max=64 suppress=wait"}));
  EXPECT_EQ(adaptive_baseline(expand_grid(g)[1]).name(), suppressed[0]);
  g.suppress_words.clear();
  g.methods = {"adaptive"};
  g.probe_every = {8, 16};
  g.exit_confidence = {0, 0.95};

  g.probe_every = {0};  // no probes: not adaptive
  EXPECT_THROW(expand_grid(g), std::invalid_argument);
  g.probe_every = {8};
  g.exit_confidence = {-0.5};
  EXPECT_THROW(expand_grid(g), std::invalid_argument);
}

json point(const std::string& config, double compute, double accuracy) {
  return {{"config", config}, {"compute", compute}, {"accuracy", accuracy}};
}

TEST(Results, PlotLinesMergeRunsOneLinePerFamilyEachPointOnce) {
  const json caps = {{"methods",
                      {{{"family", "budget-forcing"},
                        {"points", {point("bf max=100", 100, 0.2), point("bf max=auto", 270, 0.9)}}}}}};
  json adaptive_point = point("ad W=2", 200, 0.9);
  adaptive_point["label"] = "N=8 W=2 max=auto";
  const json adaptive = {
      {"methods",
       {{{"family", "budget-forcing"},
         {"points", {point("bf max=auto", 271, 0.91), point("bf max=50", 50, 0.0)}}},
        {{"family", "adaptive"}, {"points", {adaptive_point}}}}}};

  // One run: its points in its order (a curve that is not monotone stays as listed).
  const auto one = plot_lines({caps});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].compute, (std::vector<double>{100, 270}));

  const auto lines = plot_lines({caps, adaptive});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].label, "budget-forcing");
  // The second run's "bf max=auto" is drawn already: left out; the rest sorted by compute.
  EXPECT_EQ(lines[0].compute, (std::vector<double>{50, 100, 270}));
  EXPECT_EQ(lines[0].accuracy, (std::vector<double>{0.0, 0.2, 0.9}));
  EXPECT_FALSE(lines[0].points_only);
  EXPECT_EQ(lines[1].label, "adaptive");
  EXPECT_TRUE(lines[1].points_only);
  EXPECT_EQ(lines[1].point_labels, (std::vector<std::string>{"N=8 W=2 max=auto"}));

  // Majority points of one configuration differ by k.
  const json maj = {{"methods",
                     {{{"family", "majority"},
                       {"points", {{{"config", "m"}, {"k", 1}, {"compute", 270}, {"accuracy", 0.9}},
                                   {{"config", "m"}, {"k", 2}, {"compute", 540}, {"accuracy", 0.9}}}}}}}};
  EXPECT_EQ(plot_lines({maj, maj})[0].compute, (std::vector<double>{270, 540}));
}

TEST(RunConfig, MultipleChoiceSetsAreMarked) {
  LoadedDataset math = dataset(1);
  LoadedDataset gpqa = dataset(1);
  gpqa.problems[0].choices = {"6", "5", "3", "4"};
  gpqa.problems[0].correct_letter = 'D';
  const json run = run_json({}, {math, gpqa}, {});
  EXPECT_FALSE(run["datasets"][0].contains("multiple_choice"));
  EXPECT_EQ(run["datasets"][1]["multiple_choice"], "letters");
}

}  // namespace
}  // namespace s1::eval
