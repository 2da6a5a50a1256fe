// samples.jsonl: one JSON line per finished (dataset, problem, configuration, sample),
// appended with one write(2) per line as each sample finishes. A run killed at any
// moment leaves at most one torn last line (no newline), which opening the store drops;
// everything before it is kept, so a restarted run goes on where it stopped and never
// writes a sample twice.
//
// Threads: a SampleStore belongs to one thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <vector>

namespace s1::eval {

class SampleStore {
 public:
  // Opens `path` for appending, creating it. A last line without its newline is cut off
  // the file (and counted in dropped_torn_line()). Throws std::runtime_error when the file
  // cannot be opened or a complete line is not a JSON object with the key fields.
  explicit SampleStore(const std::string& path);
  ~SampleStore();
  SampleStore(const SampleStore&) = delete;
  SampleStore& operator=(const SampleStore&) = delete;

  // The key of a sample: dataset, problem id, configuration name and sample index.
  static std::string key(const std::string& dataset, const std::string& problem,
                         const std::string& config, int sample);
  // key() of a line's "dataset", "problem", "config" and "sample" fields.
  static std::string key_of(const nlohmann::json& line);

  bool has(const std::string& key) const { return keys_.count(key) != 0; }
  // Lines read at open and appended since, in file order, without their bulky text
  // fields (prompt, thinking, answer, events, probes, verify_answer): results do not
  // need them, and a long run's texts would not fit in memory.
  const std::vector<nlohmann::json>& lines() const { return lines_; }
  bool dropped_torn_line() const { return dropped_torn_; }

  // Appends `line` (it must have the key fields and a new key) and makes it durable
  // against the process dying: one write(2) of the whole line, newline included. Throws
  // std::runtime_error on a write error or a duplicate key.
  void append(const nlohmann::json& line);

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<nlohmann::json> lines_;
  std::unordered_set<std::string> keys_;
  bool dropped_torn_ = false;
};

}  // namespace s1::eval
