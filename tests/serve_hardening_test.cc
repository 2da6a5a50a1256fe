// `s1 serve` against clients that misbehave and through its shutdown: requests that
// can never finish, slow and vanishing clients, huge bodies, and SIGTERM with requests
// running and queued. Every wait here is bounded, so a regression fails instead of
// hanging the suite.
#include <gtest/gtest.h>

#include <poll.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <thread>

#include "serve_harness.h"

namespace s1 {
namespace {

using nlohmann::json;
using test::http_post;
using test::RawClient;
using test::ServerProcess;
using Clock = std::chrono::steady_clock;

constexpr int kImStart = 151644;  // <|im_start|>: the s1 format's end trigger
constexpr int kImEnd = 151645;    // end-of-generation tokens of the tiny model
constexpr int kEndOfText = 151643;

// Polls /metrics until nothing runs, is queued or holds a KV cell (up to `timeout_s`);
// returns the last exposition.
std::string wait_idle(const ServerProcess& server, int timeout_s = 20) {
  std::string text;
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  while (Clock::now() < deadline) {
    text = test::metrics(server);
    if (test::metric(text, "s1_busy_sequences") == 0 && test::metric(text, "s1_kv_cells_used") == 0 &&
        test::metric(text, "s1_requests_in_flight") == 0 && test::metric(text, "s1_queue_depth") == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return text;
}

// A chat request that thinks for `think` tokens: every way to end thinking early is
// pushed away, so only the cap (or a cancel) ends it.
json long_chat(int think, bool stream) {
  return {{"messages", {{{"role", "user"}, {"content", "Think for a long time."}}}},
          {"max_tokens_thinking", think},
          {"max_tokens", 4},
          {"stream", stream},
          {"logit_bias", {{std::to_string(kImStart), -100}, {std::to_string(kImEnd), -100},
                          {std::to_string(kEndOfText), -100}}}};
}

// What a streaming client saw.
struct StreamOutcome {
  int status = -1;
  bool done = false;           // "data: [DONE]" arrived
  std::string finish_reason;   // of the finishing chunk, if one came
  std::string error_code;      // of an error response or error event
};

StreamOutcome stream_chat(const ServerProcess& server, const json& body,
                          std::atomic<int>* first_text = nullptr) {
  StreamOutcome out;
  auto c = server.client(60);
  std::string received;
  bool counted = false;
  auto r = test::post_stream(c, "/v1/chat/completions", body.dump(), [&](const char* d, size_t n) {
    received.append(d, n);
    if (first_text && !counted && received.find("reasoning_content") != std::string::npos) {
      counted = true;
      ++*first_text;
    }
    return true;
  });
  if (!r) return out;
  out.status = r->status;
  if (r->status != 200) {
    const json e = json::parse(r->body.empty() ? received : r->body, nullptr, false);
    if (e.is_object() && e.contains("error")) out.error_code = e["error"].value("code", "");
    return out;
  }
  for (const auto& p : test::sse_payloads(received)) {
    if (p == "[DONE]") {
      out.done = true;
      continue;
    }
    const json j = json::parse(p, nullptr, false);
    if (j.contains("error")) out.error_code = j["error"].value("code", "");
    if (j.contains("choices") && !j["choices"].empty() &&
        !j["choices"][0]["finish_reason"].is_null()) {
      out.finish_reason = j["choices"][0]["finish_reason"];
    }
  }
  return out;
}

TEST(ServeHardening, EmptyIgnoreStringAnswers) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "2", "-c", "1024"}), 0,
                       test::temp_dir() + "/hard-empty-ignore.log");
  const json body = {{"messages", {{{"role", "user"}, {"content", "hi"}}}},
                     {"thinking_n_ignore", 1},
                     {"thinking_n_ignore_str", ""},
                     {"max_tokens", 3},
                     {"logit_bias", {{std::to_string(kImStart), 100}}}};
  auto c = server.client(30);
  auto r = c.Post("/v1/chat/completions", body.dump(), "application/json");
  ASSERT_TRUE(r) << "no answer: " << httplib::to_string(r.error());
  ASSERT_EQ(r->status, 200) << r->body;
  const json j = json::parse(r->body);
  const json& events = j["choices"][0]["s1"]["events"];
  ASSERT_EQ(events.size(), 2u) << j.dump();
  EXPECT_EQ(events[0]["kind"], "ignore");
  EXPECT_EQ(events[0]["text"], "");
  EXPECT_EQ(events[1]["kind"], "end");
  const std::string text = wait_idle(server);
  EXPECT_EQ(test::metric(text, "s1_busy_sequences"), 0) << text;
  EXPECT_EQ(test::metric(text, "s1_kv_cells_used"), 0) << text;
}

