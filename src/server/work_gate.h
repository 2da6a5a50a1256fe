// A bound on heavy work done at once (rendering and tokenizing prompts, /tokenize):
// a counting semaphore whose wait can time out, so no caller waits for ever.
//
// Threads: any.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace s1::server {

class WorkGate {
 public:
  explicit WorkGate(int slots) : free_(slots < 1 ? 1 : slots) {}

  // Takes a slot, waiting up to `timeout`; false if none came free.
  bool enter(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!cv_.wait_for(lock, timeout, [&] { return free_ > 0; })) return false;
    --free_;
    return true;
  }
  void leave() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++free_;
    }
    cv_.notify_one();
  }

  // A slot entered before (enter() returned true), left at destruction: for work that
  // moves to another thread with its slot.
  class Held {
   public:
    explicit Held(WorkGate& gate) : gate_(gate) {}
    ~Held() { gate_.leave(); }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    WorkGate& gate_;
  };

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int free_;
};

}  // namespace s1::server
