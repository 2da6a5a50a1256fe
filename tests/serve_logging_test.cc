// What `s1 serve` says on stderr: a warning at start-up when its default thinking budget
// is beyond the context.
#include <gtest/gtest.h>

#include <string>

#include "serve_harness.h"
#include "test_util.h"

namespace s1 {
namespace {

using test::ServerProcess;

TEST(ServeLogging, ADefaultBudgetBeyondTheContextIsWarnedOfAtStartUp) {
  const std::string path = test::temp_dir() + "/serve-budget.log";
  ServerProcess server(test::s1_serve_argv({"-c", "256", "--max-think", "8000"}), 0, path);
  const std::string log = test::read_file(path);
  EXPECT_NE(log.find("s1 serve: warning: --max-think 8000 is beyond the context (256 tokens per "
                     "sequence, -c)"),
            std::string::npos)
      << log;
  const std::string fits_path = test::temp_dir() + "/serve-budget-fits.log";
  ServerProcess fits(test::s1_serve_argv({"-c", "256", "--max-think", "100"}), 0, fits_path);
  EXPECT_EQ(test::read_file(fits_path).find("warning"), std::string::npos);
}

}  // namespace
}  // namespace s1
