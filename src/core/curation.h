// s1K-style data curation (s1 paper, section 2): quality checks, exact and near
// duplicates, decontamination against evaluation sets by 8-gram overlap, and diversity
// sampling that favours long reasoning traces. Pure functions and small indexes over
// text; the `s1 curate` front end streams JSONL through them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace s1 {

// The words of `text` for overlap checks: lower-case runs of letters and digits (ASCII;
// other bytes, e.g. UTF-8 letters, are kept inside words), LaTeX commands kept as words.
std::vector<std::string> overlap_words(std::string_view text);

// Why an item fails the quality checks ("" when it passes): missing question or trace,
// API-error text, a referenced image (the item cannot show it), or broken formatting
// (unbalanced $ or braces, replacement characters, an empty answer after the trace).
std::string quality_issue(std::string_view question, std::string_view trace,
                          std::string_view answer);

// The 64-bit hash of a question after normalization (case, whitespace, punctuation), for
// exact-duplicate detection.
uint64_t normalized_question_hash(std::string_view question);

// Word n-grams of evaluation questions; a question sharing any n-gram with them is
// contaminated (the s1 reference's decontamination uses 8-grams). An n-gram found in two
// or more evaluation questions is boilerplate ("where m and n are relatively prime
// positive integers") and does not count, nor does Asymptote figure code ([asy]...[/asy]). Not thread-safe to build; const methods may
// be called from many threads.
class NgramIndex {
 public:
  explicit NgramIndex(int n = 8) : n_(n) {}
  // Adds every n-gram of `text`, remembering `source` (e.g. "aime24:2024-I-1").
  void add(std::string_view text, const std::string& source);
  // The source of the first n-gram of `text` found in the index, or "" if none. Texts
  // shorter than n words are compared whole.
  std::string find_overlap(std::string_view text) const;
  size_t size() const { return grams_.size(); }

 private:
  std::vector<uint64_t> gram_hashes(std::string_view text) const;
  int n_;
  std::unordered_map<uint64_t, uint32_t> grams_;  // n-gram hash -> index into sources_
  std::vector<std::string> sources_;
};

// Near-duplicate detection with MinHash over word 5-gram shingles and LSH banding
// (16 bands of 4 rows): two questions whose shingle sets have a Jaccard similarity around
// 0.8 or more collide in some band with high probability; collisions are then checked on
// the signatures. Memory: 64 words per kept item.
class NearDuplicateIndex {
 public:
  explicit NearDuplicateIndex(double threshold = 0.8) : threshold_(threshold) {}
  // The id of a kept item that `text` nearly duplicates, or "" (then `text` is kept
  // under `id`).
  std::string find_or_add(std::string_view text, const std::string& id);

 private:
  static constexpr int kHashes = 64;
  static constexpr int kBands = 16;
  double threshold_;
  std::vector<std::vector<uint32_t>> signatures_;
  std::vector<std::string> ids_;
  std::vector<std::unordered_map<uint64_t, std::vector<uint32_t>>> bands_ =
      std::vector<std::unordered_map<uint64_t, std::vector<uint32_t>>>(kBands);
};

struct SelectionCandidate {
  std::string id;
  std::string domain;
  int64_t trace_tokens = 0;
};

// The s1 paper's diversity sampling (Algorithm 1): until `target` items are chosen (or
// none are left), pick a domain uniformly at random among those with items left, rank
// its items by trace length (longest first; ties by id), and draw one with weight
// 2^-rank. Deterministic for a seed on every platform. Returns indexes into `pool`, in
// the order chosen.
std::vector<size_t> select_diverse(const std::vector<SelectionCandidate>& pool, size_t target,
                                   uint64_t seed);

}  // namespace s1
