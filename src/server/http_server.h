// The HTTP front of `s1 serve` (cpp-httplib): OpenAI-compatible routes, /health,
// /metrics, /tokenize and the playground page at /.
//
// Routes: POST /v1/chat/completions, POST /v1/completions (also without /v1),
// GET /v1/models, GET /health, GET /metrics (Prometheus text), POST /tokenize
// ({"content"} -> {"tokens"}, as llama-server's), GET / (playground).
//
// Threads: each connection has a thread of its own (up to max_connections; beyond, a
// few more connections are served /health and /metrics only, and further clients wait
// in the listen backlog), so /health and /metrics are answered while other connections
// are slow. Each request must arrive whole (headers and body) within timeout_s of its
// connection being ready for it, however slowly it trickles, or gets 408; a
// Content-Length beyond max_body gets 413 before any body is read (listener.h). Handlers
// parse and check requests (api.h), render and tokenize prompts (at most max_preparing
// at once), hand them to the engine loop and wait on
// their job; the loop thread owns the backend and only decodes. A client that goes away
// (a failed write for a stream, a closed socket for a plain response) cancels its job,
// which frees its sequences and KV cells at the loop's next turn. Requests beyond
// `parallel + max_queue` in flight get 503 at once.
//
// Shutdown (shutdown(grace), e.g. on SIGTERM): new requests get 503, requests still
// waiting for a sequence or for their prompt (or /tokenize text) to be tokenized get 503,
// running ones may finish within the grace period and are then cancelled: every stream
// ends with a finishing chunk and [DONE]. A tokenizer cannot be interrupted: large texts
// are tokenized on threads of their own (run_heavy), which the shutdown does not wait for.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/backend.h"
#include "server/api.h"
#include "server/engine_loop.h"
#include "server/metrics.h"
#include "server/work_gate.h"

namespace httplib {
class Server;
class DataSink;
struct Request;
struct Response;
}

namespace s1::server {

class RequestStream;

struct ServerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;            // 0: a free port (see bound_port())
  int parallel = 1;           // the backend's concurrent sequences
  int max_queue = 64;         // requests that may wait for a sequence; more get 503
  size_t max_body = 8 << 20;  // bytes; larger bodies get 413
  int max_connections = 256;  // connections served at once (one thread each)
  int timeout_s = 30;         // seconds a request may take to arrive whole; a write's timeout
  int max_preparing = 0;      // prompts rendered and tokenized at once (0: the machine's cores)
  double shutdown_grace_s = 10;  // how long running requests may finish after a shutdown
  std::string playground;     // a file to serve at / instead of the built-in page
  // One line per request on stderr when it ends ("s1 serve: POST /v1/chat/completions 200
  // 1.234 s, prompt 12 + completion 40 tokens (reasoning 30)"), as llama-server and vLLM
  // log; false: none (--quiet).
  bool log_requests = true;
  ApiDefaults api;
};

class HttpServer {
 public:
  // Takes the backend and starts the engine loop. Throws std::runtime_error if the
  // address cannot be bound.
  HttpServer(std::unique_ptr<Backend> backend, ServerSettings settings);
  ~HttpServer();

  // The port listened on (the free one chosen for port 0).
  int bound_port() const { return port_; }
  // Serves until stop(); returns false if listening failed.
  bool listen();
  // Shuts down (thread-safe, also from a signal-watching thread; once): new requests and
  // those waiting for a sequence get 503, running ones may finish for up to `grace`, then
  // are cancelled (their clients get what was generated, streams a finishing chunk and
  // [DONE]). Returns when listen() returns or is about to, at most about grace + 1 s.
  void shutdown(std::chrono::milliseconds grace);
  // shutdown() with no grace: running generations are cancelled at once.
  void stop() { shutdown(std::chrono::milliseconds(0)); }
  Metrics& metrics() { return metrics_; }
  // Whether prompt work that a shutdown left behind still runs (a tokenizer cannot be
  // interrupted): destroying the server would wait for it, so a process that ends should
  // exit without.
  bool heavy_work_running();

 private:
  struct Exchange;
  // One request's place among those in flight, given back on destruction unless
  // released (then finish() gives it back).
  class InFlight {
   public:
    explicit InFlight(std::atomic<int>& n) : n_(&n) {}
    InFlight(InFlight&& o) noexcept : n_(o.n_) { o.n_ = nullptr; }
    InFlight& operator=(InFlight&&) = delete;
    ~InFlight() {
      if (n_) n_->fetch_sub(1);
    }
    void release() { n_ = nullptr; }

