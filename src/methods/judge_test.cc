// The LLM judge's mechanics: its prompt, the parsing of its verdicts, the verdict cache
// and the fallback on malformed output, over a scripted backend and the tiny model.
#include "methods/judge.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "scripted_backend.h"
#include "test_util.h"

namespace s1 {
namespace {

std::string cache_file(const std::string& name) {
  std::string path = test::temp_dir() + "/" + name;
  std::remove(path.c_str());
  return path;
}

TEST(JudgePrompt, IsFixedAndHoldsTheThreeTexts) {
  const std::string p = judge_prompt("What is 1/2?", "\\frac12", "one half");
  EXPECT_EQ(p.rfind("You are grading a math answer.", 0), 0u);
  EXPECT_NE(p.find("Question:\nWhat is 1/2?\n\nReference answer:\n\\frac12\n\nCandidate "
                   "answer:\none half\n\n"),
            std::string::npos);
  const std::string last = "\n\nReply with exactly one line: EQUIVALENT or NOT EQUIVALENT.";
  ASSERT_GT(p.size(), last.size());
  EXPECT_EQ(p.substr(p.size() - last.size()), last);
  EXPECT_NE(judge_prompt("", "1", "2").find("Question:\n(not given)\n"), std::string::npos);
}

TEST(JudgeVerdictParsing, ReadsTheLastVerdict) {
  struct Case {
    const char* text;
    std::optional<bool> verdict;
  };
  const Case cases[] = {
      {"EQUIVALENT", true},
      {"NOT EQUIVALENT", false},
      {"not equivalent", false},
      {"Equivalent.", true},
      {"**EQUIVALENT**", true},
      {"Verdict: NOT_EQUIVALENT", false},
      {"NON-EQUIVALENT", false},
      {"Inequivalent", false},
      {"They are equivalent.\nFinal: NOT EQUIVALENT", false},
      {"NOT EQUIVALENT... wait, EQUIVALENT", true},
      {"", std::nullopt},
      {"yes", std::nullopt},
      {"the answers match", std::nullopt},
      {"XEQUIVALENT", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(parse_judge_verdict(c.text), c.verdict) << c.text;
}

TEST(JudgeCache, KeysDependOnEveryFieldAndSurviveAReload) {
  const std::string k = JudgeCache::key("q", "g", "c", "judge");
  EXPECT_EQ(k.size(), 16u);
  EXPECT_EQ(k, JudgeCache::key("q", "g", "c", "judge"));
  EXPECT_NE(k, JudgeCache::key("q", "g", "c", "other judge"));
  EXPECT_NE(k, JudgeCache::key("q", "gc", "", "judge"));
  EXPECT_NE(k, JudgeCache::key("", "g", "c", "judge"));
  const std::string path = cache_file("judge-cache-reload.tsv");
  {
    JudgeCache cache(path);
    EXPECT_FALSE(cache.find(k));
    cache.store(k, true);
    cache.store(JudgeCache::key("q", "g", "d", "judge"), false);
  }
  test::write_file(path, test::read_file(path) + "garbage line\n0123\tequivalent\n");
  JudgeCache again(path);
  EXPECT_EQ(again.size(), 2u);
  EXPECT_EQ(again.find(k), std::optional<bool>(true));
  EXPECT_EQ(again.find(JudgeCache::key("q", "g", "d", "judge")), std::optional<bool>(false));
}

TEST(Judge, SendsThePromptGreedyAndCachesValidVerdicts) {
  const std::string path = cache_file("judge-cache-scripted.tsv");
  const std::vector<JudgeQuery> queries = {{"Who wins?", "Alice", "Alice, clearly"},
                                           {"Who wins?", "Alice", "Bob"},
                                           {"Who wins?", "Alice", "Alice, clearly"},
                                           {"Who wins?", "Alice", "nobody"}};
  JudgeSettings settings{"scripted-judge", path, 64, 16};
  {
    test::ScriptedBackend backend({"EQUIVALENT", "NOT EQUIVALENT", "I cannot tell"});
    Judge judge(backend, settings);
    std::vector<JudgeVerdict> v = judge.judge(queries);
    ASSERT_EQ(v.size(), 4u);
    // Equal queries share one generation: three requests for four queries.
    ASSERT_EQ(backend.requests.size(), 3u);
    for (const BackendRequest& r : backend.requests) {
      ASSERT_EQ(r.messages.size(), 1u);
      EXPECT_EQ(r.messages[0].role, "user");
      EXPECT_EQ(r.thinking_sampling.temperature, 0.0f);
      EXPECT_EQ(r.answer_sampling.temperature, 0.0f);
      EXPECT_EQ(r.rules.max_think, 64);
      EXPECT_EQ(r.rules.max_answer, 16);
    }
    EXPECT_EQ(backend.requests[0].messages[0].content,
              judge_prompt("Who wins?", "Alice", "Alice, clearly"));
    EXPECT_EQ(v[0].equivalent, std::optional<bool>(true));
    EXPECT_EQ(v[1].equivalent, std::optional<bool>(false));
    EXPECT_EQ(v[2].equivalent, std::optional<bool>(true));
    EXPECT_FALSE(v[3].equivalent.has_value());  // malformed: the caller keeps the rules' verdict
    EXPECT_EQ(v[3].output, "I cannot tell");
    EXPECT_EQ(judge.stats().asked, 3u);
    EXPECT_EQ(judge.stats().malformed, 1u);
    EXPECT_EQ(judge.stats().cached, 0u);
  }
  // A re-run finds the valid verdicts on disk and asks only about the malformed one.
  test::ScriptedBackend backend({"NOT EQUIVALENT"});
  Judge judge(backend, settings);
  std::vector<JudgeVerdict> v = judge.judge(queries);
  ASSERT_EQ(backend.requests.size(), 1u);
  EXPECT_EQ(backend.requests[0].messages[0].content, judge_prompt("Who wins?", "Alice", "nobody"));
  EXPECT_TRUE(v[0].cached);
  EXPECT_EQ(v[0].equivalent, std::optional<bool>(true));
  EXPECT_TRUE(v[1].cached);
  EXPECT_EQ(v[1].equivalent, std::optional<bool>(false));
  EXPECT_FALSE(v[3].cached);
  EXPECT_EQ(v[3].equivalent, std::optional<bool>(false));
  EXPECT_EQ(judge.stats().cached, 3u);
  // Another judge does not share these verdicts.
  test::ScriptedBackend other_backend({"EQUIVALENT", "EQUIVALENT", "EQUIVALENT"});
  Judge other(other_backend, JudgeSettings{"another-judge", path, 64, 16});
  other.judge(queries);
  EXPECT_EQ(other_backend.requests.size(), 3u);
}

TEST(Judge, RunsOnTheTinyModel) {
  init_llama_backend(false);
  LoadSettings load;
  load.path = test::tiny_model();
  ContextSettings ctx;
  ctx.n_ctx = 2048;
  ctx.n_parallel = 2;
  ctx.n_threads = 1;
  LocalBackend backend(load, ctx, ForcingSettings{});
  const std::string path = cache_file("judge-cache-tiny.tsv");
  JudgeSettings settings{"tiny", path, 8, 4};
  const std::vector<JudgeQuery> queries = {{"Who wins?", "Alice", "Alice wins"},
                                           {"", "\\frac{5\\pi}{6}", "150^\\circ"}};
  Judge first(backend, settings);
  std::vector<JudgeVerdict> v = first.judge(queries);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(first.stats().asked, 2u);
  size_t valid = 0;
  for (const JudgeVerdict& verdict : v) {
    EXPECT_FALSE(verdict.cached);
    EXPECT_EQ(verdict.equivalent, parse_judge_verdict(verdict.output));
    if (verdict.equivalent) ++valid;
  }
  EXPECT_EQ(first.stats().malformed, 2u - valid);
  // What the random-weight model says is not asserted; that valid verdicts are reused is.
  Judge second(backend, settings);
  second.judge(queries);
  EXPECT_EQ(second.stats().cached, valid);
  EXPECT_EQ(second.stats().asked, 2u - valid);
}

}  // namespace
}  // namespace s1
