// Why a request cannot run, as a code the front ends map to their own answers (an HTTP
// status and error code, a one-line message) without reading the message text.
#pragma once

#include <cctype>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace s1 {

enum class RequestErrorCode {
  kInvalid,          // the request contradicts itself or a limit of the method
  kContextExceeded,  // the prompt or a budget does not fit a sequence's context
};

// A request refused before it runs. A std::invalid_argument, so callers that only need
// "bad request" keep catching that. `field`: the rule at fault in the layer's own names
// (BudgetRules' members: "max_think", "min_think", "num_ignore", "max_answer",
// "step_tokens", "max_steps"; a request's token ids: "prompt_tokens", "stop_tokens"),
// or "" when no one field is.
class RequestError : public std::invalid_argument {
 public:
  RequestError(RequestErrorCode code, const std::string& message, std::string field = "")
      : std::invalid_argument(message), code_(code), field_(std::move(field)) {}
  RequestErrorCode code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  RequestErrorCode code_;
  std::string field_;
};

// `message` with each whole-word occurrence of a rule's name (the names of
// RequestError::field) that `names` maps replaced by the front end's own name for it (a
// flag such as "--max-steps", an API field such as "thinking_steps").
inline std::string with_field_names(std::string message,
                                    const std::vector<std::pair<std::string, std::string>>& names) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (const auto& [from, to] : names) {
    for (size_t at = message.find(from); at != std::string::npos; at = message.find(from, at)) {
      const size_t end = at + from.size();
      if ((at > 0 && word(message[at - 1])) || (end < message.size() && word(message[end]))) {
        at = end;
        continue;
      }
      message.replace(at, from.size(), to);
      at += to.size();
    }
  }
  return message;
}

}  // namespace s1
