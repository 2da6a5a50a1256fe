#include "core/budget_forcing.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace s1 {
namespace {

// A fake vocabulary: plain tokens are 1..9 (text "a".."i"), 10 is "\n".
constexpr Token kEog = 0;
constexpr Token kNewline = 10;
constexpr Token kThinkEnd = 100;  // "</think>"
constexpr Token kImStart = 50;    // "<|im_start|>"
constexpr Token kAnswer = 51;     // "answer"
constexpr Token kWait = 300;

ForcingVocab think_tags_vocab() {
  ForcingVocab v;
  v.end_triggers = {{kThinkEnd}};
  v.end_of_generation = {kEog};
  v.end_delimiter = {"</think>", {kThinkEnd}};
  v.newline = {"\n", {kNewline}};
  v.cap_suffix = {"\nFinal Answer:", {kNewline, 200, 201}};
  v.ignore_strings = {{"Wait", {kWait}}};
  return v;
}

ForcingVocab s1_vocab() {
  ForcingVocab v = think_tags_vocab();
  v.end_triggers = {{kImStart}};
  v.end_delimiter = {"<|im_start|>answer", {kImStart, kAnswer}};
  return v;
}

std::string piece(Token t) { return t == kNewline ? "\n" : std::string(1, char('a' + t - 1)); }

// Everything shown on one channel.
std::string text_of(const std::vector<Decision>& ds, Channel c) {
  std::string s;
  for (const auto& d : ds)
    for (const auto& chunk : d.output)
      if (chunk.channel == c) s += chunk.text;
  return s;
}

TEST(BudgetRules, MinAboveMaxIsRefused) {
  BudgetRules r;
  r.max_think = 10;
  r.min_think = 11;
  EXPECT_THROW(r.validate(), std::invalid_argument);
  r.min_think = 10;
  EXPECT_NO_THROW(r.validate());
  r.num_ignore = -1;
  EXPECT_THROW(r.validate(), std::invalid_argument);
}

// The rule at fault travels as a field, so front ends name it without reading the text.
std::string failing_field(const BudgetRules& r) {
  try {
    r.validate();
  } catch (const RequestError& e) {
    EXPECT_EQ(e.code(), RequestErrorCode::kInvalid);
    return e.field();
  }
  return "(valid)";
}

TEST(BudgetRules, ValidateNamesTheRuleAtFault) {
  BudgetRules r;
  r.max_think = 10;
  r.min_think = 11;
  EXPECT_EQ(failing_field(r), "min_think");
  r.min_think = 0;
  r.num_ignore = -1;
  EXPECT_EQ(failing_field(r), "num_ignore");
  r.num_ignore = 0;
  r.step_tokens = 100;
  EXPECT_EQ(failing_field(r), "max_steps");
  r.step_tokens = 0;
  r.max_steps = 3;
  EXPECT_EQ(failing_field(r), "step_tokens");
  r.max_steps = -1;
  EXPECT_EQ(failing_field(r), "(valid)");
}

TEST(BudgetForcer, CapHoldsToTheToken) {
  const auto v = think_tags_vocab();
  BudgetForcer f({5, 0, 0, -1}, v, false);
  EXPECT_TRUE(f.begin().inject.empty());
  std::vector<Decision> ds;
  for (int i = 1; i <= 4; ++i) {
    ds.push_back(f.on_token(i, piece(i)));
    EXPECT_TRUE(ds.back().inject.empty());
    EXPECT_EQ(f.phase(), Phase::kThinking);
  }
  ds.push_back(f.on_token(5, piece(5)));
  const Decision& cap = ds.back();
  EXPECT_TRUE(cap.keep_token);
  EXPECT_EQ(cap.inject, (TokenSeq{kNewline, kThinkEnd, kNewline, 200, 201}));
  EXPECT_EQ(f.thinking_tokens(), 5);
  EXPECT_EQ(f.phase(), Phase::kAnswer);
  ASSERT_EQ(f.events().size(), 1u);
  EXPECT_EQ(f.events()[0].kind, ForcingKind::kCap);
  EXPECT_EQ(f.events()[0].thinking_tokens, 5);
  EXPECT_EQ(text_of(ds, Channel::kThinking), "abcde");
  EXPECT_EQ(text_of(ds, Channel::kDelimiter), "\n</think>");  // the newline closes thinking
  EXPECT_EQ(text_of(ds, Channel::kAnswer), "\nFinal Answer:");
  EXPECT_EQ(f.events()[0].text, "\n</think>\nFinal Answer:");
}

TEST(BudgetForcer, CapAddsNoNewlineAfterOne) {
  const auto v = think_tags_vocab();
  BudgetForcer f({2, 0, 0, -1}, v, false);
  f.on_token(1, piece(1));
  const Decision d = f.on_token(kNewline, "\n");
  EXPECT_EQ(d.inject, (TokenSeq{kThinkEnd, kNewline, 200, 201}));
}

TEST(BudgetForcer, ZeroCapClosesAtOnce) {
  const auto v = s1_vocab();
  BudgetForcer f({0, 0, 0, -1}, v, true);
  const Decision d = f.begin();
  EXPECT_EQ(d.inject, (TokenSeq{kImStart, kAnswer, kNewline, 200, 201}));
  EXPECT_EQ(f.phase(), Phase::kAnswer);
}

TEST(BudgetForcer, ZeroCapShowsNoThinking) {
  // After "<|im_start|>think" (no newline) the cap still decodes "\n" before the
  // delimiter, as the s1 reference does, but it is not thinking text.
  const auto v = s1_vocab();
  BudgetForcer f({0, 0, 0, -1}, v, false);
  const std::vector<Decision> ds = {f.begin()};
  EXPECT_EQ(ds[0].inject, (TokenSeq{kNewline, kImStart, kAnswer, kNewline, 200, 201}));
  EXPECT_EQ(text_of(ds, Channel::kThinking), "");
  EXPECT_EQ(text_of(ds, Channel::kDelimiter), "\n<|im_start|>answer");
  EXPECT_EQ(f.events()[0].text, "\n<|im_start|>answer\nFinal Answer:");
}

TEST(BudgetForcer, IgnoresTheFirstKAttemptsThenEnds) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 0, 2, -1}, v, false);
  f.on_token(1, piece(1));
  for (int i = 0; i < 2; ++i) {
    const Decision d = f.on_token(kThinkEnd, "</think>");
    EXPECT_FALSE(d.keep_token);
    EXPECT_EQ(d.inject, TokenSeq{kWait});
    EXPECT_EQ(f.phase(), Phase::kThinking);
    f.on_token(2, piece(2));
  }
  const Decision end = f.on_token(kThinkEnd, "</think>");
  EXPECT_TRUE(end.keep_token);  // "</think>" is the delimiter itself: kept, nothing added
  EXPECT_TRUE(end.inject.empty());
  EXPECT_EQ(f.phase(), Phase::kAnswer);
  ASSERT_EQ(f.events().size(), 3u);
  EXPECT_EQ(f.events()[0].kind, ForcingKind::kIgnore);
  EXPECT_EQ(f.events()[0].reason, "num_ignore");
  EXPECT_EQ(f.events()[0].thinking_tokens, 1);
  EXPECT_EQ(f.events()[1].thinking_tokens, 3);  // a, Wait, b
  EXPECT_EQ(f.events()[2].kind, ForcingKind::kEnd);
  EXPECT_EQ(f.thinking_tokens(), 5);  // a Wait b Wait b
  EXPECT_EQ(f.end_attempts(), 3);
}

