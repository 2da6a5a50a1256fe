// `s1 serve` against clients that are slow or lie on purpose: requests trickled a byte
// at a time at the connection limit (headers and bodies), and Content-Length headers that
// announce what never comes. Every wait here is bounded, so a regression fails instead of
// hanging the suite; where a test says something came "before" a deadline, the deadline
// is many seconds away from an answer that takes milliseconds.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "serve_harness.h"

namespace s1 {
namespace {

using nlohmann::json;
using test::RawClient;
using test::ServerProcess;
using Clock = std::chrono::steady_clock;

// Clients that each send `head` at once and then `tail` one byte every 200 ms (from a
// thread), until the server answers or closes, or `tail` is all sent.
class Tricklers {
 public:
  Tricklers(int port, int n, const std::string& head, const std::string& tail) {
    for (int i = 0; i < n; ++i) {
      clients_.push_back(std::make_unique<RawClient>(port));
      clients_.back()->send(head);
    }
    thread_ = std::thread([this, tail] {
      for (size_t at = 0; at < tail.size() && !stop_; ++at) {
        bool any = false;
        for (auto& c : clients_) {
          if (c->answered()) continue;
          any = true;
          c->send(tail.substr(at, 1));
        }
        if (!any) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      finished_ = true;
    });
  }
  ~Tricklers() {
    stop_ = true;
    thread_.join();
  }
  // Whether any client got an answer (or a close) so far.
  bool any_answered() const {
    for (const auto& c : clients_) {
      if (c->answered()) return true;
    }
    return false;
  }
  // Whether some client sent its whole request (the server never cut it short).
  bool finished() const { return finished_; }
  std::vector<std::unique_ptr<RawClient>>& clients() { return clients_; }

 private:
  std::vector<std::unique_ptr<RawClient>> clients_;
  std::thread thread_;
  std::atomic<bool> stop_{false}, finished_{false};
};

// The connections the server serves now (the asking one included), asked on a connection
// that the server closes after answering, so none is left behind once this returns.
double connections(int port) {
  RawClient raw(port);
  raw.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  const std::string answer = raw.receive(30);
  const size_t body = answer.find("\r\n\r\n");
  return body == std::string::npos ? -1 : test::metric(answer.substr(body + 4), "s1_http_connections");
}

// With every connection taken by clients trickling their requests, /health and /metrics
// still answer (on the connections kept for them), other requests there get 503 at once,
// and each trickler gets 408 at the request deadline, long before its trickle would end.
void expect_probes_answered_and_tricklers_timed_out(const std::string& head, const std::string& tail,
                                                    const std::string& log) {
  ServerProcess server(
      test::s1_serve_argv({"--parallel", "1", "--max-connections", "4", "--timeout", "10"}), 0, log);
  // No connection left from the start-up probes, so the tricklers take the ordinary ones
  // (the last asking one is let go first).
  auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline && connections(server.port()) != 1) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Tricklers slow(server.port(), 4, head, tail);
  // Accepted (in order, before the asking connection).
  deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline && connections(server.port()) < 5) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GE(connections(server.port()), 5);
  {
    auto c = server.client(30);
    auto h = c.Get("/health");
    ASSERT_TRUE(h) << httplib::to_string(h.error());
    EXPECT_EQ(h->status, 200);
    auto m = c.Get("/metrics");
    ASSERT_TRUE(m) << httplib::to_string(m.error());
    EXPECT_EQ(m->status, 200);
    auto r = c.Post("/v1/completions", json{{"prompt", "hi"}, {"max_tokens", 2}}.dump(),
                    "application/json");
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 503) << r->body;
    EXPECT_EQ(json::parse(r->body)["error"]["code"], "server_busy") << r->body;
    EXPECT_EQ(r->get_header_value("Retry-After"), "1");
  }
  // Answered while the tricklers still held every connection: the 10 s request deadline
  // is far from the milliseconds these take.
  EXPECT_FALSE(slow.any_answered());
  for (auto& c : slow.clients()) {
    const std::string answer = c->receive(60);
    EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
    EXPECT_NE(answer.find("request_timeout"), std::string::npos) << answer;
  }
  // Cut at the deadline (10 s), not when their 30 s of trickling ended.
  EXPECT_FALSE(slow.finished());
  const std::string text = test::metrics(server);
  EXPECT_EQ(test::metric(text, "s1_request_timeouts_total"), 4) << text;
  EXPECT_EQ(test::metric(text, "s1_connection_limit_refusals_total"), 1) << text;
}

TEST(ServeSlowClients, TrickledHeadersAtTheConnectionLimit) {
  // 150 header bytes at 5 a second: 30 s, three times the request deadline.
  expect_probes_answered_and_tricklers_timed_out("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                                                 "X-Slow: " + std::string(140, 'a') + "\r\n\r\n",
                                                 test::temp_dir() + "/slow-headers.log");
}

TEST(ServeSlowClients, TrickledRequestLinesAtTheConnectionLimit) {
  expect_probes_answered_and_tricklers_timed_out("G", "ET /health" + std::string(150, 'x') + " HTTP/1.1\r\n\r\n",
                                                 test::temp_dir() + "/slow-request-line.log");
}

TEST(ServeSlowClients, TrickledBodiesAtTheConnectionLimit) {
  const std::string body = json{{"prompt", std::string(150, 'a')}, {"max_tokens", 1}}.dump();
  const std::string request = test::http_post("/v1/completions", body);
  const size_t head = request.size() - body.size() + 1;
  expect_probes_answered_and_tricklers_timed_out(request.substr(0, head), request.substr(head),
                                                 test::temp_dir() + "/slow-bodies.log");
}

// A Content-Length that is not a number is a 400; one beyond the body limit is a 413 at
// once, not after waiting (30 s, the default timeout) for a body that never comes.
TEST(ServeSlowClients, LyingContentLengthsAreAnsweredAtOnce) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "1"}), 0,
                       test::temp_dir() + "/slow-content-length.log");
  const std::vector<std::pair<std::string, int>> cases = {
      {"-1", 400}, {"12abc", 400}, {"", 400}, {"9223372036854775808", 413},
      {"99999999999999999999999", 413}, {std::to_string((8 << 20) + 1), 413}};
  for (const auto& [length, status] : cases) {
    RawClient raw(server.port());
    ASSERT_TRUE(raw.send("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                         length + "\r\nContent-Type: application/json\r\n\r\n{"));
    const auto t0 = Clock::now();
    const std::string answer = raw.receive(60);
    const double took = std::chrono::duration<double>(Clock::now() - t0).count();
    EXPECT_EQ(answer.rfind("HTTP/1.1 " + std::to_string(status), 0), 0u) << length << ": " << answer;
    // Long before the 30 s read timeout would have ended the wait for the body.
    EXPECT_LT(took, 20.0) << length;
  }
  // Two Content-Length headers are refused too.
  RawClient raw(server.port());
  ASSERT_TRUE(raw.send("POST /v1/completions HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"));
  const std::string answer = raw.receive(60);
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  // The server still answers.
  auto c = server.client(30);
  auto h = c.Get("/health");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

}  // namespace
}  // namespace s1