TEST(ServeHardening, ANonStreamingClientThatLeavesFreesItsSequence) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "1", "-c", "8192"}), 0,
                       test::temp_dir() + "/hard-leave.log");
  {
    RawClient raw(server.port());
    ASSERT_TRUE(raw.send(http_post("/v1/chat/completions", long_chat(6000, false).dump())));
    // Once it runs, leave.
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < deadline && test::metric(test::metrics(server), "s1_busy_sequences") != 1) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(test::metric(test::metrics(server), "s1_busy_sequences"), 1);
  }
  const std::string text = wait_idle(server);
  EXPECT_EQ(test::metric(text, "s1_busy_sequences"), 0) << text;
  EXPECT_EQ(test::metric(text, "s1_kv_cells_used"), 0) << text;
  // Cancelled, not run to its 6000-token cap.
  EXPECT_EQ(test::metric(text, "s1_samples_total{finish_reason=\"cancelled\"}"), 1) << text;
  EXPECT_EQ(test::metric(text, "s1_client_disconnects_total"), 1) << text;
}

TEST(ServeHardening, TricklingClientsDoNotBlockHealthOrMetrics) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "1"}), 0,
                       test::temp_dir() + "/hard-trickle.log");
  // A hundred clients that announce a body and send a few bytes of it, then nothing
  // (more than a fixed pool of parallel + queue + 8 threads would serve).
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 100; ++i) {
    slow.push_back(std::make_unique<RawClient>(server.port()));
    const std::string request = http_post("/v1/chat/completions", std::string(1000, ' '));
    ASSERT_TRUE(slow.back()->send(request.substr(0, request.size() - 990)));
  }
  auto c = server.client(5);
  auto h = c.Get("/health");
  ASSERT_TRUE(h) << httplib::to_string(h.error());
  EXPECT_EQ(h->status, 200);
  auto m = c.Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200);
  // A real request is served too.
  auto r = c.Post("/v1/chat/completions",
                  json({{"messages", {{{"role", "user"}, {"content", "hi"}}}},
                        {"max_tokens_thinking", 2},
                        {"max_tokens", 2}})
                      .dump(),
                  "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(ServeHardening, SilentConnectionsTimeOutAtTheConnectionLimit) {
  ServerProcess server(
      test::s1_serve_argv({"--parallel", "1", "--max-connections", "4", "--timeout", "2"}), 0,
      test::temp_dir() + "/hard-limit.log");
  // Four silent connections take every thread; /health is answered on a connection kept
  // for probes, and the silent ones end at the request deadline (2 s), not for ever.
  std::vector<std::unique_ptr<RawClient>> silent;
  for (int i = 0; i < 4; ++i) {
    silent.push_back(std::make_unique<RawClient>(server.port()));
    ASSERT_TRUE(silent.back()->send("POST /v1/completions HTTP/1.1\r\nContent-Length: 50\r\n\r\n{"));
  }
  auto c = server.client(30);
  auto h = c.Get("/health");
  ASSERT_TRUE(h) << httplib::to_string(h.error());
  EXPECT_EQ(h->status, 200);
}