TEST(BudgetForcer, S1TriggerIsKeptAndTheDelimiterCompleted) {
  const auto v = s1_vocab();
  BudgetForcer f({-1, 0, 0, -1}, v, false);
  f.on_token(1, piece(1));
  const Decision d = f.on_token(kImStart, "<|im_start|>");
  EXPECT_TRUE(d.keep_token);
  EXPECT_EQ(d.inject, TokenSeq{kAnswer});
  EXPECT_EQ(f.events().back().reason, "trigger");
}

TEST(BudgetForcer, EndOfGenerationWhileThinking) {
  const auto v = s1_vocab();
  BudgetForcer f({-1, 0, 1, -1}, v, false);
  f.on_token(1, piece(1));
  Decision d = f.on_token(kEog, "");
  EXPECT_FALSE(d.keep_token);
  EXPECT_EQ(d.inject, TokenSeq{kWait});
  d = f.on_token(kEog, "");
  EXPECT_FALSE(d.keep_token);  // EOS is replaced by the whole delimiter
  EXPECT_EQ(d.inject, (TokenSeq{kImStart, kAnswer}));
  EXPECT_EQ(f.events().back().reason, "end_of_generation");
  EXPECT_EQ(f.phase(), Phase::kAnswer);
}

TEST(BudgetForcer, MinThinkExtendsUntilReached) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 4, 0, -1}, v, false);
  f.on_token(1, piece(1));
  Decision d = f.on_token(kThinkEnd, "");  // 1 < 4
  EXPECT_EQ(d.inject, TokenSeq{kWait});
  EXPECT_EQ(f.events().back().reason, "min_think");
  f.on_token(2, piece(2));
  f.on_token(3, piece(3));  // a Wait b c = 4
  d = f.on_token(kThinkEnd, "");
  EXPECT_EQ(f.phase(), Phase::kAnswer);
  EXPECT_EQ(f.events().back().kind, ForcingKind::kEnd);
}

TEST(BudgetForcer, MinThinkWithAGreedyLoopingModelTerminates) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 40, 0, -1}, v, false);
  int steps = 0;
  while (f.phase() == Phase::kThinking && steps++ < 1000) f.on_token(kThinkEnd, "");
  EXPECT_EQ(f.phase(), Phase::kAnswer);
  EXPECT_EQ(f.thinking_tokens(), 40);
  EXPECT_EQ(f.events().size(), 41u);
}

TEST(BudgetForcer, CapReachedWhileIgnoring) {
  auto v = think_tags_vocab();
  v.ignore_strings = {{"Hold on", {301, 302}}};
  BudgetForcer f({3, 0, 5, -1}, v, false);
  f.on_token(1, piece(1));
  f.on_token(2, piece(2));
  const Decision d = f.on_token(kThinkEnd, "");  // "Hold on" would make 4 > 3
  EXPECT_FALSE(d.keep_token);
  EXPECT_EQ(d.inject, (TokenSeq{kNewline, kThinkEnd, kNewline, 200, 201}));
  EXPECT_EQ(f.events().back().kind, ForcingKind::kCap);
  EXPECT_EQ(f.thinking_tokens(), 2);
}

