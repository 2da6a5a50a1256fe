// The progress of a long job on stderr (an evaluation's samples, `s1 generate`'s samples,
// `s1 curate`'s records): on a terminal one line redrawn in place ("[ 12/96] acc 41.7% |
// 352 tok/s | ETA 3m10s"); elsewhere (a log file, CI) a plain line every 10% of the items
// or 30 seconds, whichever comes first.
//
// Threads: one thread; the clock is steady_clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace s1::eval {

// How a job's progress reads.
struct ProgressStyle {
  std::string name = "s1 eval";  // the prefix of plain lines
  bool accuracy = true;          // items are graded: "acc 41.7%"
  std::string unit;              // after the count, e.g. "samples" ("" none)
  // Nothing is shown before the job has run this long (short jobs stay silent), and then
  // finish() says nothing either unless a line was shown.
  double delay_s = 0;
};

class Progress {
 public:
  // `total` items in the job, `done` of them already there (a resumed run) of which
  // `correct` were correct.
  Progress(FILE* out, bool terminal, size_t total, size_t done, size_t correct,
           ProgressStyle style = {});
  // One more item finished.
  void sample(bool correct);
  // `generated` tokens sampled so far in this process (< 0: not counted, no rate shown);
  // redraws when it is time.
  void update(int64_t generated);
  // Clears a terminal's line (before other output to the same terminal); the next
  // update() draws it again.
  void clear();
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
  ProgressStyle style_;
  Clock::time_point start_;
  Clock::time_point last_shown_;
  size_t last_shown_done_ = 0;
  bool shown_ = false;  // a line was shown (on a terminal: and is on screen)
};

}  // namespace s1::eval