TEST(ServeHardening, HugePromptsAreRefusedByTheirSizeOffTheEngineThread) {
  ServerProcess server(test::s1_serve_argv({"--parallel", "2", "-c", "2048"}), 0,
                       test::temp_dir() + "/hard-huge.log");
  // A stream runs while a 5 MB prompt comes in.
  std::atomic<int> started{0};
  StreamOutcome running;
  std::thread streamer([&] { running = stream_chat(server, long_chat(400, true), &started); });
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (started == 0 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(started.load(), 1);
  std::string huge(5 << 20, 'x');
  for (size_t i = 0; i < huge.size(); i += 7) huge[i] = ' ';
  auto c = server.client(60);
  auto r = c.Post("/v1/chat/completions",
                  json({{"messages", {{{"role", "user"}, {"content", huge}}}}}).dump(),
                  "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  const json e = json::parse(r->body);
  EXPECT_EQ(e["error"]["code"], "context_length_exceeded");
  // Refused by its length in bytes, before anything was tokenized.
  EXPECT_NE(e["error"]["message"].get<std::string>().find("bytes"), std::string::npos) << e.dump();
  // A prompt that only tokenizing shows too long is refused as well.
  std::string longish(40000, 'a');
  for (size_t i = 0; i < longish.size(); i += 2) longish[i] = ' ';
  r = c.Post("/v1/chat/completions",
             json({{"messages", {{{"role", "user"}, {"content", longish}}}}}).dump(),
             "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "context_length_exceeded") << r->body;
  // /tokenize of a large text answers (on an HTTP thread).
  r = c.Post("/tokenize", json({{"content", longish}}).dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_GT(json::parse(r->body)["tokens"].size(), 10000u);
  streamer.join();
  EXPECT_EQ(running.status, 200);
  EXPECT_TRUE(running.done);
  EXPECT_EQ(running.finish_reason, "length");
}

TEST(ServeHardening, SigtermAnswersQueuedClientsAndEndsRunningStreams) {
  const double grace = 1.0;
  ServerProcess server(test::s1_serve_argv({"--parallel", "2", "-c", "8192", "--queue", "8",
                                            "--shutdown-grace", "1"}),
                       0, test::temp_dir() + "/hard-sigterm.log");
  std::atomic<int> started{0};
  std::vector<StreamOutcome> outcomes(6);
  std::vector<std::thread> clients;
  // Two run (each far longer than the grace period), four wait for a sequence.
  for (int i = 0; i < 6; ++i) {
    clients.emplace_back([&, i] { outcomes[static_cast<size_t>(i)] = stream_chat(server, long_chat(6000, true), &started); });
    if (i == 1) {
      const auto deadline = Clock::now() + std::chrono::seconds(20);
      while (started < 2 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      ASSERT_EQ(started.load(), 2);
    }
  }
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline && test::metric(test::metrics(server), "s1_queue_depth") < 4) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(test::metric(test::metrics(server), "s1_queue_depth"), 4);
  const auto t0 = Clock::now();
  const int status = server.stop();  // SIGTERM, then (after 5 s) SIGKILL
  const double took = std::chrono::duration<double>(Clock::now() - t0).count();
  for (auto& t : clients) t.join();
  EXPECT_EQ(status, 0);
  // grace + 1 s is the promise; the bound leaves room for a loaded machine.
  EXPECT_LT(took, grace + 3.5);
  int ended = 0, refused = 0;
  for (const auto& o : outcomes) {
    if (o.status == 200) {
      ++ended;
      EXPECT_TRUE(o.done);
      EXPECT_EQ(o.finish_reason, "length");  // cancelled: cut short
    } else {
      ++refused;
      EXPECT_EQ(o.status, 503);
      EXPECT_EQ(o.error_code, "shutting_down");
    }
  }
  EXPECT_EQ(ended, 2);
  EXPECT_EQ(refused, 4);
}

// SIGTERM while a 7 MB text is tokenized (seconds of work that cannot be interrupted):
// its client and a /health probe get 503, not a closed connection, and the server exits
// within the grace (+ 1 s; the bound leaves room for a loaded machine) without waiting
// for the tokenizer.
TEST(ServeHardening, SigtermDuringALargeTokenizeAnswersEveryone) {
  const double grace = 2.0;
  const std::string log = test::temp_dir() + "/hard-sigterm-tokenize.log";
  ServerProcess server(test::s1_serve_argv({"--parallel", "1", "-c", "8192", "--shutdown-grace", "2"}), 0, log);
  // A stream that runs past the grace keeps the server draining (and listening) meanwhile.
  std::atomic<int> started{0};
  StreamOutcome running;
  std::thread streamer([&] { running = stream_chat(server, long_chat(6000, true), &started); });
  std::string huge(7 << 20, 'x');
  for (size_t i = 0; i < huge.size(); i += 7) huge[i] = ' ';
  int tokenize_status = -1;
  std::string tokenize_body, tokenize_error;
  std::thread tokenizer([&] {
    auto c = server.client(60);
    auto r = c.Post("/tokenize", json{{"content", huge}}.dump(), "application/json");
    if (r) {
      tokenize_status = r->status;
      tokenize_body = r->body;
    } else {
      tokenize_error = httplib::to_string(r.error());
    }
  });
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline &&
         (started == 0 || test::metric(test::metrics(server), "s1_preparing") < 1)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // (No ASSERT until the threads are joined.)
  EXPECT_EQ(started.load(), 1);
  EXPECT_EQ(test::metric(test::metrics(server), "s1_preparing"), 1);
  const auto t0 = Clock::now();
  double took = 0;
  int status = -2;
  std::thread stopper([&] {
    status = server.stop();
    took = std::chrono::duration<double>(Clock::now() - t0).count();
  });
  // Once the shutdown began, while the stream keeps it draining.
  bool draining = false;
  while (!draining && Clock::now() < t0 + std::chrono::seconds(10)) {
    std::ifstream in(log);
    draining = std::string(std::istreambuf_iterator<char>(in), {}).find("shutting down") != std::string::npos;
    if (!draining) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(draining);
  // The line comes just before the shutdown begins: probe until it says so (the stream
  // keeps the server listening for the 2 s grace).
  std::string health;
  for (int i = 0; i < 100 && health.rfind("HTTP/1.1 503", 0) != 0; ++i) {
    try {
      RawClient again(server.port());
      again.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      health = again.receive(10);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } catch (const std::exception& e) {
      health = e.what();
      break;
    }
  }
  stopper.join();
  tokenizer.join();
  streamer.join();
  EXPECT_EQ(health.rfind("HTTP/1.1 503", 0), 0u) << health;
  EXPECT_NE(health.find("shutting_down"), std::string::npos) << health;
  EXPECT_EQ(tokenize_status, 503) << tokenize_error << tokenize_body.substr(0, 300);
  EXPECT_NE(tokenize_body.find("shutting_down"), std::string::npos) << tokenize_body.substr(0, 300);
  EXPECT_EQ(status, 0);
  EXPECT_LT(took, grace + 3.5);
  EXPECT_EQ(running.status, 200);
  EXPECT_TRUE(running.done);
}

// An upstream that accepts connections and never answers a byte.
class BlackHole {
 public:
  BlackHole() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 64) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("no black hole");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) continue;
        std::lock_guard<std::mutex> lock(mutex_);
        held_.push_back(c);
      }
    });
  }
  ~BlackHole() {
    stop_ = true;
    thread_.join();
    for (int c : held_) ::close(c);
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  size_t accepted() {
    std::lock_guard<std::mutex> lock(mutex_);
    return held_.size();
  }
  // Waits (up to 20 s) until `n` connections came.
  bool wait_for(size_t n) {
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (accepted() < n && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return accepted() >= n;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<int> held_;
  std::thread thread_;
};

std::vector<std::string> remote_serve_argv(const BlackHole& hole, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {S1_BIN, "serve", "--backend", "openai", "--url", hole.url(),
                                   "--server-kind", "openai", "--port", "0", "--parallel", "4",
                                   "--shutdown-grace", "2"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// The remote backend against a server that accepts and never answers: a SIGTERM still
// ends `s1 serve` within the grace (+ 1 s; the bound leaves room for a loaded machine),
// and every client gets an answer: segments in flight and prompts being prepared (their
// token counts asked of the upstream) alike.
TEST(ServeHardening, ARemoteBackendWithABlackHoleUpstreamShutsDownWithinTheGrace) {
  const double grace = 2.0;
  for (const bool local_tokenizer : {true, false}) {
    BlackHole hole;
    const std::vector<std::string> extra =
        local_tokenizer ? std::vector<std::string>{"--tokenizer-model", test::tiny_model()}
                        : std::vector<std::string>{"--chatml"};
    ServerProcess server(remote_serve_argv(hole, extra), 0,
                         test::temp_dir() + "/hard-blackhole-" + std::to_string(local_tokenizer) + ".log");
    std::vector<StreamOutcome> streams(2);
    std::vector<int> plain(2, -1);
    std::vector<std::thread> clients;
    for (int i = 0; i < 2; ++i) {
      clients.emplace_back([&, i] { streams[static_cast<size_t>(i)] = stream_chat(server, long_chat(50, true)); });
      clients.emplace_back([&, i] {
        auto c = server.client(60);
        auto r = i == 0 ? c.Post("/v1/chat/completions", long_chat(50, false).dump(), "application/json")
                        : c.Post("/v1/completions", json{{"prompt", "Once"}, {"max_tokens", 5}}.dump(),
                                 "application/json");
        plain[static_cast<size_t>(i)] = r ? r->status : -1;
      });
    }
    // Every request waits on the upstream (a segment, or a /tokenize for the prompt).
    ASSERT_TRUE(hole.wait_for(local_tokenizer ? 4 : 1)) << hole.accepted();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto t0 = Clock::now();
    const int status = server.stop();
    const double took = std::chrono::duration<double>(Clock::now() - t0).count();
    for (auto& t : clients) t.join();
    EXPECT_EQ(status, 0) << "local tokenizer " << local_tokenizer;
    EXPECT_LT(took, grace + 3.5) << "local tokenizer " << local_tokenizer;
    for (const auto& o : streams) {
      if (o.status == 200) {
        EXPECT_TRUE(o.done) << "local tokenizer " << local_tokenizer;
      } else {
        EXPECT_EQ(o.status, 503) << "local tokenizer " << local_tokenizer;
        EXPECT_EQ(o.error_code, "shutting_down");
      }
    }
    for (int p : plain) EXPECT_TRUE(p == 200 || p == 503) << p << " local tokenizer " << local_tokenizer;
  }
}

// The remote backend's waits are bounded by its flags, each named when it ends a call.
TEST(ServeHardening, RemoteTimeoutsAreFlagsNamedInTheirErrors) {
  BlackHole hole;
  const std::string base = std::string(S1_BIN) + " generate --backend openai --url " + hole.url() +
                           " --server-kind openai --tokenizer-model " + test::tiny_model() +
                           " -p hi --max-think 4 --max-answer 2";
  auto r = test::run_command(base + " --remote-read-timeout 0.5");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--remote-read-timeout"), std::string::npos) << r.err;
  r = test::run_command(base + " --remote-timeout 0.5");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("within 0.5 s (--remote-timeout)"), std::string::npos) << r.err;
  r = test::run_command(base + " --remote-connect-timeout 0");
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST(ServeHardening, StormThenSigterm) {
  // 64 clients mixing good, malformed, leaving, oversized and empty-ignore-string
  // requests for a bounded time, beyond the connection limit, with 8 more trickling
  // request bodies; /health answers throughout, the tricklers get 408; then the server
  // must be idle, and a SIGTERM with requests in flight must end every one of them and
  // the process.
  ServerProcess server(test::s1_serve_argv({"--parallel", "4", "-c", "2048", "--queue", "16",
                                            "--shutdown-grace", "1", "--max-connections", "24",
                                            "--timeout", "4"}),
                       0, test::temp_dir() + "/hard-storm.log");
  constexpr int kClients = 64;
  const auto storm_end = Clock::now() + std::chrono::seconds(12);
  std::atomic<int> answered{0}, cut{0}, broken{0}, timed_out{0}, probes{0};
  std::mutex log_mutex;
  std::string failures;
  auto fail = [&](const std::string& what) {
    ++broken;
    std::lock_guard<std::mutex> lock(log_mutex);
    if (failures.size() < 4000) failures += what + "\n";
  };
  std::vector<std::thread> clients;
  // Tricklers: a body byte every 200 ms, again as soon as one is cut.
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      const std::string request = http_post("/v1/chat/completions", long_chat(10, false).dump());
      while (Clock::now() < storm_end) {
        RawClient raw(server.port());
        size_t at = request.find("\r\n\r\n") + 5;
        raw.send(request.substr(0, at));
        while (!raw.answered() && at < request.size() && Clock::now() < storm_end + std::chrono::seconds(10)) {
          raw.send(request.substr(at++, 1));
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        const std::string answer = raw.receive(30);
        if (answer.rfind("HTTP/1.1 408", 0) == 0) {
          ++timed_out;
        } else if (answer.rfind("HTTP/1.1 503", 0) != 0) {  // 503: taken on reserve
          fail("trickler: " + answer.substr(0, 200));
        }
      }
    });
  }
  // A probe that /health answers all along.
  clients.emplace_back([&] {
    while (Clock::now() < storm_end) {
      auto c = server.client(30);
      auto h = c.Get("/health");
      if (h && h->status == 200) {
        ++probes;
      } else {
        fail("health: " + (h ? std::to_string(h->status) : httplib::to_string(h.error())));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      std::mt19937 rng(static_cast<unsigned>(i) * 7919u + 3u);
      for (int round = 0; Clock::now() < storm_end && round < 40; ++round) {
        const int kind = static_cast<int>(rng() % 5);
        auto c = server.client(30);
        json body = {{"messages", {{{"role", "user"}, {"content", "Q" + std::to_string(i)}}}},
                     {"max_tokens_thinking", 24},
                     {"max_tokens", 4},
                     {"temperature", 0.7},
                     {"seed", round}};
        if (kind == 0) {  // good, streamed
          body["stream"] = true;
          const StreamOutcome o = stream_chat(server, body);
          if (o.status == 200 && o.done) {
            ++answered;
          } else if (o.status == 503) {
            ++answered;  // a full queue is an answer
          } else {
            fail("stream: status " + std::to_string(o.status));
          }
        } else if (kind == 1) {  // malformed
          auto r = c.Post("/v1/chat/completions", "{\"messages\": [", "application/json");
          if (r && (r->status == 400 || r->status == 503)) {  // 503: beyond the connection limit
            ++answered;
          } else {
            fail("malformed: " + (r ? std::to_string(r->status) : httplib::to_string(r.error())));
          }
        } else if (kind == 2) {  // leaves mid-stream or before a plain answer
          body = long_chat(2000, rng() % 2 == 0);
          try {
            RawClient raw(server.port());
            raw.send(http_post("/v1/chat/completions", body.dump()));
            std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 200));
            raw.close();
            ++cut;
          } catch (const std::exception& e) {
            fail(std::string("leaver: ") + e.what());
          }
        } else if (kind == 3) {  // oversized
          std::string big(300000, 'y');
          for (size_t k = 0; k < big.size(); k += 3) big[k] = ' ';
          body["messages"][0]["content"] = big;
          auto r = c.Post("/v1/chat/completions", body.dump(), "application/json");
          if (r && (r->status == 400 || r->status == 503)) {
            ++answered;
          } else {
            fail("oversized: " + (r ? std::to_string(r->status) : httplib::to_string(r.error())));
          }
        } else {  // empty ignore string with the end pushed
          body["thinking_n_ignore"] = 1;
          body["thinking_n_ignore_str"] = "";
          body["logit_bias"] = {{std::to_string(kImStart), 3}};
          auto r = c.Post("/v1/chat/completions", body.dump(), "application/json");
          if (r && (r->status == 200 || r->status == 503)) {
            ++answered;
          } else {
            fail("empty ignore: " + (r ? std::to_string(r->status) : httplib::to_string(r.error())));
          }
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(broken.load(), 0) << failures;
  EXPECT_GT(answered.load(), kClients);
  EXPECT_GT(cut.load(), 0);
  EXPECT_GT(timed_out.load(), 0);
  EXPECT_GT(probes.load(), 0);
  const std::string text = wait_idle(server, 30);
  EXPECT_EQ(test::metric(text, "s1_busy_sequences"), 0) << text;
  EXPECT_EQ(test::metric(text, "s1_kv_cells_used"), 0) << text;
  EXPECT_EQ(test::metric(text, "s1_requests_in_flight"), 0) << text;
  EXPECT_EQ(test::metric(text, "s1_queue_depth"), 0) << text;

  // SIGTERM with streams running and queued: each ends cleanly, the process exits 0.
  std::atomic<int> started{0};
  std::vector<StreamOutcome> last(8);
  std::vector<std::thread> tail;
  for (int i = 0; i < 8; ++i) {
    tail.emplace_back([&, i] { last[static_cast<size_t>(i)] = stream_chat(server, long_chat(6000, true), &started); });
  }
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (started < 4 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GE(started.load(), 4);
  const auto t0 = Clock::now();
  EXPECT_EQ(server.stop(), 0);
  // A hang guard, not a speed claim (the grace is 1 s; a loaded machine may be slow).
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 1.0 + 30.0);
  for (auto& t : tail) t.join();
  for (const auto& o : last) {
    if (o.status == 200) {
      EXPECT_TRUE(o.done);
      EXPECT_FALSE(o.finish_reason.empty());
    } else {
      EXPECT_EQ(o.status, 503);
      EXPECT_EQ(o.error_code, "shutting_down");
    }
  }
}

}  // namespace
}  // namespace s1
