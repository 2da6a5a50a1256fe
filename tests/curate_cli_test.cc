// End-to-end tests of `s1 curate` on a pool built from the shared evaluation problems
// with synthetic traces and attempts.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>
#include <string>

#include "core/datasets.h"
#include "engine/model.h"
#include "test_util.h"

namespace s1 {
namespace {

using test::run_command;
using test::shell_quote;

const std::string kS1 = S1_BIN;

std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

void write_jsonl(const std::string& path, const std::vector<nlohmann::json>& records) {
  std::ofstream out(path);
  for (const auto& r : records) out << r.dump() << "\n";
}

// 500 MATH problems with traces whose length follows the problem's level, attempts that
// solve every level-1 problem (too easy), and planted flaws.
struct Pool {
  std::string path;
  size_t size = 0;
  long easy = 0;
};

Pool make_pool(const std::string& dir) {
  const auto math = load_problems(std::string(S1_SHARED_DATA) + "/math500.jsonl");
  const auto aime = load_problems(std::string(S1_SHARED_DATA) + "/aime24.jsonl");
  std::vector<nlohmann::json> records;
  Pool pool;
  std::ifstream raw(std::string(S1_SHARED_DATA) + "/math500.jsonl");
  std::string line;
  for (size_t i = 0; std::getline(raw, line); ++i) {
    const auto src = nlohmann::json::parse(line);
    const int level = src["level"].get<int>();
    std::string trace;
    for (int k = 0; k < level * 20 + static_cast<int>(i % 7); ++k) trace += "step " + std::to_string(k) + ". ";
    const bool easy = level == 1;
    pool.easy += easy;
    records.push_back({{"id", src["id"]},
                       {"question", src["problem"]},
                       {"trace", trace},
                       {"answer", src["answer"]},
                       {"domain", src["subject"]},
                       {"attempts", {{{"model", "a"}, {"correct", easy}}, {{"model", "b"}, {"correct", true}}}}});
  }
  // Planted flaws, each with a known reason.
  records.push_back({{"id", "empty-trace"}, {"question", "What is 2+3?"}, {"trace", " "}, {"answer", "5"}});
  records.push_back({{"id", "api-error"}, {"question", "What is 2+4?"},
                     {"trace", "Error code: 429 - Rate limit reached"}, {"answer", ""}});
  records.push_back({{"id", "image"}, {"question", "In the diagram ![fig](fig.png), find x."},
                     {"trace", "t"}, {"answer", "1"}});
  nlohmann::json dup = records[10];
  dup["id"] = "exact-copy";
  records.push_back(dup);
  // A near copy of the longest of the first 100 questions, with a few words added.
  size_t longest = 0;
  for (size_t i = 0; i < 100; ++i) {
    const std::string q = records[i]["question"];
    if (q.find("[asy]") == std::string::npos &&
        q.size() > records[longest]["question"].get<std::string>().size()) {
      longest = i;
    }
  }
  nlohmann::json near = records[longest];
  near["id"] = "near-copy";
  near["question"] = near["question"].get<std::string>() + " Show your work.";
  records.push_back(near);
  records.push_back({{"id", "aime-copy"},
                     {"question", "Consider this: " + aime[0].problem.substr(0, 300) + " What now?"},
                     {"trace", "thinking"}, {"answer", "204"}, {"domain", "Algebra"}});
  pool.path = dir + "/pool.jsonl";
  pool.size = records.size();
  write_jsonl(pool.path, records);
  return pool;
}

TEST(CurateCli, FilterSelectExport) {
  const std::string dir = test::temp_dir();
  const Pool pool = make_pool(dir);
  const std::string kept = dir + "/kept.jsonl", dropped = dir + "/dropped.jsonl";
  auto r = run_command(kS1 + " curate filter -i " + pool.path + " -o " + kept + " --dropped " + dropped +
                       " --eval " + std::string(S1_SHARED_DATA) + "/aime24.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> reasons;  // id -> reason
  for (const auto& d : read_jsonl(dropped)) reasons[d["id"].get<std::string>()] = d["drop_reason"];
  const size_t n_dropped = reasons.size();
  EXPECT_EQ(reasons["empty-trace"], "quality: missing reasoning trace");
  EXPECT_EQ(reasons["api-error"], "quality: API error text");
  EXPECT_EQ(reasons["image"], "quality: references an image that is not included");
  EXPECT_EQ(reasons["exact-copy"], "duplicate");
  EXPECT_EQ(reasons["near-copy"], "near duplicate");
  EXPECT_EQ(reasons["aime-copy"], "contamination");
  long easy = 0, other = 0;
  for (const auto& [id, reason] : reasons) {
    if (reason == "too easy: every attempt solved it") ++easy;
    else if (id.rfind("test/", 0) == 0) ++other;
  }
  EXPECT_EQ(easy, pool.easy);
  // A few MATH-500 problems share real 8-grams with AIME 2024 ("let x, y and z be positive
  // real numbers such that"); every record is either kept or dropped with a reason.
  const auto kept_records = read_jsonl(kept);
  EXPECT_EQ(kept_records.size() + n_dropped, pool.size);
  EXPECT_NE(r.err.find("dropped " + std::to_string(pool.easy) + " (too easy"), std::string::npos) << r.err;
  EXPECT_LT(other, 10) << "unexpectedly many MATH-500 problems dropped";


  // Selection: deterministic per seed, different across seeds, the report and plots written.
  const std::string sel1 = dir + "/sel1.jsonl", sel2 = dir + "/sel2.jsonl", sel3 = dir + "/sel3.jsonl";
  r = run_command(kS1 + " curate select -i " + kept + " -o " + sel1 + " -n 100 --seed 7 --report " +
                  dir + "/report.md --plot " + dir + "/sel");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(run_command(kS1 + " curate select -i " + kept + " -o " + sel2 + " -n 100 --seed 7").exit_code, 0);
  ASSERT_EQ(run_command(kS1 + " curate select -i " + kept + " -o " + sel3 + " -n 100 --seed 8").exit_code, 0);
  const auto s1 = read_jsonl(sel1), s2 = read_jsonl(sel2), s3 = read_jsonl(sel3);
  ASSERT_EQ(s1.size(), 100u);
  EXPECT_EQ(s1, s2);
  EXPECT_NE(s1, s3);
  std::set<std::string> domains;
  for (const auto& x : s1) domains.insert(x["domain"].get<std::string>());
  EXPECT_GE(domains.size(), 6u);  // uniform over domains, not proportional to their size
  std::ifstream report(dir + "/report.md");
  std::string report_text((std::istreambuf_iterator<char>(report)), std::istreambuf_iterator<char>());
  EXPECT_NE(report_text.find("| Geometry |"), std::string::npos) << report_text;
  for (const char* f : {"-domains.svg", "-domains.png", "-lengths.svg", "-lengths.png"}) {
    std::ifstream plot(dir + "/sel" + f, std::ios::binary);
    std::string head(8, '\0');
    plot.read(head.data(), 8);
    EXPECT_TRUE(head.rfind("\x89PNG", 0) == 0 || head.find("<?xml") == 0 || head.find("<svg") == 0)
        << f;
  }

  // Export: the s1 format survives the real Qwen2 tokenizer, delimiters as single tokens.
  const std::string sft = dir + "/sft.jsonl", conv = dir + "/conv.jsonl";
  r = run_command(kS1 + " curate export -i " + sel1 + " -o " + sft + " --conversations " + conv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto records = read_jsonl(sft);
  ASSERT_EQ(records.size(), 100u);
  init_llama_backend(false);
  LoadSettings load{test::tiny_model()};
  load.vocab_only = true;
  const auto model = Model::load(load);
  const Token im_start = model->tokenize("<|im_start|>", true).at(0);
  for (const auto& rec : {records.front(), records.back()}) {
    const std::string text = rec["text"];
    const TokenSeq tokens = model->tokenize(text, true);
    std::string back;
    for (Token t : tokens) back += model->piece(t);
    EXPECT_EQ(back, text);
    EXPECT_EQ(std::count(tokens.begin(), tokens.end(), im_start), 5);  // system user assistant think answer
    EXPECT_NE(text.find("<|im_start|>think\n"), std::string::npos);
  }
  const auto convs = read_jsonl(conv);
  ASSERT_EQ(convs.size(), 100u);
  EXPECT_EQ(convs[0]["messages"].size(), 3u);
  EXPECT_EQ(convs[0]["messages"][2]["role"], "assistant");
}

TEST(CurateCli, FeaturizeMeasuresAttemptsAndResumes) {
  const std::string dir = test::temp_dir();
  std::vector<nlohmann::json> records;
  for (int i = 0; i < 3; ++i) {
    records.push_back({{"id", "q" + std::to_string(i)}, {"question", "What is " + std::to_string(i) + "+1?"},
                       {"trace", "one plus one is two, thinking step " + std::to_string(i)},
                       {"answer", std::to_string(i + 1)}});
  }
  const std::string in = dir + "/feat-in.jsonl", out = dir + "/feat-out.jsonl";
  write_jsonl(in, records);
  const std::string cmd = kS1 + " curate featurize -i " + in + " -o " + out + " --tokenizer " +
                          shell_quote(test::tiny_model()) + " --attempt-model " +
                          shell_quote(test::tiny_model()) +
                          " --attempt-max-think 8 --attempt-max-answer 4 -t 1 -c 1024";
  auto r = run_command(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto feats = read_jsonl(out);
  ASSERT_EQ(feats.size(), 3u);
  init_llama_backend(false);
  LoadSettings load{test::tiny_model()};
  load.vocab_only = true;
  const auto model = Model::load(load);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(feats[i]["trace_tokens"].get<size_t>(), model->tokenize(records[i]["trace"].get<std::string>(), false).size());
    ASSERT_EQ(feats[i]["attempts"].size(), 1u);
    EXPECT_FALSE(feats[i]["attempts"][0]["correct"].get<bool>());  // random weights
  }
  // A torn last line (a crash mid-write) is dropped and its record redone; nothing twice.
  {
    std::string content;
    for (size_t i = 0; i < 2; ++i) content += feats[i].dump() + "\n";
    test::write_file(out, content + feats[2].dump().substr(0, 20));
  }
  r = run_command(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("skipped 2 already done"), std::string::npos) << r.err;
  feats = read_jsonl(out);
  ASSERT_EQ(feats.size(), 3u);
  EXPECT_EQ(feats[2]["id"], "q2");
}

TEST(CurateCli, FeaturizeDefaultsFitAndATooLongQuestionIsSkipped) {
  const std::string dir = test::temp_dir();
  std::string long_question;
  for (int i = 0; i < 6000; ++i) long_question += "word ";  // beyond -c 4096
  // The long one first: what comes after it still runs.
  const std::vector<nlohmann::json> records = {
      {{"id", "long"}, {"question", long_question}, {"answer", "3"}},
      {{"id", "short"}, {"question", "What is 1+1?"}, {"answer", "2"}}};
  const std::string in = dir + "/fit-in.jsonl", out = dir + "/fit-out.jsonl";
  write_jsonl(in, records);
  // The default budgets (2048 thinking, 512 answer), context, chunk and parallelism.
  auto r = run_command(kS1 + " curate featurize -i " + in + " -o " + out + " -t 1 --attempt-model " +
                       shell_quote(test::tiny_model()) + " --classify-model " +
                       shell_quote(test::tiny_model()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("skipped 2 attempt(s) too long for the context"), std::string::npos) << r.err;
  const auto feats = read_jsonl(out);
  ASSERT_EQ(feats.size(), 2u);
  ASSERT_EQ(feats[0]["attempts"].size(), 1u);
  const std::string why = feats[0]["attempts"][0].value("skipped", "");
  EXPECT_NE(why.find("does not fit the context"), std::string::npos) << feats[0]["attempts"].dump();
  EXPECT_EQ(feats[0]["domain"], "unknown");
  EXPECT_NE(feats[0].value("domain_skipped", "").find("does not fit the context"), std::string::npos);
  EXPECT_TRUE(feats[1].contains("domain"));
  EXPECT_FALSE(feats[1].contains("domain_skipped"));
  ASSERT_EQ(feats[1]["attempts"].size(), 1u);
  EXPECT_TRUE(feats[1]["attempts"][0].contains("answer")) << feats[1].dump();
  EXPECT_FALSE(feats[1]["attempts"][0].contains("skipped"));
  // A context that cannot hold the answer budget is refused before any work.
  r = run_command(kS1 + " curate featurize -i " + in + " -o " + dir + "/none.jsonl -c 400 " +
                  "--attempt-model " + shell_quote(test::tiny_model()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no room for a question"), std::string::npos) << r.err;
}

// No stage truncates a file it reads, whatever name the output gives it.
TEST(CurateCli, OutputsThatAreAnInputAreRefused) {
  const std::string dir = test::temp_dir();
  const std::string in = dir + "/same-in.jsonl", link = dir + "/same-link.jsonl";
  std::string content;
  for (int i = 0; i < 4; ++i) {
    content += nlohmann::json{{"id", "s" + std::to_string(i)}, {"question", "What is " + std::to_string(i) + "+2?"},
                              {"trace", "adding two gives the answer " + std::to_string(i)},
                              {"answer", std::to_string(i + 2)}}.dump() + "\n";
  }
  test::write_file(in, content);
  std::filesystem::remove(link);
  std::filesystem::create_hard_link(in, link);
  const std::string other = dir + "/same-other.jsonl";
  const std::vector<std::string> commands = {
      kS1 + " curate filter -i " + in + " -o " + in + " --dropped " + other,
      kS1 + " curate filter -i " + in + " -o " + other + " --dropped " + link,
      kS1 + " curate filter -i " + in + " -o " + other + " --dropped " + other,
      kS1 + " curate export -i " + in + " -o " + dir + "/../" + std::filesystem::path(dir).filename().string() +
          "/same-in.jsonl",
      kS1 + " curate export -i " + in + " -o " + other + " --conversations " + link,
      kS1 + " curate export -i " + in + " -o " + other + " --conversations " + other,
      kS1 + " curate select -i " + in + " -o " + link + " -n 2",
      kS1 + " curate select -i " + in + " -o " + other + " -n 2 --report " + in,
      kS1 + " curate featurize -i " + in + " -o " + in,
      kS1 + " curate featurize -i " + link + " -o " + in};
  for (const auto& cmd : commands) {
    std::filesystem::remove(other);
    const auto r = run_command(cmd);
    EXPECT_NE(r.exit_code, 0) << cmd;
    EXPECT_NE(r.err.find("same file"), std::string::npos) << cmd << "\n" << r.err;
    EXPECT_EQ(test::read_file(in), content) << cmd;
    EXPECT_FALSE(std::filesystem::exists(other)) << cmd;
  }
}

// A stage that fails part way leaves the previous output as it was and nothing partial.
TEST(CurateCli, AFailedStageLeavesNoPartialOutput) {
  const std::string dir = test::temp_dir();
  const std::string bad = dir + "/partial-bad.jsonl";
  std::string content;
  for (int i = 0; i < 3; ++i) {
    content += nlohmann::json{{"id", "p" + std::to_string(i)}, {"question", i == 1 ? "" : "What is 2+2?"},
                              {"trace", "two and two"}, {"answer", "4"}}.dump() + "\n";
  }
  test::write_file(bad, content + "not json\n");
  const std::string kept = dir + "/partial-kept.jsonl", dropped = dir + "/partial-dropped.jsonl";
  test::write_file(kept, "old kept\n");
  std::filesystem::remove(dropped);
  auto r = run_command(kS1 + " curate filter -i " + bad + " -o " + kept + " --dropped " + dropped);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("partial-bad.jsonl:4: not JSON"), std::string::npos) << r.err;
  EXPECT_EQ(test::read_file(kept), "old kept\n");
  EXPECT_FALSE(std::filesystem::exists(dropped));
  EXPECT_FALSE(std::filesystem::exists(kept + ".partial"));
  EXPECT_FALSE(std::filesystem::exists(dropped + ".partial"));
  const std::string sft = dir + "/partial-sft.jsonl";
  r = run_command(kS1 + " curate export -i " + bad + " -o " + sft);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(sft));
  EXPECT_FALSE(std::filesystem::exists(sft + ".partial"));
}

// Starts `args` (stdout and stderr to /dev/null) and SIGKILLs it after `delay` unless it
// exited first.
void run_and_kill(const std::vector<std::string>& args, std::chrono::microseconds delay) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  const auto until = std::chrono::steady_clock::now() + delay;
  int status = 0;
  while (std::chrono::steady_clock::now() < until) {
    if (waitpid(pid, &status, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
}

// Each stage SIGKILLed at random points: the input is intact, and an output's name holds
// either nothing or the whole output; featurize then resumes to the same output.
TEST(CurateCli, KilledStagesLoseNothingAndLeaveNoPartialOutput) {
  const std::string dir = test::temp_dir() + "/kill";
  std::filesystem::create_directories(dir);
  const Pool pool = make_pool(dir);
  const std::string input = test::read_file(pool.path);
  const std::string out = dir + "/out.jsonl", dropped = dir + "/dropped.jsonl";
  struct Stage {
    std::vector<std::string> args;
    std::vector<std::string> outputs;
  };
  const std::vector<Stage> stages = {
      {{kS1, "curate", "featurize", "-i", pool.path, "-o", out}, {out}},
      {{kS1, "curate", "filter", "-i", pool.path, "-o", out, "--dropped", dropped}, {out, dropped}},
      {{kS1, "curate", "select", "-i", pool.path, "-o", out, "-n", "300"}, {out}},
      {{kS1, "curate", "export", "-i", pool.path, "-o", out, "--conversations", dropped}, {out, dropped}}};
  std::mt19937 rng(24);
  for (const auto& stage : stages) {
    auto clear = [&] {
      for (const auto& o : stage.outputs) {
        std::filesystem::remove(o);
        std::filesystem::remove(o + ".partial");
      }
    };
    clear();
    const auto t0 = std::chrono::steady_clock::now();
    run_and_kill(stage.args, std::chrono::seconds(60));
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
    std::vector<std::string> whole;
    for (const auto& o : stage.outputs) {
      ASSERT_TRUE(std::filesystem::exists(o)) << stage.args[2] << " did not finish";
      whole.push_back(test::read_file(o));
    }
    for (int trial = 0; trial < 5; ++trial) {
      clear();
      const auto delay = std::chrono::microseconds(std::uniform_int_distribution<long>(0, took.count())(rng));
      run_and_kill(stage.args, delay);
      EXPECT_EQ(test::read_file(pool.path), input) << stage.args[2];
      for (size_t i = 0; i < stage.outputs.size(); ++i) {
        if (std::filesystem::exists(stage.outputs[i])) {
          EXPECT_EQ(test::read_file(stage.outputs[i]), whole[i])
              << stage.args[2] << " killed after " << delay.count() << " us left a partial " << stage.outputs[i];
        }
      }
      if (stage.args[2] == "featurize") {  // resumes from what the killed run left
        run_and_kill(stage.args, std::chrono::seconds(60));
        EXPECT_EQ(test::read_file(out), whole[0]) << "featurize resumed after " << delay.count() << " us";
        EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
      }
    }
  }
}

TEST(CurateCli, BadInput) {
  const std::string dir = test::temp_dir();
  test::write_file(dir + "/bad.jsonl", "{\"id\": \"a\", \"question\": \"q\"}\nnot json\n");
  auto r = run_command(kS1 + " curate filter -i " + dir + "/bad.jsonl -o " + dir + "/k.jsonl --dropped " + dir + "/d.jsonl");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bad.jsonl:2: not JSON"), std::string::npos) << r.err;
  r = run_command(kS1 + " curate select -i /nonexistent.jsonl -o " + dir + "/x.jsonl");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("nonexistent"), std::string::npos) << r.err;
  test::write_file(dir + "/noid.jsonl", "{\"question\": \"q\"}\n");
  r = run_command(kS1 + " curate export -i " + dir + "/noid.jsonl -o " + dir + "/x.jsonl");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("noid.jsonl:1: record has no id"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace s1
