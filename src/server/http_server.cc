#include "server/http_server.h"

#include <httplib.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include "core/utf8.h"
#include "server/client_socket.h"
#include "server/connection_pool.h"
#include "server/playground.h"
#include "server/listener.h"
#include "server/request_stream.h"
#include "server/responses.h"

namespace s1::server {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The request this connection thread serves (set before routing), for its log line. A
// stream's last chunk is written by the same thread, so its end finds it here too.
struct RequestSeen {
  Clock::time_point start;
  std::string method, path;
};
thread_local RequestSeen t_request;

// Heavy work below this many bytes of text runs on the HTTP thread (it ends in
// milliseconds); above, on a thread of its own that a shutdown need not wait for.
constexpr size_t kInlineWorkBytes = 64 << 10;

void log_request(int status, const std::string& tokens) {
  std::fprintf(stderr, "s1 serve: %s %s %d %.3f s%s\n", t_request.method.c_str(),
               sanitize_utf8(t_request.path).c_str(), status, seconds_since(t_request.start),
               tokens.empty() ? "" : (", " + tokens).c_str());
}

void send_error(httplib::Response& res, const ApiError& e) {
  res.status = e.status;
  res.set_content(dump(error_json(e)), "application/json");
}

// Throws ApiError for a Content-Length that is not one number of bytes (400) or that
// announces more than `max_body` (413): answered before the body is read, rather than
// after waiting for bytes that may never come.
void check_content_length(const httplib::Request& req, size_t max_body) {
  const size_t n = req.get_header_value_count("Content-Length");
  if (n == 0) return;
  const std::string v = req.get_header_value("Content-Length");
  if (n > 1 || v.empty() || v.find_first_not_of("0123456789") != std::string::npos) {
    throw ApiError(400, "invalid_request",
                   "the Content-Length header must be one number of bytes, not '" +
                       sanitize_utf8(v.substr(0, 40)) + "'");
  }
  if (v.size() > 19 || std::stoull(v) > max_body) {
    throw ApiError(413, "payload_too_large",
                   "the request body is too large (" + v.substr(0, 40) + " bytes; at most " +
                       std::to_string(max_body) + ")");
  }
}

// The answer to a request that did not arrive whole within --timeout.
ApiError request_timeout(int timeout_s) {
  return ApiError(408, "request_timeout",
                  "the request did not arrive whole within " + std::to_string(timeout_s) +
                      " s (--timeout)");
}

BackendRequest to_backend(const ApiRequest& r) {
  BackendRequest b;
  if (r.endpoint == Endpoint::kChat) {
    b.messages = r.messages;
    b.chat_template_kwargs = r.chat_template_kwargs;
  } else {
    b.raw_prompt = r.prompt;
    b.prompt_tokens = r.prompt_tokens;
    b.judge_given_prompt = !r.plain;  // a plain continuation goes on as given
  }
  b.stop_tokens = r.stop_token_ids;
  b.rules = r.rules;
  b.thinking_sampling = r.thinking_sampling;
  b.answer_sampling = r.answer_sampling;
  b.n_samples = r.n;
  b.cache_prompt = r.cache_prompt;
  b.fit_answer_to_context = true;  // max_tokens beyond the context: as llama-server, not a 400
  b.ignore_strings = r.ignore_strings;
  b.probe = r.probe;
  b.suppress_words = r.suppress_words;
  return b;
}

}  // namespace

// A request in flight: its job, its builder and what the metrics need.
struct HttpServer::Exchange {
  ApiRequest request;
  std::shared_ptr<Job> job;
  ResponseBuilder builder;
  std::string endpoint;
  Clock::time_point start = Clock::now();
  bool first_text = false;
  bool finished = false;
  std::vector<JobEvent> pending;  // a stream's events not yet written (the first one)
  std::string id;                 // the response id, by which a client may end thinking
  bool begun = false;             // a stream's first chunks are written
};

