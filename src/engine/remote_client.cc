#include "engine/remote_client.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace s1 {

using nlohmann::json;

RemoteAddress parse_remote_url(const std::string& url) {
  const size_t scheme = url.find("://");
  if (url.empty() || scheme == std::string::npos) {
    throw std::invalid_argument("the remote URL must look like http://host:port, not '" + url +
                                "'");
  }
  const size_t slash = url.find('/', scheme + 3);
  RemoteAddress a;
  a.host = url.substr(0, slash);
  a.api_path = slash == std::string::npos ? "" : url.substr(slash);
  while (!a.api_path.empty() && a.api_path.back() == '/') a.api_path.pop_back();
  if (a.api_path.empty()) a.api_path = "/v1";
  return a;
}

std::string HttpReply::describe(const std::string& what) const {
  if (status == 0) return what + ": " + error;
  return what + ": the server answered " + std::to_string(status) + ": " + body.substr(0, 300);
}

struct ClientPool::Conn {
  std::unique_ptr<httplib::Client> client;
  // The socket the client opened last (by its inode, as the number may be reused once
  // the client closes it), and the call running on it: guarded by the pool's mutex.
  int fd = -1;
  ino_t inode = 0;
  Active* call = nullptr;
};

struct ClientPool::Active {
  const std::atomic<bool>* cancelled = nullptr;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::string ended;  // why it was ended early ("" : it was not)
};

namespace {

// Shuts down `fd` if it is still the socket of inode `inode`: a blocked connect or read
// on it returns at once.
void shut(int fd, ino_t inode) {
  struct stat st {};
  if (fd >= 0 && ::fstat(fd, &st) == 0 && st.st_ino == inode) ::shutdown(fd, SHUT_RDWR);
}

std::string seconds_text(double s) {
  std::ostringstream out;
  out << s;
  return out.str();
}

}  // namespace

ClientPool::ClientPool(std::string host, std::string api_key, RemoteTimeouts timeouts)
    : host_(std::move(host)), api_key_(std::move(api_key)), timeouts_(timeouts) {
  if (timeouts_.total_s > 0) watcher_ = std::thread([this] { watch(); });
}

ClientPool::~ClientPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  watch_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

int ClientPool::connections_opened() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return opened_;
}

std::unique_ptr<ClientPool::Conn> ClientPool::acquire(bool& reused) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reused = !idle_.empty();
    if (reused) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  return fresh_client();
}

std::unique_ptr<ClientPool::Conn> ClientPool::fresh_client() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++opened_;
  }
  auto conn = std::make_unique<Conn>();
  conn->client = std::make_unique<httplib::Client>(host_);
  httplib::Client& c = *conn->client;
  c.set_keep_alive(true);  // one socket per client, reused by the calls that follow
  auto split = [](double s, auto set) {
    const auto us = static_cast<int64_t>(s * 1e6);
    set(static_cast<time_t>(us / 1000000), static_cast<time_t>(us % 1000000));
  };
  split(timeouts_.connect_s, [&](time_t s, time_t us) { c.set_connection_timeout(s, us); });
  split(timeouts_.read_s, [&](time_t s, time_t us) { c.set_read_timeout(s, us); });
  split(timeouts_.read_s, [&](time_t s, time_t us) { c.set_write_timeout(s, us); });
  if (!api_key_.empty()) c.set_bearer_token_auth(api_key_.c_str());
  // Called with each new socket before it connects: the pool can then shut it down.
  Conn* raw = conn.get();
  c.set_socket_options([this, raw](socket_t sock) {
    struct stat st {};
    std::lock_guard<std::mutex> lock(mutex_);
    raw->fd = sock;
    raw->inode = ::fstat(sock, &st) == 0 ? st.st_ino : 0;
    if (raw->call && !raw->call->ended.empty()) ::shutdown(sock, SHUT_RDWR);
  });
  return conn;
}

void ClientPool::end_due_calls() {
  const auto now = std::chrono::steady_clock::now();
  for (Conn* c : busy_) {
    Active& a = *c->call;
    if (!a.ended.empty()) continue;
    if (aborted_ || (a.cancelled && a.cancelled->load())) {
      a.ended = "cancelled";
    } else if (now >= a.deadline) {
      a.ended = "no complete answer within " + seconds_text(timeouts_.total_s) +
                " s (--remote-timeout)";
    } else {
      continue;
    }
    shut(c->fd, c->inode);
  }
}

void ClientPool::interrupt() {
  std::lock_guard<std::mutex> lock(mutex_);
  end_due_calls();
}

void ClientPool::abort() {
  std::lock_guard<std::mutex> lock(mutex_);
  aborted_ = true;
  end_due_calls();
}

