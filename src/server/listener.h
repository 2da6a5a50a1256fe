// cpp-httplib's server with `s1 serve`'s connection handling: each connection is read
// through a RequestStream, so a whole request (request line, headers and body) must
// arrive within `request_time` of its connection being ready for it (accepted, or the
// previous response written), however slowly it trickles; a connection silent between
// requests is closed after kIdleTime (or request_time if shorter). A connection that
// ConnectionPool took on reserve (beyond --max-connections) serves one request, which
// must arrive within kProbeRequestTime; the server answers only /health and /metrics
// there (this_connection().reserve).
//
// A request whose request line did not arrive in time gets `on_timeout` (which answers
// 408); one whose headers or body did not goes through the server's error handler as a
// 400 (which answers 408, seeing this_connection().stream->expired()).
//
// Threads: process_and_close_socket() runs on the connection's thread (ConnectionPool).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>

#include "server/request_stream.h"

namespace s1::server {

// Connections taken beyond --max-connections for /health and /metrics alone
// (ConnectionPool's reserve), and the time such a connection has to send its request.
constexpr size_t kProbeConnections = 4;
constexpr std::chrono::milliseconds kProbeRequestTime{2000};
// How long a connection may stay silent before or between requests (cpp-httplib's
// keep-alive timeout).
constexpr std::chrono::milliseconds kIdleTime{5000};

// The connection the calling thread serves: its stream (null on a thread that serves
// none), whether it was taken on reserve, and whether the response being written says
// "Connection: close" (then it ends after this request).
struct ConnectionInfo {
  RequestStream* stream = nullptr;
  bool reserve = false;
  bool closing = false;
};
const ConnectionInfo& this_connection();

class Listener : public httplib::Server {
 public:
  // `connections` counts the connections served, `answering` the requests being read or
  // answered; `stopping` ends waits for a next request.
  Listener(std::chrono::milliseconds request_time, const std::atomic<bool>& stopping,
           std::function<void(RequestStream&)> on_timeout, std::atomic<int>& connections,
           std::atomic<int>& answering);

 private:
  bool process_and_close_socket(socket_t sock) override;

  const std::chrono::milliseconds request_time_;
  const std::atomic<bool>& stopping_;
  const std::function<void(RequestStream&)> on_timeout_;
  std::atomic<int>& connections_;
  std::atomic<int>& answering_;
};

}  // namespace s1::server
