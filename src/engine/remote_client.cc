#include "engine/remote_client.h"

#include <cmath>

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

ClientPool::ClientPool(std::string host, std::string api_key, int timeout_s)
    : host_(std::move(host)), api_key_(std::move(api_key)), timeout_s_(timeout_s) {}

ClientPool::~ClientPool() = default;

int ClientPool::connections_opened() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return opened_;
}

std::unique_ptr<httplib::Client> ClientPool::acquire(bool& reused) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reused = !idle_.empty();
    if (reused) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
    ++opened_;
  }
  return fresh_client();
}

std::unique_ptr<httplib::Client> ClientPool::fresh_client() {
  auto c = std::make_unique<httplib::Client>(host_);
  c->set_keep_alive(true);  // one socket per client, reused by the calls that follow
  c->set_connection_timeout(10);
  c->set_read_timeout(timeout_s_);
  c->set_write_timeout(timeout_s_);
  if (!api_key_.empty()) c->set_bearer_token_auth(api_key_.c_str());
  return c;
}

void ClientPool::release(std::unique_ptr<httplib::Client> client) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(client));
}

template <typename Call>
HttpReply ClientPool::with_client(Call&& call, const bool* received) {
  bool reused = false;
  auto client = acquire(reused);
  HttpReply reply;
  httplib::Result r = call(*client);
  const bool dropped = !r && (r.error() == httplib::Error::Read || r.error() == httplib::Error::Write);
  if (dropped && reused && !(received && *received)) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++opened_;
    }
    client = fresh_client();
    r = call(*client);
  }
  if (!r) {
    reply.error = "cannot reach " + host_ + ": " + httplib::to_string(r.error());
  } else {
    reply.status = r->status;
    reply.body = std::move(r->body);
  }
  release(std::move(client));
  return reply;
}

HttpReply ClientPool::get(const std::string& path) {
  return with_client([&](httplib::Client& c) { return c.Get(path.c_str()); });
}

HttpReply ClientPool::post(const std::string& path, const std::string& body) {
  return with_client(
      [&](httplib::Client& c) { return c.Post(path.c_str(), body, "application/json"); });
}

HttpReply ClientPool::post_stream(const std::string& path, const std::string& body,
                                  const std::function<bool(std::string_view)>& on_data) {
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
  }, &received);
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
                               const std::function<bool(const CompletionPiece&)>& on_piece) {
  CompletionReply reply;
  if (!stream) {
    const HttpReply r = pool.post(path, body);
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
  });
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
