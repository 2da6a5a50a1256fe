// Helpers shared by the engine and end-to-end tests.
#pragma once

#include <string>

namespace s1::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `command` with /bin/sh, capturing stdout and stderr. `stdin_text` is fed to it.
CommandResult run_command(const std::string& command, const std::string& stdin_text = "");

// A scratch directory for this test binary (created on first use).
std::string temp_dir();

// Paths of the generated test models, written once per test binary with the real
// Qwen2 tokenizer: the s1-format model, and the think-tags one.
std::string tiny_model();
std::string tiny_think_model();

// Writes `content` to `path` (throws on failure).
void write_file(const std::string& path, const std::string& content);

// Quotes a string for /bin/sh.
std::string shell_quote(const std::string& s);

}  // namespace s1::test
