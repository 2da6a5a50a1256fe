#include "core/work_budget.h"

#include <gtest/gtest.h>

namespace s1 {
namespace {

TEST(WorkBudget, CountsSteps) {
  WorkBudget budget(10, std::chrono::milliseconds(1000));
  budget.charge(4);
  budget.charge(6);
  EXPECT_EQ(budget.steps_used(), 10);
  EXPECT_THROW(budget.charge(), WorkBudgetExceeded);
}

// The steps decide, not the clock: the same work always uses the same steps.
TEST(WorkBudget, StepsAreDeterministic) {
  WorkBudget a(100, std::chrono::milliseconds(1000)), b(100, std::chrono::milliseconds(1000));
  for (int i = 0; i < 7; ++i) {
    a.charge(3);
    b.charge(3);
  }
  EXPECT_EQ(a.steps_used(), 21);
  EXPECT_EQ(a.steps_used(), b.steps_used());
}

}  // namespace
}  // namespace s1
