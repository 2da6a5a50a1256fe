#include "core/work_budget.h"

namespace s1 {

WorkBudget::WorkBudget(int64_t max_steps, std::chrono::milliseconds max_wall)
    : max_steps_(max_steps), deadline_(std::chrono::steady_clock::now() + max_wall) {}

void WorkBudget::charge(int64_t steps) {
  used_ += steps;
  if (used_ > max_steps_) throw WorkBudgetExceeded("work budget exceeded");
  if (used_ >= next_clock_check_) {  // the clock is read every 64 steps: it is a backstop
    next_clock_check_ = used_ + 64;
    if (std::chrono::steady_clock::now() > deadline_) {
      throw WorkBudgetExceeded("time limit exceeded");
    }
  }
}

}  // namespace s1
