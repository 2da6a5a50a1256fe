// HTTP for the remote backend: the server's address, one pool of keep-alive
// connections shared by every call, JSON calls, and /v1/completions requests read as
// server-sent events while they stream. Thread-safe: any thread may call; each call
// holds one pooled connection for its duration. JSON crosses this interface as text
// (see server_kind.h).
//
// Every wait on the network is bounded (RemoteTimeouts) and can be ended at once: a
// call's own `cancelled` flag with interrupt(), or every call with abort(). Ending a
// call shuts its socket down (also one still connecting), so a server that accepts and
// never answers holds nobody.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace httplib {
class Client;
}

namespace s1 {

struct RemoteAddress {
  std::string host;      // scheme://host:port
  std::string api_path;  // "/v1", or the URL's path
};

// "http://host:port[/path]" (no path: /v1). Throws std::invalid_argument.
RemoteAddress parse_remote_url(const std::string& url);

struct HttpReply {
  int status = 0;     // 0: no answer (see error)
  std::string body;
  std::string error;  // why there is no answer

  bool ok() const { return status == 200; }
  // A one-line description of a failed call to `what`.
  std::string describe(const std::string& what) const;
};

// Bounds of every call, in seconds (the --remote-*-timeout flags): setting up a
// connection, waiting for the next byte of an answer, and a whole call (0: no bound).
struct RemoteTimeouts {
  double connect_s = 10;
  double read_s = 600;
  double total_s = 0;
};

class ClientPool {
 public:
  ClientPool(std::string host, std::string api_key, RemoteTimeouts timeouts = {});
  ~ClientPool();
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  // A call ended early fails with status 0 and error "cancelled" (its flag or abort())
  // or "no complete answer within N s" (total_s).
  HttpReply get(const std::string& path, const std::atomic<bool>* cancelled = nullptr);
  HttpReply post(const std::string& path, const std::string& body,
                 const std::atomic<bool>* cancelled = nullptr);
  // POST whose answer is handed to `on_data` piece by piece as it arrives (the reply's
  // body stays empty); `on_data` returning false drops the connection.
  HttpReply post_stream(const std::string& path, const std::string& body,
                        const std::function<bool(std::string_view)>& on_data,
                        const std::atomic<bool>* cancelled = nullptr);
  // Ends at once every call in flight whose `cancelled` flag is set (any thread; set the
  // flag first).
  void interrupt();
  // Ends every call in flight at once and fails every later one (any thread; shutdown).
  void abort();

  const std::string& host() const { return host_; }
  // Connections opened so far (each is kept open and reused).
  int connections_opened() const;

 private:
  struct Conn;    // a client and the socket it holds
  struct Active;  // a call in flight
  // A client from the pool, or a new one (`reused` says which).
  std::unique_ptr<Conn> acquire(bool& reused);
  // Runs `call` on a pooled client. A reused connection the server has closed meanwhile
  // (its keep-alive timeout) fails before any answer: the call is made once more on a
  // new connection, unless part of an answer came (`received`).
  template <typename Call>
  HttpReply with_client(Call&& call, const std::atomic<bool>* cancelled,
                        const bool* received = nullptr);
  std::unique_ptr<Conn> fresh_client();
  // mutex_ held: ends the calls that are due (cancelled, aborted, past their deadline).
  void end_due_calls();
  void watch();  // the deadline thread (total_s > 0)

  std::string host_, api_key_;
  RemoteTimeouts timeouts_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Conn>> idle_;
  std::vector<Conn*> busy_;  // with a call in flight
  int opened_ = 0;
  bool aborted_ = false;
  bool closing_ = false;
  std::condition_variable watch_cv_;
  std::thread watcher_;
};

// Splits a server-sent-event stream into the payloads of its "data:" lines.
class SseReader {
 public:
  // The payloads completed by `bytes` ("[DONE]" included), in order.
  std::vector<std::string> feed(std::string_view bytes);

 private:
  std::string buffer_;
};

// One piece of a /v1/completions answer: a stream chunk's, or a whole answer's.
// Token ids come where the request asked for them (`return_token_ids`, vLLM's field,
// which `s1 serve` answers alike) and the server gave them.
struct CompletionPiece {
  std::string text;
  bool has_token_ids = false;
  std::vector<int32_t> token_ids;  // the tokens of `text` (a stream's delta)
  bool has_prompt_token_ids = false;
  std::vector<int32_t> prompt_token_ids;  // the prompt as the server holds it

  bool empty() const { return text.empty() && token_ids.empty() && !has_prompt_token_ids; }
};

// One /v1/completions answer, whole or assembled from stream chunks.
struct CompletionReply {
  bool ok = false;
  std::string error;
  std::string text;
  int tokens = -1;  // usage.completion_tokens; -1: the server did not say
  int chunks = 0;   // stream chunks that carried text
  std::string finish_reason = "stop";
  // vLLM's and SGLang's stop_reason as JSON text: the stop string matched (quoted), a
  // token id of stop_token_ids, or null for EOS; "" when the server did not say.
  std::string stop_reason;
  // Each generated token's text and probability, where the server listed them (asked
  // with probability_fields: llama-server's logprobs.content, OpenAI's
  // logprobs.tokens / token_logprobs); empty otherwise.
  std::vector<std::string> token_texts;
  std::vector<float> token_probs;
  // Every piece's token ids: has_token_ids when some piece brought ids and none with
  // text came without them.
  bool has_token_ids = false;
  bool token_ids_missing = false;
  std::vector<int32_t> token_ids;
};

// POSTs the JSON `body` to `path`. With `stream` (the body asks for it) the answer is
// read as SSE and each piece with text or ids goes to `on_piece` as it arrives
// (false: stop reading; the reply then has error "abandoned"); else the whole answer
// goes to it once (if it has text or ids). Never throws for network or server errors:
// see `error`.
// `cancelled` ends the call as ClientPool's do.
CompletionReply run_completion(ClientPool& pool, const std::string& path,
                               const std::string& body, bool stream,
                               const std::function<bool(const CompletionPiece&)>& on_piece,
                               const std::atomic<bool>* cancelled = nullptr);

}  // namespace s1
