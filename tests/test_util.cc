#include "test_util.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "engine/test_model.h"

namespace s1::test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Written once for all test processes (the weights are fixed by the seed), under a
// temporary name and renamed, so parallel tests never see half a file.
std::string make_model(bool think_tags, const std::string& chat_template = "") {
  std::string name = think_tags ? "/tiny-think-v1" : "/tiny-v1";
  // A changed template is another model.
  if (!chat_template.empty()) name += "-" + std::to_string(std::hash<std::string>{}(chat_template));
  const std::string path = std::string(S1_TEST_TMP) + name + ".gguf";
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) return path;
  TestModelSpec spec;
  spec.vocab_path = S1_DEFAULT_VOCAB;
  spec.output_path = temp_dir() + name + ".tmp";
  spec.think_tags = think_tags;
  spec.chat_template = chat_template;
  write_test_model(spec);
  if (std::rename(spec.output_path.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("cannot move the test model to " + path);
  }
  return path;
}

}  // namespace

std::string temp_dir() {
  static const std::string dir = [] {
    std::string base = S1_TEST_TMP;
    ::mkdir(base.c_str(), 0755);
    std::string d = base + "/run-" + std::to_string(::getpid());
    ::mkdir(d.c_str(), 0755);
    return d;
  }();
  return dir;
}

std::string tiny_model() {
  static const std::string path = make_model(false);
  return path;
}

std::string tiny_think_model() {
  static const std::string path = make_model(true);
  return path;
}

std::string llama_template(const std::string& name) {
  const std::string dir = S1_LLAMA_TEMPLATES;
  const std::string path = dir + "/" + name + ".jinja";
  struct stat st;
  return !dir.empty() && ::stat(path.c_str(), &st) == 0 ? path : "";
}

std::string tiny_model_with_template(const std::string& template_path) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  return make_model(true, read_file(template_path));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

CommandResult run_command(const std::string& command, const std::string& stdin_text) {
  static std::mutex mu;
  static int counter = 0;
  std::string base;
  {
    std::lock_guard<std::mutex> lock(mu);
    base = temp_dir() + "/cmd" + std::to_string(counter++);
  }
  write_file(base + ".in", stdin_text);
  const std::string full = "(" + command + ") <" + base + ".in >" + base + ".out 2>" + base + ".err";
  const int status = std::system(full.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  return r;
}

}  // namespace s1::test