HttpServer::HttpServer(std::unique_ptr<Backend> backend, ServerSettings settings)
    : settings_(std::move(settings)) {
  if (settings_.timeout_s < 1) throw std::invalid_argument("--timeout must be at least 1");
  http_ = std::make_unique<Listener>(
      std::chrono::seconds(settings_.timeout_s), stopping_,
      [this](RequestStream& strm) { answer_timeout(strm); }, connections_, answering_);
  metrics_.declare_counter("s1_http_requests_total", "HTTP requests by endpoint and status.");
  metrics_.declare_counter("s1_request_timeouts_total",
                           "Requests that did not arrive whole within --timeout (answered 408).");
  metrics_.declare_counter(
      "s1_connection_limit_refusals_total",
      "Requests other than /health and /metrics on connections taken beyond --max-connections "
      "(answered 503).");
  metrics_.declare_counter(
      "s1_client_disconnects_total",
      "Streams whose client went away before the end (their job was cancelled).");
  metrics_.declare_gauge("s1_requests_in_flight", "Generation requests accepted and not finished.");
  metrics_.declare_gauge("s1_http_connections",
                         "Connections being served (at most --max-connections, and 4 more for "
                         "/health and /metrics).");
  metrics_.declare_gauge("s1_preparing", "Prompts being rendered or tokenized (/tokenize too).");
  metrics_.declare_gauge("s1_queue_depth", "Requests waiting for a sequence.");
  metrics_.declare_gauge("s1_busy_sequences", "Sequences generating now.");
  metrics_.declare_gauge("s1_kv_cells_used", "KV cache cells held by running sequences.");
  metrics_.declare_gauge("s1_kv_cells_cached", "KV cache cells kept by idle sequences (prefix cache).");
  metrics_.declare_counter("s1_prefix_cache_hits_total", "Prompts that found a cached prefix.");
  metrics_.declare_counter("s1_prefix_cache_reused_tokens_total",
                           "Prompt tokens taken from the prefix cache instead of decoded.");
  metrics_.declare_counter("s1_prefix_cache_evictions_total", "Cached prefixes dropped.");
  metrics_.declare_gauge("s1_prompt_store_prompts",
                         "Dropped caches kept in host memory (--cache-ram).");
  metrics_.declare_gauge("s1_prompt_store_bytes", "Bytes of KV state kept in host memory.");
  metrics_.declare_counter("s1_prompt_store_saves_total", "Dropped caches copied to host memory.");
  metrics_.declare_counter("s1_prompt_store_restores_total",
                           "Prompts whose prefix was copied back from host memory.");
  metrics_.declare_counter("s1_probes_total", "Adaptive-thinking probes run to the end.");
  metrics_.declare_counter("s1_probe_tokens_total", "Tokens decoded for probes.");
  metrics_.declare_counter("s1_probes_skipped_total",
                           "Probes due but not run (no free sequence, or no room in it).");
  metrics_.declare_histogram("s1_request_duration_seconds", "Generation request latency.",
                             {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300});
  metrics_.declare_histogram("s1_time_to_first_text_seconds",
                             "Time from a request to its first text.",
                             {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30});
  loop_ = std::make_unique<EngineLoop>(std::move(backend), metrics_, settings_.parallel);
  started_ = static_cast<int64_t>(std::time(nullptr));

  if (settings_.max_connections < 1) throw std::invalid_argument("--max-connections must be at least 1");
  const auto connections = static_cast<size_t>(settings_.max_connections);
  http_->new_task_queue = [this, connections] {
    return new ConnectionPool(connections, kProbeConnections, stopping_);
  };
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  preparing_ = std::make_unique<WorkGate>(settings_.max_preparing > 0 ? settings_.max_preparing : cores);
  // SO_REUSEADDR only: cpp-httplib's default also sets SO_REUSEPORT, with which a second
  // server on the same port would silently take half of the connections.
  auto listener = std::make_shared<socket_t>(INVALID_SOCKET);
  http_->set_socket_options([listener](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listener = sock;
  });
  http_->set_payload_max_length(settings_.max_body);
  routes();
  errno = 0;
  port_ = settings_.port == 0
              ? http_->bind_to_any_port(settings_.host)
              : (http_->bind_to_port(settings_.host, settings_.port) ? settings_.port : -1);
  if (port_ < 0) {
    const int why = errno;  // bind()'s or listen()'s, or the address lookup's
    throw std::runtime_error("cannot listen on " + settings_.host + ":" +
                             std::to_string(settings_.port) + ": " +
                             (why ? std::strerror(why) : "the address cannot be used"));
  }
  // cpp-httplib's listen backlog may be small (5 in 0.11; llama.cpp's build sets 512): a
  // burst of clients overflows it and some connections are reset. Listening again on the
  // socket raises it to the system's limit.
  if (*listener != INVALID_SOCKET) ::listen(*listener, SOMAXCONN);
}

