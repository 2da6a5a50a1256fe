// The HTTP server's connection threads: one thread per open connection, up to a limit,
// so a request such as /health never waits behind slow clients while the limit is not
// reached (cpp-httplib's fixed pool queues every connection behind busy threads).
//
// At the limit, a few more connections are taken on reserve threads (`reserve`): the
// server answers only /health and /metrics on them (see on_reserve()), so probes are
// answered while slow clients hold every ordinary thread. Beyond those, enqueue() blocks
// the accepting thread until a connection ends: further clients wait in the kernel's
// listen backlog (a bounded queue) instead of in memory.
//
// Threads: enqueue() is called by cpp-httplib's accepting thread, shutdown() by
// cpp-httplib when listening ends.
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace s1::server {

// What TaskQueue::enqueue returns: void up to cpp-httplib 0.11, whether the connection was
// taken (bool) since.
using EnqueueResult =
    decltype(std::declval<httplib::TaskQueue&>().enqueue(std::function<void()>()));

class ConnectionPool : public httplib::TaskQueue {
 public:
  // `max_threads` >= 1: connections served at once, plus `reserve` on reserve threads.
  // Once `stopping` is true (set by the server, which outlives the pool), enqueue() no
  // longer waits.
  ConnectionPool(size_t max_threads, size_t reserve, const std::atomic<bool>& stopping);
  ~ConnectionPool() override;

  // Runs `fn` (one connection) on an idle thread, a new one below the limit, a reserve
  // thread at the limit, or waits for one; once the server is stopping, runs it on a
  // thread of its own rather than wait. Always takes it.
  EnqueueResult enqueue(std::function<void()> fn) override;
  // Waits for every running connection to end, then joins the threads.
  void shutdown() override;
  // Connections being served now (reserve ones included).
  size_t busy() const;
  // Whether the calling thread serves a connection taken on reserve (false on any
  // thread that is not a connection's).
  static bool on_reserve();

 private:
  struct Connection {
    std::function<void()> fn;
    bool reserve = false;
  };
  void work();

  const size_t max_threads_, reserve_;
  const std::atomic<bool>& stopping_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;  // a job for an idle thread, or shutdown
  std::condition_variable thread_free_; // a connection ended, or waiting was released
  std::deque<Connection> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  size_t busy_ = 0;
  size_t ordinary_ = 0;  // connections queued or served on ordinary threads
  size_t reserved_ = 0;  // ...on reserve threads
  bool shutting_down_ = false;
};

}  // namespace s1::server
