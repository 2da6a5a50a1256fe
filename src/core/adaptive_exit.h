// Adaptive thinking: rules that end thinking early once a probed answer is settled.
// Pure; the engine forks the probes and decodes them, these rules decide.
//
// A probe is a short side branch of one sequence: the thinking so far, then `suffix`,
// which opens a \boxed{...}, decoded for up to `probe_tokens` tokens. Its text is the
// model's trial answer. Two methods are covered:
//  - Dynasor-CoT / Certaindex (arXiv 2412.20993, github.com/hao-ai-lab/Dynasor,
//    dynasor/core/cot.py): a probe every N thinking tokens (the "chunk_size", 32 to 64
//    there) with kDynasorProbeSuffix, 20 tokens; the answer is the text up to the first
//    unmatched "}" (obtain_answer). Exit when the last W answers (the "threshold", 2 to
//    8) are all non-empty and equal, and no probe text holds one of its uncertain_words.
//  - DEER (arXiv 2504.15895, github.com/BugSmith/DEER, vllm-deer.py): a probe at each
//    reflection point ("Wait", or "Alternatively") with kDeerProbeSuffix, 20 tokens
//    (prob_check_max_tokens); exit when the mean probability of the probe's tokens
//    reaches 0.95 (arithmetic mean, "avg1"; geometric, "avg2", for Qwen3).
//
// Rules here, for one sequence:
//  - when to probe (probe_due): at the first thinking position at or past each multiple
//    of `every`, and/or at reflection points (ReflectionDetector, or an ignore string
//    just appended); never twice at one position, never at position 0.
//  - what a probe says (on_probe): the answer is the text up to the brace that closes the
//    box the suffix opened (empty if it never closes); the confidence is the mean or
//    geometric mean of the probe tokens' probabilities; it hesitates when its text holds
//    one of `hesitation_words` as a whole word (Dynasor matches substrings, which makes
//    "no" hit "know" and "note": whole words keep its intent).
//  - when to exit: consistency, the last `consistent` (W) probes all have non-empty
//    answers that the grader (math_equivalence.h) finds equivalent to the newest, and
//    none hesitated (when required); and/or confidence, the newest probe has a non-empty
//    answer and a confidence >= `confidence` (tau). When both hold, the reason is
//    "consistent". Never at a probe taken before min_think thinking tokens (its own
//    position, not the count when the result arrives); earlier probes still count in the
//    window of a later one. After an exit, results are still recorded; none exits again.
//  - what exit does (`action`): kEndThinking ends thinking as a natural end (the
//    delimiter, then the model answers); kAnswer writes the probed answer after the
//    delimiter and the cap suffix and ends. See BudgetForcer::end_thinking for how an
//    exit composes with the cap, min_think and ignoring.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace s1 {

// Dynasor's default probe suffix, verbatim (dynasor/core/cot.py, probeing_suffix).
inline constexpr const char* kDynasorProbeSuffix =
    "... Oh, I suddenly got the answer to the whole problem, **Final Answer**\n\n\\[ \\boxed{";
// DEER's answer-inducing prompt (vllm-deer.py, answer_prompt_str). It stops before the
// "{", which the probe then writes (DEER skips that first token's probability; with a
// suffix ending in "{" there is nothing to skip).
inline constexpr const char* kDeerProbeSuffix = "\n**Final Answer**\n\\boxed";

// Dynasor's uncertain_words (dynasor/core/cot.py): a probe holding one hesitates.
std::vector<std::string> dynasor_hesitation_words();
// DEER's thinking transition points (vllm-deer.py, continue_str for --points 1 and 0).
std::vector<std::string> deer_reflection_words();

struct ProbeRules {
  enum class Mean { kArithmetic, kGeometric };
  enum class ExitAction { kEndThinking, kAnswer };

  int every = 0;               // probe every N thinking tokens; 0 = not by count
  bool at_reflection = false;  // probe at reflection points
  int consistent = 0;          // W: exit when the last W probes agree; 0 = off
  double confidence = 0;       // tau: exit when a probe's mean probability >= tau; 0 = off;
                               // above 1 it never fires (probabilities are at most 1)
  Mean mean = Mean::kArithmetic;
  bool require_no_hesitation = true;  // consistency also needs probes that do not hesitate
  int probe_tokens = 20;              // tokens decoded per probe, at most
  std::string suffix = kDynasorProbeSuffix;
  ExitAction action = ExitAction::kEndThinking;
  std::vector<std::string> hesitation_words = dynasor_hesitation_words();
  std::vector<std::string> reflection_words = deer_reflection_words();
  bool reflection_blank_line = true;  // a blank line is a reflection point too

