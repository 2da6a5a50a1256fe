#include "core/curation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "core/datasets.h"
#include "core/random.h"
#include "core/utf8.h"

namespace s1 {
namespace {

uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

bool is_word_byte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool contains_any(const std::string& haystack, std::initializer_list<const char*> needles) {
  for (const char* n : needles) {
    if (haystack.find(n) != std::string::npos) return true;
  }
  return false;
}

// Hashes of consecutive runs of `n` words (one hash of all words when there are fewer).
std::vector<uint64_t> word_ngram_hashes(std::string_view text, int n) {
  std::vector<uint64_t> words;
  for (const auto& w : overlap_words(text)) words.push_back(fnv1a64(w));
  std::vector<uint64_t> out;
  const size_t len = static_cast<size_t>(n);
  if (words.empty()) return out;
  const size_t count = words.size() >= len ? words.size() - len + 1 : 1;
  for (size_t i = 0; i < count; ++i) {
    uint64_t h = 0x243F6A8885A308D3ull;
    for (size_t k = i; k < std::min(words.size(), i + len); ++k) h = mix64(h ^ words[k]);
    out.push_back(h);
  }
  return out;
}

// Unbalanced braces or inline-math dollars, ignoring escaped ones.
bool unbalanced_markup(std::string_view text) {
  long braces = 0, dollars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      ++i;  // \{ \} \$ are literal
      continue;
    }
    if (c == '{') ++braces;
    if (c == '}' && --braces < 0) return true;
    if (c == '$') ++dollars;
  }
  return braces != 0 || dollars % 2 != 0;
}

// The text without Asymptote figure code ([asy] ... [/asy]), whose boilerplate
// ("size(150); pair A, B, C, D;") is shared by unrelated problems.
std::string strip_figure_code(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("[asy]", pos);
    if (open == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    const size_t close = text.find("[/asy]", open);
    pos = close == std::string_view::npos ? text.size() : close + 6;
  }
  if (pos < text.size()) out.append(text.substr(pos));
  return out;
}

}  // namespace

std::vector<std::string> overlap_words(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\' && i + 1 < text.size() && std::isalpha(static_cast<unsigned char>(text[i + 1]))) {
      size_t j = i + 1;
      while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
      words.push_back(lower(text.substr(i, j - i)));
      i = j;
    } else if (is_word_byte(c)) {
      size_t j = i;
      while (j < text.size() && is_word_byte(static_cast<unsigned char>(text[j]))) ++j;
      words.push_back(lower(text.substr(i, j - i)));
      i = j;
    } else {
      ++i;
    }
  }
  return words;
}

std::string quality_issue(std::string_view question, std::string_view trace,
                          std::string_view answer) {
  auto blank = [](std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
  };
  if (blank(question)) return "missing question";
  if (blank(trace)) return "missing reasoning trace";
  for (std::string_view field : {question, trace, answer}) {
    if (!is_valid_utf8(field)) return "invalid UTF-8";
    if (field.find("\xEF\xBF\xBD") != std::string_view::npos) return "replacement character";
  }
  const std::string output = lower(std::string(trace) + "\n" + std::string(answer));
  if (contains_any(output, {"rate limit", "api error", "internal server error", "error code:",
                            "request timed out", "service unavailable", "too many requests",
                            "quota exceeded", "<!doctype html", "overloaded_error"})) {
    return "API error text";
  }
  const std::string q = lower(question);
  if (contains_any(q, {"![", "<img", ".png", ".jpg", ".jpeg", ".gif", ".svg", "[image",
                       "(image)", "<image>"})) {
    return "references an image that is not included";
  }
  if (unbalanced_markup(question)) return "broken formatting (unbalanced braces or $)";
  return "";
}

uint64_t normalized_question_hash(std::string_view question) {
  std::string joined;
  for (const auto& w : overlap_words(question)) {
    if (!joined.empty()) joined += ' ';
    joined += w;
  }
  return fnv1a64(joined);
}

std::vector<uint64_t> NgramIndex::gram_hashes(std::string_view text) const {
  return word_ngram_hashes(strip_figure_code(text), n_);
}

constexpr uint32_t kBoilerplate = UINT32_MAX;

