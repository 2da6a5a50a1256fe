// JSONL streaming for the curation stages: one record in memory at a time, errors that
// name the file and line, outputs written whole or not at all (an interrupted featurize
// resumes from its partial file).
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <vector>

namespace s1::curate {

// Reads one JSON object per line; blank lines are skipped.
class JsonlReader {
 public:
  // Throws std::runtime_error if `path` cannot be opened.
  explicit JsonlReader(const std::string& path);
  // The next record, or false at the end. Throws std::runtime_error "path:line: ..." for
  // a line that is not a JSON object.
  bool next(nlohmann::json& record);
  long line() const { return line_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ifstream in_;
  long line_ = 0;
};

// Writes a JSONL file by way of "<path>.partial", one flushed line per record: commit()
// renames the partial file to `path`, so `path` only ever holds a whole output (or the
// previous one, until the commit). kReplace starts the partial file empty and removes it
// unless committed, so a stage that fails leaves nothing behind. kResume continues the
// partial file an interrupted run left (or else a copy of `path`), dropping a torn last
// line (a record cut short by a crash), and keeps it when not committed.
class JsonlWriter {
 public:
  enum class Mode { kReplace, kResume };
  // Throws std::runtime_error if the partial file cannot be written.
  JsonlWriter(const std::string& path, Mode mode);
  ~JsonlWriter();
  JsonlWriter(const JsonlWriter&) = delete;
  JsonlWriter& operator=(const JsonlWriter&) = delete;
  void write(const nlohmann::json& record);
  // Moves the partial file to `path`. Throws std::runtime_error on failure.
  void commit();
  long written() const { return written_; }
  const std::string& partial_path() const { return partial_; }

 private:
  std::string path_;
  std::string partial_;
  Mode mode_;
  std::ofstream out_;
  long written_ = 0;
  bool committed_ = false;
};

// The partial file JsonlWriter writes before `path` is whole.
std::string partial_path(const std::string& path);

// Throws std::invalid_argument when an output (or its partial file) is one of the
// inputs, compared by device and inode rather than by name, or when two outputs are one
// file: a stage never truncates a file it reads, nor writes one file twice.
void check_outputs(const std::vector<std::string>& inputs, const std::vector<std::string>& outputs);

// The "id" values of the records already in `path` (none if it does not exist), after
// dropping a torn last line. Used to skip finished items on a re-run.
std::unordered_set<std::string> finished_ids(const std::string& path);

// The record's id as a string: "id", "ID", "unique_id", "question_id" (strings or
// integers). Throws std::runtime_error naming `where` when there is none.
std::string record_id(const nlohmann::json& record, const std::string& where);

// The first string field of `record` among `names`, or "".
std::string text_field(const nlohmann::json& record, std::initializer_list<const char*> names);

}  // namespace s1::curate
