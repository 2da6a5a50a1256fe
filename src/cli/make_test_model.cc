// `s1 make-test-model`: writes a random-weight qwen2 GGUF with the real Qwen2 tokenizer.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "engine/model.h"
#include "engine/test_model.h"

namespace s1::cli {

void add_make_test_model_command(CLI::App& app, int& exit_code) {
  auto spec = std::make_shared<TestModelSpec>();
  spec->vocab_path = S1_DEFAULT_VOCAB;
  auto shape = std::make_shared<std::string>("tiny");
  CLI::App* cmd = app.add_subcommand(
      "make-test-model", "write a random-weight qwen2 GGUF with the real Qwen2 tokenizer");
  cmd->add_option("-o,--output", spec->output_path, "output .gguf file")->required();
  cmd->add_option("--vocab", spec->vocab_path, "GGUF with the tokenizer (llama.cpp's ggml-vocab-qwen2.gguf)")
      ->capture_default_str();
  cmd->add_option("--shape", *shape, "tiny, or qwen2.5-0.5b for the real 0.5B shapes (Q8_0)")
      ->capture_default_str()
      ->check(CLI::IsMember({"tiny", "qwen2.5-0.5b"}));
  cmd->add_flag("--think-tags", spec->think_tags,
                "add <think>/</think> tokens and a chat template that opens thinking");
  auto template_file = std::make_shared<std::string>();
  cmd->add_option("--chat-template-file", *template_file,
                  "ship this Jinja chat template (e.g. one of llama.cpp's models/templates)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--type", spec->type, "matrix type: f32, f16 or q8_0 (default: f16 tiny, q8_0 0.5b)")
      ->check(CLI::IsMember({"f32", "f16", "q8_0"}));
  cmd->add_option("--seed", spec->seed, "weight seed")->capture_default_str();
  cmd->callback([spec, shape, template_file, cmd, &exit_code] {
    TestModelSpec s = *spec;
    if (!template_file->empty()) {
      std::ifstream in(*template_file, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      if (!in || text.str().empty()) throw CommandError("cannot read " + *template_file);
      s.chat_template = text.str();
    }
    if (*shape == "qwen2.5-0.5b") {
      TestModelSpec big = TestModelSpec::qwen25_05b();
      big.vocab_path = s.vocab_path;
      big.output_path = s.output_path;
      big.think_tags = s.think_tags;
      big.chat_template = s.chat_template;
      big.seed = s.seed;
      if (cmd->count("--type") > 0) big.type = spec->type;
      s = big;
    }
    if (s.vocab_path.empty()) throw CommandError("no vocabulary file: pass --vocab");
    init_llama_backend(false);  // ggml's log goes through ours: errors come as one line
    const int64_t params = write_test_model(s);
    std::fprintf(stderr, "s1 make-test-model: wrote %s (%.1fM parameters, %s)\n",
                 s.output_path.c_str(), static_cast<double>(params) / 1e6, s.type.c_str());
    exit_code = 0;
  });
}

}  // namespace s1::cli
