#include "core/datasets.h"

#include <csv.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/answer_extraction.h"

namespace s1 {
namespace {

[[noreturn]] void fail(const std::string& source, size_t line, const std::string& what) {
  throw std::runtime_error(source + ":" + std::to_string(line) + ": " + what);
}

std::string trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  size_t end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

const nlohmann::json* find_field(const nlohmann::json& object,
                                 std::initializer_list<const char*> names) {
  for (const char* name : names) {
    auto it = object.find(name);
    if (it != object.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

// A scalar field as text: strings as they are, integral numbers without ".0".
std::string scalar_text(const nlohmann::json& value, const std::string& source, size_t line,
                        const char* field) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
      return std::to_string(static_cast<long long>(d));
    }
    return value.dump();
  }
  fail(source, line, std::string("field '") + field + "' must be a string or a number");
}

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// libcsv callbacks collect fields into rows, noting the line each row starts on.
struct CsvRows {
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> row_lines;
  std::vector<std::string> current;
  size_t line = 1;        // the physical line being fed
  size_t next_start = 1;  // the line the next row starts on
};

void on_field(void* data, size_t size, void* user) {
  auto* rows = static_cast<CsvRows*>(user);
  rows->current.emplace_back(static_cast<const char*>(data), size);
}

void on_row(int, void* user) {
  auto* rows = static_cast<CsvRows*>(user);
  rows->rows.push_back(std::move(rows->current));
  rows->row_lines.push_back(rows->next_start);
  rows->next_start = rows->line + 1;
  rows->current.clear();
}

int no_space(unsigned char) {
  return 0;
}

CsvRows parse_csv(std::istream& in, const std::string& source) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    throw std::runtime_error(source + ": cannot initialise the CSV parser");
  }
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
  csv_set_space_func(&parser, no_space);  // keep field text as written; trimmed later
  CsvRows rows;
  std::string physical;
  while (std::getline(in, physical)) {
    physical += '\n';
    if (csv_parse(&parser, physical.data(), physical.size(), on_field, on_row, &rows) !=
        physical.size()) {
      fail(source, rows.line, std::string("malformed CSV: ") + csv_strerror(csv_error(&parser)));
    }
    ++rows.line;
  }
  if (csv_fini(&parser, on_field, on_row, &rows) != 0) {
    fail(source, rows.next_start, "malformed CSV: unterminated quoted field");
  }
  return rows;
}

}  // namespace

uint64_t fnv1a64(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

std::vector<size_t> seeded_permutation(size_t n, uint64_t seed) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  uint64_t state = seed;
  for (size_t i = n; i-- > 1;) {
    uint64_t range = static_cast<uint64_t>(i) + 1;
    uint64_t limit =
        std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % range;
    uint64_t x;
    do {
      x = splitmix64(state);
    } while (x >= limit);
    std::swap(order[i], order[x % range]);
  }
  return order;
}

