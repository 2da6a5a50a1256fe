// The HTTP front of `s1 serve` (cpp-httplib): OpenAI-compatible routes, /health,
// /metrics, /tokenize and the playground page at /.
//
// Routes: POST /v1/chat/completions, POST /v1/completions (also without /v1),
// GET /v1/models, GET /health, GET /metrics (Prometheus text), POST /tokenize
// ({"content"} -> {"tokens"}, as llama-server's), GET / (playground).
//
// Threads: HTTP worker threads parse and check requests (api.h), hand them to the
// engine loop and wait on their job; the loop thread owns the backend. A streaming
// client that goes away (a failed write) cancels its job, which frees its sequences and
// KV cells at the loop's next turn. Requests beyond `parallel + max_queue` in flight get
// 503 at once.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "engine/backend.h"
#include "server/api.h"
#include "server/engine_loop.h"
#include "server/metrics.h"

namespace httplib {
class Server;
}

namespace s1::server {

struct ServerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;            // 0: a free port (see bound_port())
  int parallel = 1;           // the backend's concurrent sequences
  int max_queue = 64;         // requests that may wait for a sequence; more get 503
  int http_threads = 0;       // 0: parallel + max_queue + 8
  size_t max_body = 8 << 20;  // bytes; larger bodies get 413
  std::string playground;     // a file to serve at / instead of the built-in page
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
  // Stops (thread-safe, also from a signal-watching thread): running generations are
  // cancelled (their clients get what was generated), new ones get 503, and listen()
  // returns once the HTTP threads are done.
  void stop();
  Metrics& metrics() { return metrics_; }

 private:
  void routes();
  void handle_generation(Endpoint endpoint, const std::string& body, void* response);
  void count(const std::string& endpoint, int status);

  ServerSettings settings_;
  Metrics metrics_;
  std::unique_ptr<EngineLoop> loop_;
  std::unique_ptr<httplib::Server> http_;
  std::atomic<int> in_flight_{0};
  int port_ = 0;
  int64_t started_ = 0;
};

}  // namespace s1::server
