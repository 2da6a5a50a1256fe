#include "engine/model.h"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

#ifdef S1_HAVE_LLAMA_COMMON
#include "arg.h"
#include "chat.h"
#include "common.h"
#include "log.h"
#endif

namespace s1 {
namespace {

std::mutex g_log_mutex;
std::string g_last_error;
std::atomic<bool> g_verbose{false};
std::string g_partial_line;

void log_callback(ggml_log_level level, const char* text, void*) {
  if (g_verbose) std::fputs(text, stderr);
  if (level != GGML_LOG_LEVEL_ERROR && level != GGML_LOG_LEVEL_WARN &&
      level != GGML_LOG_LEVEL_CONT) {
    return;
  }
  std::lock_guard<std::mutex> lock(g_log_mutex);
  g_partial_line += text;
  if (!g_partial_line.empty() && g_partial_line.back() == '\n') {
    g_partial_line.pop_back();
    if (level == GGML_LOG_LEVEL_ERROR || level == GGML_LOG_LEVEL_CONT) g_last_error = g_partial_line;
    g_partial_line.clear();
  }
}

std::string with_llama_reason(std::string message) {
  const std::string reason = last_llama_log_error();
  if (!reason.empty()) message += " (llama.cpp: " + reason + ")";
  return message;
}

std::string download_from_hf(const LoadSettings& settings) {
#ifdef S1_HAVE_LLAMA_COMMON
  common_params params;
  params.model.hf_repo = settings.hf_repo;
  // Where from, for the message: llama.cpp's endpoint (MODEL_ENDPOINT, HF_ENDPOINT).
  const std::string from = "cannot download " + settings.hf_repo + " from " +
                           common_get_model_endpoint();
  try {
    auto handler = common_models_handler_init(params, LLAMA_EXAMPLE_COMMON);
    common_models_handler_apply(handler, params);
  } catch (const std::exception& e) {
    throw std::runtime_error(from + ": " + e.what());
  }
  if (params.model.path.empty()) {
    throw std::runtime_error(from + " (no network, or no such model or file; --verbose shows "
                                    "llama.cpp's log)");
  }
  return params.model.path;
#else
  (void)settings;
  throw std::runtime_error("-hf needs llama.cpp's common library, which this build lacks; "
                           "download the .gguf file and pass -m");
#endif
}

}  // namespace

ChatTemplateKwargs parse_chat_template_kwargs(std::string_view json_text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument("chat template variables must be a JSON object, e.g. "
                                "{\"enable_thinking\": false}; this is not JSON");
  }
  if (!j.is_object()) {
    throw std::invalid_argument("chat template variables must be a JSON object, e.g. "
                                "{\"enable_thinking\": false}");
  }
  ChatTemplateKwargs kwargs;
  for (const auto& [name, value] : j.items()) {
    // llama-server takes enable_thinking for its own switch too, as a boolean only.
    if (name == "enable_thinking" && !value.is_boolean()) {
      throw std::invalid_argument(
          "the chat template variable enable_thinking must be true or false");
    }
    kwargs[name] = value.dump();
  }
  return kwargs;
}

bool thinking_disabled(const ChatTemplateKwargs& kwargs) {
  const auto it = kwargs.find("enable_thinking");
  return it != kwargs.end() && it->second == "false";
}

ChatTemplateKwargs merge_chat_template_kwargs(ChatTemplateKwargs base,
                                              const ChatTemplateKwargs& over) {
  for (const auto& [name, value] : over) base[name] = value;
  return base;
}

void init_llama_backend(bool verbose) {
  static std::once_flag once;
  g_verbose = verbose;
  std::call_once(once, [] {
    llama_log_set(log_callback, nullptr);
#ifdef S1_HAVE_LLAMA_COMMON
    // The common library (downloads, chat templates) logs on a thread of its own to
    // stderr: shown with --verbose only, as llama.cpp's own log is.
    if (!g_verbose) common_log_pause(common_log_main());
#endif
    llama_backend_init();
  });
}

std::string last_llama_log_error() {
  std::lock_guard<std::mutex> lock(g_log_mutex);
  return g_last_error;
}

std::unique_ptr<Model> Model::load(const LoadSettings& settings) {
  init_llama_backend(g_verbose);
  std::string path = settings.path;
  if (!settings.hf_repo.empty()) {
    if (!path.empty()) throw std::runtime_error("give either a model file or -hf, not both");
    path = download_from_hf(settings);
  }
  if (path.empty()) throw std::runtime_error("no model given (-m FILE.gguf or -hf user/repo)");
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw std::runtime_error("cannot open model file " + path);
    char magic[4] = {};
    probe.read(magic, 4);
    if (probe.gcount() != 4 || std::string(magic, 4) != "GGUF") {
      throw std::runtime_error(path + " is not a GGUF file");
    }
  }
  llama_model_params params = llama_model_default_params();
  if (settings.n_gpu_layers >= 0) params.n_gpu_layers = settings.n_gpu_layers;
  if (!settings.use_mmap) params.load_mode = LLAMA_LOAD_MODE_NONE;
  params.vocab_only = settings.vocab_only;
  std::unique_ptr<Model> m(new Model());
  m->model_.reset(llama_model_load_from_file(path.c_str(), params));
  if (!m->model_) throw std::runtime_error(with_llama_reason("cannot load model " + path));
  m->vocab_ = llama_model_get_vocab(m->model_.get());
  m->path_ = path;
  m->chat_template_ = settings.chat_template;
  return m;
}

std::string Model::description() const {
  char buf[256];
  llama_model_desc(model_.get(), buf, sizeof buf);
  return buf;
}

int Model::n_ctx_train() const { return llama_model_n_ctx_train(model_.get()); }
int Model::n_vocab() const { return llama_vocab_n_tokens(vocab_); }

