// Starts and stops HTTP servers for the end-to-end tests of `s1 serve` and the remote
// backend: `s1 serve` or llama.cpp's llama-server on 127.0.0.1 with a free port.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

namespace s1::test {

// llama.cpp's server, built from the same source as the linked library (found by
// cmake/llama.cmake; not from __FILE__, which a compiler cache may make relative), or ""
// when the install has none.
inline std::string llama_server_bin() { return S1_LLAMA_SERVER; }

// A free TCP port on 127.0.0.1 (bound, read back, closed), for servers that cannot
// pick their own.
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The port in the last "listening on http://HOST:PORT" line of a log, or 0.
inline int logged_port(const std::string& log) {
  std::ifstream in(log);
  std::string line;
  int port = 0;
  while (std::getline(in, line)) {
    const size_t at = line.find("listening on http://");
    const size_t colon = line.rfind(':');
    if (at != std::string::npos && colon != std::string::npos)
      port = std::atoi(line.c_str() + colon + 1);
  }
  return port;
}

// A server process; stopped (SIGTERM, then SIGKILL) when destroyed.
class ServerProcess {
 public:
  // Runs `argv` (argv[0] a path) with stdout and stderr in `log`, then waits until
  // GET /health on `port` answers 200 (up to `timeout_s`). Port 0: the server picks one
  // and logs it (`s1 serve --port 0`). Throws on failure.
  ServerProcess(std::vector<std::string> argv, int port, const std::string& log, int timeout_s = 60)
      : port_(port), log_(log) {
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0 || ::dup2(fd, 1) < 0 || ::dup2(fd, 2) < 0) _exit(126);
      for (int other = 3; other < 1024; ++other) ::close(other);  // the test's own sockets
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a test that was killed
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("the server exited at start; log: " + log);
      }
      if (port_ == 0) port_ = logged_port(log);
      if (port_ == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      httplib::Client c("127.0.0.1", port_);
      c.set_connection_timeout(1);
      if (auto r = c.Get("/health"); r && r->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    stop();
    throw std::runtime_error("the server did not answer /health; log: " + log);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() { stop(); }

  int port() const { return port_; }
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    return ::waitpid(pid_, &status, WNOHANG) == 0;
  }
  // Stops the server; returns its exit status (or -1 if it was killed or not running).
  int stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return -1;
  }
  httplib::Client client(int read_timeout_s = 60) const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(read_timeout_s);
    c.set_connection_timeout(5);
    return c;
  }

 private:
  int port_;
  std::string log_;
  pid_t pid_ = -1;
};

// `s1 serve` on the tiny s1-format test model, on a port of its choosing, with `extra` flags.
inline std::vector<std::string> s1_serve_argv(const std::vector<std::string>& extra,
                                              const std::string& model = tiny_model()) {
  std::vector<std::string> argv = {S1_BIN, "serve", "-m", model, "-t", "1", "--port", "0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// POSTs a JSON `body` and hands each piece of the response body to `on_data` as it
// arrives; when `on_data` returns false the connection is closed (a client going away).
inline httplib::Result post_stream(httplib::Client& c, const std::string& path,
                                   const std::string& body,
                                   std::function<bool(const char*, size_t)> on_data) {
  httplib::Request req;
  req.method = "POST";
  req.path = path;
  req.body = body;
  req.set_header("Content-Type", "application/json");
  req.content_receiver = [on_data](const char* data, size_t n, uint64_t, uint64_t) {
    return on_data(data, n);
  };
  return c.send(req);
}

// The `data:` payloads of a server-sent-event stream, in order ("[DONE]" included).
inline std::vector<std::string> sse_payloads(const std::string& body) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find("\n\n", pos);
    if (end == std::string::npos) end = body.size();
    const std::string event = body.substr(pos, end - pos);
    if (event.rfind("data: ", 0) == 0) out.push_back(event.substr(6));
    pos = end + 2;
  }
  return out;
}

// The value of a series (its name with its labels, if any) in a Prometheus
// exposition, or -1 if absent.
inline double metric(const std::string& exposition, const std::string& series) {
  const std::string text = "\n" + exposition;
  const std::string key = "\n" + series + " ";
  const size_t at = text.find(key);
  return at == std::string::npos ? -1 : std::stod(text.substr(at + key.size()));
}

// A server's GET /metrics ("" if it did not answer).
inline std::string metrics(const ServerProcess& server) {
  auto c = server.client(10);
  auto r = c.Get("/metrics");
  return r && r->status == 200 ? r->body : "";
}

// A raw TCP connection to a server on 127.0.0.1, for clients that httplib would not
// imitate (slow, lying or vanishing ones).
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      if (fd_ >= 0) ::close(fd_);
      throw std::runtime_error("cannot connect");
    }
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient() { close(); }
  bool send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // Whether the server wrote something or closed the connection (never blocks).
  bool answered() const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }
  // What the server sends until it closes the connection or `timeout_s` pass.
  std::string receive(int timeout_s) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// A POST request as raw bytes, with the body's true length.
inline std::string http_post(const std::string& path, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace s1::test
