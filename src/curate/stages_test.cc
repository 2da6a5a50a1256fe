// Unit tests of the curate stages with a scripted attempt model (the stages run end to
// end with a real model in tests/curate_cli_test.cc).
#include "curate/stages.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scripted_backend.h"
#include "test_util.h"

namespace s1::curate {
namespace {

std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::vector<nlohmann::json> records;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) records.push_back(nlohmann::json::parse(line));
  return records;
}

// Attempts are graded as `s1 grade` and `s1 eval` grade them: the answer rules read the
// question, so "150°" answers a question about an angle whose gold answer is 5π/6, while
// the same pair is not equal where the question asks for no angle.
TEST(CurateStages, AttemptsAreGradedWithTheQuestionLikeEval) {
  const std::string dir = test::temp_dir();
  const std::string in = dir + "/curate_attempts_in.jsonl";
  const std::string out = dir + "/curate_attempts_out.jsonl";
  std::remove(out.c_str());
  {
    std::ofstream f(in);
    f << nlohmann::json{{"id", "angle"},
                        {"question", "In triangle $ABC$, $AB = AC$. Find the measure of angle $A$."},
                        {"solution", "So $A = \\boxed{\\frac{5\\pi}{6}}$."},
                        {"domain", "51"}}
             .dump()
      << "\n"
      << nlohmann::json{{"id", "count"},
                        {"question", "How many students are in the class?"},
                        {"gold", "\\frac{5\\pi}{6}"},
                        {"domain", "05"}}
             .dump()
      << "\n"
      << nlohmann::json{{"id", "no-gold"}, {"question", "Prove it."}, {"domain", "03"}}.dump()
      << "\n";
  }
  test::ScriptedBackend model({"The angle is \\boxed{150^\\circ}.", "\\boxed{150^\\circ}",
                               "\\boxed{150^\\circ}"});
  FeaturizeOptions options;
  options.attempt_models = {{"scripted", &model}};
  const StageCounts counts = featurize(in, out, options);
  EXPECT_EQ(counts.written, 3);
  ASSERT_EQ(model.requests.size(), 3u);

  const std::vector<nlohmann::json> records = read_jsonl(out);
  ASSERT_EQ(records.size(), 3u);
  for (const auto& r : records) ASSERT_EQ(r["attempts"].size(), 1u) << r.dump();
  const auto& angle = records[0]["attempts"][0];
  EXPECT_EQ(angle["extracted"], "150^\\circ");
  EXPECT_TRUE(angle["correct"].get<bool>()) << angle.dump();
  EXPECT_FALSE(records[1]["attempts"][0]["correct"].get<bool>()) << records[1].dump();
  // No gold answer: nothing can be correct.
  EXPECT_FALSE(records[2]["attempts"][0]["correct"].get<bool>()) << records[2].dump();
}

}  // namespace
}  // namespace s1::curate