HttpServer::~HttpServer() {
  stop();
  reap_heavy(true);  // they use the backend
  loop_.reset();  // releases waiting handlers before the HTTP threads are joined
  http_.reset();
}

bool HttpServer::listen() {
  return http_->listen_after_bind();
}

void HttpServer::shutdown(std::chrono::milliseconds grace) {
  std::call_once(shutdown_once_, [&] {
    draining_ = true;
    if (loop_) loop_->fail_waiting();
    const auto deadline = Clock::now() + grace;
    while (in_flight_.load() > 0 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Cancelling ends every job; their handlers then write the last chunks, which takes
    // them one wait (100 ms) or so: give them a second before listening ends, since
    // cpp-httplib cuts streams short once it stops.
    if (loop_) loop_->stop();
    // Requests refused meanwhile (503) are written out too.
    const auto last = Clock::now() + std::chrono::seconds(1);
    while ((in_flight_.load() > 0 || answering_.load() > 0) && Clock::now() < last) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    stopping_ = true;
    if (http_) http_->stop();
    // Connections still open (idle keep-alive, a client trickling its request) would
    // hold listen() for up to their timeout: cut them.
    cut_connections(port_);
  });
}

void HttpServer::count(const std::string& endpoint, int status, const std::string& tokens) {
  if (settings_.log_requests) log_request(status, tokens);
  metrics_.add(
      "s1_http_requests_total", 1,
      "endpoint=\"" + escape_label(endpoint) + "\",status=\"" + std::to_string(status) + "\"");
}

void HttpServer::answer_timeout(RequestStream& strm) {
  metrics_.add("s1_request_timeouts_total", 1);
  const std::string body = dump(error_json(request_timeout(settings_.timeout_s)));
  const std::string head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n"
                           "Connection: close\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n";
  strm.write(head + body);
  if (settings_.log_requests) {
    t_request = {Clock::now() - std::chrono::seconds(settings_.timeout_s), "-", "(request line)"};
    log_request(408, "");
  }
}

void HttpServer::routes() {
  httplib::Server& s = *http_;
  // Before any body is read: a connection taken beyond --max-connections serves probes
  // only, and a Content-Length that lies is answered at once.
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_request = {Clock::now(), req.method, req.path};
    try {
      if (this_connection().reserve && !(req.method == "GET" && (req.path == "/health" || req.path == "/metrics"))) {
        metrics_.add("s1_connection_limit_refusals_total", 1);
        res.set_header("Retry-After", "1");
        throw ApiError(503, "server_busy",
                       "the server is at its connection limit (--max-connections " +
                           std::to_string(settings_.max_connections) +
                           "): only /health and /metrics are answered now; retry");
      }
      check_content_length(req, settings_.max_body);
    } catch (const ApiError& e) {
      send_error(res, e);
      if (settings_.log_requests) log_request(e.status, "");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        send_error(res, ApiError(500, "internal_error", what));
        count(req.path, 500);
      });
  s.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler's own error
    if (this_connection().stream && this_connection().stream->expired()) {
      // Its headers or body were still coming at the deadline (read as a failed read).
      metrics_.add("s1_request_timeouts_total", 1);
      res.status = 408;
    }
    if (settings_.log_requests) {  // not counted in the metrics: any path may come
      if (t_request.path != req.path || t_request.method != req.method) {
        t_request = {Clock::now(), req.method, req.path};  // refused before routing
      }
      log_request(res.status, "");
    }
    if (res.status == 404) {
      send_error(res, ApiError(404, "not_found",
                               "no route for " + req.method + " " + sanitize_utf8(req.path)));
    } else if (res.status == 413) {
      send_error(res, ApiError(413, "payload_too_large", "the request body is too large"));
    } else if (res.status == 408) {
      send_error(res, request_timeout(settings_.timeout_s));
    } else {
      send_error(res,
                 ApiError(res.status, "http_error", "HTTP error " + std::to_string(res.status)));
    }
  });

  s.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
    if (draining_) {
      res.status = 503;
      res.set_content(R"({"status":"shutting_down"})", "application/json");
    } else {
      res.status = 200;  // set before counting and logging (it is set after handlers otherwise)
      res.set_content(R"({"status":"ok"})", "application/json");
    }
    count("/health", res.status);
  });

  auto models = [this](const httplib::Request&, httplib::Response& res) {
    json data = json::array();
    const BackendInfo info = loop_->info();
    for (const auto& name : settings_.api.model_names) {
      data.push_back({{"id", name},
                      {"object", "model"},
                      {"created", started_},
                      {"owned_by", "s1.cpp"},
                      {"meta",
                       {{"description", info.model},
                        {"thinking_format", info.format},
                        {"n_ctx_per_sequence", loop_->sequence_context()},
                        {"parallel", settings_.parallel}}}});
    }
    res.set_content(dump({{"object", "list"}, {"data", data}}), "application/json");
    count("/v1/models", 200);
  };
  s.Get("/v1/models", models);
  s.Get("/models", models);

  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    const EngineGauges g = loop_->gauges();
    metrics_.set("s1_requests_in_flight", in_flight_.load());
    metrics_.set("s1_http_connections", connections_.load());
    metrics_.set("s1_preparing", preparing_now_.load());
    metrics_.set("s1_queue_depth", g.queued);
    metrics_.set("s1_busy_sequences", g.busy_sequences);
    metrics_.set("s1_kv_cells_used", g.used_cells);
    metrics_.set("s1_kv_cells_cached", g.cached_cells);
    metrics_.set_total("s1_prefix_cache_hits_total", static_cast<double>(g.stats.cache_hits));
    metrics_.set_total("s1_prefix_cache_reused_tokens_total",
                       static_cast<double>(g.stats.cache_reused_tokens));
    metrics_.set_total("s1_prefix_cache_evictions_total",
                       static_cast<double>(g.stats.cache_evictions));
    metrics_.set("s1_prompt_store_prompts", g.stored_prompts);
    metrics_.set("s1_prompt_store_bytes", static_cast<double>(g.stored_bytes));
    metrics_.set_total("s1_prompt_store_saves_total", static_cast<double>(g.stats.store_saves));
    metrics_.set_total("s1_prompt_store_restores_total",
                       static_cast<double>(g.stats.store_restores));
    metrics_.set_total("s1_probes_total", static_cast<double>(g.stats.probes));
    metrics_.set_total("s1_probe_tokens_total", static_cast<double>(g.stats.probe_tokens));
    metrics_.set_total("s1_probes_skipped_total", static_cast<double>(g.stats.probes_skipped));
    res.set_content(metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
    count("/metrics", 200);
  });

  s.Post("/tokenize", [this](const httplib::Request& req, httplib::Response& res) {
    try {
      const TokenizeRequest t = parse_tokenize_request(req.body);
      refuse_if_draining();
      // Tokenized off the engine's thread, within the bound on heavy work.
      auto text = std::make_shared<const std::string>(t.content);
      auto tokens = std::make_shared<std::optional<TokenSeq>>();
      auto pieces = std::make_shared<std::optional<std::vector<std::string>>>();
      try {
        run_heavy(text->size(), [this, text, tokens, pieces, t] {
          *tokens = loop_->tokenize(*text, t.add_special, t.parse_special);
          if (*tokens && t.with_pieces) *pieces = loop_->token_pieces(**tokens);
        });
      } catch (const ApiError&) {
        throw;
      } catch (const std::exception& e) {
        throw ApiError(400, "invalid_value", e.what(), "content");
      }
      if (!*tokens || (t.with_pieces && !*pieces))
        throw ApiError(501, "not_supported", "this backend cannot tokenize");
      res.set_content(dump(tokenize_response(**tokens, *pieces ? &**pieces : nullptr)),
                      "application/json");
      count("/tokenize", 200);
    } catch (const ApiError& e) {
      send_error(res, e);
      count("/tokenize", e.status);
    }
  });

  s.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    std::string page(playground_html());
    if (!settings_.playground.empty()) {
      std::ifstream in(settings_.playground, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      page = ss.str();
    }
    res.set_content(page, "text/html; charset=utf-8");
    count("/", 200);
  });

  for (const char* path : {"/v1/chat/completions", "/chat/completions"}) {
    s.Post(path, [this](const httplib::Request& req, httplib::Response& res) {
      handle_generation(Endpoint::kChat, req, res);
    });
  }
  for (const char* path : {"/v1/completions", "/completions"}) {
    s.Post(path, [this](const httplib::Request& req, httplib::Response& res) {
      handle_generation(Endpoint::kCompletion, req, res);
    });
  }
  s.Post("/v1/chat/completions/control", [this](const httplib::Request& req, httplib::Response& res) {
    handle_end_thinking(req, res, true);
  });
  // llama-server's POST /apply-template: the conversation rendered by the model's template,
  // so remote clients (s1's own --backend openai) render as the local engine does.
  s.Post("/apply-template", [this](const httplib::Request& req, httplib::Response& res) {
    try {
      const TemplateRequest t = parse_template_request(req.body);
      std::optional<std::string> prompt;
      try {
        prompt = loop_->apply_chat_template(t);
      } catch (const std::exception& e) {
        throw ApiError(400, "invalid_request", e.what());
      }
      if (!prompt) throw ApiError(501, "not_supported", "this backend has no chat template");
      res.set_content(dump(json{{"prompt", *prompt}}), "application/json");
      count("/apply-template", 200);
    } catch (const ApiError& e) {
      send_error(res, e);
      count("/apply-template", e.status);
    }
  });
  s.Post("/v1/thinking/end", [this](const httplib::Request& req, httplib::Response& res) {
    handle_end_thinking(req, res, false);
  });
}

