// How `s1 generate` shows results: streamed text with visible sections and marked
// forced insertions, a summary line, and the --json object.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/budget_forcing.h"
#include "core/utf8.h"
#include "engine/scheduler.h"

namespace s1::cli {

// Prints chunks as they come: a "thinking" header, then an "answer" header at the
// delimiter (only the "answer" header when thinking is off). Forced text is shown in
// colour on a terminal and «between guillemets» elsewhere. Holds bytes of a character
// split across tokens until it is whole.
class TextPrinter {
 public:
  TextPrinter(FILE* out, bool color) : out_(out), color_(color) {}
  void print(const TextChunk& chunk);
  void end();

 private:
  void header(const char* title);
  FILE* out_;
  bool color_;
  bool started_ = false;
  bool in_answer_ = false;
};

struct RunSummary {
  std::string model;
  std::string format;
  size_t prompt_tokens;
  double wall_ms;
  SchedulerStats stats;
};

// One sample of several (-n > 1), printed whole once it ends: a "### sample N (finish
// reason)" line, then its text chunks as TextPrinter shows them (forced text marked).
void print_result(FILE* out, const SequenceResult& r, const std::vector<TextChunk>& chunks,
                  bool color);
// One line: token counts, forcing events and speeds.
std::string summary_line(const RunSummary& s, const std::vector<SequenceResult>& results);
nlohmann::json result_json(const SequenceResult& r);
nlohmann::json generation_json(const RunSummary& s, const std::vector<SequenceResult>& results);

}  // namespace s1::cli
