// JSONL streaming for the curation stages: one record in memory at a time, errors that
// name the file and line, appends flushed per record so an interrupted stage can resume.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>

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

// Appends records to a JSONL file, one flushed line each. Opening drops a torn last line
// (a record cut short by a crash) so that appending continues on a line boundary.
class JsonlWriter {
 public:
  // `append`: keep the existing records (resume); otherwise start the file empty.
  // Throws std::runtime_error if the file cannot be written.
  JsonlWriter(const std::string& path, bool append);
  void write(const nlohmann::json& record);
  long written() const { return written_; }

 private:
  std::string path_;
  std::ofstream out_;
  long written_ = 0;
};

// The "id" values of the records already in `path` (none if it does not exist), after
// dropping a torn last line. Used to skip finished items on a re-run.
std::unordered_set<std::string> finished_ids(const std::string& path);

// The record's id as a string: "id", "ID", "unique_id", "question_id" (strings or
// integers). Throws std::runtime_error naming `where` when there is none.
std::string record_id(const nlohmann::json& record, const std::string& where);

// The first string field of `record` among `names`, or "".
std::string text_field(const nlohmann::json& record, std::initializer_list<const char*> names);

}  // namespace s1::curate
