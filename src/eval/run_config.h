// An evaluation run's configuration: the grid of method configurations, the datasets,
// and everything else that changes results. Its canonical JSON names the run (the run
// id is a hash of it) and is kept in OUT/config.json, so re-running the same command
// resumes the run and a changed command is refused instead of mixing two runs in one
// directory.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/datasets.h"
#include "methods/strategies.h"

namespace s1::eval {

// What the user asks for, before expansion into configurations.
struct GridSpec {
  std::vector<std::string> methods = {"budget-forcing"};  // may end in "+forcing"
  std::vector<int> budgets = {-1};                        // -1: auto
  std::vector<int> num_ignores = {0};
  std::vector<std::string> ignore_strings = {"Wait"};  // "": no string (--ignore-str none)
  std::vector<std::string> classes = {"short", "long"};
  int n = 8;                // majority / best-of-n samples
  int max_tries = 8;        // rejection sampling
  int verify_budget = 256;  // best-of-n verification thinking cap
  // Adaptive: what its configurations share, and the lists swept (N, W, tau).
  ProbeRules probe;
  std::vector<int> probe_every = {0};
  std::vector<int> exit_consistent = {0};
  std::vector<double> exit_confidence = {0};
  // Every configuration (and adaptive's baselines): words masked while thinking (NoWait).
  std::vector<std::string> suppress_words;
};

// The configurations of `grid`, in a fixed order, without duplicates (num_ignore 0 does
// not multiply by ignore strings). Methods that need a numeric budget (token- and
// step-conditional, rejection sampling) leave "auto" out, which `notes` (when given) then
// says; when no configuration of the grid takes "auto" at all, an "auto" budget is
// refused instead of dropped. Adaptive gives one configuration per
// budget x every x consistent x confidence, and for each budget its baseline, budget
// forcing at the same cap without ignoring ("budget-forcing max=B ignore=0"), before
// them unless already there; it never ignores ends. Suppressed words apply to every
// configuration, baselines included (the same thinking without probes). Throws
// std::invalid_argument for an unknown method, a bad value (e.g. invalid probe rules, or
// adaptive without probes), or a method left with no configuration.
std::vector<MethodConfig> expand_grid(const GridSpec& grid,
                                      std::vector<std::string>* notes = nullptr);

struct DatasetSpec {
  std::string name;  // how results name it, e.g. "aime24"
  std::string path;
};

// "NAME=PATH" or "PATH" (the name is then the file name without its extension).
// Throws std::invalid_argument for an empty name or path.
DatasetSpec parse_dataset_spec(const std::string& spec);

struct LoadedDataset {
  DatasetSpec spec;
  std::vector<Problem> problems;  // after --limit
  std::string content_hash;       // of the file's bytes, hex
};

// Reads the dataset (datasets.h) and keeps its first `limit` problems (0: all); a GPQA
// CSV's choices are shuffled with `choice_seed` (the run's --seed, as `s1 grade --seed`).
// Throws std::runtime_error for a missing or malformed file or duplicate problem ids.
LoadedDataset load_dataset(const DatasetSpec& spec, size_t limit, uint64_t choice_seed = 0);

// The run's canonical description: `identity` (model, context, sampling... as the
// front end knows them), the datasets by name and content hash (multiple-choice sets
// marked "multiple_choice": "letters"), and the configurations.
// Dataset paths are not part of it (the same data elsewhere is the same run).
// The baseline of an adaptive configuration: its budget under plain budget forcing,
// with the same suppressed words.
MethodConfig adaptive_baseline(const MethodConfig& adaptive);

nlohmann::json run_json(const nlohmann::json& identity, const std::vector<LoadedDataset>& datasets,
                        const std::vector<MethodConfig>& configs);

// 16 hex digits: FNV-1a of the canonical JSON text.
std::string run_id(const nlohmann::json& run);

// Creates `dir` (and its parent folders) if needed and checks or writes DIR/config.json.
// If the directory holds another run (a different canonical JSON), throws
// std::runtime_error naming the first differing field (and the flag that sets it) and
// suggesting another --out; if it holds samples without a config.json, also throws.
// `info` (paths, command line) is stored but not compared.
void claim_run_dir(const std::string& dir, const nlohmann::json& run, const nlohmann::json& info);

// A model file by content: {"bytes": its size, "xxh64": XXH64 of every byte (hex)}, so
// two models of the same size with different weights are different runs, and the same
// weights under another name or directory are the same run (as for datasets). Hashing
// reads the whole file once: the hash is kept in `cache_file` ("": not kept) under the
// file's absolute path, size and modification time, and taken from there while all
// three match. `note`, if not null, is told when a file is hashed. Throws
// std::runtime_error if the model cannot be read; a cache that cannot be read or written
// is ignored (the hash is computed again).
nlohmann::json model_file_identity(const std::string& path, const std::string& cache_file,
                                   FILE* note = nullptr);

// The user cache directory: $S1_CACHE, else $XDG_CACHE_HOME/s1.cpp, else
// $HOME/.cache/s1.cpp (the directories of scripts/setup.sh's cache); "" when none is set.
std::string user_cache_dir();

// The model hash cache: model-hashes.tsv in user_cache_dir() ("" when there is none).
std::string default_model_hash_cache();

// Writes `text` to `path` through a temporary file and rename(2), so readers never see
// half a file (nor one mixed from two writers). Throws std::runtime_error on failure.
void write_file_atomic(const std::string& path, const std::string& text);

}  // namespace s1::eval