TEST(BudgetForcer, IgnoreStringThatFillsTheBudgetThenCaps) {
  const auto v = think_tags_vocab();
  BudgetForcer f({2, 0, 5, -1}, v, false);
  f.on_token(1, piece(1));
  const Decision d = f.on_token(kThinkEnd, "");
  EXPECT_EQ(d.inject, (TokenSeq{kWait, kNewline, kThinkEnd, kNewline, 200, 201}));
  ASSERT_EQ(f.events().size(), 2u);
  EXPECT_EQ(f.events()[0].kind, ForcingKind::kIgnore);
  EXPECT_EQ(f.events()[1].kind, ForcingKind::kCap);
  EXPECT_EQ(f.thinking_tokens(), 2);
}

TEST(BudgetForcer, IgnoreStringsAreUsedInTurn) {
  auto v = think_tags_vocab();
  v.ignore_strings = {{"Wait", {kWait}}, {"Hmm, let me", {301, 302, 303}}};
  BudgetForcer f({-1, 0, 3, -1}, v, false);
  EXPECT_EQ(f.on_token(kThinkEnd, "").inject, TokenSeq{kWait});
  EXPECT_EQ(f.on_token(kThinkEnd, "").inject, (TokenSeq{301, 302, 303}));
  EXPECT_EQ(f.on_token(kThinkEnd, "").inject, TokenSeq{kWait});
  EXPECT_EQ(f.thinking_tokens(), 5);
}

TEST(BudgetForcer, MultiTokenTriggerIsTakenBack) {
  auto v = think_tags_vocab();
  v.end_triggers = {{60, 61, 62}};  // "</reasoning>" in three tokens
  v.end_delimiter = {"</reasoning>", {60, 61, 62}};
  BudgetForcer f({-1, 0, 1, -1}, v, false);
  std::vector<Decision> ds;
  ds.push_back(f.on_token(1, "a"));
  ds.push_back(f.on_token(60, "</"));
  ds.push_back(f.on_token(61, "reason"));
  EXPECT_EQ(text_of(ds, Channel::kThinking), "a");  // the possible trigger is held back
  ds.push_back(f.on_token(62, "ing>"));
  EXPECT_FALSE(ds.back().keep_token);
  EXPECT_EQ(ds.back().retract, 2);
  EXPECT_EQ(ds.back().inject, TokenSeq{kWait});
  EXPECT_EQ(f.thinking_tokens(), 2);  // a Wait
  EXPECT_EQ(f.events()[0].retracted, 2);
  // A prefix that does not complete is shown after all.
  ds.push_back(f.on_token(60, "</"));
  ds.push_back(f.on_token(2, "b"));
  EXPECT_EQ(text_of(ds, Channel::kThinking), "aWait</b");
  // The natural end keeps the model's own delimiter tokens.
  f.on_token(60, "</");
  f.on_token(61, "reason");
  const Decision end = f.on_token(62, "ing>");
  EXPECT_TRUE(end.keep_token);
  EXPECT_EQ(end.retract, 0);
  EXPECT_TRUE(end.inject.empty());
  EXPECT_EQ(f.phase(), Phase::kAnswer);
  EXPECT_EQ(f.thinking_tokens(), 4);
}

TEST(BudgetForcer, MultiTokenDelimiterAfterForeignTrigger) {
  auto v = s1_vocab();
  v.end_delimiter = {"<|im_start|>answer\n", {kImStart, kAnswer, kNewline}};
  BudgetForcer f({-1, 0, 0, -1}, v, false);
  const Decision d = f.on_token(kImStart, "");
  EXPECT_TRUE(d.keep_token);
  EXPECT_EQ(d.inject, (TokenSeq{kAnswer, kNewline}));
}

TEST(BudgetForcer, Utf8SplitAcrossTokensIsHeldThenShown) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 0, 0, -1}, v, false);
  std::vector<Decision> ds;
  ds.push_back(f.on_token(1, "\xE4"));  // first byte of U+4F60
  EXPECT_EQ(text_of(ds, Channel::kThinking), "");
  ds.push_back(f.on_token(2, "\xBD\xA0"));
  EXPECT_EQ(text_of(ds, Channel::kThinking), "\xE4\xBD\xA0");
}

TEST(BudgetForcer, CapNeverCutsACharacter) {
  const auto v = think_tags_vocab();
  BudgetForcer f({3, 0, 0, -1}, v, false);
  std::vector<Decision> ds;
  ds.push_back(f.on_token(1, "a"));
  ds.push_back(f.on_token(2, "\xF0\x9F"));  // half of an emoji
  ds.push_back(f.on_token(3, "\x98"));      // still one byte short at the cap
  const Decision& cap = ds.back();
  EXPECT_FALSE(cap.keep_token);
  EXPECT_EQ(cap.retract, 1);
  EXPECT_EQ(f.thinking_tokens(), 1);
  EXPECT_EQ(f.events()[0].retracted, 2);
  EXPECT_EQ(text_of(ds, Channel::kThinking), "a");
}

TEST(BudgetForcer, EmptyIgnoreStringMasksTheTrigger) {
  auto v = think_tags_vocab();
  v.ignore_strings = {{"", {}}};
  BudgetForcer f({-1, 0, 1, -1}, v, false);
  const Decision d = f.on_token(kThinkEnd, "");
  EXPECT_FALSE(d.keep_token);
  EXPECT_TRUE(d.inject.empty());
  EXPECT_TRUE(d.mask_triggers);
}

