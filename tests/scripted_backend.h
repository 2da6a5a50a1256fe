// A Backend for tests that answers each request with the next scripted text (no model),
// and keeps the requests it was sent, to check what a component asks.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "engine/backend.h"

namespace s1::test {

class ScriptedBackend : public Backend {
 public:
  explicit ScriptedBackend(std::deque<std::string> answers) : answers_(std::move(answers)) {}

  int submit(BackendRequest request) override {
    requests.push_back(request);
    queued_.push_back(std::move(request));
    return static_cast<int>(requests.size());
  }
  bool step() override {
    if (queued_.empty()) return false;
    BackendRequest r = std::move(queued_.front());
    queued_.pop_front();
    SequenceResult result;
    result.answer = answers_.empty() ? "" : answers_.front();
    if (!answers_.empty()) answers_.pop_front();
    if (r.on_done) r.on_done(0, result);
    return !queued_.empty();
  }
  bool cancel(int) override { return false; }
  BackendInfo info() const override {
    BackendInfo info;
    info.model = "scripted";
    info.format = "s1";
    return info;
  }
  int count_prompt_tokens(const BackendRequest&) const override { return 0; }
  SchedulerStats stats() const override { return {}; }
  bool end_thinking(int, const std::string&) override { return false; }
  std::vector<SuppressedTokens> suppressed_tokens(const std::vector<std::string>&) const override {
    return {};
  }

  std::vector<BackendRequest> requests;

 private:
  std::deque<std::string> answers_;
  std::deque<BackendRequest> queued_;
};

}  // namespace s1::test
