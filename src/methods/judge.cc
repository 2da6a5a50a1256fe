#include "methods/judge.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include "core/file_hash.h"

namespace s1 {
namespace {

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Whether the word ending at `end` (exclusive) of `s` negates what follows it.
bool negated_before(const std::string& s, size_t at) {
  size_t end = at;
  while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '_' || s[end - 1] == '-')) --end;
  size_t begin = end;
  while (begin > 0 && is_letter(s[begin - 1])) --begin;
  std::string word = s.substr(begin, end - begin);
  return word == "NOT" || word == "NON";
}

}  // namespace

std::string judge_prompt(std::string_view question, std::string_view gold,
                         std::string_view candidate) {
  std::string prompt =
      "You are grading a math answer. Decide whether the candidate answer means the same as "
      "the reference answer for this question: the same value, set, expression or choice, "
      "even if written differently (other notation, units, rounding the question allows, "
      "or the answer inside a sentence). Do not solve the problem again; compare the "
      "answers.\n\n";
  prompt += "Question:\n";
  prompt += question.empty() ? std::string_view("(not given)") : question;
  prompt += "\n\nReference answer:\n";
  prompt += gold;
  prompt += "\n\nCandidate answer:\n";
  prompt += candidate;
  prompt += "\n\nReply with exactly one line: EQUIVALENT or NOT EQUIVALENT.";
  return prompt;
}

std::optional<bool> parse_judge_verdict(std::string_view answer) {
  std::string s;
  s.reserve(answer.size());
  for (char c : answer) s += upper(c);
  size_t at = s.rfind("EQUIVALENT");
  if (at == std::string::npos) return std::nullopt;
  bool in_word = at > 0 && is_letter(s[at - 1]);
  if (in_word) {
    // "INEQUIVALENT" is a verdict; "XEQUIVALENT" is not.
    return at >= 2 && s.compare(at - 2, 2, "IN") == 0 && (at == 2 || !is_letter(s[at - 3]))
               ? std::optional<bool>(false)
               : std::nullopt;
  }
  return !negated_before(s, at);
}

JudgeCache::JudgeCache(std::string path) : path_(std::move(path)) {
  if (path_.empty()) return;
  std::ifstream in(path_);
  std::string line;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab != 16) continue;
    std::string verdict = line.substr(tab + 1);
    if (verdict == "equivalent" || verdict == "not_equivalent") {
      verdicts_[line.substr(0, tab)] = verdict == "equivalent";
    }
  }
}

std::string JudgeCache::key(std::string_view question, std::string_view gold,
                            std::string_view candidate, std::string_view judge_id) {
  std::string bytes;
  for (std::string_view field : {question, gold, candidate, judge_id}) {
    bytes += std::to_string(field.size());
    bytes += ':';
    bytes += field;
  }
  return hex64(xxh64_bytes(bytes));
}

std::optional<bool> JudgeCache::find(const std::string& key) const {
  auto it = verdicts_.find(key);
  if (it == verdicts_.end()) return std::nullopt;
  return it->second;
}

void JudgeCache::store(const std::string& key, bool equivalent) {
  verdicts_[key] = equivalent;
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  FILE* f = std::fopen(path_.c_str(), "ab");
  if (!f)
    throw std::runtime_error("cannot write judge cache " + path_ + ": " + std::strerror(errno));
  std::string line = key + (equivalent ? "\tequivalent\n" : "\tnot_equivalent\n");
  bool ok = std::fwrite(line.data(), 1, line.size(), f) == line.size();
  if (std::fclose(f) != 0 || !ok) throw std::runtime_error("cannot write judge cache " + path_);
}

Judge::Judge(Backend& backend, JudgeSettings settings)
    : backend_(backend), settings_(std::move(settings)), cache_(settings_.cache_path) {}

std::vector<JudgeVerdict> Judge::judge(const std::vector<JudgeQuery>& queries) {
  std::vector<JudgeVerdict> verdicts(queries.size());
  std::vector<std::string> keys(queries.size());
  // Queries to generate, by key: equal queries share one generation.
  std::map<std::string, std::vector<size_t>> pending;
  for (size_t i = 0; i < queries.size(); ++i) {
    const JudgeQuery& q = queries[i];
    keys[i] = JudgeCache::key(q.question, q.gold, q.candidate, settings_.id);
    if (std::optional<bool> hit = cache_.find(keys[i])) {
      verdicts[i].equivalent = hit;
      verdicts[i].cached = true;
      ++stats_.cached;
    } else {
      pending[keys[i]].push_back(i);
    }
  }
  std::map<std::string, std::string> outputs;
  for (const auto& [key, indices] : pending) {
    const JudgeQuery& q = queries[indices.front()];
    BackendRequest request;
    request.messages.push_back({"user", judge_prompt(q.question, q.gold, q.candidate)});
    request.rules.max_think = settings_.max_think;
    request.rules.max_answer = settings_.max_answer;
    request.thinking_sampling = SamplingParams{};  // greedy
    request.answer_sampling = SamplingParams{};
    request.on_done = [&outputs, key = key](int, const SequenceResult& r) {
      outputs[key] = r.answer;
    };
    backend_.submit(std::move(request));
    ++stats_.asked;
  }
  backend_.run();
  for (const auto& [key, indices] : pending) {
    const std::string& output = outputs[key];
    std::optional<bool> verdict = parse_judge_verdict(output);
    if (verdict) {
      cache_.store(key, *verdict);
    } else {
      ++stats_.malformed;
    }
    for (size_t i : indices) {
      verdicts[i].equivalent = verdict;
      verdicts[i].output = output;
    }
  }
  return verdicts;
}

std::vector<std::optional<bool>> Judge::verdicts(const std::vector<JudgeQuery>& queries) {
  std::vector<std::optional<bool>> out;
  for (JudgeVerdict& v : judge(queries)) out.push_back(v.equivalent);
  return out;
}

}  // namespace s1