  // Throws std::invalid_argument with a one-line message for: negative every or
  // consistent, a negative or non-finite confidence, an exit rule with no probe schedule,
  // probing with probe_tokens < 1 or an empty suffix, at_reflection with neither
  // reflection words nor blank lines, or an empty word in a list.
  void validate() const;
  // Whether probes are taken at all (every > 0 or at_reflection).
  bool probing() const;
  // Whether an exit rule is on (consistent > 0 or confidence > 0). Probing without one
  // records probes (for reports) and never exits.
  bool can_exit() const;
};

// A probe the engine decoded.
struct ProbeResult {
  int thinking_tokens = 0;   // the thinking position it forked from
  std::string text;          // the decoded probe tokens (after the suffix)
  std::vector<float> probs;  // each probe token's probability, in order
};

struct ProbeRecord {
  int thinking_tokens = 0;
  std::string answer;  // the boxed answer the suffix opened; empty if it did not close
  bool closed = false;     // the box closed within the probe
  double confidence = 0;   // mean (or geometric mean) of the probabilities; 0 without any
  bool hesitated = false;  // the text holds a hesitation word
  bool agreed = false;     // this probe completes W agreeing probes (consistency holds)
  bool confident = false;  // non-empty answer and confidence >= tau
  // Cut off: its sample ended (or left thinking and stopped) before the probe finished.
  // Its tokens are counted; it has no answer and decided nothing.
  bool cut = false;
};

struct ProbeOutcome {
  bool exit = false;
  std::string reason;  // "consistent" | "confident" when exit
  std::string answer;  // the newest probe's answer, for ExitAction::kAnswer
  bool held_by_min_think = false;  // an exit rule held, but the probe was before min_think
};

// The answer a probe's `text` gives after `suffix`: when the suffix leaves braces open
// (Dynasor's ends in "\boxed{"), the text up to the first brace that closes them, braces
// inside balanced; when it leaves none open (DEER's ends in "\boxed"), the contents of
// the {...} that the text opens after optional spaces. Trimmed of spaces and newlines.
// Returns false (and leaves `answer` empty) when the box does not close in `text`; the
// engine may use it to stop a probe as soon as the box closes.
bool probe_answer(std::string_view suffix, std::string_view text, std::string* answer);

// The text ExitAction::kAnswer writes after the cap suffix for a probed `answer`:
// " \boxed{answer}" (so "Final Answer: \boxed{42}", which the grader extracts).
std::string probed_answer_text(std::string_view answer);

// Mean of `probs`, arithmetic or geometric (each probability floored at 1e-10, as DEER
// does, so one zero does not make the mean 0 exactly). 0 for no probabilities.
double mean_probability(const std::vector<float>& probs, ProbeRules::Mean mean);

// Finds reflection points in thinking text fed piece by piece (pieces may split words):
// a piece that completes one of the reflection words (ignoring ASCII case) at the start
// of thinking, of a line, or of a sentence (after ".", "!" or "?" and a space), not
// followed by a letter within the piece ("Waiting" is not "Wait"); or, with
// reflection_blank_line, a piece that completes a blank line (two newlines with only
// spaces between; once per run of them). Feed all thinking text in order, forced text
// included. Not thread-safe; one per sequence.
class ReflectionDetector {
 public:
  explicit ReflectionDetector(const ProbeRules& rules);
  // Whether `piece` completes a reflection point.
  bool on_text(std::string_view piece);

 private:
  std::vector<std::string> words_;  // lowercase
  bool blank_line_;
  bool boundary_ = true;       // only spaces since the start of a line or sentence
  bool collecting_ = false;    // in the first word since, which may still become a word
  std::string word_;           // that word so far, lowercase
  bool matched_ = false;       // word_ is a reflection word, awaiting the next byte
  bool sentence_end_ = false;  // the last non-space byte ended a sentence
  int newlines_ = 0;           // newlines with only spaces between, at the end
};

// One sequence's adaptive exit. Not thread-safe; cheap to copy.
class AdaptiveExit {
 public:
  // Throws std::invalid_argument if the rules are invalid or min_think is negative.
  AdaptiveExit(const ProbeRules& rules, int min_think);

  // Called by the engine after each kept thinking token and after an appended ignore
  // string (pass reflection_point = true then), with the thinking token count now:
  // whether a probe should fork here. True at the first position at or past each
  // multiple of `every`, and at reflection points when at_reflection; never twice at one
  // position, never at 0, never after an exit.
  bool probe_due(int thinking_tokens, bool reflection_point);

  // Records a finished probe (results in thinking order) and says whether to exit now.
  ProbeOutcome on_probe(const ProbeResult& result);

  const std::vector<ProbeRecord>& records() const { return records_; }
  bool exited() const { return exited_; }
  const ProbeRules& rules() const { return rules_; }

 private:
  bool agrees_with_window() const;

  ProbeRules rules_;
  std::vector<std::string> hesitation_;  // lowercase
  int min_think_;
  int next_every_;          // the next multiple of `every` due
  int last_probe_ = 0;      // position of the last probe started
  bool exited_ = false;
  std::vector<ProbeRecord> records_;
};

}  // namespace s1
