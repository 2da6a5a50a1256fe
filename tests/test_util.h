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

// llama.cpp's chat template models/templates/NAME.jinja (a real model's), or "" when
// that source tree is not at hand (scripts/setup.sh clones it into .deps/llama.cpp).
std::string llama_template(const std::string& name);

// A tiny think-tags test model that ships the chat template in `template_path` instead
// of its own, written once for all test processes.
std::string tiny_model_with_template(const std::string& template_path);

// The contents of `path` (throws if it cannot be read).
std::string read_file(const std::string& path);

// Writes `content` to `path` (throws on failure).
void write_file(const std::string& path, const std::string& content);

// Quotes a string for /bin/sh.
std::string shell_quote(const std::string& s);

}  // namespace s1::test
