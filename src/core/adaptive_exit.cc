#include "core/adaptive_exit.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/math_equivalence.h"
#include "core/suppress_words.h"

namespace s1 {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

void check_words(const std::vector<std::string>& words, const char* what) {
  for (const auto& w : words) {
    if (w.empty()) throw std::invalid_argument(std::string("the ") + what + " have an empty word");
  }
}

std::vector<std::string> lowered(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(ascii_lower(w));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string> dynasor_hesitation_words() {
  return {"wait", "hold", "but", "okay", "no", "hmm"};
}

std::vector<std::string> deer_reflection_words() { return {"Wait", "Alternatively"}; }

void ProbeRules::validate() const {
  if (every < 0) throw std::invalid_argument("the probe interval must not be negative");
  if (consistent < 0) {
    throw std::invalid_argument("the number of agreeing probes must not be negative");
  }
  if (!std::isfinite(confidence) || confidence < 0) {
    throw std::invalid_argument("the confidence threshold must be a number >= 0");
  }
  if (can_exit() && !probing()) {
    throw std::invalid_argument(
        "an adaptive exit needs probes: a probe interval or probes at reflection points");
  }
  if (probing()) {
    if (probe_tokens < 1) throw std::invalid_argument("a probe needs at least 1 token");
    if (suffix.empty()) throw std::invalid_argument("the probe suffix is empty");
  }
  if (at_reflection && reflection_words.empty() && !reflection_blank_line) {
    throw std::invalid_argument("probes at reflection points need reflection words or blank lines");
  }
  check_words(hesitation_words, "hesitation words");
  check_words(reflection_words, "reflection words");
}

bool ProbeRules::probing() const { return every > 0 || at_reflection; }

bool ProbeRules::can_exit() const { return consistent > 0 || confidence > 0; }

bool probe_answer(std::string_view suffix, std::string_view text, std::string* answer) {
  answer->clear();
  int open = 0;
  for (char c : suffix) {
    if (c == '{') ++open;
    if (c == '}' && open > 0) --open;
  }
  size_t from = 0;
  if (open == 0) {
    // The suffix names the box; the probe opens it.
    while (from < text.size() && (is_space(text[from]) || text[from] == '\n')) ++from;
    if (from == text.size() || text[from] != '{') return false;
    ++from;
    open = 1;
  }
  // As Dynasor's obtain_answer: up to the first brace that closes more than it opened.
  int depth = 0;
  for (size_t i = from; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] != '}') continue;
    if (depth == 0) {
      *answer = std::string(trim(text.substr(from, i - from)));
      return true;
    }
    --depth;
  }
  return false;
}

std::string probed_answer_text(std::string_view answer) {
  return " \\boxed{" + std::string(answer) + "}";
}

double mean_probability(const std::vector<float>& probs, ProbeRules::Mean mean) {
  if (probs.empty()) return 0;
  double sum = 0;
  for (float p : probs) {
    sum += mean == ProbeRules::Mean::kGeometric ? std::log(std::max(static_cast<double>(p), 1e-10))
                                                : static_cast<double>(p);
  }
  sum /= static_cast<double>(probs.size());
  return mean == ProbeRules::Mean::kGeometric ? std::exp(sum) : sum;
}

ReflectionDetector::ReflectionDetector(const ProbeRules& rules)
    : words_(lowered(rules.reflection_words)), blank_line_(rules.reflection_blank_line) {}

bool ReflectionDetector::on_text(std::string_view piece) {
  bool found = false;
  for (char c : piece) {
    if (matched_) {
      // A whole word only if no letter follows ("Waiting" is not "Wait").
      matched_ = false;
      if (!is_letter(c)) found = true;
    }
    if (c == '\n') {
      if (++newlines_ == 2 && blank_line_) found = true;
      boundary_ = true;
      collecting_ = sentence_end_ = false;
      continue;
    }
    if (is_space(c)) {
      collecting_ = false;
      if (sentence_end_) boundary_ = true;
      sentence_end_ = false;
      continue;
    }
    newlines_ = 0;
    sentence_end_ = c == '.' || c == '!' || c == '?';
    if (boundary_) {
      // The first word of a line or sentence begins.
      boundary_ = false;
      collecting_ = true;
      word_.clear();
    }
    if (!collecting_) continue;
    word_ += ascii_lower(c);
    bool longer = false;
    for (const auto& w : words_) {
      if (w == word_) matched_ = true;
      if (w.size() > word_.size() && w.compare(0, word_.size(), word_) == 0) longer = true;
    }
    collecting_ = longer;
  }
  if (matched_) {
    // The piece ends on a whole word: take it (a letter in the next piece cannot undo it).
    matched_ = false;
    found = true;
  }
  return found;
}

AdaptiveExit::AdaptiveExit(const ProbeRules& rules, int min_think)
    : rules_(rules),
      hesitation_(lowered(rules.hesitation_words)),
      min_think_(min_think),
      next_every_(rules.every) {
  rules_.validate();
  if (min_think < 0) throw std::invalid_argument("min_think must not be negative");
}

bool AdaptiveExit::probe_due(int thinking_tokens, bool reflection_point) {
  if (exited_ || !rules_.probing() || thinking_tokens <= 0) return false;
  bool due = false;
  if (rules_.every > 0 && thinking_tokens >= next_every_) {
    due = true;
    next_every_ = (thinking_tokens / rules_.every + 1) * rules_.every;
  }
  if (rules_.at_reflection && reflection_point) due = true;
  if (!due || thinking_tokens == last_probe_) return false;
  last_probe_ = thinking_tokens;
  return true;
}

bool AdaptiveExit::agrees_with_window() const {
  const auto w = static_cast<size_t>(rules_.consistent);
  if (w == 0 || records_.size() < w) return false;
  const ProbeRecord& newest = records_.back();
  for (size_t i = records_.size() - w; i < records_.size(); ++i) {
    const ProbeRecord& r = records_[i];
    if (r.answer.empty() || (rules_.require_no_hesitation && r.hesitated)) return false;
    if (&r != &newest && !answers_equivalent(r.answer, newest.answer)) return false;
  }
  return true;
}

ProbeOutcome AdaptiveExit::on_probe(const ProbeResult& result) {
  ProbeRecord r;
  r.thinking_tokens = result.thinking_tokens;
  r.closed = probe_answer(rules_.suffix, result.text, &r.answer);
  r.confidence = mean_probability(result.probs, rules_.mean);
  r.hesitated = find_any_word(result.text, hesitation_) != nullptr;
  r.confident = rules_.confidence > 0 && !r.answer.empty() && r.confidence >= rules_.confidence;
  records_.push_back(std::move(r));
  ProbeRecord& rec = records_.back();
  rec.agreed = agrees_with_window();

  ProbeOutcome out;
  if (exited_ || (!rec.agreed && !rec.confident)) return out;
  if (rec.thinking_tokens < min_think_) {
    out.held_by_min_think = true;
    return out;
  }
  exited_ = true;
  out.exit = true;
  out.reason = rec.agreed ? "consistent" : "confident";
  out.answer = rec.answer;
  return out;
}

}  // namespace s1