void HttpServer::handle_end_thinking(const httplib::Request& req, httplib::Response& res,
                                     bool control) {
  const std::string name = control ? "/v1/chat/completions/control" : "/v1/thinking/end";
  try {
    const json body = json::parse(req.body, nullptr, false);
    if (!body.is_object()) throw ApiError(400, "invalid_json", "the body must be a JSON object");
    const auto id = body.find("id");
    if (id == body.end() || !id->is_string() || id->get<std::string>().empty()) {
      throw ApiError(400, "missing_field", "'id' (the completion's id) is required", "id");
    }
    if (control) {
      const auto action = body.find("action");
      if (action == body.end() || *action != "reasoning_end") {
        throw ApiError(400, "unsupported_value", "'action' must be \"reasoning_end\"", "action");
      }
    }
    std::shared_ptr<Job> job;
    {
      const std::lock_guard<std::mutex> lock(live_mutex_);
      const auto it = live_.find(id->get<std::string>());
      if (it != live_.end()) job = it->second.lock();
    }
    const bool ended = job && loop_->end_thinking(job);
    if (control) {
      // llama-server's answer: success, or why not (a finished completion is a no-op).
      json out = {{"success", ended}};
      if (!ended) out["message"] = "no running completion with this id";
      res.set_content(dump(out), "application/json");
      count(name, 200);
      return;
    }
    if (!ended) throw ApiError(404, "not_found", "no running completion with this id", "id");
    res.set_content(dump(json{{"id", id->get<std::string>()}, {"thinking", "ending"}}), "application/json");
    count(name, 200);
  } catch (const ApiError& e) {
    send_error(res, e);
    count(name, e.status);
  }
}