TEST(BudgetForcer, AnswerEndsAtEogOrLimit) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 0, 0, 3}, v, false);
  f.on_token(kThinkEnd, "");
  std::vector<Decision> ds;
  ds.push_back(f.on_token(1, "a"));
  ds.push_back(f.on_token(2, "b"));
  EXPECT_FALSE(ds.back().done);
  ds.push_back(f.on_token(3, "c"));
  EXPECT_TRUE(ds.back().done);
  EXPECT_EQ(f.finish_reason(), FinishReason::kLength);
  EXPECT_EQ(f.answer_tokens(), 3);
  EXPECT_EQ(text_of(ds, Channel::kAnswer), "abc");

  BudgetForcer g({-1, 0, 0, -1}, v, false);
  g.on_token(kThinkEnd, "");
  g.on_token(1, "a");
  const Decision stop = g.on_token(kEog, "");
  EXPECT_TRUE(stop.done);
  EXPECT_FALSE(stop.keep_token);
  EXPECT_EQ(g.finish_reason(), FinishReason::kStop);
  EXPECT_THROW(g.on_token(1, "a"), std::logic_error);
}

TEST(BudgetForcer, FinishReleasesHeldText) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 0, 0, -1}, v, false);
  f.on_token(1, "\xE4");
  const Decision d = f.finish(FinishReason::kLength);
  ASSERT_EQ(d.output.size(), 1u);
  EXPECT_EQ(d.output[0].text, "\xEF\xBF\xBD");  // an unfinished character becomes U+FFFD
  EXPECT_EQ(f.phase(), Phase::kDone);
}

// Step markers "<n> left\n" as tokens {400 + n, newline}.
ForcingVocab steps_vocab(int max_steps) {
  ForcingVocab v = think_tags_vocab();
  for (int n = 0; n <= max_steps; ++n) {
    v.step_markers.push_back({std::to_string(n) + " left\n", {400 + n, kNewline}});
  }
  return v;
}

BudgetRules step_rules(int step_tokens, int max_steps, bool force_end = true) {
  BudgetRules r;
  r.step_tokens = step_tokens;
  r.max_steps = max_steps;
  r.steps_force_end = force_end;
  return r;
}

TEST(BudgetRules, StepsNeedBothLengthAndCount) {
  EXPECT_THROW(step_rules(100, -1).validate(), std::invalid_argument);
  EXPECT_THROW(step_rules(0, 3).validate(), std::invalid_argument);
  EXPECT_THROW(step_rules(-1, -1).validate(), std::invalid_argument);
  EXPECT_NO_THROW(step_rules(100, 0).validate());
}

TEST(StepMarker, FormatsTheCount) {
  EXPECT_EQ(format_step_marker("{n} steps left\n", 12), "12 steps left\n");
  EXPECT_EQ(format_step_marker("<|im_start|>{n}", 0), "<|im_start|>0");
  EXPECT_THROW(format_step_marker("steps left", 1), std::invalid_argument);
}

TEST(BudgetForcer, StepsNeedAMarkerForEveryCount) {
  const auto v = steps_vocab(2);
  EXPECT_THROW(BudgetForcer(step_rules(4, 3), v, true), std::invalid_argument);
  EXPECT_NO_THROW(BudgetForcer(step_rules(4, 2), v, true));
}

// A step no longer than its marker ("\n1 left\n": 3 tokens) would leave the model no
// token of its own: refused, naming the step length.
TEST(BudgetForcer, StepsMustBeLongerThanTheirMarkers) {
  const auto v = steps_vocab(2);
  try {
    check_step_markers(step_rules(3, 2), v);
    FAIL() << "a step as long as its marker was accepted";
  } catch (const RequestError& e) {
    EXPECT_EQ(e.field(), "step_tokens");
    EXPECT_NE(std::string(e.what()).find("not longer than their step marker (3 tokens"),
              std::string::npos)
        << e.what();
  }
  EXPECT_NO_THROW(check_step_markers(step_rules(4, 2), v));
  EXPECT_NO_THROW(check_step_markers(step_rules(1, 0), v));  // no step to take
}

// The model's one token of a step is shown before the next marker, which starts on a new
// line of its own.
TEST(BudgetForcer, AMarkerAfterOneModelTokenStartsOnANewLine) {
  const auto v = steps_vocab(3);
  BudgetForcer f(step_rules(4, 3), v, true);
  std::vector<Decision> ds;
  ds.push_back(f.begin());
  for (Token t : {1, 2, 3}) ds.push_back(f.on_token(t, piece(t)));
  EXPECT_EQ(text_of(ds, Channel::kThinking), "3 left\nab\n2 left\nc\n1 left\n");
  ASSERT_EQ(f.events().size(), 3u);
  EXPECT_EQ(f.events()[2].thinking_tokens, 8);  // at the step boundary
  EXPECT_EQ(f.events()[2].text, "\n1 left\n");
}

