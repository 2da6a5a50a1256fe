// Extraction of the final answer from a model's output (or a reference solution).
//
// All functions are pure and thread-safe; they never throw except std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace s1 {

// Where extract_answer() found the answer.
enum class AnswerSource {
  kNone,             // nothing usable: the answer is empty
  kBoxed,            // the last \boxed{...}, \fbox{...} or \framebox{...}
  kFinalAnswerLine,  // the rest of the last "Final Answer:" / "Answer:" / "answer is" line
  kFinalClause,      // text ending in Chinese: the math its last clause ends on
  kWholeText,        // the text is nothing but a math answer ("$[0,1)$", "\frac{10}{9}")
  kLastMath,         // the last math span ("$x \ge 5$"), which holds the text's last number
  kLastNumber,       // the last number in the text
};

// A short name for `source`: "none", "boxed", "answer_line", "final_clause", "whole_text",
// "last_math" or "last_number".
const char* answer_source_name(AnswerSource source);

struct ExtractedAnswer {
  std::string answer;  // raw LaTeX as written (not normalised); empty when source == kNone
  AnswerSource source = AnswerSource::kNone;
};

// Returns the contents of the last \boxed{...} (also \boxed 5, \fbox{...}, \framebox{...}),
// with nested braces matched, or nullopt when there is none or its braces never close.
// Boxes that only spaces, commas, "and", "\quad" or math delimiters separate from it
// are part of it, as a list each once: "\boxed{-2} \quad \text{and} \quad \boxed{1}" gives
// "-2, 1".
std::optional<std::string> extract_last_boxed(std::string_view text);

// The final answer of `text`: the last boxed expression; else (images and exam score marks
// "(12分)" set aside, which hold digits but no answer) the rest of the last "Final Answer:",
// "Answer:" or "answer is" line (surrounding $ and markdown ** removed, a math span that
// opens it kept alone, a closing "I hope it is correct" dropped); else, when the text ends
// in Chinese, the math its last clause ends on ("所以离心率为\frac{1}{2}。" gives
// "\frac{1}{2}", the last side of a chain "S = ... = 4", "或" as "or"); else the whole text
// when it is nothing but math (one "$...$" span, even with words, or short LaTeX with no
// word outside commands); else the last math span ("$...$", "\(...\)", "\[...\]", up to
// 200 characters; of a longer one, what follows its last "=") when the text's last digit
// is in it; else the last number (integer, decimal, or a/b fraction). A math answer that is
// an "aligned" derivation is its last row ("& = 16", or "x &= 9" when every row has x), and
// one that gives reasons first is what follows its last "\therefore". Backslashes that
// unescaped JSON turned into control characters are put back first.
ExtractedAnswer extract_answer(std::string_view text);

// The multiple-choice letter (A..max_letter, upper case) chosen by `text`, looking in order
// at: the whole text being a letter ("B", "(B)", "B)", "B."); the last \boxed{} holding a
// letter ("B", "(B)", "\text{B}"); the last "Answer: B" / "answer is (B)" phrase; the last
// bold "**B**" / "**(B)**"; the last "(B)" on its own. Returns nullopt when none names a
// letter in range. `max_letter` must be in 'A'..'Z'.
std::optional<char> extract_choice_letter(std::string_view text, char max_letter = 'D');

}  // namespace s1