// A handler's steps, in order: refuse while draining, parse, admit, prepare, refuse again
// if a shutdown began meanwhile, hand to the loop, respond. Each step that refuses
// throws ApiError; the one catch below answers and counts it.
void HttpServer::handle_generation(Endpoint endpoint, const httplib::Request& req,
                                   httplib::Response& res) {
  const std::string name =
      endpoint == Endpoint::kChat ? "/v1/chat/completions" : "/v1/completions";
  std::shared_ptr<Exchange> ex;
  try {
    refuse_if_draining();
    ApiRequest request = parse_request(endpoint, req.body, settings_.api);
    InFlight admitted = admit();
    BackendRequest backend = to_backend(request);
    prepare(backend);
    refuse_if_draining();  // the shutdown began while the prompt was prepared
    const std::string id = new_response_id(endpoint);
    // The prompt as the backend decodes it (a remote backend may not tokenize).
    TokenSeq prompt_ids;
    if (request.return_token_ids && backend.prepared) prompt_ids = backend.prepared->tokens;
    ex = std::make_shared<Exchange>(Exchange{
        request, nullptr,
        ResponseBuilder(request, id, static_cast<int64_t>(std::time(nullptr)), std::move(prompt_ids)),
        name});
    ex->id = id;
    admitted.release();  // finish() gives it back
    ex->job = loop_->submit(std::move(backend));
    const std::lock_guard<std::mutex> lock(live_mutex_);
    live_[id] = ex->job;
  } catch (const ApiError& e) {
    if (e.code == "server_busy") res.set_header("Retry-After", "1");
    send_error(res, e);
    count(name, e.status);
    return;
  }
  if (ex->request.stream) {
    respond_stream(ex, req, res);
  } else {
    respond_whole(ex, req, res);
  }
}

