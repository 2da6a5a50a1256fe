#include "server/http_server.h"

#include <httplib.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include "core/utf8.h"
#include "server/playground.h"
#include "server/responses.h"

namespace s1::server {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void send_error(httplib::Response& res, const ApiError& e) {
  res.status = e.status;
  res.set_content(dump(error_json(e)), "application/json");
}

BackendRequest to_backend(const ApiRequest& r) {
  BackendRequest b;
  if (r.endpoint == Endpoint::kChat) {
    b.messages = r.messages;
    b.chat_template_kwargs = r.chat_template_kwargs;
  } else {
    b.raw_prompt = r.prompt;
  }
  b.rules = r.rules;
  b.thinking_sampling = r.thinking_sampling;
  b.answer_sampling = r.answer_sampling;
  b.n_samples = r.n;
  b.ignore_strings = r.ignore_strings;
  return b;
}

// A request in flight: its job, its builder and what the metrics need.
struct Exchange {
  ApiRequest request;
  std::shared_ptr<Job> job;
  ResponseBuilder builder;
  Clock::time_point start = Clock::now();
  bool first_text = false;
  bool finished = false;
};

}  // namespace

HttpServer::HttpServer(std::unique_ptr<Backend> backend, ServerSettings settings)
    : settings_(std::move(settings)), http_(std::make_unique<httplib::Server>()) {
  metrics_.declare_counter("s1_http_requests_total", "HTTP requests by endpoint and status.");
  metrics_.declare_counter(
      "s1_client_disconnects_total",
      "Streams whose client went away before the end (their job was cancelled).");
  metrics_.declare_gauge("s1_requests_in_flight", "Generation requests accepted and not finished.");
  metrics_.declare_gauge("s1_queue_depth", "Requests waiting for a sequence.");
  metrics_.declare_gauge("s1_busy_sequences", "Sequences generating now.");
  metrics_.declare_gauge("s1_kv_cells_used", "KV cache cells in use.");
  metrics_.declare_histogram("s1_request_duration_seconds", "Generation request latency.",
                             {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300});
  metrics_.declare_histogram("s1_time_to_first_text_seconds",
                             "Time from a request to its first text.",
                             {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30});
  loop_ = std::make_unique<EngineLoop>(std::move(backend), metrics_, settings_.parallel);
  started_ = static_cast<int64_t>(std::time(nullptr));

  const int threads = settings_.http_threads > 0 ? settings_.http_threads
                                                 : settings_.parallel + settings_.max_queue + 8;
  http_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  // SO_REUSEADDR only: cpp-httplib's default also sets SO_REUSEPORT, with which a second
  // server on the same port would silently take half of the connections.
  auto listener = std::make_shared<socket_t>(INVALID_SOCKET);
  http_->set_socket_options([listener](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listener = sock;
  });
  http_->set_payload_max_length(settings_.max_body);
  http_->set_read_timeout(30);
  http_->set_write_timeout(30);
  routes();
  port_ = settings_.port == 0
              ? http_->bind_to_any_port(settings_.host)
              : (http_->bind_to_port(settings_.host, settings_.port) ? settings_.port : -1);
  if (port_ < 0) {
    throw std::runtime_error("cannot listen on " + settings_.host + ":" +
                             std::to_string(settings_.port));
  }
  // cpp-httplib 0.11 listens with a backlog of 5: a burst of clients overflows it and
  // some connections are reset. Listening again on the socket raises the backlog.
  if (*listener != INVALID_SOCKET) ::listen(*listener, SOMAXCONN);
}

HttpServer::~HttpServer() {
  stop();
  loop_.reset();  // releases waiting handlers before the HTTP threads are joined
  http_.reset();
}

bool HttpServer::listen() {
  return http_->listen_after_bind();
}

void HttpServer::stop() {
  // Cancel generations first: handlers waiting on them return, so the HTTP threads join.
  if (loop_) loop_->stop();
  if (http_) http_->stop();
}

void HttpServer::count(const std::string& endpoint, int status) {
  metrics_.add(
      "s1_http_requests_total", 1,
      "endpoint=\"" + escape_label(endpoint) + "\",status=\"" + std::to_string(status) + "\"");
}

void HttpServer::routes() {
  httplib::Server& s = *http_;
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
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler's own error
    if (res.status == 404) {
      send_error(res, ApiError(404, "not_found",
                               "no route for " + req.method + " " + sanitize_utf8(req.path)));
    } else if (res.status == 413) {
      send_error(res, ApiError(413, "payload_too_large", "the request body is too large"));
    } else {
      send_error(res,
                 ApiError(res.status, "http_error", "HTTP error " + std::to_string(res.status)));
    }
  });

  s.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
    count("/health", 200);
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
    metrics_.set("s1_queue_depth", g.queued);
    metrics_.set("s1_busy_sequences", g.busy_sequences);
    metrics_.set("s1_kv_cells_used", g.used_cells);
    res.set_content(metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
    count("/metrics", 200);
  });

  s.Post("/tokenize", [this](const httplib::Request& req, httplib::Response& res) {
    try {
      if (!is_valid_utf8(req.body))
        throw ApiError(400, "invalid_utf8", "the body is not valid UTF-8");
      const json body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("content") || !body["content"].is_string()) {
        throw ApiError(400, "invalid_value", "'content' must be a string", "content");
      }
      const bool add_special = body.value("add_special", false);
      const std::string text = body["content"].get<std::string>();
      TokenSeq tokens;
      loop_->run_on_loop([&](Backend& b) {
        auto* local = dynamic_cast<LocalBackend*>(&b);
        if (!local) throw ApiError(501, "not_supported", "this backend cannot tokenize");
        tokens = local->model().tokenize(text, true);
        if (add_special && local->model().adds_bos())
          tokens.insert(tokens.begin(), local->model().bos());
      });
      res.set_content(dump({{"tokens", tokens}}), "application/json");
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
      handle_generation(Endpoint::kChat, req.body, &res);
    });
  }
  for (const char* path : {"/v1/completions", "/completions"}) {
    s.Post(path, [this](const httplib::Request& req, httplib::Response& res) {
      handle_generation(Endpoint::kCompletion, req.body, &res);
    });
  }
}

