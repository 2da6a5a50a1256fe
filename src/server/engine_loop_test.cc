// Unit tests of how the engine loop reports refused requests.
#include "server/engine_loop.h"

#include <gtest/gtest.h>

namespace s1::server {
namespace {

// The error code decides the answer; the words of the message never do.
TEST(EngineLoop, TheErrorCodeNotTheMessageDecidesTheStatus) {
  SubmitError e = classify_submit_error(
      RequestError(RequestErrorCode::kContextExceeded, "the prompt is too long"));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "context_length_exceeded");
  e = classify_submit_error(
      RequestError(RequestErrorCode::kInvalid, "the context of this request is inconsistent"));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "invalid_request");
  e = classify_submit_error(std::invalid_argument("beyond the context"));
  EXPECT_EQ(e.code, "invalid_request");
}

// A budget the engine refuses is named by the request's own field.
TEST(EngineLoop, ARefusedBudgetNamesItsRequestField) {
  SubmitError e = classify_submit_error(RequestError(
      RequestErrorCode::kContextExceeded, "the answer budget is beyond the context", "max_answer"));
  EXPECT_EQ(e.param, "max_tokens");
  e = classify_submit_error(
      RequestError(RequestErrorCode::kContextExceeded, "min_think is beyond", "min_think"));
  EXPECT_EQ(e.param, "min_tokens_thinking");
  e = classify_submit_error(RequestError(RequestErrorCode::kContextExceeded, "the prompt"));
  EXPECT_EQ(e.param, "");
}

}  // namespace
}  // namespace s1::server
