// Budget forcing (s1, Muennighoff et al. 2025) as a pure state machine: tokens in,
// decisions out. It knows nothing of llama.cpp; the engine feeds it every sampled token
// of one sequence and carries out what it decides (keep or drop the token, remove
// tokens already in the KV cache, feed forced tokens as one batch).
//
// Rules, all counted in thinking tokens (tokens between the thinking delimiters, the
// model's own plus inserted ignore strings):
//  - cap (max_think N): once thinking holds N tokens, append "\n" (unless the thinking
//    text ends with one), the end delimiter and the cap suffix ("\nFinal Answer:"), then
//    answer. A character split across tokens is never cut: its partial tokens are taken
//    back first, so thinking may end a token or three short of N.
//  - extend: an attempt to end thinking is the model sampling an end trigger sequence or
//    an end-of-generation token. Attempt number i (from 1) is ignored when i <= num_ignore
//    or when thinking holds fewer than min_think tokens: the trigger is dropped and the
//    next ignore string (used in turn) is appended. An ignore string that would carry
//    thinking past the cap becomes the cap instead. With an empty ignore string the
//    triggers are masked for the next sample, so a greedy model cannot loop.
//  - natural end: an attempt not ignored drops the trigger and appends the end delimiter
//    (a trigger that is the delimiter's own start is kept, and only the rest appended).
//  - steps (step_tokens S, max_steps K): step-conditional control with a steps-left
//    marker, as in the s1 reference. begin() appends the marker for K steps left; each
//    time thinking reaches another multiple of S tokens (markers count, so K steps are
//    K * S thinking tokens) the count drops by one and the marker for the new count is
//    appended on a line of its own. At 0 steps left thinking closes as a cap
//    (steps_force_end) or the "0" marker is appended and thinking goes on unforced. A
//    marker is never put inside a character or a possible trigger: it waits for the
//    next clean token, and later boundaries stay where they were.
//  - exit (end_thinking): thinking ended from outside, between tokens: an adaptive exit
//    (adaptive_exit.h: "consistent", "confident") or a client's request ("client").
//    Thinking was cut where it stood, so as at the cap: "\n" unless the text ends with
//    one, then the delimiter; then the model answers, as after a natural end. Given an
//    answer (the probed one), the cap suffix and that answer follow and the sequence ends
//    (stop): the answer is settled, and more text could only contradict it.
//    Precedence: never before min_think (a no-op; can_end_thinking() says whether it
//    would act); only while thinking, so after the cap, a natural end, or with thinking
//    off it is a no-op; the cap still holds (an exit only comes earlier). An exit and an
//    end attempt at the same point: the exit wins over ignoring the attempt, because the
//    answer is settled. The engine applies end_thinking before it feeds that step's
//    sampled token and drops the token (it was drawn before the delimiter); a token fed
//    first and ignored leaves its ignore string in the text, then the exit follows it.
//    Held tokens that begin the delimiter are kept and the rest appended; other held
//    tokens (a possible trigger, half a character) are taken back.
//  - answer: ends at an end-of-generation token (not fed) or after max_answer tokens.
//  - thinking off: a prompt that closes thinking itself (a chat template with thinking
//    switched off) starts the forcer in the answer phase. There is no thinking to
//    budget, so the thinking rules (cap, floor, ignores, steps) do not apply: nothing is
//    forced, no event is raised, and thinking_off() says so for reports.
//
// Text: every decision carries the text to show, split into channels. Tokens that may
// still turn out to be part of a multi-token trigger, or that end inside a UTF-8
// character, are held back until that is settled, so retracted text is never shown.
// The cap's "\n" before the delimiter is shown in the delimiter channel: it closes
// thinking and is not part of it (a cap of 0 shows no thinking at all).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/request_error.h"

