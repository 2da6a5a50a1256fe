#include "engine/remote_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace s1 {
namespace {

TEST(RemoteClient, ParsesUrls) {
  EXPECT_EQ(parse_remote_url("http://127.0.0.1:8000").host, "http://127.0.0.1:8000");
  EXPECT_EQ(parse_remote_url("http://127.0.0.1:8000").api_path, "/v1");
  EXPECT_EQ(parse_remote_url("http://h:1/v1/").api_path, "/v1");
  EXPECT_EQ(parse_remote_url("https://h/openai/v1").api_path, "/openai/v1");
  EXPECT_EQ(parse_remote_url("https://h/openai/v1").host, "https://h");
  EXPECT_THROW(parse_remote_url("127.0.0.1:8000"), std::invalid_argument);
  EXPECT_THROW(parse_remote_url(""), std::invalid_argument);
}

TEST(RemoteClient, SplitsServerSentEventsAcrossPieces) {
  SseReader sse;
  EXPECT_TRUE(sse.feed("data: {\"a\"").empty());
  EXPECT_EQ(sse.feed(":1}\r\n\r\ndata:{\"b\":2}\n\n: comment\n"),
            (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(sse.feed("event: x\ndata: [DONE]\n\n"), (std::vector<std::string>{"[DONE]"}));
}

// A socket listening on 127.0.0.1 at a free port (stored in `port`), or -1.
int listen_on_loopback(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 8) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return -1;
  }
  port = ntohs(addr.sin_port);
  return fd;
}

TEST(RemoteClient, ReportsAnUnreachableServer) {
  ClientPool pool("http://127.0.0.1:1", "", RemoteTimeouts{5, 5, 0});
  const CompletionReply r = run_completion(pool, "/v1/completions", R"({"stream": true})", true,
                                           [](const CompletionPiece&) { return true; });
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("cannot reach http://127.0.0.1:1"), std::string::npos) << r.error;
  const HttpReply g = pool.get("/v1/models");
  EXPECT_EQ(g.status, 0);
  EXPECT_EQ(pool.connections_opened(), 1);  // one connection, returned and reused
}

// Issue: a keep-alive connection llama-server closed at the end of a stream failed the
// next request with "Read" instead of reconnecting. This server answers a connection's
// first request as keep-alive, then reads the next one and closes without a word.
TEST(RemoteClient, ReconnectsWhenTheServerDroppedAKeptConnection) {
  int port = 0;
  const int listener = listen_on_loopback(port);
  ASSERT_GE(listener, 0);
  int served = 0;
  std::thread server([&] {
    const std::string ok =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
        "Connection: keep-alive\r\n\r\n{}";
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      const int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) return;
      if (::recv(fd, buf, sizeof buf, 0) > 0 && ::send(fd, ok.data(), ok.size(), MSG_NOSIGNAL) > 0) {
        ++served;
      }
      if (i == 0) ::recv(fd, buf, sizeof buf, 0);  // the next request, never answered
      ::close(fd);
    }
  });
  ClientPool pool("http://127.0.0.1:" + std::to_string(port), "", RemoteTimeouts{5, 5, 0});
  EXPECT_TRUE(pool.get("/v1/models").ok());
  const HttpReply again = pool.get("/v1/models");
  EXPECT_TRUE(again.ok()) << again.error;
  ::shutdown(listener, SHUT_RDWR);  // a second connection that never came ends the wait
  server.join();
  ::close(listener);
  EXPECT_EQ(served, 2);
  EXPECT_EQ(pool.connections_opened(), 2);
}

// A server that accepts and never answers holds a call only until it is cancelled (its
// flag and interrupt()) or the pool aborts; later calls then fail at once.
TEST(RemoteClient, CallsToASilentServerEndWhenCancelledOrAborted) {
  int port = 0;
  const int listener = listen_on_loopback(port);  // the kernel accepts; nobody answers
  ASSERT_GE(listener, 0);
  ClientPool pool("http://127.0.0.1:" + std::to_string(port), "", RemoteTimeouts{5, 600, 0});
  std::atomic<bool> cancelled{false};
  HttpReply one, other;
  std::thread a([&] { one = pool.post("/v1/completions", "{}", &cancelled); });
  std::thread b([&] { other = pool.get("/v1/models"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  cancelled = true;
  pool.interrupt();
  a.join();  // a hang here is the failure
  EXPECT_EQ(one.status, 0);
  EXPECT_EQ(one.error, "cancelled");
  pool.abort();
  b.join();
  EXPECT_EQ(other.error, "cancelled");
  EXPECT_EQ(pool.get("/v1/models").error, "cancelled");
  ::close(listener);
}

}  // namespace
}  // namespace s1
