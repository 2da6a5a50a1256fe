// A bound on heavy work done at once (rendering and tokenizing prompts on HTTP threads):
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

  // A slot held for a scope: entered (or not, `entered()` says) at construction, left at
  // destruction, whatever the scope throws.
  class Pass {
   public:
    Pass(WorkGate& gate, std::chrono::milliseconds timeout)
        : gate_(gate), entered_(gate.enter(timeout)) {}
    ~Pass() {
      if (entered_) gate_.leave();
    }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;
    bool entered() const { return entered_; }

   private:
    WorkGate& gate_;
    bool entered_;
  };

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int free_;
};

}  // namespace s1::server