namespace s1 {

using Token = int32_t;
using TokenSeq = std::vector<Token>;

// A forced piece of text and its tokens.
struct ForcedText {
  std::string text;
  TokenSeq tokens;
};

// What the forcer needs of the vocabulary, tokenized once by the engine.
struct ForcingVocab {
  std::vector<TokenSeq> end_triggers;  // sampled sequences that mean "end thinking"
  TokenSeq end_of_generation;          // EOS/EOT tokens
  ForcedText end_delimiter;            // closes thinking, e.g. "</think>"
  ForcedText newline;                  // "\n", put before the delimiter at the cap if needed
  ForcedText cap_suffix;               // after the delimiter at the cap, e.g. "\nFinal Answer:"
  std::vector<ForcedText> ignore_strings;  // appended in turn when an attempt is ignored
  std::vector<ForcedText> step_markers;    // [n]: the marker for n steps left
};

// The steps-left marker for `steps`: `pattern` with "{n}" replaced by the number.
// Throws std::invalid_argument if the pattern has no "{n}".
std::string format_step_marker(const std::string& pattern, int steps);

// Throws RequestError (kInvalid, field "step_tokens") when `rules` take steps that
// `vocab` has no markers for, or a step that is not longer than its marker with the
// newline put before it (markers count as thinking, so the model would get no token of
// its own in such a step). No-op without steps.
struct BudgetRules;
void check_step_markers(const BudgetRules& rules, const ForcingVocab& vocab);

// Per-sequence budget. Negative max values mean "no limit".
struct BudgetRules {
  int max_think = -1;
  int min_think = 0;
  int num_ignore = 0;
  int max_answer = -1;
  int step_tokens = 0;          // thinking tokens per step; 0 = no steps
  int max_steps = -1;           // steps allowed; required when step_tokens > 0
  bool steps_force_end = true;  // at 0 steps left: close thinking, or just say so

  // Throws RequestError (kInvalid, naming the rule at fault) with a one-line message for
  // negative min_think, num_ignore or step_tokens, min_think above a set max_think, or
  // step_tokens and max_steps not set together.
  void validate() const;
};

enum class Phase { kThinking, kAnswer, kDone };
enum class Channel { kThinking, kDelimiter, kAnswer };
enum class ForcingKind { kIgnore, kCap, kEnd, kStep, kExit };
// Why a sequence ended: kStop (end of generation), kLength (a budget ran out), kContext
// (its share of the context ran out), kCancelled (cancelled before the end), kError (a
// remote server failed); kNone while it runs. The forcer decides the first two, the
// backends the others. Strings (to_string) only at the edges: JSON, metrics, text.
enum class FinishReason { kNone, kStop, kLength, kContext, kCancelled, kError };

const char* to_string(ForcingKind kind);
const char* to_string(FinishReason reason);

struct ForcingEvent {
  ForcingKind kind;
  int thinking_tokens;  // thinking tokens before the event
  std::string reason;   // kIgnore: "num_ignore" | "min_think";
                        // kCap: "max_think" | "max_steps"; kStep: "step_tokens";
                        // kEnd: "trigger" | "end_of_generation";
                        // kExit: "consistent" | "confident" | "client" (end_thinking's)
  std::string text;     // what was appended (without a kept trigger)
  int retracted = 0;    // thinking tokens taken back (a trigger's leading tokens, or a split
                        // character's at the cap): they no longer count
};

// Text to show and the tokens that make it, as the sequence holds them: released
// sampled tokens, a forced string's tokens, or for the end delimiter all of its tokens (a
// kept trigger included). A decision's chunks, over a sequence's life, hold exactly the
// tokens after the prompt that the engine holds once it has carried the decisions out
// (keep_token, retract, inject), the last kept token included even when it ends the
// sequence undecoded. A chunk may have tokens and no text (a token whose piece is empty).
struct TextChunk {
  Channel channel;
  std::string text;
  bool forced;  // inserted by a rule, not sampled
  TokenSeq tokens;
};

// What the engine does after one step, in this order: drop the sampled token unless
// `keep_token`; remove the last `retract` decoded tokens; decode `inject`; stop when
// `done`. `mask_triggers` asks to mask end triggers and end-of-generation tokens for the
// next sample only.
struct Decision {
  bool keep_token = true;
  int retract = 0;
  TokenSeq inject;
  bool mask_triggers = false;
  bool done = false;
  std::vector<TextChunk> output;
  int event = -1;  // index into BudgetForcer::events() of the event this step raised
};

// One sequence's budget state. Not thread-safe; cheap to copy.
class BudgetForcer {
 public:
  // `vocab` must outlive the forcer. `text_ends_with_newline`: whether the prompt ends
  // with "\n". `start`: kThinking when the prompt opens thinking, kAnswer when it has
  // closed it (thinking off: only max_answer applies). Throws std::invalid_argument if
  // the rules are invalid, `start` is kDone, the vocabulary has no end delimiter tokens,
  // or it has fewer than max_steps + 1 step markers when steps are on.
  BudgetForcer(const BudgetRules& rules, const ForcingVocab& vocab, bool text_ends_with_newline,
               Phase start = Phase::kThinking);

