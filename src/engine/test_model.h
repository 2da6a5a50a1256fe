// Writes random-weight qwen2 GGUF models with the real Qwen2 tokenizer, for tests and
// benchmarks: their text is gibberish, their shapes and speed are real.
#pragma once

#include <cstdint>
#include <string>

namespace s1 {

struct TestModelSpec {
  std::string vocab_path;   // a GGUF holding tokenizer.* keys (llama.cpp's ggml-vocab-qwen2.gguf)
  std::string output_path;
  bool think_tags = false;  // add <think>/</think> tokens and a template that opens thinking
  std::string chat_template;  // Jinja text to ship instead ("" : ChatML, as above)
  int n_embd = 64;
  int n_layer = 2;
  int n_head = 4;
  int n_head_kv = 2;
  int n_ff = 128;
  int n_ctx_train = 32768;
  std::string type = "f16";  // weight type of the matrices: f32, f16 or q8_0
  uint64_t seed = 1;

  // The Qwen2.5-0.5B shapes (24 layers, 896 wide, 14/2 heads, 4864 FFN).
  static TestModelSpec qwen25_05b();
};

// Writes the model. Throws std::invalid_argument for inconsistent shapes or an unknown
// type, std::runtime_error if the vocabulary cannot be read or the file written.
// Returns the number of parameters.
int64_t write_test_model(const TestModelSpec& spec);

}  // namespace s1