TokenSeq Model::tokenize(std::string_view text, bool parse_special) const {
  const auto len = static_cast<int32_t>(text.size());
  int32_t n = llama_tokenize(vocab_, text.data(), len, nullptr, 0, false, parse_special);
  if (n == INT32_MIN) throw std::runtime_error("text is too long to tokenize");
  TokenSeq tokens(static_cast<size_t>(n < 0 ? -n : n));
  n = llama_tokenize(vocab_, text.data(), len, tokens.data(), static_cast<int32_t>(tokens.size()),
                     false, parse_special);
  if (n < 0) throw std::runtime_error("cannot tokenize text");
  tokens.resize(static_cast<size_t>(n));
  return tokens;
}

std::string Model::piece(Token token) const {
  char buf[256];
  int32_t n = llama_token_to_piece(vocab_, token, buf, sizeof buf, 0, true);
  if (n >= 0) return std::string(buf, static_cast<size_t>(n));
  std::string big(static_cast<size_t>(-n), '\0');
  n = llama_token_to_piece(vocab_, token, big.data(), static_cast<int32_t>(big.size()), 0, true);
  big.resize(static_cast<size_t>(n < 0 ? 0 : n));
  return big;
}

bool Model::is_single_token(std::string_view text) const {
  return tokenize(text, true).size() == 1;
}

TokenSeq Model::end_of_generation_tokens() const {
  TokenSeq eog;
  for (Token t = 0; t < n_vocab(); ++t) {
    if (llama_vocab_is_eog(vocab_, t)) eog.push_back(t);
  }
  return eog;
}

bool Model::adds_bos() const { return llama_vocab_get_add_bos(vocab_); }
Token Model::bos() const { return llama_vocab_bos(vocab_); }

std::string Model::chat_template() const {
  if (!chat_template_.empty()) return chat_template_;
  const char* tmpl = llama_model_chat_template(model_.get(), nullptr);
  return tmpl ? tmpl : "";
}

std::string chatml_conversation(const std::vector<ChatMessage>& messages,
                                bool add_generation_prompt) {
  std::string chatml;
  for (const auto& m : messages) {
    chatml += "<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n";
  }
  return add_generation_prompt ? chatml + "<|im_start|>assistant\n" : chatml;
}

#ifdef S1_HAVE_LLAMA_COMMON
namespace {

// llama.cpp's Jinja engine; `model` (may be null) gives the BOS/EOS text to templates.
std::string render_jinja(const llama_model* model, const std::string& tmpl,
                         const std::vector<ChatMessage>& messages,
                         const ChatTemplateKwargs& kwargs, bool add_generation_prompt) {
  try {
    auto templates = common_chat_templates_init(model, tmpl);
    common_chat_templates_inputs inputs;
    for (const auto& m : messages) {
      common_chat_msg msg;
      msg.role = m.role;
      msg.content = m.content;
      msg.reasoning_content = m.reasoning_content;
      inputs.messages.push_back(std::move(msg));
    }
    inputs.add_generation_prompt = add_generation_prompt;
    inputs.use_jinja = true;
    inputs.chat_template_kwargs = kwargs;
    // As llama-server: the enable_thinking variable is also llama.cpp's own switch.
    inputs.enable_thinking = !thinking_disabled(kwargs);
    return common_chat_templates_apply(templates.get(), inputs).prompt;
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot render the chat template: ") + e.what());
  }
}

}  // namespace
#endif

std::string render_chat_template(const std::string& tmpl,
                                 const std::vector<ChatMessage>& messages,
                                 const ChatTemplateKwargs& kwargs, bool add_generation_prompt) {
#ifdef S1_HAVE_LLAMA_COMMON
  return render_jinja(nullptr, tmpl, messages, kwargs, add_generation_prompt);
#else
  (void)tmpl, (void)messages, (void)kwargs, (void)add_generation_prompt;
  throw std::runtime_error("a chat template file needs llama.cpp's common library (Jinja "
                           "templates), which this build lacks");
#endif
}

std::string Model::apply_chat_template(const std::vector<ChatMessage>& messages,
                                       const ChatTemplateKwargs& kwargs,
                                       bool add_generation_prompt) const {
  const std::string tmpl = chat_template();
  if (tmpl.empty()) {
    if (!is_single_token("<|im_start|>")) {
      std::string plain;
      for (const auto& m : messages) plain += m.content + "\n";
      return plain;
    }
    return chatml_conversation(messages, add_generation_prompt);
  }
#ifdef S1_HAVE_LLAMA_COMMON
  return render_jinja(model_.get(), chat_template_, messages, kwargs, add_generation_prompt);
#else
  if (!kwargs.empty()) {
    throw std::runtime_error("chat template variables need llama.cpp's common library (Jinja "
                             "templates), which this build lacks");
  }
  // llama.cpp's built-in templates know no thinking: reasoning_content is not shown.
  std::vector<llama_chat_message> chat;
  for (const auto& m : messages) chat.push_back({m.role.c_str(), m.content.c_str()});
  std::vector<char> buf(4096);
  int32_t n = llama_chat_apply_template(tmpl.c_str(), chat.data(), chat.size(),
                                        add_generation_prompt, buf.data(),
                                        static_cast<int32_t>(buf.size()));
  if (n > static_cast<int32_t>(buf.size())) {
    buf.resize(static_cast<size_t>(n));
    n = llama_chat_apply_template(tmpl.c_str(), chat.data(), chat.size(), add_generation_prompt,
                                  buf.data(), n);
  }
  if (n < 0) throw std::runtime_error("this model's chat template is not supported");
  return std::string(buf.data(), static_cast<size_t>(n));
#endif
}

}  // namespace s1
