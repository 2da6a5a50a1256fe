// `s1 serve` under load: 32 concurrent streaming clients, some of which go away
// mid-stream; afterwards no sequence is busy and no KV cell is in use.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "serve_harness.h"

namespace s1 {
namespace {

using nlohmann::json;

TEST(ServeLoad, DisconnectingStreamsFreeTheirSequencesAndCells) {
  test::ServerProcess server(
      test::s1_serve_argv({"--parallel", "8", "-c", "512", "--queue", "64"}), 0,
      test::temp_dir() + "/serve-load.log");
  constexpr int kClients = 32;
  std::atomic<int> completed{0}, dropped{0}, failed{0};
  std::mutex log_mutex;
  std::string failures;
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      std::mt19937 rng(static_cast<unsigned>(i) * 7919u + 1u);
      // Every other client leaves after a few chunks, before its answer.
      const int leave_after = i % 2 == 0 ? static_cast<int>(rng() % 8) + 1 : -1;
      const json body = {
          {"messages", {{{"role", "user"}, {"content", "Question " + std::to_string(i)}}}},
          {"stream", true},
          {"temperature", 0.8},
          {"seed", i},
          {"thinking_n_ignore", 1},
          {"max_tokens_thinking", 40},
          {"max_tokens", 10}};
      auto c = server.client(120);
      std::string received;
      int pieces = 0;
      auto r =
          test::post_stream(c, "/v1/chat/completions", body.dump(), [&](const char* d, size_t n) {
            received.append(d, n);
            return leave_after < 0 || ++pieces < leave_after;
          });
      const bool whole =
          r && r->status == 200 && received.find("data: [DONE]") != std::string::npos;
      if (leave_after > 0 && !r) {
        ++dropped;
      } else if (whole) {
        ++completed;  // a leaver whose whole stream came in fewer reads counts here
      } else {
        ++failed;
        std::lock_guard<std::mutex> lock(log_mutex);
        failures += "client " + std::to_string(i) + ": " +
                    (r ? "status " + std::to_string(r->status) : httplib::to_string(r.error())) +
                    ", " + std::to_string(received.size()) + " bytes, ends with " +
                    received.substr(received.size() > 200 ? received.size() - 200 : 0) + "\n";
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0) << failures;
  EXPECT_EQ(completed.load() + dropped.load(), kClients);
  EXPECT_GE(completed.load(), kClients / 2);  // every client that stays gets [DONE]
  EXPECT_GE(dropped.load(), 1);

  // The loop frees cancelled sequences at its next turn: wait for the state, then check.
  auto c = server.client();
  std::string text;
  for (int i = 0; i < 200; ++i) {
    auto r = c.Get("/metrics");
    ASSERT_TRUE(r);
    text = "\n" + r->body;
    if (test::metric(text, "s1_busy_sequences") == 0 && test::metric(text, "s1_kv_cells_used") == 0 &&
        test::metric(text, "s1_requests_in_flight") == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(test::metric(text, "s1_busy_sequences"), 0) << text;
  EXPECT_EQ(test::metric(text, "s1_kv_cells_used"), 0) << text;
  EXPECT_EQ(test::metric(text, "s1_requests_in_flight"), 0) << text;
  EXPECT_EQ(test::metric(text, "s1_queue_depth"), 0) << text;
  EXPECT_GE(test::metric(text, "s1_client_disconnects_total"), 1) << text;
  auto h = c.Get("/health");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

}  // namespace
}  // namespace s1
