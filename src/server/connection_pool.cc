#include "server/connection_pool.h"

#include <chrono>
#include <stdexcept>

namespace s1::server {
namespace {

thread_local bool t_on_reserve = false;

}  // namespace

ConnectionPool::ConnectionPool(size_t max_threads, size_t reserve, const std::atomic<bool>& stopping)
    : max_threads_(max_threads), reserve_(reserve), stopping_(stopping) {
  if (max_threads == 0) throw std::invalid_argument("the connection limit must be at least 1");
}

ConnectionPool::~ConnectionPool() { shutdown(); }

bool ConnectionPool::on_reserve() { return t_on_reserve; }

EnqueueResult ConnectionPool::enqueue(std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto room = [&] {
    return stopping_ || shutting_down_ || ordinary_ < max_threads_ || reserved_ < reserve_;
  };
  // The stop flag is not ours to notify on: look at it now and then.
  while (!room()) thread_free_.wait_for(lock, std::chrono::milliseconds(100));
  // Reserve threads only at the limit (a stopping server takes every connection on an
  // ordinary thread, beyond the limit, so its accepting thread never blocks).
  const bool reserve = ordinary_ >= max_threads_ && reserved_ < reserve_ && !stopping_ && !shutting_down_;
  ++(reserve ? reserved_ : ordinary_);
  jobs_.push_back({std::move(fn), reserve});
  // An idle thread takes it; otherwise a new thread.
  if (idle_ < jobs_.size()) threads_.emplace_back([this] { work(); });
  lock.unlock();
  work_ready_.notify_one();
  return static_cast<EnqueueResult>(true);
}

void ConnectionPool::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_;
    work_ready_.wait(lock, [&] { return shutting_down_ || !jobs_.empty(); });
    --idle_;
    if (jobs_.empty()) return;  // shutting down with nothing left
    Connection c = std::move(jobs_.front());
    jobs_.pop_front();
    ++busy_;
    lock.unlock();
    t_on_reserve = c.reserve;
    c.fn();
    t_on_reserve = false;
    lock.lock();
    --busy_;
    --(c.reserve ? reserved_ : ordinary_);
    thread_free_.notify_one();
  }
}

void ConnectionPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shutting_down_ && threads_.empty()) return;
    shutting_down_ = true;
    threads.swap(threads_);
  }
  work_ready_.notify_all();
  thread_free_.notify_all();
  for (auto& t : threads) t.join();
}

size_t ConnectionPool::busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return busy_;
}

}  // namespace s1::server
