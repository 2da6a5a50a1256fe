// A loaded GGUF model and its tokenizer (llama.cpp), owned through llama-cpp.h's RAII
// pointers. Loading settings are separate from per-request settings (see scheduler.h).
#pragma once

#include <llama-cpp.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
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
  std::string chat_template;  // Jinja text to use instead of the file's own ("" : the file's)
};

struct ChatMessage {
  ChatMessage() = default;
  ChatMessage(std::string role_, std::string content_, std::string reasoning_content_ = "")
      : role(std::move(role_)),
        content(std::move(content_)),
        reasoning_content(std::move(reasoning_content_)) {}

  std::string role;  // "system", "user", "assistant"
  std::string content;
  // An assistant turn's thinking, for templates that show earlier thinking (Bielik,
  // Nemotron 3, GLM-4.6, Qwen3 after the last question); "" for none.
  std::string reasoning_content;
};

// Variables for the chat template beyond the messages (llama.cpp's and vLLM's
// chat_template_kwargs): name -> the value as JSON text, e.g. {"enable_thinking", "false"}.
using ChatTemplateKwargs = std::map<std::string, std::string>;

// Parses a JSON object of template variables, e.g. {"enable_thinking": false}. Throws
// std::invalid_argument with a one-line reason if `json_text` is not a JSON object or
// its enable_thinking is not a boolean.
ChatTemplateKwargs parse_chat_template_kwargs(std::string_view json_text);

// Whether the variables switch thinking off (enable_thinking is false).
bool thinking_disabled(const ChatTemplateKwargs& kwargs);

// `over`'s variables replace `base`'s of the same name (a request's over a server's).
ChatTemplateKwargs merge_chat_template_kwargs(ChatTemplateKwargs base,
                                              const ChatTemplateKwargs& over);

// A conversation in ChatML, with the assistant's generation prompt when asked.
std::string chatml_conversation(const std::vector<ChatMessage>& messages,
                                bool add_generation_prompt);

// Renders `messages` with the Jinja template text `tmpl` (llama.cpp's engine, as
// Model::apply_chat_template does, with no model: bos_token and eos_token are empty).
// Throws std::runtime_error if rendering fails or the build lacks Jinja templates.
std::string render_chat_template(const std::string& tmpl,
                                 const std::vector<ChatMessage>& messages,
                                 const ChatTemplateKwargs& kwargs, bool add_generation_prompt);

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

  // The model's chat template text (LoadSettings::chat_template if given), or "" when
  // it has none.
  std::string chat_template() const;
  // Renders `messages` with the model's chat template (llama.cpp's Jinja engine), with
  // the assistant's generation prompt unless `add_generation_prompt` is false. `kwargs`
  // are extra template variables; enable_thinking is true unless they set it. With no
  // template: ChatML when the vocabulary has <|im_start|>, else the plain concatenation
  // of the contents (neither has variables or thinking). Throws std::runtime_error if
  // rendering fails, or if `kwargs` are given to a build without Jinja templates.
  std::string apply_chat_template(const std::vector<ChatMessage>& messages,
                                  const ChatTemplateKwargs& kwargs = {},
                                  bool add_generation_prompt = true) const;

 private:
  Model() = default;
  llama_model_ptr model_;
  const llama_vocab* vocab_ = nullptr;
  std::string path_;
  std::string chat_template_;  // LoadSettings::chat_template
};

}  // namespace s1