void NgramIndex::add(std::string_view text, const std::string& source) {
  const auto index = static_cast<uint32_t>(sources_.size());
  sources_.push_back(source);
  for (uint64_t h : gram_hashes(text)) {
    const auto [it, fresh] = grams_.emplace(h, index);
    if (!fresh && it->second != index) it->second = kBoilerplate;
  }
}

std::string NgramIndex::find_overlap(std::string_view text) const {
  for (uint64_t h : gram_hashes(text)) {
    const auto it = grams_.find(h);
    if (it != grams_.end() && it->second != kBoilerplate) return sources_[it->second];
  }
  return "";
}

std::string NearDuplicateIndex::find_or_add(std::string_view text, const std::string& id) {
  const std::vector<uint64_t> shingles = word_ngram_hashes(text, 5);
  std::vector<uint32_t> sig(kHashes, UINT32_MAX);
  for (uint64_t s : shingles) {
    for (int i = 0; i < kHashes; ++i) {
      const auto v = static_cast<uint32_t>(mix64(s ^ (0x9E3779B97F4A7C15ull * (i + 1))));
      sig[static_cast<size_t>(i)] = std::min(sig[static_cast<size_t>(i)], v);
    }
  }
  constexpr int rows = kHashes / kBands;
  std::vector<uint64_t> keys(kBands);
  for (int b = 0; b < kBands; ++b) {
    uint64_t h = static_cast<uint64_t>(b) + 1;
    for (int r = 0; r < rows; ++r) h = mix64(h ^ sig[static_cast<size_t>(b * rows + r)]);
    keys[static_cast<size_t>(b)] = h;
    const auto it = bands_[static_cast<size_t>(b)].find(h);
    if (it == bands_[static_cast<size_t>(b)].end()) continue;
    for (uint32_t other : it->second) {
      int same = 0;
      for (int i = 0; i < kHashes; ++i) same += signatures_[other][static_cast<size_t>(i)] == sig[static_cast<size_t>(i)];
      if (static_cast<double>(same) / kHashes >= threshold_) return ids_[other];
    }
  }
  const auto index = static_cast<uint32_t>(ids_.size());
  signatures_.push_back(std::move(sig));
  ids_.push_back(id);
  for (int b = 0; b < kBands; ++b) bands_[static_cast<size_t>(b)][keys[static_cast<size_t>(b)]].push_back(index);
  return "";
}

std::vector<size_t> select_diverse(const std::vector<SelectionCandidate>& pool, size_t target,
                                   uint64_t seed) {
  // Domains in name order, each ranked longest trace first, so the draw depends only on
  // the pool's contents and the seed.
  std::map<std::string, std::vector<size_t>> domains;
  for (size_t i = 0; i < pool.size(); ++i) domains[pool[i].domain].push_back(i);
  std::vector<std::vector<size_t>> ranked;
  for (auto& [name, items] : domains) {
    std::sort(items.begin(), items.end(), [&](size_t a, size_t b) {
      if (pool[a].trace_tokens != pool[b].trace_tokens) {
        return pool[a].trace_tokens > pool[b].trace_tokens;
      }
      return pool[a].id < pool[b].id;
    });
    ranked.push_back(std::move(items));
  }
  SplitMix64 rng(seed);
  std::vector<size_t> chosen;
  while (chosen.size() < target && !ranked.empty()) {
    const size_t d = static_cast<size_t>(rng.next() % ranked.size());
    std::vector<size_t>& items = ranked[d];
    // Weights 2^-rank: the total is 2 - 2^(1-m); walk until the draw is covered.
    const double total = 2.0 - std::ldexp(1.0, 1 - static_cast<int>(std::min<size_t>(items.size(), 1100)));
    const double u = rng.uniform() * total;
    size_t pick = items.size() - 1;
    double acc = 0;
    for (size_t k = 0; k < items.size(); ++k) {
      acc += std::ldexp(1.0, -static_cast<int>(std::min<size_t>(k, 1100)));
      if (u < acc) {
        pick = k;
        break;
      }
    }
    chosen.push_back(items[pick]);
    items.erase(items.begin() + static_cast<long>(pick));
    if (items.empty()) ranked.erase(ranked.begin() + static_cast<long>(d));
  }
  return chosen;
}

}  // namespace s1
