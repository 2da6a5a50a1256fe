#include "server/request_stream.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace s1::server {
namespace {

constexpr size_t kBufferSize = 16 * 1024;

// poll() on one descriptor, retried when a signal interrupts it.
int poll_one(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int r;
  do {
    r = ::poll(&p, 1, timeout_ms);
  } while (r < 0 && errno == EINTR);
  return r;
}

}  // namespace

RequestStream::RequestStream(int fd, std::chrono::milliseconds read_timeout,
                             std::chrono::milliseconds write_timeout)
    : fd_(fd), read_timeout_(read_timeout), write_timeout_(write_timeout), buffer_(kBufferSize) {}

void RequestStream::begin_request(Clock::time_point deadline) {
  deadline_ = deadline;
  expired_ = false;
  written_ = 0;
}

bool RequestStream::wait_request(std::chrono::milliseconds idle, const std::function<bool()>& stop) {
  if (begin_ < end_) return true;  // pipelined: already here
  const auto until = Clock::now() + idle;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    const int r = poll_one(fd_, POLLIN, static_cast<int>(std::clamp<int64_t>(left.count(), 0, 100)));
    if (r < 0) return false;
    if (r > 0) {
      // Readable: a byte, or the peer closed (then the first read sees it and ends).
      char c;
      return ::recv(fd_, &c, 1, MSG_PEEK) > 0;
    }
    if ((stop && stop()) || Clock::now() >= until) return false;
  }
}

bool RequestStream::poll_readable() const {
  // Rounded up: a wait cut at the deadline ends at or after it, never a millisecond short.
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now());
  const bool to_deadline = left <= read_timeout_;
  const int wait = static_cast<int>(std::clamp<int64_t>(std::min(left, read_timeout_).count(), 0, INT32_MAX));
  const int r = poll_one(fd_, POLLIN, wait);
  if (r == 0 && to_deadline) expired_ = true;
  return r > 0;
}

bool RequestStream::is_readable() const { return begin_ < end_; }

bool RequestStream::wait_readable() const { return begin_ < end_ || poll_readable(); }

bool RequestStream::wait_writable() const {
  return poll_one(fd_, POLLOUT, static_cast<int>(write_timeout_.count())) > 0;
}

bool RequestStream::is_peer_alive() const {
  const int r = poll_one(fd_, POLLIN, 0);
  if (r == 0) return true;
  if (r < 0) return false;
  char c;
  return ::recv(fd_, &c, 1, MSG_PEEK) > 0;
}

ssize_t RequestStream::read(char* ptr, size_t size) {
  if (begin_ == end_) {
    // Bytes already here are read whatever the time; only waiting is bounded.
    if (!poll_readable()) {
      error_ = httplib::Error::Timeout;
      return -1;
    }
    ssize_t n;
    do {
      n = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
      error_ = n == 0 ? httplib::Error::ConnectionClosed : httplib::Error::Read;
      return n;
    }
    begin_ = 0;
    end_ = static_cast<size_t>(n);
  }
  const size_t n = std::min(size, end_ - begin_);
  std::memcpy(ptr, buffer_.data() + begin_, n);
  begin_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t RequestStream::write(const char* ptr, size_t size) {
  if (!wait_writable()) return -1;
  ssize_t n;
  do {
    n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n > 0) written_ += static_cast<size_t>(n);
  return n;
}

void RequestStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  socket_address(fd_, true, ip, port);
}

void RequestStream::get_local_ip_and_port(std::string& ip, int& port) const {
  socket_address(fd_, false, ip, port);
}

time_t RequestStream::duration() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - created_).count();
}

void RequestStream::set_read_timeout(time_t sec, time_t usec) {
  read_timeout_ = std::chrono::milliseconds(sec * 1000 + usec / 1000);
}

const char* RequestStream::buffered_data(size_t& size) const {
  size = end_ - begin_;
  return size ? buffer_.data() + begin_ : nullptr;
}

void RequestStream::consume_buffered(size_t size) { begin_ += std::min(size, end_ - begin_); }

void socket_address(int fd, bool peer, std::string& host, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* a = reinterpret_cast<sockaddr*>(&addr);
  char h[NI_MAXHOST], p[NI_MAXSERV];
  if ((peer ? getpeername(fd, a, &len) : getsockname(fd, a, &len)) != 0 ||
      getnameinfo(a, len, h, sizeof h, p, sizeof p, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    host.clear();
    port = 0;
    return;
  }
  host = h;
  port = std::atoi(p);
}

void close_connection(int fd) {
  ::shutdown(fd, SHUT_WR);
  const auto until = RequestStream::Clock::now() + std::chrono::seconds(2);
  char buf[16384];
  size_t drained = 0;
  while (drained < (16u << 20)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - RequestStream::Clock::now());
    const int wait = static_cast<int>(std::min<int64_t>(left.count(), 250));
    if (wait <= 0 || poll_one(fd, POLLIN, wait) <= 0) break;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    drained += static_cast<size_t>(n);
  }
  ::close(fd);
}

}  // namespace s1::server
