// The `s1 curate` stages, each JSONL in, JSONL out, streaming (one record, or one small
// chunk of records, in memory at a time):
//   featurize  trace length in a model's tokens, a domain label, graded attempts
//   filter     quality, exact and near duplicates, decontamination, difficulty
//   select     the s1 paper's diversity sampling, with a report
//   export     SFT records in the s1 chat format, and a conversation JSONL
// Outputs are written whole or not at all (curate/jsonl.h): records go to "<out>.partial",
// renamed to <out> when the stage succeeds, and an output that is an input (the same
// file under any name) is refused before anything is written.
// Record fields read (first found wins): id (id, ID, unique_id, question_id), question
// (question, problem, Problem, prompt), trace (trace, thinking, reasoning, thinking_trajectory,
// cot), answer (answer, attempt, solution, response), gold (gold, answer, solution's
// \boxed{}), domain (domain, msc, subject).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/backend.h"

namespace s1::curate {

struct StageCounts {
  long read = 0;
  long written = 0;
  long skipped = 0;                     // already done in an earlier run (featurize)
  long attempts_skipped = 0;            // attempts / classifications that did not fit (featurize)
  std::map<std::string, long> dropped;  // reason -> count (filter)
};

// Called after each record with the counts so far (progress lines).
using Progress = std::function<void(const StageCounts&)>;

struct FeaturizeOptions {
  const Model* tokenizer = nullptr;          // for trace_tokens; null: not computed
  std::vector<std::pair<std::string, Backend*>> attempt_models;  // name, backend
  Backend* domain_model = nullptr;           // classifies items with no domain; null: keep
  BudgetRules attempt_rules{2048, 0, 0, 512};
  int chunk = 32;                            // records in flight at once
};

// Adds trace_tokens, domain (given, or classified into a Mathematics Subject
// Classification code by `domain_model`), and attempts [{model, answer, extracted,
// correct}] graded against the gold answer (with max_think when the thinking cap was
// lowered to fit the context). A question too long for a model's context is not fatal:
// its attempt is {model, skipped: reason} (or its domain "unknown" with domain_skipped),
// counted in attempts_skipped. Resumes: records whose id is already in `out` (or in
// "<out>.partial", which an interrupted run leaves) are skipped. Throws
// std::runtime_error on unreadable input.
StageCounts featurize(const std::string& in, const std::string& out, const FeaturizeOptions& o,
                      const Progress& progress = {});

struct FilterOptions {
  std::vector<std::string> eval_sets;  // evaluation sets (JSONL or GPQA CSV) to decontaminate against
  int ngram = 8;
  double near_duplicate_threshold = 0.8;  // <= 0: off
  bool difficulty = true;                 // drop items every attempt solved
};

// Writes kept records to `out` and dropped ones, each with "drop_reason" (and
// "duplicate_of" / "contaminated_by"), to `dropped`. Deterministic; a re-run rewrites
// both files. Memory: a hash and a 256-byte signature per kept record.
StageCounts filter(const std::string& in, const std::string& out, const std::string& dropped,
                   const FilterOptions& o, const Progress& progress = {});

struct SelectOptions {
  size_t size = 1000;
  uint64_t seed = 0;
  std::string report;  // markdown report path ("" : none)
  std::string plot;    // plot path prefix: <plot>-domains.{svg,png}, <plot>-lengths.{svg,png} ("" : none)
};

// Picks `size` records by diversity sampling (select_diverse in core/curation.h) and
// writes them in the order chosen, each with "selection_rank". Two passes over `in`;
// memory holds the id, domain and length of each record and the selected records.
StageCounts select(const std::string& in, const std::string& out, const SelectOptions& o);

struct ExportOptions {
  std::string format = "s1";  // "s1": <|im_start|>think ... <|im_start|>answer; "think-tags"
  std::string system = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";
  std::string conversations;  // also write {"messages": [...]} records here ("" : no)
};

// Writes {"id", "text"} SFT records: the ChatML conversation with the question as the
// user turn and the assistant turn "<|im_start|>think\n" + trace + "\n<|im_start|>answer\n"
// + answer (think tags: "<think>\n" + trace + "\n</think>\n" + answer), as the s1
// reference's training data.
StageCounts export_sft(const std::string& in, const std::string& out, const ExportOptions& o);

// The Mathematics Subject Classification top-level codes ("11 Number theory", ...).
const std::vector<std::string>& msc_domains();
// The domain code in a classifier's reply ("11"), or "unknown".
std::string parse_msc_reply(const std::string& reply);

}  // namespace s1::curate