void HttpServer::handle_generation(Endpoint endpoint, const std::string& body, void* response) {
  httplib::Response& res = *static_cast<httplib::Response*>(response);
  const std::string name = endpoint == Endpoint::kChat ? "/v1/chat/completions" : "/v1/completions";
  ApiRequest request;
  try {
    request = parse_request(endpoint, body, settings_.api);
  } catch (const ApiError& e) {
    send_error(res, e);
    count(name, e.status);
    return;
  }
  // Admission: a bounded number in flight; beyond it, 503 at once (never a hang).
  if (in_flight_.fetch_add(1) >= settings_.parallel + settings_.max_queue) {
    in_flight_.fetch_sub(1);
    res.set_header("Retry-After", "1");
    send_error(res, ApiError(503, "server_busy", "the server is busy: the request queue is full"));
    count(name, 503);
    return;
  }
  auto ex = std::make_shared<Exchange>(
      Exchange{request, nullptr,
               ResponseBuilder(request, new_response_id(endpoint),
                               static_cast<int64_t>(std::time(nullptr)))});
  ex->job = loop_->submit(to_backend(request));
  auto finish = [this, ex, name](int status) {
    if (ex->finished) return;
    ex->finished = true;
    in_flight_.fetch_sub(1);
    metrics_.observe("s1_request_duration_seconds", seconds_since(ex->start));
    count(name, status);
  };
  // Feeds events to the builder; returns the chunks to stream, or sets `error`.
  auto feed = [this, ex](const std::vector<JobEvent>& events, std::vector<json>& chunks,
                         const JobEvent*& error) {
    for (const auto& e : events) {
      if (e.kind == JobEvent::Kind::kError) {
        error = &e;
        return;
      }
      if (e.kind == JobEvent::Kind::kText && !ex->first_text) {
        ex->first_text = true;
        metrics_.observe("s1_time_to_first_text_seconds", seconds_since(ex->start));
      }
      for (auto& c : ex->builder.on_event(e)) chunks.push_back(std::move(c));
    }
    if (ex->builder.should_cancel()) loop_->cancel(ex->job);
  };

  if (!request.stream) {
    std::vector<JobEvent> events;
    while (!ex->builder.done()) {
      events.clear();
      ex->job->wait(events, std::chrono::milliseconds(500));
      std::vector<json> chunks;
      const JobEvent* error = nullptr;
      feed(events, chunks, error);
      if (error) {
        send_error(res, ApiError(error->status, error->code, error->message));
        finish(error->status);
        return;
      }
    }
    res.set_content(dump(ex->builder.response()), "application/json");
    finish(200);
    return;
  }

  // Streaming: errors found before any text (e.g. a prompt beyond the context) still
  // get their status; wait for the first event to know.
  std::vector<JobEvent> first;
  while (first.empty() && !ex->job->wait(first, std::chrono::milliseconds(500))) {
  }
  if (first.front().kind == JobEvent::Kind::kError) {
    send_error(res, ApiError(first.front().status, first.front().code, first.front().message));
    finish(first.front().status);
    return;
  }
  auto pending = std::make_shared<std::vector<JobEvent>>(std::move(first));
  auto begun = std::make_shared<bool>(false);
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider(
      "text/event-stream",
      [this, ex, pending, begun, finish, feed](size_t, httplib::DataSink& sink) {
        auto write = [&](const std::string& s) { return sink.write(s.data(), s.size()); };
        std::vector<json> chunks;
        if (!*begun) {
          *begun = true;
          chunks = ex->builder.begin();
        }
        std::vector<JobEvent> events;
        events.swap(*pending);
        if (events.empty()) ex->job->wait(events, std::chrono::milliseconds(100));
        const JobEvent* error = nullptr;
        feed(events, chunks, error);
        for (const auto& c : chunks) {
          if (!write(sse(c))) return false;  // the client went away: the releaser cancels
        }
        if (error) {
          // Too late for a status: the stream ends with an error object.
          write(sse(error_json(ApiError(error->status, error->code, error->message))));
          write("data: [DONE]\n\n");
          sink.done();
          finish(error->status);
          return true;
        }
        if (ex->builder.done()) {
          for (const auto& c : ex->builder.end()) write(sse(c));
          write("data: [DONE]\n\n");
          sink.done();
          finish(200);
          return true;
        }
        // A client that went away shows as a failed write at the next chunk.
        return true;
      },
      [this, ex, finish](bool success) {
        if (success && ex->finished) return;
        loop_->cancel(ex->job);
        metrics_.add("s1_client_disconnects_total", 1);
        finish(499);
      });
}

}  // namespace s1::server
