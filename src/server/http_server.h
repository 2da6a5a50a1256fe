// The HTTP front of `s1 serve` (cpp-httplib): OpenAI-compatible routes, /health,
// /metrics, /tokenize and the playground page at /.
//
// Routes: POST /v1/chat/completions, POST /v1/completions (also without /v1),
// GET /v1/models, GET /health, GET /metrics (Prometheus text), POST /tokenize
// ({"content"} -> {"tokens"}, as llama-server's), GET / (playground).
//
// Threads: each connection has a thread of its own (up to max_connections; beyond,
// clients wait in the listen backlog), so /health and /metrics are answered while other
// connections are slow. Handlers parse and check requests (api.h), render and tokenize
// prompts (at most max_preparing at once), hand them to the engine loop and wait on
// their job; the loop thread owns the backend and only decodes. A client that goes away
// (a failed write for a stream, a closed socket for a plain response) cancels its job,
// which frees its sequences and KV cells at the loop's next turn. Requests beyond
// `parallel + max_queue` in flight get 503 at once.
//
// Shutdown (shutdown(grace), e.g. on SIGTERM): new requests get 503, requests still
// waiting for a sequence get 503, running ones may finish within the grace period and
// are then cancelled: every stream ends with a finishing chunk and [DONE].
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

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

struct ServerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;            // 0: a free port (see bound_port())
  int parallel = 1;           // the backend's concurrent sequences
  int max_queue = 64;         // requests that may wait for a sequence; more get 503
  size_t max_body = 8 << 20;  // bytes; larger bodies get 413
  int max_connections = 256;  // connections served at once (one thread each)
  int timeout_s = 30;         // a connection's read and write timeout
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
  // POST /v1/chat/completions and /v1/completions: the steps below, then a response.
  void handle_generation(Endpoint endpoint, const httplib::Request& req, httplib::Response& res);
  // Throws ApiError 503 once a shutdown began.
  void refuse_if_draining() const;
  // Takes a place in flight; throws ApiError 503 "server_busy" beyond parallel + max_queue.
  InFlight admit();
  // Renders and tokenizes on this thread within the gate; throws ApiError (503 when the
  // gate stays shut, 400 for a prompt that cannot run).
  void prepare(BackendRequest& request);
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