TEST(BudgetForcer, StepsCountDownAndCloseAtZero) {
  const auto v = steps_vocab(2);
  BudgetForcer f(step_rules(5, 2), v, true);
  EXPECT_EQ(f.steps_left(), 2);
  std::vector<Decision> ds;
  ds.push_back(f.begin());
  EXPECT_EQ(ds.back().inject, (TokenSeq{402, kNewline}));  // the prompt ends with "\n"
  EXPECT_EQ(f.thinking_tokens(), 2);  // the marker is part of the first step
  EXPECT_EQ(f.tokens_to_next_step(), 3);
  ds.push_back(f.on_token(1, piece(1)));
  ds.push_back(f.on_token(2, piece(2)));
  EXPECT_TRUE(ds.back().inject.empty());
  EXPECT_EQ(f.tokens_to_next_step(), 1);
  ds.push_back(f.on_token(3, piece(3)));
  EXPECT_TRUE(ds.back().keep_token);
  EXPECT_EQ(ds.back().inject, (TokenSeq{kNewline, 401, kNewline}));
  EXPECT_EQ(f.steps_left(), 1);
  EXPECT_EQ(f.thinking_tokens(), 8);
  EXPECT_EQ(f.tokens_to_next_step(), 2);
  ds.push_back(f.on_token(4, piece(4)));
  EXPECT_EQ(f.phase(), Phase::kThinking);
  ds.push_back(f.on_token(5, piece(5)));
  EXPECT_EQ(ds.back().inject, (TokenSeq{kNewline, kThinkEnd, kNewline, 200, 201}));
  EXPECT_EQ(f.phase(), Phase::kAnswer);
  EXPECT_EQ(f.thinking_tokens(), 10);  // two steps of five
  EXPECT_EQ(f.steps_left(), 0);
  EXPECT_EQ(f.tokens_to_next_step(), -1);
  EXPECT_EQ(text_of(ds, Channel::kThinking), "2 left\nabc\n1 left\nde");
  ASSERT_EQ(f.events().size(), 3u);
  EXPECT_EQ(f.events()[0].kind, ForcingKind::kStep);
  EXPECT_EQ(f.events()[0].thinking_tokens, 0);
  EXPECT_EQ(f.events()[1].kind, ForcingKind::kStep);
  EXPECT_EQ(f.events()[1].thinking_tokens, 5);
  EXPECT_EQ(f.events()[1].text, "\n1 left\n");
  EXPECT_EQ(f.events()[2].kind, ForcingKind::kCap);
  EXPECT_EQ(f.events()[2].reason, "max_steps");
}

TEST(BudgetForcer, ACapAtTheLastStepBoundaryIsTheStepsEnd) {
  const auto v = steps_vocab(1);
  BudgetRules r = step_rules(4, 1);
  r.max_think = 4;
  BudgetForcer f(r, v, true);
  f.begin();
  f.on_token(1, "a");
  f.on_token(2, "b");
  EXPECT_EQ(f.events().back().kind, ForcingKind::kCap);
  EXPECT_EQ(f.events().back().reason, "max_steps");
  EXPECT_EQ(f.steps_left(), 0);
}

TEST(BudgetForcer, ZeroStepsClosesAtOnce) {
  const auto v = steps_vocab(0);
  BudgetForcer f(step_rules(3, 0), v, true);
  const Decision d = f.begin();
  EXPECT_EQ(d.inject, (TokenSeq{kThinkEnd, kNewline, 200, 201}));
  EXPECT_EQ(f.phase(), Phase::kAnswer);
}

TEST(BudgetForcer, UnforcedStepsSayZeroThenLetTheModelGoOn) {
  const auto v = steps_vocab(1);
  BudgetForcer f(step_rules(4, 1, false), v, true);
  std::vector<Decision> ds;
  ds.push_back(f.begin());
  ds.push_back(f.on_token(1, piece(1)));
  ds.push_back(f.on_token(2, piece(2)));
  EXPECT_EQ(ds.back().inject, (TokenSeq{kNewline, 400, kNewline}));
  for (int t = 3; t <= 8; ++t) {
    ds.push_back(f.on_token(t, piece(t)));
    EXPECT_TRUE(ds.back().inject.empty());  // no markers past zero
  }
  ds.push_back(f.on_token(kThinkEnd, ""));
  EXPECT_EQ(f.phase(), Phase::kAnswer);
  EXPECT_EQ(f.events().back().kind, ForcingKind::kEnd);
  EXPECT_EQ(text_of(ds, Channel::kThinking), "1 left\nab\n0 left\ncdefgh");
}

TEST(BudgetForcer, StepMarkerWaitsForAPossibleTrigger) {
  auto v = steps_vocab(2);
  v.end_triggers = {{60, 61}};
  v.end_delimiter = {"</r>", {60, 61}};
  BudgetForcer f(step_rules(4, 2), v, true);
  f.begin();
  f.on_token(1, "a");
  // The step is full, but "</" may begin the trigger: no marker inside it.
  EXPECT_TRUE(f.on_token(60, "</").inject.empty());
  const Decision d = f.on_token(2, "b");
  EXPECT_EQ(d.inject, (TokenSeq{kNewline, 401, kNewline}));
  EXPECT_EQ(f.steps_left(), 1);
  EXPECT_EQ(f.thinking_tokens(), 8);
  EXPECT_EQ(f.tokens_to_next_step(), 0);  // the late marker does not move the next boundary
}

TEST(BudgetForcer, StepMarkerThatWouldUseUpTheCapCaps) {
  const auto v = steps_vocab(3);
  BudgetRules r = step_rules(4, 3);
  r.max_think = 6;
  BudgetForcer f(r, v, true);
  f.begin();  // 2 tokens
  f.on_token(1, "a");
  const Decision d = f.on_token(2, "b");  // 4 + "\n2 left\n" would reach 7
  EXPECT_EQ(d.inject, (TokenSeq{kNewline, kThinkEnd, kNewline, 200, 201}));
  EXPECT_EQ(f.events().back().kind, ForcingKind::kCap);
  EXPECT_EQ(f.events().back().reason, "max_think");
}

TEST(BudgetForcer, ZeroAnswerBudgetEndsWithThinking) {
  const auto v = think_tags_vocab();
  BudgetForcer f({1, 0, 0, 0}, v, false);
  const Decision d = f.on_token(1, "a");
  EXPECT_TRUE(d.done);
  EXPECT_EQ(f.phase(), Phase::kDone);
}