std::vector<Problem> read_jsonl_problems(std::istream& in, const std::string& source_name) {
  std::vector<Problem> problems;
  std::string text;
  size_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (trim(text).empty()) continue;
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      fail(source_name, line, "invalid JSON (" + std::string(e.what()) + ")");
    }
    if (!object.is_object()) fail(source_name, line, "expected a JSON object");
    Problem p;
    if (const auto* id =
            find_field(object, {"id", "ID", "unique_id", "idx", "problem_id", "question_id"})) {
      p.id = scalar_text(*id, source_name, line, "id");
    } else {
      p.id = std::to_string(problems.size() + 1);
    }
    const auto* problem =
        find_field(object, {"problem", "question", "Problem", "Question", "prompt"});
    if (!problem) fail(source_name, line, "no 'problem' or 'question' field");
    p.problem = scalar_text(*problem, source_name, line, "problem");
    if (const auto* solution = find_field(object, {"solution", "Solution"})) {
      p.solution = scalar_text(*solution, source_name, line, "solution");
    }
    if (const auto* answer =
            find_field(object, {"answer", "Answer", "final_answer", "gold", "ground_truth"})) {
      p.answer = scalar_text(*answer, source_name, line, "answer");
    } else if (auto boxed = extract_last_boxed(p.solution)) {
      p.answer = *boxed;
    } else {
      fail(source_name, line, "no 'answer' field and no \\boxed{} answer in a solution");
    }
    if (const auto* choices = find_field(object, {"choices", "options"})) {
      if (!choices->is_array()) fail(source_name, line, "'choices' must be an array");
      for (const auto& choice : *choices) {
        p.choices.push_back(scalar_text(choice, source_name, line, "choices"));
      }
      std::string letter = trim(p.answer);
      if (letter.size() == 1 && letter[0] >= 'A' &&
          letter[0] < 'A' + static_cast<int>(p.choices.size())) {
        p.correct_letter = letter[0];
        p.answer = p.choices[static_cast<size_t>(letter[0] - 'A')];
      }
    }
    if (trim(p.problem).empty()) fail(source_name, line, "empty problem");
    if (trim(p.answer).empty()) fail(source_name, line, "empty answer");
    problems.push_back(std::move(p));
  }
  return problems;
}

std::vector<Problem> read_gpqa_csv(std::istream& in, const std::string& source_name,
                                   uint64_t seed) {
  CsvRows csv = parse_csv(in, source_name);
  if (csv.rows.empty()) fail(source_name, 1, "empty CSV: no header row");
  const std::vector<std::string>& header = csv.rows.front();
  auto column = [&](const char* name, bool required) -> long {
    for (size_t i = 0; i < header.size(); ++i) {
      if (trim(header[i]) == name) return static_cast<long>(i);
    }
    if (required) fail(source_name, csv.row_lines.front(), std::string("no column '") + name + "'");
    return -1;
  };
  const long question = column("Question", true);
  const long answers[4] = {column("Correct Answer", true), column("Incorrect Answer 1", true),
                           column("Incorrect Answer 2", true), column("Incorrect Answer 3", true)};
  const long record_id = column("Record ID", false);
  std::vector<Problem> problems;
  for (size_t r = 1; r < csv.rows.size(); ++r) {
    const std::vector<std::string>& row = csv.rows[r];
    size_t line = csv.row_lines[r];
    if (row.size() == 1 && trim(row[0]).empty()) continue;  // blank line
    if (row.size() != header.size()) {
      fail(source_name, line,
           "expected " + std::to_string(header.size()) + " fields, found " +
               std::to_string(row.size()));
    }
    Problem p;
    p.problem = trim(row[static_cast<size_t>(question)]);
    p.id = record_id >= 0 ? trim(row[static_cast<size_t>(record_id)]) : std::string();
    if (p.id.empty()) p.id = std::to_string(problems.size() + 1);
    std::vector<std::string> texts;
    for (long a : answers) {
      texts.push_back(trim(row[static_cast<size_t>(a)]));
      if (texts.back().empty()) fail(source_name, line, "empty answer choice");
    }
    if (p.problem.empty()) fail(source_name, line, "empty question");
    std::string key = record_id >= 0 ? p.id : p.problem;
    std::vector<size_t> order = seeded_permutation(4, seed ^ fnv1a64(key));
    for (size_t i = 0; i < 4; ++i) {
      p.choices.push_back(texts[order[i]]);
      if (order[i] == 0) p.correct_letter = static_cast<char>('A' + i);
    }
    p.answer = texts[0];
    problems.push_back(std::move(p));
  }
  return problems;
}

std::vector<Problem> load_problems(const std::string& path, uint64_t seed) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw std::runtime_error(path + ": is a directory, not a dataset file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  bool csv = path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  std::vector<Problem> problems =
      csv ? read_gpqa_csv(in, path, seed) : read_jsonl_problems(in, path);
  if (problems.empty()) throw std::runtime_error(path + ": no problems in the file");
  return problems;
}

}  // namespace s1