   private:
    std::atomic<int>* n_;
  };

  void routes();
  // Answers 408 on a connection whose request line did not arrive within --timeout.
  void answer_timeout(RequestStream& strm);
  // POST /v1/chat/completions and /v1/completions: the steps below, then a response.
  void handle_generation(Endpoint endpoint, const httplib::Request& req, httplib::Response& res);
  // Throws ApiError 503 once a shutdown began.
  void refuse_if_draining() const;
  // Takes a place in flight; throws ApiError 503 "server_busy" beyond parallel + max_queue.
  InFlight admit();
  // Renders and tokenizes within the gate (run_heavy); throws ApiError (503 when the gate
  // stays shut or a shutdown begins, 400 for a prompt that cannot run).
  void prepare(BackendRequest& request);
  // Runs `work` (rendering, tokenizing) within the gate on heavy work (max_preparing at
  // once; ApiError 503 server_busy when it stays shut for timeout_s): on this thread when
  // `bytes` of text are few, else on a thread of its own, waited for until it ends or a
  // shutdown begins (then ApiError 503 shutting_down at once, the work left to end by
  // itself, since a tokenizer cannot be interrupted). Rethrows what `work` throws. `work`
  // must own what it uses.
  void run_heavy(size_t bytes, std::function<void()> work);
  // Joins the heavy-work threads that ended (all: waits for every one).
  void reap_heavy(bool all);
  // The whole response once every sample is done; a closed socket cancels the job.
  void respond_whole(const std::shared_ptr<Exchange>& ex, const httplib::Request& req,
                     httplib::Response& res);
  // Server-sent events as the text comes; a failed write cancels the job.
  void respond_stream(const std::shared_ptr<Exchange>& ex, const httplib::Request& req,
                      httplib::Response& res);
  // Waits for the job's first event into ex.pending; false (and the job cancelled) if the
  // client left meanwhile.
  bool wait_first_event(Exchange& ex, const httplib::Request& req);
  // One turn of a stream: writes what came; false when a write failed.
  bool stream_more(Exchange& ex, httplib::DataSink& sink);
  // Answers with the job's error event and counts it.
  void fail(Exchange& ex, const JobEvent& error, httplib::Response& res);
  // Hands job events to the builder, appending the chunks to stream; returns the error
  // event if one came (nothing after it is fed).
  const JobEvent* feed(Exchange& ex, const std::vector<JobEvent>& events,
                       std::vector<nlohmann::json>& chunks);
  // Counts the request as done with `status` (once).
  void finish(Exchange& ex, int status);
  // POST /v1/chat/completions/control ({"id", "action": "reasoning_end"}, llama-server's
  // shape) and POST /v1/thinking/end ({"id"}): ends thinking of a running request.
  void handle_end_thinking(const httplib::Request& req, httplib::Response& res, bool control);
  // The client went away: cancel its job, count it.
  void client_left(Exchange& ex);
  // Counts a request as answered with `status` in the metrics and logs its line
  // (ServerSettings::log_requests), `tokens` saying what a generation used.
  void count(const std::string& endpoint, int status, const std::string& tokens = "");

  ServerSettings settings_;
  Metrics metrics_;
  std::unique_ptr<EngineLoop> loop_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<WorkGate> preparing_;
  struct Heavy;
  std::mutex heavy_mutex_;
  std::vector<std::pair<std::thread, std::shared_ptr<Heavy>>> heavy_;
  std::atomic<int> preparing_now_{0};  // heavy work running (s1_preparing)
  std::atomic<int> connections_{0};    // connections being served (s1_http_connections)
  std::atomic<int> answering_{0};      // requests being read or answered
  std::atomic<int> in_flight_{0};
  std::atomic<bool> draining_{false};  // shutting down: no new requests
  std::atomic<bool> stopping_{false};  // listening ends: connections no longer wait
  std::once_flag shutdown_once_;
  // Running requests by response id, for ending their thinking from another request.
  std::mutex live_mutex_;
  std::map<std::string, std::weak_ptr<Job>> live_;
  int port_ = 0;
  int64_t started_ = 0;
};

}  // namespace s1::server