void HttpServer::refuse_if_draining() const {
  if (draining_) throw ApiError(503, kShuttingDown, kShuttingDownMessage);
}

HttpServer::InFlight HttpServer::admit() {
  // A bounded number in flight; beyond it, 503 at once (never a hang).
  if (in_flight_.fetch_add(1) >= settings_.parallel + settings_.max_queue) {
    in_flight_.fetch_sub(1);
    throw ApiError(503, "server_busy", "the server is busy: the request queue is full");
  }
  return InFlight(in_flight_);
}

// Work handed from an HTTP thread to a thread of its own, and how it ended.
struct HttpServer::Heavy {
  std::mutex mutex;
  std::condition_variable ended_cv;
  bool ended = false;
  std::exception_ptr error;
};

void HttpServer::run_heavy(size_t bytes, std::function<void()> work) {
  // The wait for a slot ends at a shutdown too.
  const auto busy_after = Clock::now() + std::chrono::seconds(settings_.timeout_s);
  while (!preparing_->enter(std::chrono::milliseconds(100))) {
    refuse_if_draining();
    if (Clock::now() >= busy_after) {
      throw ApiError(503, "server_busy", "the server is busy preparing other prompts");
    }
  }
  if (bytes < kInlineWorkBytes) {
    const WorkGate::Held held(*preparing_);
    ++preparing_now_;
    struct Done {
      std::atomic<int>& n;
      ~Done() { --n; }
    } done{preparing_now_};
    work();
    return;
  }
  auto heavy = std::make_shared<Heavy>();
  reap_heavy(false);
  try {
    const std::lock_guard<std::mutex> lock(heavy_mutex_);
    ++preparing_now_;
    heavy_.emplace_back(std::thread([this, heavy, work = std::move(work)] {
                          const WorkGate::Held held(*preparing_);
                          try {
                            work();
                          } catch (...) {
                            heavy->error = std::current_exception();
                          }
                          --preparing_now_;
                          const std::lock_guard<std::mutex> lock(heavy->mutex);
                          heavy->ended = true;
                          heavy->ended_cv.notify_all();
                        }),
                        heavy);
  } catch (const std::system_error&) {  // no thread to be had
    --preparing_now_;
    preparing_->leave();
    throw ApiError(503, "server_busy", "the server is busy preparing other prompts");
  }
  std::unique_lock<std::mutex> lock(heavy->mutex);
  while (!heavy->ended) {
    refuse_if_draining();
    heavy->ended_cv.wait_for(lock, std::chrono::milliseconds(100));
  }
  if (heavy->error) std::rethrow_exception(heavy->error);
}

