// Readers for evaluation sets: JSONL math sets (MATH-500, AIME...) and the GPQA CSV.
//
// All functions are thread-safe (no shared state). Malformed input throws
// std::runtime_error with a one-line message naming the source and line: "file:12: ...".
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace s1 {

struct Problem {
  std::string id;        // from the data, or the 1-based record number when it has none
  std::string problem;   // the question text
  std::string answer;    // the gold final answer; for multiple choice, the correct choice
  std::string solution;  // a worked reference solution, when the data has one
  std::vector<std::string> choices;  // multiple choice only, in the order shown (A, B, ...)
  char correct_letter = '\0';        // multiple choice only: 'A' + index of the answer
};

// Reads one JSON object per line (blank lines are skipped). Field names, first found wins:
//   id:       id, ID, unique_id, idx, problem_id, question_id (string or integer)
//   problem:  problem, question, Problem, Question, prompt   (required)
//   answer:   answer, Answer, final_answer, gold, ground_truth (string or number; 70.0 -> "70")
//   solution: solution, Solution
//   choices:  choices, options (array of strings); then an answer that is a single letter
//             sets correct_letter, and answer becomes that choice's text
// Without an answer, the last \boxed{} of the solution is the answer; without either the
// line is an error. `source_name` prefixes error messages.
std::vector<Problem> read_jsonl_problems(std::istream& in, const std::string& source_name);

// Reads the GPQA CSV layout (RFC 4180, parsed with libcsv): a header row naming the columns
// "Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2",
// "Incorrect Answer 3" and optionally "Record ID" (other columns are ignored). The four
// choices are put in the order seeded_permutation(4, seed ^ fnv1a64(id)) where id is the
// Record ID, or the question text when there is none, so each question's order depends only
// on the seed and the question, not on the file order. Field text is trimmed.
std::vector<Problem> read_gpqa_csv(std::istream& in, const std::string& source_name, uint64_t seed);

// Reads `path`: GPQA CSV when it ends in ".csv", JSONL otherwise. Throws
// std::runtime_error when the file cannot be opened (or is a directory), is malformed,
// or holds no problem.
std::vector<Problem> load_problems(const std::string& path, uint64_t seed = 0);

// The 64-bit FNV-1a hash of `text`.
uint64_t fnv1a64(const std::string& text);

// A permutation of 0..n-1, the same on every platform: Fisher-Yates from the last index
// down, where position i swaps with j = x mod (i+1), x being the next splitmix64 output
// (state starting at `seed`, advanced by 0x9E3779B97F4A7C15 per draw) that is below the
// largest multiple of (i+1) that fits in 64 bits (rejection removes modulo bias).
std::vector<size_t> seeded_permutation(size_t n, uint64_t seed);

}  // namespace s1