TEST(BudgetForcer, ThinkingOffStartsInTheAnswerAndForcesNothing) {
  const auto v = steps_vocab(2);
  // Every thinking rule at once: a cap of 0, a floor, ignores and steps.
  BudgetRules rules = step_rules(2, 2);
  rules.max_think = 0;
  rules.num_ignore = 2;
  BudgetForcer f(rules, v, false, Phase::kAnswer);
  EXPECT_TRUE(f.thinking_off());
  EXPECT_EQ(f.phase(), Phase::kAnswer);
  EXPECT_EQ(f.steps_left(), -1);
  EXPECT_EQ(f.tokens_to_next_step(), -1);
  std::vector<Decision> ds;
  ds.push_back(f.begin());
  EXPECT_TRUE(ds.back().inject.empty());
  EXPECT_FALSE(ds.back().done);
  // The end delimiter in the answer is answer text, not an attempt to end thinking.
  for (Token t : {1, 2, kThinkEnd, 3}) {
    ds.push_back(f.on_token(t, t == kThinkEnd ? "</think>" : piece(t)));
    EXPECT_TRUE(ds.back().keep_token);
    EXPECT_TRUE(ds.back().inject.empty());
  }
  ds.push_back(f.on_token(kEog, ""));
  EXPECT_TRUE(ds.back().done);
  EXPECT_FALSE(ds.back().keep_token);
  EXPECT_EQ(f.finish_reason(), FinishReason::kStop);
  EXPECT_TRUE(f.events().empty());
  EXPECT_EQ(f.thinking_tokens(), 0);
  EXPECT_EQ(f.answer_tokens(), 4);
  EXPECT_EQ(f.end_attempts(), 0);
  EXPECT_EQ(text_of(ds, Channel::kThinking), "");
  EXPECT_EQ(text_of(ds, Channel::kAnswer), "ab</think>c");
}

TEST(BudgetForcer, ThinkingOffKeepsTheAnswerCap) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 0, 0, 2}, v, false, Phase::kAnswer);
  f.begin();
  EXPECT_FALSE(f.on_token(1, "a").done);
  EXPECT_TRUE(f.on_token(2, "b").done);
  EXPECT_EQ(f.finish_reason(), FinishReason::kLength);

  BudgetForcer none({-1, 0, 0, 0}, v, false, Phase::kAnswer);
  EXPECT_TRUE(none.begin().done);  // an answer budget of 0: nothing to generate
  EXPECT_EQ(none.phase(), Phase::kDone);
  EXPECT_TRUE(none.events().empty());
}

TEST(BudgetForcer, EndThinkingIsANaturalEndOnceMinThinkIsReached) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 3, 0, -1}, v, false);
  std::vector<Decision> ds;
  ds.push_back(f.on_token(1, piece(1)));
  ds.push_back(f.on_token(2, piece(2)));
  EXPECT_FALSE(f.can_end_thinking());
  const Decision early = f.end_thinking("consistent");  // before min_think: nothing happens
  EXPECT_EQ(early.event, -1);
  EXPECT_FALSE(early.keep_token);
  EXPECT_EQ(early.retract, 0);
  EXPECT_TRUE(early.inject.empty());
  EXPECT_FALSE(early.done);
  EXPECT_EQ(f.phase(), Phase::kThinking);
  EXPECT_TRUE(f.events().empty());
  ds.push_back(f.on_token(3, piece(3)));
  ASSERT_TRUE(f.can_end_thinking());
  ds.push_back(f.end_thinking("consistent"));
  const Decision& d = ds.back();
  EXPECT_FALSE(d.keep_token);  // no sampled token in play
  EXPECT_EQ(d.retract, 0);
  EXPECT_EQ(d.inject, (TokenSeq{kNewline, kThinkEnd}));  // no "Final Answer:": the model answers
  EXPECT_FALSE(d.done);
  EXPECT_EQ(f.phase(), Phase::kAnswer);
  ASSERT_EQ(f.events().size(), 1u);
  EXPECT_EQ(d.event, 0);
  EXPECT_EQ(f.events()[0].kind, ForcingKind::kExit);
  EXPECT_STREQ(to_string(ForcingKind::kExit), "exit");
  EXPECT_EQ(f.events()[0].reason, "consistent");
  EXPECT_EQ(f.events()[0].thinking_tokens, 3);
  EXPECT_EQ(f.events()[0].text, "\n</think>");
  EXPECT_EQ(text_of(ds, Channel::kThinking), "abc");
  EXPECT_EQ(text_of(ds, Channel::kDelimiter), "\n</think>");
  // The answer phase goes on as after the model's own end.
  ds.push_back(f.on_token(4, piece(4)));
  EXPECT_EQ(f.answer_tokens(), 1);
  EXPECT_EQ(text_of(ds, Channel::kAnswer), "d");
  // Thinking is over: a second exit does nothing.
  EXPECT_EQ(f.end_thinking("client").event, -1);
  EXPECT_EQ(f.events().size(), 1u);
}

TEST(BudgetForcer, EndThinkingAddsNoNewlineAfterOne) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 0, 0, -1}, v, false);
  f.on_token(1, piece(1));
  f.on_token(kNewline, "\n");
  EXPECT_EQ(f.end_thinking("confident").inject, TokenSeq{kThinkEnd});
}