void HttpServer::reap_heavy(bool all) {
  std::vector<std::thread> ended;
  {
    const std::lock_guard<std::mutex> lock(heavy_mutex_);
    for (auto it = heavy_.begin(); it != heavy_.end();) {
      bool done = all;
      if (!done) {
        const std::lock_guard<std::mutex> l(it->second->mutex);
        done = it->second->ended;
      }
      if (done) {
        ended.push_back(std::move(it->first));
        it = heavy_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& t : ended) t.join();
}

bool HttpServer::heavy_work_running() { return preparing_now_.load() > 0; }

void HttpServer::prepare(BackendRequest& request) {
  size_t bytes = request.raw_prompt.size();
  for (const auto& m : request.messages) bytes += m.content.size();
  auto shared = std::make_shared<BackendRequest>(std::move(request));
  try {
    run_heavy(bytes, [this, shared] { loop_->prepare(*shared); });
    request = std::move(*shared);
  } catch (const ApiError&) {
    throw;
  } catch (const std::invalid_argument& e) {
    const SubmitError kind = classify_submit_error(e);
    throw ApiError(kind.status, kind.code, e.what(), kind.param);
  } catch (const std::exception& e) {
    refuse_if_draining();  // a shutdown ended its wait on the network
    const bool upstream = dynamic_cast<const UpstreamError*>(&e) != nullptr;
    throw ApiError(upstream ? 502 : 400, upstream ? "upstream_error" : "invalid_request", e.what());
  }
}

void HttpServer::finish(Exchange& ex, int status) {
  if (ex.finished) return;
  ex.finished = true;
  {
    const std::lock_guard<std::mutex> lock(live_mutex_);
    live_.erase(ex.id);
  }
  in_flight_.fetch_sub(1);
  metrics_.observe("s1_request_duration_seconds", seconds_since(ex.start));
  const json u = ex.builder.usage();
  count(ex.endpoint, status,
        "prompt " + u["prompt_tokens"].dump() + " + completion " + u["completion_tokens"].dump() +
            " tokens (reasoning " +
            u["completion_tokens_details"]["reasoning_tokens"].dump() + ")");
}

const JobEvent* HttpServer::feed(Exchange& ex, const std::vector<JobEvent>& events,
                                 std::vector<json>& chunks) {
  for (const auto& e : events) {
    if (e.kind == JobEvent::Kind::kError) return &e;
    if (e.kind == JobEvent::Kind::kText && !ex.first_text) {
      ex.first_text = true;
      metrics_.observe("s1_time_to_first_text_seconds", seconds_since(ex.start));
    }
    for (auto& c : ex.builder.on_event(e)) chunks.push_back(std::move(c));
  }
  if (ex.builder.should_cancel()) loop_->cancel(ex.job);
  return nullptr;
}

void HttpServer::client_left(Exchange& ex) {
  loop_->cancel(ex.job);
  metrics_.add("s1_client_disconnects_total", 1);
  finish(ex, 499);
}

void HttpServer::fail(Exchange& ex, const JobEvent& error, httplib::Response& res) {
  send_error(res, ApiError(error.status, error.code, error.message, error.param));
  finish(ex, error.status);
}

void HttpServer::respond_whole(const std::shared_ptr<Exchange>& ex, const httplib::Request& req,
                               httplib::Response& res) {
  // Nothing is written until the end, so a client that leaves shows only as a closed
  // socket: looked at between waits, it frees the sequences at once.
  const int fd = find_client_socket(req.local_addr, req.local_port, req.remote_addr, req.remote_port);
  std::vector<JobEvent> events;
  while (!ex->builder.done()) {
    events.clear();
    ex->job->wait(events, std::chrono::milliseconds(100));
    std::vector<json> chunks;
    if (const JobEvent* error = feed(*ex, events, chunks)) return fail(*ex, *error, res);
    if (!ex->builder.done() && peer_closed(fd)) return client_left(*ex);
  }
  res.set_content(dump(ex->builder.response()), "application/json");
  finish(*ex, 200);
}

bool HttpServer::wait_first_event(Exchange& ex, const httplib::Request& req) {
  const int fd = find_client_socket(req.local_addr, req.local_port, req.remote_addr, req.remote_port);
  while (ex.pending.empty() && !ex.job->wait(ex.pending, std::chrono::milliseconds(100))) {
    if (peer_closed(fd)) {
      client_left(ex);
      return false;
    }
  }
  return true;
}

void HttpServer::respond_stream(const std::shared_ptr<Exchange>& ex, const httplib::Request& req,
                                httplib::Response& res) {
  // Errors found before any text (e.g. a prompt beyond the context, a shutdown while
  // queued) still get their status: wait for the first event to know.
  if (!wait_first_event(*ex, req)) return;
  if (ex->pending.front().kind == JobEvent::Kind::kError) return fail(*ex, ex->pending.front(), res);
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider(
      "text/event-stream",
      [this, ex](size_t, httplib::DataSink& sink) { return stream_more(*ex, sink); },
      [this, ex](bool) {
        if (!ex->finished) client_left(*ex);  // the stream ended before the job did
      });
}

bool HttpServer::stream_more(Exchange& ex, httplib::DataSink& sink) {
  auto write = [&](const std::string& s) { return sink.write(s.data(), s.size()); };
  std::vector<json> chunks;
  if (!ex.begun) {
    ex.begun = true;
    chunks = ex.builder.begin();
  }
  std::vector<JobEvent> events;
  events.swap(ex.pending);
  if (events.empty()) ex.job->wait(events, std::chrono::milliseconds(100));
  const JobEvent* error = feed(ex, events, chunks);
  for (const auto& c : chunks) {
    if (!write(sse(c))) return false;  // the client went away: the releaser cancels
  }
  if (error) {
    // Too late for a status: the stream ends with an error object.
    write(sse(error_json(ApiError(error->status, error->code, error->message, error->param))));
  } else if (ex.builder.done()) {
    for (const auto& c : ex.builder.end()) write(sse(c));
  } else {
    return true;  // a client that went away shows as a failed write at the next chunk
  }
  write("data: [DONE]\n\n");
  sink.done();
  finish(ex, error ? error->status : 200);
  return true;
}

}  // namespace s1::server
