// An LLM judge for the answer pairs the rule-based grader calls different (the s1
// reference graded MATH with an LLM judge; TinyV pairs rules with a small verifier for
// the same misses). The judge runs on any Backend (the local engine or an
// OpenAI-compatible server) with a fixed prompt, greedy, a small thinking budget; its
// verdicts are kept on disk by a hash of (question, gold, candidate, judge).
//
// Threads: Judge belongs to the thread that owns its Backend. The free functions are pure
// and thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/grading.h"
#include "engine/backend.h"

namespace s1 {

// The fixed prompt: the question, the reference answer and the candidate, asking for one
// line, EQUIVALENT or NOT EQUIVALENT. An empty question is written as "(not given)".
std::string judge_prompt(std::string_view question, std::string_view gold,
                         std::string_view candidate);

// The verdict in a judge's answer: true for EQUIVALENT, false for NOT EQUIVALENT (also
// "NOT_EQUIVALENT", "INEQUIVALENT", "NON-EQUIVALENT"), any case, the last one written
// deciding; nullopt when it names neither (malformed output).
std::optional<bool> parse_judge_verdict(std::string_view answer);

// Verdicts on disk: one line "KEY\tequivalent" or "KEY\tnot_equivalent" per verdict,
// appended as they come (so concurrent or interrupted runs lose at most a line).
class JudgeCache {
 public:
  // Reads `path` if it exists (lines it cannot read are skipped); "" keeps verdicts in
  // memory only.
  explicit JudgeCache(std::string path);

  // 16 hex digits: XXH64 of the four fields, each preceded by its length.
  static std::string key(std::string_view question, std::string_view gold,
                         std::string_view candidate, std::string_view judge_id);

  std::optional<bool> find(const std::string& key) const;
  // Records a verdict (in memory, and appended to the file). Throws std::runtime_error
  // when the file cannot be written.
  void store(const std::string& key, bool equivalent);
  size_t size() const { return verdicts_.size(); }

 private:
  std::string path_;
  std::unordered_map<std::string, bool> verdicts_;
};

struct JudgeSettings {
  std::string id;          // names the judge model in cache keys (e.g. its file hash)
  std::string cache_path;  // the verdict cache ("" : none on disk)
  int max_think = 256;     // thinking budget when the judge is a reasoning model
  int max_answer = 32;     // answer tokens
};

struct JudgeVerdict {
  std::optional<bool> equivalent;  // nullopt: malformed output (keep the rules' verdict)
  bool cached = false;             // found in the cache, the model not asked
  std::string output;              // the judge's answer text (empty when cached)
};

struct JudgeStats {
  size_t asked = 0;      // generations run
  size_t cached = 0;     // verdicts found in the cache
  size_t malformed = 0;  // outputs naming no verdict
};

// The AnswerJudge of core/grading.h (which decides what it is asked about).
class Judge : public AnswerJudge {
 public:
  // `backend` must outlive the judge. Throws std::runtime_error for an unwritable cache
  // directory only when a verdict is stored.
  Judge(Backend& backend, JudgeSettings settings);

  // One verdict per query, in order: cached ones from the cache, the rest generated
  // together (one request each, greedy; equal queries share one) and cached when valid.
  // Throws std::invalid_argument when the backend refuses a request.
  std::vector<JudgeVerdict> judge(const std::vector<JudgeQuery>& queries);
  // judge()'s verdicts alone.
  std::vector<std::optional<bool>> verdicts(const std::vector<JudgeQuery>& queries) override;

  const JudgeStats& stats() const { return stats_; }
  const JudgeSettings& settings() const { return settings_; }

 private:
  Backend& backend_;
  JudgeSettings settings_;
  JudgeCache cache_;
  JudgeStats stats_;
};

}  // namespace s1