TEST(BudgetForcer, EndThinkingWithTheProbedAnswerEnds) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 0, 0, 100}, v, false);
  std::vector<Decision> ds;
  ds.push_back(f.on_token(1, piece(1)));
  const ForcedText answer{" \\boxed{42}", {400, 401}};
  ds.push_back(f.end_thinking("consistent", &answer));
  const Decision& d = ds.back();
  EXPECT_EQ(d.inject, (TokenSeq{kNewline, kThinkEnd, kNewline, 200, 201, 400, 401}));
  EXPECT_TRUE(d.done);
  EXPECT_EQ(f.phase(), Phase::kDone);
  EXPECT_EQ(f.finish_reason(), FinishReason::kStop);
  EXPECT_EQ(text_of(ds, Channel::kAnswer), "\nFinal Answer: \\boxed{42}");
  EXPECT_EQ(f.events()[0].text, "\n</think>\nFinal Answer: \\boxed{42}");
  EXPECT_EQ(f.answer_tokens(), 0);  // forced, not sampled
}

TEST(BudgetForcer, EndThinkingIsANoOpAfterTheCapOrWithThinkingOff) {
  const auto v = think_tags_vocab();
  BudgetForcer capped({2, 0, 0, -1}, v, false);
  capped.on_token(1, piece(1));
  capped.on_token(2, piece(2));
  ASSERT_EQ(capped.phase(), Phase::kAnswer);
  EXPECT_FALSE(capped.can_end_thinking());
  EXPECT_EQ(capped.end_thinking("consistent").event, -1);
  EXPECT_EQ(capped.events().size(), 1u);
  EXPECT_EQ(capped.events()[0].kind, ForcingKind::kCap);
  BudgetForcer off({-1, 0, 0, -1}, v, true, Phase::kAnswer);
  const Decision d = off.end_thinking("client");
  EXPECT_EQ(d.event, -1);
  EXPECT_TRUE(d.inject.empty());
  EXPECT_TRUE(off.events().empty());
}

TEST(BudgetForcer, EndThinkingTakesBackAHeldTriggerPrefix) {
  auto v = think_tags_vocab();
  v.end_triggers = {{60, 61, 62}};  // "</reasoning>" in three tokens; the delimiter differs
  BudgetForcer f({-1, 0, 0, -1}, v, false);
  std::vector<Decision> ds;
  ds.push_back(f.on_token(1, "a"));
  ds.push_back(f.on_token(60, "</"));
  ds.push_back(f.on_token(61, "reason"));
  ds.push_back(f.end_thinking("confident"));
  EXPECT_EQ(ds.back().retract, 2);
  EXPECT_EQ(ds.back().inject, (TokenSeq{kNewline, kThinkEnd}));
  EXPECT_EQ(f.thinking_tokens(), 1);
  EXPECT_EQ(f.events()[0].retracted, 2);
  EXPECT_EQ(text_of(ds, Channel::kThinking), "a");
}

TEST(BudgetForcer, EndThinkingKeepsAHeldDelimiterStart) {
  auto v = think_tags_vocab();
  v.end_triggers = {{60, 61, 62}};
  v.end_delimiter = {"</reasoning>", {60, 61, 62}};
  BudgetForcer f({-1, 0, 0, -1}, v, false);
  std::vector<Decision> ds;
  ds.push_back(f.on_token(1, "a"));
  ds.push_back(f.on_token(60, "</"));
  ds.push_back(f.on_token(61, "reason"));
  ds.push_back(f.end_thinking("consistent"));
  EXPECT_EQ(ds.back().retract, 0);
  EXPECT_EQ(ds.back().inject, TokenSeq{62});  // no newline inside the delimiter
  EXPECT_EQ(f.thinking_tokens(), 1);
  EXPECT_EQ(text_of(ds, Channel::kThinking), "a");
  EXPECT_EQ(text_of(ds, Channel::kDelimiter), "</reasoning>");
}

TEST(BudgetForcer, EndThinkingNeverCutsACharacter) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 0, 0, -1}, v, false);
  std::vector<Decision> ds;
  ds.push_back(f.on_token(1, "a"));
  ds.push_back(f.on_token(2, "\xF0\x9F"));  // half of an emoji
  ds.push_back(f.end_thinking("client"));
  EXPECT_EQ(ds.back().retract, 1);
  EXPECT_EQ(f.thinking_tokens(), 1);
  EXPECT_EQ(text_of(ds, Channel::kThinking), "a");
}

TEST(BudgetForcer, MinThinkCountsWithoutTheTokensAnExitTakesBack) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 2, 0, -1}, v, false);
  f.on_token(1, "a");
  f.on_token(2, "\xF0\x9F");  // 2 tokens, but the exit would take one back
  EXPECT_FALSE(f.can_end_thinking());
  EXPECT_EQ(f.end_thinking("consistent").event, -1);
  f.on_token(3, "\x98\x80");
  EXPECT_TRUE(f.can_end_thinking());
}

TEST(BudgetForcer, AnExitWinsOverIgnoringAnAttemptAtTheSamePoint) {
  const auto v = think_tags_vocab();
  // Applied before the step's sampled token (which the engine then drops): no ignore.
  BudgetForcer first({-1, 0, 1, -1}, v, false);
  first.on_token(1, "a");
  const Decision d = first.end_thinking("consistent");
  EXPECT_EQ(d.inject, (TokenSeq{kNewline, kThinkEnd}));
  EXPECT_EQ(first.end_attempts(), 0);
  ASSERT_EQ(first.events().size(), 1u);
  EXPECT_EQ(first.events()[0].kind, ForcingKind::kExit);
  // A token fed first and ignored keeps its ignore string; the exit follows it.
  BudgetForcer late({-1, 0, 1, -1}, v, false);
  late.on_token(1, "a");
  EXPECT_EQ(late.on_token(kThinkEnd, "</think>").inject, TokenSeq{kWait});
  EXPECT_EQ(late.end_thinking("consistent").inject, (TokenSeq{kNewline, kThinkEnd}));
  ASSERT_EQ(late.events().size(), 2u);
  EXPECT_EQ(late.events()[1].kind, ForcingKind::kExit);
  EXPECT_EQ(late.events()[1].thinking_tokens, 2);  // a Wait
}