void ClientPool::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!closing_) {
    auto next = std::chrono::steady_clock::time_point::max();
    for (Conn* c : busy_) {
      if (c->call->ended.empty()) next = std::min(next, c->call->deadline);
    }
    if (next == std::chrono::steady_clock::time_point::max()) {
      watch_cv_.wait(lock);
    } else {
      watch_cv_.wait_until(lock, next);
    }
    end_due_calls();
  }
}

template <typename Call>
HttpReply ClientPool::with_client(Call&& call, const std::atomic<bool>* cancelled,
                                  const bool* received) {
  HttpReply reply;
  Active active;
  active.cancelled = cancelled;
  if (timeouts_.total_s > 0) {
    active.deadline = std::chrono::steady_clock::now() +
                      std::chrono::microseconds(static_cast<int64_t>(timeouts_.total_s * 1e6));
  }
  bool reused = false;
  std::unique_ptr<Conn> conn = acquire(reused);
  // Runs `call` on `conn` as the active call; false when it was ended (or due) before.
  auto run = [&](httplib::Result& r) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (aborted_ || (cancelled && cancelled->load())) active.ended = "cancelled";
      if (!active.ended.empty()) return false;
      conn->call = &active;
      busy_.push_back(conn.get());
    }
    watch_cv_.notify_all();
    r = call(*conn->client);
    std::lock_guard<std::mutex> lock(mutex_);
    conn->call = nullptr;
    busy_.erase(std::find(busy_.begin(), busy_.end(), conn.get()));
    return true;
  };
  httplib::Result r{nullptr, httplib::Error::Canceled};
  run(r);
  const bool dropped = !r && (r.error() == httplib::Error::Read || r.error() == httplib::Error::Write);
  if (dropped && reused && !(received && *received) && active.ended.empty()) {
    conn = fresh_client();
    run(r);
  }
  if (!active.ended.empty()) {
    reply.error = active.ended;
    return reply;  // its socket is shut: the connection is not kept
  }
  if (!r) {
    reply.error = "cannot reach " + host_ + ": " + httplib::to_string(r.error());
    if (r.error() == httplib::Error::Read) {
      reply.error += " (closed, or silent for " + seconds_text(timeouts_.read_s) +
                     " s: --remote-read-timeout)";
    } else if (r.error() == httplib::Error::Connection ||
               r.error() == httplib::Error::ConnectionTimeout) {
      reply.error += " (or no connection within " + seconds_text(timeouts_.connect_s) +
                     " s: --remote-connect-timeout)";
    }
  } else {
    reply.status = r->status;
    reply.body = std::move(r->body);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(conn));
  return reply;
}

HttpReply ClientPool::get(const std::string& path, const std::atomic<bool>* cancelled) {
  return with_client([&](httplib::Client& c) { return c.Get(path.c_str()); }, cancelled);
}

HttpReply ClientPool::post(const std::string& path, const std::string& body,
                           const std::atomic<bool>* cancelled) {
  return with_client(
      [&](httplib::Client& c) { return c.Post(path.c_str(), body, "application/json"); },
      cancelled);
}

HttpReply ClientPool::post_stream(const std::string& path, const std::string& body,
                                  const std::function<bool(std::string_view)>& on_data,
                                  const std::atomic<bool>* cancelled) {
  bool received = false;
  return with_client([&](httplib::Client& c) {
    httplib::Request req;
    req.method = "POST";
    req.path = path;
    req.body = body;
    req.set_header("Content-Type", "application/json");
    req.set_header("Accept", "text/event-stream");
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      received = true;
      return on_data(std::string_view(data, n));
    };
    return c.send(req);
  }, cancelled, &received);
}

std::vector<std::string> SseReader::feed(std::string_view bytes) {
  buffer_.append(bytes);
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string_view line(buffer_.data() + start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.rfind("data:", 0) != 0) continue;  // blank separators, comments, event names
    line.remove_prefix(5);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    out.emplace_back(line);
  }
  buffer_.erase(0, start);
  return out;
}

