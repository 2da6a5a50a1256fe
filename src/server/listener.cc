#include "server/listener.h"

#include <algorithm>
#include <string>

#include "server/connection_pool.h"

namespace s1::server {
namespace {

thread_local ConnectionInfo t_connection;

}  // namespace

const ConnectionInfo& this_connection() { return t_connection; }

Listener::Listener(std::chrono::milliseconds request_time, const std::atomic<bool>& stopping,
                   std::function<void(RequestStream&)> on_timeout, std::atomic<int>& connections,
                   std::atomic<int>& answering)
    : request_time_(request_time),
      stopping_(stopping),
      on_timeout_(std::move(on_timeout)),
      connections_(connections),
      answering_(answering) {
  // cpp-httplib says "Connection: close" on every error (an unread body may follow, or a
  // lie about its length) but may still read a next request: end the connection then.
  set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.get_header_value("Connection") == "close") t_connection.closing = true;
  });
}

bool Listener::process_and_close_socket(socket_t sock) {
  const bool reserve = ConnectionPool::on_reserve();
  const auto request_time = reserve ? std::min(request_time_, kProbeRequestTime) : request_time_;
  RequestStream strm(sock, request_time_, request_time_);
  std::string remote_addr, local_addr;
  int remote_port = 0, local_port = 0;
  socket_address(sock, true, remote_addr, remote_port);
  socket_address(sock, false, local_addr, local_port);
  t_connection = {&strm, reserve};
  ++connections_;
  const size_t requests = reserve ? 1 : keep_alive_max_count_;
  bool ok = false;
  for (size_t n = 1; n <= requests; ++n) {
    strm.begin_request(RequestStream::Clock::now() + request_time);
    t_connection.closing = false;
    if (!strm.wait_request(std::min(request_time, kIdleTime), [this] { return stopping_.load(); })) break;
    bool closed = false, upgraded = false;
    ++answering_;
    ok = serve_guarded([&] {
      return process_request(strm, remote_addr, remote_port, local_addr, local_port,
                             n == requests, closed, nullptr, &upgraded);
    });
    if (strm.expired() && strm.written() == 0) {
      on_timeout_(strm);
      ok = false;
    }
    --answering_;
    // The rest of a late request is not read.
    if (!ok || closed || strm.expired() || t_connection.closing) break;
  }
  t_connection = {};
  close_connection(sock);
  --connections_;
  return ok;
}

}  // namespace s1::server
