// The progress of an evaluation on stderr: on a terminal one line redrawn in place
// ("[ 12/96] acc 41.7% | 352 tok/s | ETA 3m10s"); elsewhere (a log file, CI) a plain line
// every 10% of the samples or 30 seconds, whichever comes first.
//
// Threads: one thread; the clock is steady_clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace s1::eval {

class Progress {
 public:
  // `total` samples in the run, `done` of them already there (a resumed run) of which
  // `correct` were correct.
  Progress(FILE* out, bool terminal, size_t total, size_t done, size_t correct);
  // One more sample finished.
  void sample(bool correct);
  // `generated` tokens sampled so far in this process; redraws when it is time.
  void update(int64_t generated);
  // The last line (and a newline on a terminal).
  void finish(int64_t generated);

  // The line as shown, for tests: done/total, accuracy, tokens/s and ETA.
  std::string line(int64_t generated) const;

 private:
  using Clock = std::chrono::steady_clock;
  FILE* out_;
  bool terminal_;
  size_t total_;
  size_t done_;
  size_t correct_;
  size_t done_at_start_;
  Clock::time_point start_;
  Clock::time_point last_shown_;
  size_t last_shown_done_ = 0;
};

}  // namespace s1::eval