namespace {

// A log probability as a probability (null, as OpenAI sends for -inf: 0).
float probability(const json& logprob) {
  return logprob.is_number() ? static_cast<float>(std::exp(logprob.get<double>())) : 0.0f;
}

// Appends the tokens a choice's logprobs list: llama-server's {"content": [{"token",
// "logprob"}]}, or OpenAI's {"tokens": [...], "token_logprobs": [...]}.
void take_probabilities(const json& logprobs, CompletionReply& reply) {
  if (!logprobs.is_object()) return;
  if (const json content = logprobs.value("content", json()); content.is_array()) {
    for (const json& t : content) {
      if (!t.is_object()) continue;
      const json text = t.value("token", json());
      reply.token_texts.push_back(text.is_string() ? text.get<std::string>() : "");
      reply.token_probs.push_back(probability(t.value("logprob", json())));
    }
    return;
  }
  const json tokens = logprobs.value("tokens", json());
  const json logs = logprobs.value("token_logprobs", json());
  if (!tokens.is_array() || !logs.is_array()) return;
  for (size_t i = 0; i < tokens.size() && i < logs.size(); ++i) {
    reply.token_texts.push_back(tokens[i].is_string() ? tokens[i].get<std::string>() : "");
    reply.token_probs.push_back(probability(logs[i]));
  }
}

// Reads a list of token ids (false if `v` is not one).
bool take_ids(const json& v, std::vector<int32_t>& out) {
  if (!v.is_array()) return false;
  for (const json& t : v) {
    if (!t.is_number_integer()) return false;
  }
  for (const json& t : v) out.push_back(t.get<int32_t>());
  return true;
}

// Takes one completion object (a whole answer or a stream chunk) into `reply`.
// Returns the piece of its first choice (empty if none).
CompletionPiece take_chunk(const json& j, CompletionReply& reply) {
  CompletionPiece piece;
  if (const json usage = j.value("usage", json()); usage.is_object()) {
    if (usage.value("completion_tokens", json()).is_number_integer()) {
      reply.tokens = usage["completion_tokens"].get<int>();
    }
  }
  const json choices = j.value("choices", json());
  if (!choices.is_array() || choices.empty() || !choices[0].is_object()) return piece;
  const json& c = choices[0];
  if (const json why = c.value("finish_reason", json()); why.is_string()) {
    reply.finish_reason = why.get<std::string>();
  }
  if (c.contains("stop_reason")) reply.stop_reason = c["stop_reason"].dump();
  take_probabilities(c.value("logprobs", json()), reply);
  if (const json text = c.value("text", json()); text.is_string()) piece.text = text.get<std::string>();
  piece.has_token_ids = take_ids(c.value("token_ids", json()), piece.token_ids);
  piece.has_prompt_token_ids = take_ids(c.value("prompt_token_ids", json()), piece.prompt_token_ids);
  return piece;
}

// Adds a piece's ids to the reply's: the reply has ids while every piece with text
// brought its own.
void take_piece_ids(const CompletionPiece& piece, CompletionReply& reply) {
  if (piece.has_token_ids) {
    reply.has_token_ids = !reply.token_ids_missing;
    reply.token_ids.insert(reply.token_ids.end(), piece.token_ids.begin(), piece.token_ids.end());
  } else if (!piece.text.empty()) {
    reply.token_ids_missing = true;
    reply.has_token_ids = false;
  }
}

bool is_completion(const json& j) {
  return j.is_object() && j.value("choices", json()).is_array() && !j["choices"].empty() &&
         j["choices"][0].is_object() && j["choices"][0].value("text", json()).is_string();
}

}  // namespace

CompletionReply run_completion(ClientPool& pool, const std::string& path,
                               const std::string& body, bool stream,
                               const std::function<bool(const CompletionPiece&)>& on_piece,
                               const std::atomic<bool>* cancelled) {
  CompletionReply reply;
  if (!stream) {
    const HttpReply r = pool.post(path, body, cancelled);
    if (!r.ok()) {
      reply.error = r.describe("POST " + path);
      return reply;
    }
    const json j = json::parse(r.body, nullptr, false);
    if (!is_completion(j)) {
      reply.error = "not a completion response: " + r.body.substr(0, 300);
      return reply;
    }
    const CompletionPiece piece = take_chunk(j, reply);
    reply.text = piece.text;
    take_piece_ids(piece, reply);
    if (!piece.empty()) on_piece(piece);
    reply.ok = true;
    return reply;
  }
  SseReader sse;
  std::string raw;  // what came, for an error message
  bool done = false, abandoned = false, malformed = false;
  const HttpReply r = pool.post_stream(path, body, [&](std::string_view data) {
    if (raw.size() < 600) raw.append(data.substr(0, 600 - raw.size()));
    for (const std::string& payload : sse.feed(data)) {
      if (payload == "[DONE]") {
        done = true;
        continue;
      }
      const json j = json::parse(payload, nullptr, false);
      if (!j.is_object() || j.contains("error")) {
        malformed = true;
        return false;
      }
      const CompletionPiece piece = take_chunk(j, reply);
      take_piece_ids(piece, reply);
      if (piece.empty()) continue;
      if (!piece.text.empty()) ++reply.chunks;
      reply.text += piece.text;
      if (!on_piece(piece)) {
        abandoned = true;
        return false;
      }
    }
    return true;
  }, cancelled);
  if (abandoned) {
    reply.error = "abandoned";
  } else if (r.status != 200 && !malformed) {
    HttpReply shown = r;
    if (shown.status != 0) shown.body = raw;
    reply.error = shown.describe("POST " + path);
  } else if (malformed) {
    reply.error = "not a completion stream: " + raw.substr(0, 300);
  } else if (!done && reply.chunks == 0 && reply.tokens < 0) {
    reply.error = "the stream ended without a completion: " + raw.substr(0, 300);
  } else {
    reply.ok = true;
  }
  return reply;
}

}  // namespace s1
