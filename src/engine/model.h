// A loaded GGUF model and its tokenizer (llama.cpp), owned through llama-cpp.h's RAII
// pointers. Loading settings are separate from per-request settings (see scheduler.h).
#pragma once

#include <llama-cpp.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/budget_forcing.h"

namespace s1 {

// How to load a model. Exactly one of `path` and `hf_repo` is set.
struct LoadSettings {
  std::string path;         // a local .gguf file
  std::string hf_repo;      // "user/repo[:quant]", downloaded into llama.cpp's cache
  int n_gpu_layers = -1;    // -1: all layers that fit (llama.cpp's default)
  bool use_mmap = true;
  bool vocab_only = false;  // the tokenizer alone (fast; no weights, cannot generate)
};

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

// Initializes llama.cpp's backends once per process and routes its log: hidden unless
// `verbose`, but the last error line is kept for error messages. Thread-safe.
void init_llama_backend(bool verbose);

// The last error or warning line llama.cpp logged (empty if none). Thread-safe.
std::string last_llama_log_error();

class Model {
 public:
  // Loads the model (downloading it first for `hf_repo`, where the linked llama.cpp has
  // its common library). Throws std::runtime_error with a one-line reason on a missing,
  // unreadable or corrupt file, or a failed download.
  static std::unique_ptr<Model> load(const LoadSettings& settings);

  llama_model* get() const { return model_.get(); }
  const llama_vocab* vocab() const { return vocab_; }
  const std::string& path() const { return path_; }
  std::string description() const;
  int n_ctx_train() const;
  int n_vocab() const;

  // Tokenizes `text`; `parse_special` turns control-token text into those tokens.
  // Adds no BOS. Throws std::runtime_error if the text cannot be tokenized.
  TokenSeq tokenize(std::string_view text, bool parse_special) const;
  // The text of one token, special tokens included (e.g. "<|im_start|>").
  std::string piece(Token token) const;
  // Whether `text` (special tokens parsed) tokenizes to exactly one token.
  bool is_single_token(std::string_view text) const;
  // End-of-generation tokens (EOS, EOT, <|im_end|>, ...).
  TokenSeq end_of_generation_tokens() const;
  bool adds_bos() const;
  Token bos() const;

  // The model's chat template text, or "" when it has none.
  std::string chat_template() const;
  // Renders `messages` with the model's chat template and the assistant's generation
  // prompt; with no template, ChatML when the vocabulary has <|im_start|>, else the
  // plain concatenation of the contents. Throws std::runtime_error if rendering fails.
  std::string apply_chat_template(const std::vector<ChatMessage>& messages) const;

 private:
  Model() = default;
  llama_model_ptr model_;
  const llama_vocab* vocab_ = nullptr;
  std::string path_;
};

}  // namespace s1
