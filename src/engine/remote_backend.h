// A Backend over an OpenAI-compatible /v1/completions endpoint (vLLM, SGLang,
// llama-server, another `s1 serve`): the same budget rules, enforced at the text level
// as the s1 reference code does with vLLM.
//
// Each sample is a chain of plain completion requests on a growing prompt:
//  - thinking: ask for at most the thinking tokens left, stopping at the end trigger(s)
//    and end-of-generation strings. What comes back is fed to the core BudgetForcer as
//    that many tokens (the server's usage.completion_tokens), then, if the server
//    stopped, as one attempt to end thinking. The forcer alone decides (ignore, end or
//    cap, as for the local engine); its forced text (the ignore string; at the cap "\n",
//    the end delimiter and "\nFinal Answer:") is appended to the prompt.
//  - answer: ask for the answer tokens left, stopping at end-of-generation strings.
// Forced strings count as thinking tokens as they do locally: their length comes from
// the server's /tokenize (llama-server, vLLM and `s1 serve` have it) or, failing that,
// an estimate of one token per 4 bytes.
//
// Prompts: a conversation is rendered as ChatML (Qwen, s1 models) and thinking opened
// with the format's start delimiter (no template: reasoning_content is not shown, and
// chat template variables are refused); a raw prompt is sent as is. The server must show
// the trigger as text for a stop string to catch it: run llama-server with --special
// for the s1 format (<|im_start|> is a special token).
//
// Threads: as Backend (one owner thread; callbacks inside step()). HTTP requests run
// on `parallel` worker threads of its own.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/backend.h"

namespace s1 {

struct RemoteSettings {
  std::string url;                // base URL, e.g. http://127.0.0.1:8000 (a trailing /v1 is fine)
  std::string api_model;          // "model" sent with each request ("" : left out)
  std::string api_key;            // sent as a Bearer token if set
  int parallel = 4;               // requests in flight at once
  int timeout_s = 600;            // per HTTP request
  int default_max_tokens = 4096;  // per segment when a budget is unlimited
  // Strings that end generation on the remote side (their tokens are EOS/EOT there).
  std::vector<std::string> end_of_generation = {"<|im_end|>", "<|endoftext|>"};
};

class RemoteBackend : public Backend {
 public:
  // `forcing` gives the delimiters (both empty: the s1 format) and forced strings.
  // Throws std::invalid_argument for a malformed URL or format. Connects lazily.
  RemoteBackend(RemoteSettings settings, const ForcingSettings& forcing);
  ~RemoteBackend() override;

  int submit(BackendRequest request) override;
  bool step() override;
  bool cancel(int request_id) override;
  BackendInfo info() const override;
  // Asks the server's /tokenize; throws std::runtime_error if it cannot answer.
  int count_prompt_tokens(const BackendRequest& request) const override;
  SchedulerStats stats() const override { return stats_; }
  bool end_thinking(int request_id, const std::string& reason) override;
  // Throws std::invalid_argument: the server's vocabulary is not visible from here.
  std::vector<SuppressedTokens> suppressed_tokens(const std::vector<std::string>& words) const override;

  // The prompt sent for `request` (ChatML + thinking opened, or the raw prompt).
  std::string render_prompt(const BackendRequest& request) const;

 private:
  struct Sample;
  struct Segment;  // one HTTP request and its outcome
  void worker();
  void launch(Sample& s);
  void apply(Sample& s, const Decision& d);
  void on_segment(Segment& seg);
  void finish(Sample& s, const std::string& reason);
  // Tokens of `text` on the server (cached).
  int token_count(const std::string& text) const;
  ForcingVocab vocab_for(const std::vector<std::string>& ignore_strings, int max_steps) const;

  RemoteSettings settings_;
  ForcingSettings forcing_;
  ThinkingFormat format_;
  std::string host_;  // scheme://host:port
  std::string path_;  // "/v1" or the URL's path

  std::vector<std::unique_ptr<Sample>> samples_;
  int next_id_ = 0;
  SchedulerStats stats_;
  mutable std::map<std::string, int> token_counts_;

  std::mutex mutex_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<std::shared_ptr<Segment>> work_, done_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace s1
