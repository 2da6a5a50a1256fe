// The one thread that owns the Backend (and so the llama.cpp context), as in llama.cpp's
// server: HTTP threads hand it typed requests through an inbox, it loops step(), and
// each request's text and results come back through that request's own channel (a Job).
//
// Threads: EngineLoop's public methods and Job's HTTP-side methods may be called from
// any thread. Backend calls and callbacks happen on the loop thread only.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/backend.h"
#include "server/api.h"
#include "server/metrics.h"

namespace s1::server {

// The error code and message of every request refused or ended by a shutdown (503).
inline constexpr const char* kShuttingDown = "shutting_down";
inline constexpr const char* kShuttingDownMessage = "the server is shutting down";

// What a Job reports, in order.
struct JobEvent {
  enum class Kind { kText, kProbe, kDone, kError } kind = Kind::kText;
  int sample = 0;
  TextChunk chunk{Channel::kThinking, "", false, {}};  // kText
  ProbeRecord probe;                               // kProbe: a probe of the sample finished
  SequenceResult result;                           // kDone: one per sample
  int status = 0;                                  // kError: HTTP status, code, message,
  std::string code;                                // and the request field at fault ("")
  std::string message;
  std::string param;
};

// One request's channel between the loop thread and the HTTP thread that waits on it.
class Job {
 public:
  explicit Job(int n_samples) : remaining_(n_samples) {}

  // Moves the events that arrived into `out` (appending), waiting up to `timeout` for
  // the first. Returns false on timeout with nothing new.
  bool wait(std::vector<JobEvent>& out, std::chrono::milliseconds timeout);
  // True once every sample is done or the job failed; the last events may still be unread.
  bool finished() const { return finished_.load(); }

  // Loop side.
  void push(JobEvent event);
  void fail(int status, const std::string& code, const std::string& message,
            const std::string& param = "");
  // fail() with 503 kShuttingDown.
  void fail_shutting_down() { fail(503, kShuttingDown, kShuttingDownMessage); }

 private:
  friend class EngineLoop;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<JobEvent> events_;
  int remaining_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> cancel_requested_{false};
  int backend_id_ = -1;  // loop thread only
  BackendRequest request_;
};

// How a request the backend refused (std::invalid_argument) is reported: 400 with
// "context_length_exceeded" for a RequestError of code kContextExceeded (a prompt or
// budget beyond the context), else "invalid_request". The code decides, never the text;
// `param` is the request field of the rule at fault (budget_param), if one is.
struct SubmitError {
  int status;
  std::string code;
  std::string param;
};
SubmitError classify_submit_error(const std::invalid_argument& e);

struct EngineGauges {
  int busy_sequences = 0;
  int used_cells = 0;    // held by running sequences
  int cached_cells = 0;  // held by idle ones for the prefix cache
  int stored_prompts = 0;    // dropped caches kept in host memory
  int64_t stored_bytes = 0;  // ...and their bytes
  SchedulerStats stats;  // the backend's counters
  int queued = 0;     // waiting for the loop or for a sequence
  int in_flight = 0;  // submitted and not finished
};

class EngineLoop {
 public:
  // Starts the loop thread. `metrics` must outlive the loop; `n_parallel` is the
  // backend's number of concurrent sequences (reported only).
  EngineLoop(std::unique_ptr<Backend> backend, Metrics& metrics, int n_parallel);
  // Stops: cancels whatever runs, then joins.
  ~EngineLoop();
  // Asks the loop to stop (idempotent, any thread): running jobs are cancelled and
  // waiting ones fail with 503, so no HTTP thread keeps waiting on them.
  void stop();

  // Queues a request (callbacks must be unset: the loop sets them). Never throws for a
  // bad request: submit errors come back as a kError event.
  std::shared_ptr<Job> submit(BackendRequest request);
  // Asks the loop to cancel `job` (it frees its sequences and cells at its next turn).
  void cancel(const std::shared_ptr<Job>& job);
  // Ends thinking of `job`'s samples at their next token (Backend::end_thinking, reason
  // "client"). Waits for the loop; false when the job is not running (not yet started,
  // finished, or failed) or the backend cannot.
  bool end_thinking(const std::shared_ptr<Job>& job);
  // Runs `task` on the loop thread, between steps, and waits for it. Rethrows what
  // `task` throws.
  void run_on_loop(const std::function<void(Backend&)>& task);
  // Renders and tokenizes a request's prompt on the calling thread (Backend::prepare),
  // so the loop thread never does. Throws std::invalid_argument for a prompt that cannot fit.
  void prepare(BackendRequest& request) const { backend_->prepare(request); }
  // Backend::apply_chat_template on the calling thread.
  std::optional<std::string> apply_chat_template(const TemplateRequest& t) const {
    return backend_->apply_chat_template(t.messages, t.chat_template_kwargs, t.add_generation_prompt);
  }
  // Backend::tokenize and Backend::token_pieces on the calling thread.
  std::optional<TokenSeq> tokenize(const std::string& text, bool add_bos,
                                   bool parse_special = true) const {
    return backend_->tokenize(text, add_bos, parse_special);
  }
  std::optional<std::vector<std::string>> token_pieces(const TokenSeq& tokens) const {
    return backend_->token_pieces(tokens);
  }
  // Shutting down, step one: new requests and those not yet running (waiting for the
  // loop or for a sequence) fail with 503; running ones go on. Waits for the loop to do it.
  void fail_waiting();

  EngineGauges gauges() const;
  BackendInfo info() const { return info_; }
  int n_parallel() const { return n_parallel_; }
  // Tokens one sequence may hold (0 when the backend does not say).
  int sequence_context() const { return info_.sequence_context; }

 private:
  void run();
  void start(const std::shared_ptr<Job>& job);
  void update_gauges();

  std::unique_ptr<Backend> backend_;
  Metrics& metrics_;
  BackendInfo info_;
  int n_parallel_ = 1;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> inbox_;
  std::vector<std::shared_ptr<Job>> cancels_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  bool closed_ = false;  // fail_waiting() ran: no new jobs
  EngineGauges gauges_;

  std::map<int, std::shared_ptr<Job>> active_;  // loop thread only
  std::thread thread_;
};

}  // namespace s1::server
