// Answers in words, for the answer rules (answer_rules.h): the word lists the rules read
// (filler, negations, qualifiers, extremes), the words of an answer, and the rules that
// compare answers made of words: a sentence holding the answer, yes or no in words, and
// multiple-choice letters.
//
// All functions are pure and thread-safe, linear in the input sizes; they never throw
// except std::bad_alloc.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/question_cues.h"

namespace s1::words {

// Whether `w` is one of `list`.
bool one_of(std::string_view w, std::initializer_list<std::string_view> list);

// Words that carry no answer: articles, verbs of stating, "answer", "function".
bool is_filler(std::string_view w);

// Words that deny or bound what follows ("not 5", "more than 5", "about 5"): the value is
// then not the answer as stated.
bool is_negation(std::string_view w);

// Words that join another claim to a sentence answer or make it conditional ("even and
// odd", "Alice if n is even"): the sentence then says more than the answer.
bool is_qualifier(std::string_view w);

// The group of an extreme ("max" / "min"), or "".
std::string_view extreme_group(std::string_view w);

struct Word {
  std::string text;  // lower case
  size_t pos;        // offset in the source
};

// Letter runs of `s` in lower case; a run right after '\' is a command name and skipped.
std::vector<Word> letter_words(std::string_view s);

// The answer without math delimiters ("$", "\(", "\[") and text wrappers:
// "$\text{Max}: 9$" -> "Max: 9".
std::string plain_text(std::string_view raw);

// `text` with each number word (number_notation.h: number_word_value) written in digits:
// "There are two solutions." -> "There are 2 solutions." (any case).
std::string digits_for_number_words(std::string_view text);

// "Alice wins the game." against "Alice": the words of `answer` occur in `sentence`, and
// the rest are filler or, with the question known, other words (never an alternative the
// question offers, a negation or a qualifier); math only before the answer, as the subject
// ("The function f(x+1)-1 is odd."). Two answers with the same words ("neither odd nor
// even", "neither even nor odd": both "neither") hold too, and a two-word answer turned
// round with "is" ("The triangle is isosceles." for "isosceles triangle").
bool sentence_holds(std::string_view sentence, std::string_view answer, const QuestionCues& cues);

// "the first player" against "Player 1", "n is even" against "all even n", "DNE" against
// "does not exist": the same words that say something, with filler, quantifiers ("all",
// "every") and variable letters left out and number words and ordinals as digits; in the
// same order, or two words in either order. Math other than numbers: false.
bool same_content_words(std::string_view a, std::string_view b);

// The verdict a sentence gives a yes-or-no question by restating it: 1 when its words
// (filler aside) are the question's, endings aside ("The function is increasing." for "Is
// the function increasing?", "converges" for "Does it converge?"); 0 when one of them is
// denied ("not increasing", "irrational" for "Is it rational?"); -1 when it says anything
// else, or the question asks no yes or no.
int verdict_by_question(std::string_view sentence, const QuestionCues& cues);

// A bare "Yes" / "No" ("True" / "False") against a sentence whose verdict_by_question() is
// the same. Symmetric.
bool answers_by_restating(std::string_view a, std::string_view b, const QuestionCues& cues);

// "No, it cannot be done." against "No": one answer is a bare "Yes" or "No", and the other
// says the same in words ("Impossible", "It is not possible", "does not exist", "There is no
// such n" for No; "Possible", "It can be done" for Yes, when nothing in it denies). When
// `yes_no_question`, two sentences that say the same also agree ("Petya can guarantee it."
// and "Yes, Peter can ...").
bool same_yes_or_no(std::string_view a, std::string_view b, bool yes_no_question);

// "The sum is less than zero." against "f(x_1) + f(x_2) + f(x_3) < 0": a sentence that gives
// a sign ("less than zero", "negative", "positive", "non-negative"...) and an inequality of
// one expression against 0 that gives the same.
bool same_sign(std::string_view a, std::string_view b);

// Whether the sentence of `question` that asks (the last one ending in "?") is a yes-or-no
// question: it starts with "can", "is", "does", "are", "will"...
bool asks_yes_or_no(std::string_view question);

// The letters of the choices `question` offers, from A on: "A: 1 B: 2 C: 3" (also "A.",
// "A．", "A、", "A：", "A)") or "(A) 1 (B) 2" give "ABC"; empty unless A and B are offered.
std::string choice_letters(std::string_view question);

// Whether `a` and `b` pick the same choices among `letters`: "B", "(B) 2", "B: 2",
// "\text{B}", or several as "AC", "A, C", "A and C" (in any order).
bool same_choices(std::string_view a, std::string_view b, std::string_view letters);

// The text each of the choices `letters` (choice_letters()) offers in `question`, in order:
// "A: $2\sqrt{2}$ B: $3$" gives {"2\sqrt{2}", "3"} (math delimiters and separators around
// it dropped; the last choice ends its line). Empty when a choice's text cannot be found
// or runs over 200 characters.
std::vector<std::string> choice_texts(std::string_view question, std::string_view letters);

// The one choice among `letters` that `raw` picks ('B' for "B", "(B) 2", "\text{B}"), or 0
// when it picks none or several.
char single_choice(std::string_view raw, std::string_view letters);

}  // namespace s1::words
