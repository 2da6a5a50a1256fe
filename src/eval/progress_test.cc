// The progress line shared by s1 eval, s1 generate and s1 curate: its text per style, and
// a delay that keeps short jobs silent.
#include "eval/progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace s1::eval {
namespace {

// What `fill` wrote through a Progress on a temporary file (not a terminal).
template <typename Fill>
std::string written(Fill fill) {
  FILE* f = std::tmpfile();
  fill(f);
  std::fflush(f);
  std::rewind(f);
  std::string out;
  for (int c; (c = std::fgetc(f)) != EOF;) out += static_cast<char>(c);
  std::fclose(f);
  return out;
}

TEST(Progress, EvalLinesShowAccuracy) {
  const std::string out = written([](FILE* f) {
    Progress p(f, false, 2, 0, 0);
    p.sample(true);
    p.update(10);
    p.finish(20);
  });
  EXPECT_NE(out.find("s1 eval: [1/2] acc 100.0% | "), std::string::npos) << out;
  EXPECT_NE(out.find(" tok/s | ETA "), std::string::npos) << out;
}

TEST(Progress, OtherJobsNameThemselvesAndCountTheirUnit) {
  const std::string out = written([](FILE* f) {
    Progress p(f, false, 8, 0, 0, {"s1 generate", false, "samples", 0});
    p.sample(false);
    p.update(-1);
  });
  EXPECT_NE(out.find("s1 generate: [1/8 samples] | ETA "), std::string::npos) << out;
  EXPECT_EQ(out.find("acc"), std::string::npos) << out;
  EXPECT_EQ(out.find("tok/s"), std::string::npos) << out;  // no token count given
}

TEST(Progress, ShortJobsStaySilentUnderADelay) {
  const std::string out = written([](FILE* f) {
    Progress p(f, false, 2, 0, 0, {"s1 curate filter", false, "records", 3600});
    p.sample(false);
    p.update(5);
    p.sample(false);
    p.finish(5);
  });
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace s1::eval
