// Helpers of the end-to-end tests of `s1 eval` (eval_cli_test.cc, eval_adaptive_cli_test.cc):
// running it on the tiny test model, reading its files, and stopping it mid-run.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

namespace s1::evaltest {

using nlohmann::json;
using test::run_command;
using test::shell_quote;

inline const std::string kS1 = S1_BIN;
inline const std::string kAime = std::string(S1_SHARED_DATA) + "/aime24.jsonl";

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<json> read_lines(const std::string& path) {
  std::vector<json> out;
  std::istringstream in(slurp(path));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

inline std::string fresh_dir(const std::string& name) {
  const std::string d = test::temp_dir() + "/" + name;
  run_command("rm -rf " + shell_quote(d));
  return d;
}

// The model hash cache of these tests, not the user's.
inline std::string hash_cache_dir() {
  return test::temp_dir() + "/s1-cache";
}

// `s1 eval` of `model` on `data` (--dataset and --limit flags) into `out`.
inline std::string eval_on(const std::string& data, const std::string& out, const std::string& args,
                           const std::string& model = test::tiny_model()) {
  // env(1) execs s1 itself, so spawn() below signals s1.
  return "env S1_CACHE=" + shell_quote(hash_cache_dir()) + " " + kS1 + " eval -m " +
         shell_quote(model) + " -t 1 -c 512 " + data + " --out " + shell_quote(out) + " " + args;
}

inline std::string eval_command(const std::string& out, const std::string& args,
                                const std::string& model = test::tiny_model()) {
  return eval_on("--dataset aime24=" + shell_quote(kAime) + " --limit 3", out, args, model);
}

inline std::string key(const json& l) {
  return l["dataset"].get<std::string>() + "|" + l["problem"].get<std::string>() + "|" +
         l["config"].get<std::string>() + "|" + std::to_string(l["sample"].get<int>());
}

// The parts of a sample that decoding determines (timings excluded); probes and exit
// null where the method takes none.
inline json content(const json& l) {
  return {l["thinking"],
          l["answer"],
          l["thinking_tokens"],
          l["answer_tokens"],
          l["events"],
          l["extracted"],
          l["correct"],
          l.value("probes", json(nullptr)),
          l.value("exit", json(nullptr))};
}

// Token ids of the Qwen2 vocabulary (the test model's): single characters.
inline const char* kBiasB = "--logit-bias-answer 33+100";  // "B"
inline const char* kBiasD = "--logit-bias-answer 35+100";  // "D"
inline const char* kBias7 = "--logit-bias-answer 22+100";  // "7"

// A GPQA-layout CSV. With seed 0 the choices show as r1: 6, 5, 3, 4 (right: D);
// r2: oxygen, "helium, mostly", neon, carbon dioxide (D); r3: 4, 8, 10, 6 (B).
inline std::string gpqa_fixture() {
  const std::string path = test::temp_dir() + "/gpqa_fixture.csv";
  test::write_file(path,
                   "Record ID,Question,Correct Answer,Incorrect Answer 1,Incorrect Answer 2,"
                   "Incorrect Answer 3,Subdomain\n"
                   "r1,What is 2+2?,4,3,5,6,Arithmetic\n"
                   "r2,Which gas do plants take in?,carbon dioxide,oxygen,\"helium, mostly\","
                   "neon,Biology\n"
                   "r3,\"How many legs\nhas a spider?\",8,6,10,4,Biology\n");
  return path;
}

inline const std::map<std::string, std::string> kGpqaGold = {{"r1", "D"}, {"r2", "D"}, {"r3", "B"}};

// Starts `command` in the background; returns its pid.
inline pid_t spawn(const std::string& command) {
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", ("exec " + command + " >/dev/null 2>&1").c_str(), nullptr);
    _exit(127);
  }
  return pid;
}

inline size_t complete_lines(const std::string& path) {
  const std::string s = slurp(path);
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

// Waits until `path` has `n` complete lines or the process ends; then sends `sig`.
// Returns whether the process was still running when signalled.
inline bool signal_after_lines(pid_t pid, const std::string& path, size_t n, int sig) {
  bool running = true;
  for (int i = 0; i < 60000; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      running = false;
      break;
    }
    if (complete_lines(path) >= n) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (running) {
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  return running;
}

// Starts `command` (an eval into `dir`) and kills it (SIGKILL) once `lines` samples are
// written, before all `total` are.
inline void kill_after_lines(const std::string& dir, const std::string& command, size_t lines,
                             size_t total) {
  const pid_t pid = spawn(command);
  ASSERT_TRUE(signal_after_lines(pid, dir + "/samples.jsonl", lines, SIGKILL));
  const size_t before = complete_lines(dir + "/samples.jsonl");
  EXPECT_GE(before, lines);
  EXPECT_LT(before, total);
}

// The run in `dir`, resumed after a kill, has the samples of the uninterrupted run in
// `ref` (by key, with the same content) and the same results.
inline void expect_resumed_like(const std::string& dir, const std::string& ref) {
  const auto lines = read_lines(dir + "/samples.jsonl");
  const auto ref_lines = read_lines(ref + "/samples.jsonl");
  ASSERT_EQ(lines.size(), ref_lines.size());
  std::map<std::string, json> got, want;
  for (const auto& l : lines) EXPECT_TRUE(got.emplace(key(l), content(l)).second) << key(l);
  for (const auto& l : ref_lines) want.emplace(key(l), content(l));
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [k, v] : want) {
    ASSERT_TRUE(got.count(k)) << k;
    EXPECT_EQ(got[k], v) << k;
  }
  const json res = json::parse(slurp(dir + "/results.json"));
  const json ref_res = json::parse(slurp(ref + "/results.json"));
  EXPECT_TRUE(res["complete"].get<bool>());
  EXPECT_EQ(res["datasets"][0]["configs"], ref_res["datasets"][0]["configs"]);
  EXPECT_EQ(res["datasets"][0]["methods"], ref_res["datasets"][0]["methods"]);
}

// `text` as PLplot's SVG driver writes it: a character reference per byte.
inline std::string svg_text(const std::string& text) {
  std::string out;
  char buf[16];
  for (unsigned char c : text) {
    std::snprintf(buf, sizeof buf, "&#x%x;", c);
    out += buf;
  }
  return out;
}

}  // namespace s1::evaltest
