// A deterministic allowance of work for one answer comparison (parsing, symbolic
// checks), so that no input can make grading slow. Pure C++.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>

namespace s1 {

// Thrown when a WorkBudget runs out: the comparison is abandoned.
struct WorkBudgetExceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A deterministic allowance of work steps for one comparison, with a wall-clock backstop.
// The step limit decides results (the same inputs always use the same steps); the wall
// clock only fires when the machine stalls, since the limits on sizes keep each step short.
// Not thread-safe: one budget per comparison.
class WorkBudget {
 public:
  WorkBudget(int64_t max_steps, std::chrono::milliseconds max_wall);

  // Spends `steps`; throws WorkBudgetExceeded when the total passes max_steps or the wall
  // time since construction passes max_wall.
  void charge(int64_t steps = 1);

  int64_t steps_used() const { return used_; }

 private:
  int64_t max_steps_;
  int64_t used_ = 0;
  int64_t next_clock_check_ = 0;
  std::chrono::steady_clock::time_point deadline_;
};

}  // namespace s1
