// Command-line flags shared by the subcommands that run a model. Each flag is declared
// once here, with its default and help, and binds straight into the typed settings of
// the layer it configures (load settings, context, forcing, budget, sampling).
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "core/budget_forcing.h"
#include "engine/backend.h"
#include "engine/forcing_vocab.h"
#include "engine/model.h"
#include "engine/remote_backend.h"
#include "engine/sampling.h"
#include "engine/scheduler.h"

namespace s1::cli {

// Sampling flags as given; resolved per phase by resolve().
struct SamplingFlags {
  float temp = 0.0f;
  float temp_think = -1.0f;   // < 0: use temp
  float temp_answer = -1.0f;  // < 0: use temp
  int top_k = 0;
  float top_p = 1.0f;
  float min_p = 0.0f;
  uint32_t seed = 0;
  std::vector<std::string> logit_bias;         // both phases
  std::vector<std::string> logit_bias_think;   // thinking only, added to logit_bias
  std::vector<std::string> logit_bias_answer;  // answer only, added to logit_bias

  // Thinking and answer sampling. Throws std::invalid_argument for a malformed bias.
  void resolve(SamplingParams& thinking, SamplingParams& answer) const;
};

// --backend openai: the remote server and how prompts reach it (RemoteSettings).
struct RemoteFlags {
  std::string url;                  // the server's base URL
  std::string api_model;            // "model" in its requests
  std::string api_key;              // Bearer token (default $OPENAI_API_KEY)
  std::string server_kind = "auto";  // auto, openai, vllm, sglang, llama, s1
  std::string tokenizer_model;      // a GGUF: template, vocabulary, thinking format
  std::string chat_template_file;   // a Jinja template file
  bool chatml = false;              // ChatML, chosen explicitly
  bool estimate_tokens = false;     // no /tokenize: one token per 4 bytes
  bool stream = true;               // segments as SSE streams
};

struct ModelFlags {
  std::string backend = "local";  // "local": llama.cpp in this process; "openai": a server
  RemoteFlags remote;
  LoadSettings load;
  ContextSettings context;
  // --chat-template-kwargs: template variables of every request (a server's requests
  // add their own chat_template_kwargs over them).
  ChatTemplateKwargs chat_template_kwargs;
  bool verbose = false;
};

void add_model_flags(CLI::App& cmd, ModelFlags& flags);
// The --backend openai flags (added by add_model_flags).
void add_remote_flags(CLI::App& cmd, RemoteFlags& remote);
// RemoteSettings from the flags, with every request's template variables. Throws
// CommandError without --url.
RemoteSettings remote_settings(const RemoteFlags& remote, const ChatTemplateKwargs& kwargs,
                               int n_parallel);

// The backend the flags name, with `n_parallel` concurrent sequences. Throws
// CommandError / std::exception with a one-line reason.
std::unique_ptr<Backend> make_backend(const ModelFlags& flags, const ForcingSettings& forcing,
                                      int n_parallel);
void add_forcing_flags(CLI::App& cmd, ForcingSettings& forcing, BudgetRules& rules);
void add_sampling_flags(CLI::App& cmd, SamplingFlags& sampling);

}  // namespace s1::cli
