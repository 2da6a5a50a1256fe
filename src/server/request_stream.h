// One client connection of `s1 serve` as cpp-httplib reads and writes it, with a deadline
// for a whole request: its headers and body must arrive before the deadline however
// slowly they trickle (cpp-httplib's own stream times out only a read that gets no byte
// at all, so a client sending one byte now and then would hold its connection for ever).
//
// Reads wait at most the read timeout and never past the deadline; a read that would
// fails, and expired() says so (the server answers 408). Bytes already received are
// always read, whatever the time: only a client that is slow fails, never a late server.
// Writes wait at most the write timeout each; they have no deadline (a stream may run for
// minutes).
//
// Threads: the connection's own.
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace s1::server {

class RequestStream : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  RequestStream(int fd, std::chrono::milliseconds read_timeout,
                std::chrono::milliseconds write_timeout);

  // Starts a request: its bytes must all arrive before `deadline`.
  void begin_request(Clock::time_point deadline);
  // Waits until a request's first byte is there (true), or `idle` passed, the peer closed,
  // or `stop()` returned true (checked every 100 ms).
  bool wait_request(std::chrono::milliseconds idle, const std::function<bool()>& stop);
  // A read failed because the request's deadline passed.
  bool expired() const { return expired_; }
  // Bytes written since begin_request().
  size_t written() const { return written_; }

  bool is_readable() const override;
  bool wait_readable() const override;
  bool wait_writable() const override;
  bool is_peer_alive() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  using httplib::Stream::write;
  socket_t socket() const override { return fd_; }
  time_t duration() const override;
  void set_read_timeout(time_t sec, time_t usec = 0) override;
  const char* buffered_data(size_t& size) const override;
  void consume_buffered(size_t size) override;

 private:
  // Waits for bytes up to the read timeout, cut at the deadline (then expired()).
  bool poll_readable() const;

  int fd_;
  std::chrono::milliseconds read_timeout_, write_timeout_;
  Clock::time_point created_ = Clock::now();
  Clock::time_point deadline_ = Clock::time_point::max();
  mutable bool expired_ = false;  // set by const waits too
  size_t written_ = 0;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;  // the unread bytes of buffer_
};

// The numeric address and port of a socket's local (peer = false) or remote end.
void socket_address(int fd, bool peer, std::string& host, int& port);

// Ends a connection: no more writes, the client's unread bytes drained (closing with
// unread bytes would reset the connection and lose the response just written, e.g. a
// refusal sent before a body was read) until it closes, stays silent for 250 ms, or 2 s
// or 16 MiB passed, then closed.
void close_connection(int fd);

}  // namespace s1::server