// The engine's sequence after the prompt, built by carrying decisions out as the
// scheduler does (take back `retract` decoded tokens, keep the sampled token or not, feed
// `inject`), beside the tokens of every chunk shown: the two must be the same.
struct TokenTrail {
  TokenSeq held, shown;
  void apply(const Decision& d, const Token* sampled = nullptr) {
    held.resize(held.size() - static_cast<size_t>(d.retract));
    if (sampled && d.keep_token) held.push_back(*sampled);
    held.insert(held.end(), d.inject.begin(), d.inject.end());
    for (const auto& chunk : d.output) shown.insert(shown.end(), chunk.tokens.begin(), chunk.tokens.end());
  }
  void token(BudgetForcer& f, Token t, const std::string& text) { apply(f.on_token(t, text), &t); }
};

TEST(BudgetForcer, ChunkTokensAreTheTokensTheSequenceHolds) {
  auto multi = think_tags_vocab();
  multi.end_triggers = {{60, 61, 62}};  // "</reasoning>" in three tokens
  multi.end_delimiter = {"</reasoning>", {60, 61, 62}};
  auto s1 = s1_vocab();
  const auto tags = think_tags_vocab();
  const auto steps = steps_vocab(2);
  const ForcedText answer{"42", {4, 2}};
  auto check = [](const char* name, BudgetForcer f, const std::function<void(BudgetForcer&, TokenTrail&)>& run) {
    SCOPED_TRACE(name);
    TokenTrail trail;
    trail.apply(f.begin());
    run(f, trail);
    if (f.phase() != Phase::kDone) trail.apply(f.finish(FinishReason::kLength));
    EXPECT_FALSE(trail.held.empty());
    EXPECT_EQ(trail.shown, trail.held);
  };
  // Ignored once (the trigger dropped, "Wait" fed), then a natural end keeping "</think>".
  check("ignore", BudgetForcer({-1, 0, 1, -1}, tags, false), [](BudgetForcer& f, TokenTrail& t) {
    for (Token x : {1, 2, kThinkEnd, 3, kThinkEnd, 4, 5}) t.token(f, x, piece(x));
    t.token(f, kEog, "");
  });
  // The cap lands inside a character: its tokens are taken back, then the closing is fed.
  check("cap", BudgetForcer({3, 0, 0, 3}, tags, false), [](BudgetForcer& f, TokenTrail& t) {
    t.token(f, 1, "a");
    t.token(f, 2, "\xE4");
    t.token(f, 3, "\xBD");
    for (Token x : {4, 5, 6}) t.token(f, x, piece(x));
  });
  // A three-token trigger ignored (taken back), a prefix that is not one, then kept.
  check("multi-token trigger", BudgetForcer({-1, 0, 1, 2}, multi, false), [](BudgetForcer& f, TokenTrail& t) {
    for (Token x : {1, 60, 61, 62, 60, 2, 60, 61, 62, 4, 5}) t.token(f, x, x >= 60 ? "<" : piece(x));
  });
  // The s1 trigger begins a two-token delimiter; an end-of-generation token gets all of it.
  check("kept trigger", BudgetForcer({-1, 0, 1, -1}, s1, false), [](BudgetForcer& f, TokenTrail& t) {
    for (Token x : {1, kEog, 2, kImStart, 3}) t.token(f, x, piece(x));
  });
  check("step markers", BudgetForcer(step_rules(4, 2), steps, false), [](BudgetForcer& f, TokenTrail& t) {
    for (Token x : {1, 2, 3, 4, 5, 6, 7, 8}) t.token(f, x, piece(x));
  });
  // Exits: keeping a held delimiter start, dropping half a character, giving an answer.
  check("exit keeps", BudgetForcer({-1, 0, 0, -1}, multi, false), [](BudgetForcer& f, TokenTrail& t) {
    for (Token x : {1, 60, 61}) t.token(f, x, x >= 60 ? "<" : piece(x));
    t.apply(f.end_thinking("client"));
    t.token(f, 7, piece(7));
  });
  check("exit drops", BudgetForcer({-1, 0, 0, -1}, tags, false), [](BudgetForcer& f, TokenTrail& t) {
    t.token(f, 1, "a");
    t.token(f, 2, "\xF0\x9F");
    t.apply(f.end_thinking("client"));
    t.token(f, 7, piece(7));
  });
  check("exit answers", BudgetForcer({-1, 0, 0, -1}, tags, false), [&answer](BudgetForcer& f, TokenTrail& t) {
    t.token(f, 1, "a");
    t.apply(f.end_thinking("consistent", &answer));
  });
}

TEST(BudgetForcer, StartsThinkingByDefaultAndNeverFinished) {
  const auto v = think_tags_vocab();
  BudgetForcer f({-1, 0, 0, -1}, v, false);
  EXPECT_FALSE(f.thinking_off());
  EXPECT_EQ(f.phase(), Phase::kThinking);
  EXPECT_THROW(BudgetForcer({-1, 0, 0, -1}, v, false, Phase::kDone), std::invalid_argument);
}

}  // namespace
}  // namespace s1