  // Before the first sample: a cap of 0 closes thinking at once; with steps, appends
  // the first steps-left marker; with thinking off, an answer budget of 0 ends at once.
  Decision begin();

  // One sampled token and its text piece. Must not be called once phase() is kDone.
  Decision on_token(Token token, std::string_view piece);

  // Ends thinking from outside, between tokens: after the previous decision was carried
  // out, before the next sampled token is fed (the engine then drops that token). See
  // "exit" above. `retract` counts decoded tokens, as for on_token; `keep_token` is
  // false: no sampled token is kept (a draw of this step is dropped). With `answer`,
  // `done` is set and nothing needs decoding. Unless can_end_thinking(), a no-op: no
  // event, nothing injected or taken back, not done (and still keep_token false).
  Decision end_thinking(const std::string& reason, const ForcedText* answer = nullptr);
  // Whether end_thinking() would act now: thinking, with at least min_think tokens
  // (not counting held tokens it would take back).
  bool can_end_thinking() const;

  // Ends the sequence from outside (context full, client gone): releases held text.
  Decision finish(FinishReason reason);

  Phase phase() const { return phase_; }
  // The prompt closed thinking: the sequence started in the answer phase.
  bool thinking_off() const { return thinking_off_; }
  FinishReason finish_reason() const { return finish_reason_; }
  const std::vector<ForcingEvent>& events() const { return events_; }
  int thinking_tokens() const { return thinking_tokens_; }
  int answer_tokens() const { return answer_tokens_; }
  int end_attempts() const { return end_attempts_; }
  // Steps left (-1 without steps).
  int steps_left() const { return steps_left_; }
  // Thinking tokens until the next steps-left marker is due, or -1 when none is.
  int tokens_to_next_step() const;
  // Whether `token` is one of the vocabulary's end-of-generation tokens.
  bool is_end_of_generation(Token token) const;

 private:
  struct Held {
    Token token;
    std::string piece;
  };

  Decision on_thinking_token(Token token, std::string_view piece);
  Decision on_answer_token(Token token, std::string_view piece);
  Decision on_end_attempt(Token sampled, int matched_held, bool end_of_generation, Decision d);
  // Closes thinking: optional newline, delimiter (less a kept trigger prefix), suffix,
  // and with `answer` that answer, ending the sequence.
  void close_thinking(Decision& d, ForcingKind kind, const std::string& reason,
                      int kept_trigger_tokens, int retracted, const ForcedText* answer = nullptr);
  // Held tokens at the end that end_thinking keeps as the delimiter's start (`kept`) or
  // takes back (`dropped`: a possible trigger or half a character); one is 0.
  struct HeldTail {
    size_t kept = 0;
    size_t dropped = 0;
  };
  HeldTail held_tail_at_exit() const;
  // Appends the marker for steps_left_ (after a newline if needed), or caps if it would
  // use up max_think.
  void append_step_marker(Decision& d);
  // Thinking tokens at which the current step ends.
  int next_step_boundary() const;
  void append_forced(Decision& d, Channel channel, const ForcedText& text);
  void emit(Decision& d, Channel channel, std::string_view text, const TokenSeq& tokens);
  // Releases held tokens from the front that can no longer be part of a trigger or a
  // split character; `all` releases everything.
  void release_held(Decision& d, bool all);
  // Length of a trigger matching the end of held tokens + `token`, or 0.
  int trigger_match(Token token) const;
  // Number of trailing held tokens that form a proper prefix of some trigger.
  size_t trigger_prefix_length() const;
  size_t incomplete_char_tokens() const;

  BudgetRules rules_;
  const ForcingVocab* vocab_;
  Phase phase_ = Phase::kThinking;
  FinishReason finish_reason_ = FinishReason::kNone;
  std::vector<ForcingEvent> events_;
  std::vector<Held> held_;  // decoded thinking tokens whose text is not shown yet
  int thinking_tokens_ = 0;
  int answer_tokens_ = 0;
  int end_attempts_ = 0;
  int ignores_ = 0;
  int steps_left_ = -1;
  bool ends_with_newline_;
  bool thinking_off_ = false;
  size_t max_trigger_length_ = 0;
};

}  // namespace s1
