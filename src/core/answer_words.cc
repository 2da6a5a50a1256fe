#include "core/answer_words.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/ascii.h"
#include "core/latex_normalize.h"

namespace s1::words {

using ascii::is_alpha;
using ascii::is_space;
using ascii::starts_with;
using ascii::trim;

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool one_of(std::string_view w, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// Words that carry no answer: articles, verbs of stating, "answer", "function".
bool is_filler(std::string_view w) {
  return one_of(w, {"the",    "a",        "an",      "is",     "are",   "was",    "were",
                    "be",     "it",       "its",     "this",   "that",  "so",     "thus",
                    "hence",  "therefore", "answer", "final",  "function", "value", "values",
                    "result", "we",       "get",     "has",    "have",  "will",   "would",
                    "there",  "then",     "equals",  "equal",  "to",    "of",     "which",
                    "wins",   "win",      "winner",  "game",   "winning", "strategy", "correct",
                    "option", "choice",   "total"});
}

// Words that deny or bound what follows ("not 5", "more than 5", "about 5"): the value
// is then not the answer as stated.
bool is_negation(std::string_view w) {
  return one_of(w, {"not",    "no",     "never",   "neither",       "nor",     "cannot",
                    "none",   "t",      "doesn",   "don",           "isn",     "aren",
                    "didn",   "won",    "wasn",    "nobody",        "than",    "about",
                    "around", "nearly", "almost",  "approximately", "roughly", "over",
                    "under",  "between", "exceeds", "above",        "below",   "except",
                    "lose",   "loses",  "lost",    "losing",        "loser",   "fail",
                    "fails",  "failed", "false",   "impossible"});
}

// Words that join another claim to a sentence answer or make it conditional ("even and
// odd", "Alice if n is even"): the sentence then says more than the answer.
bool is_qualifier(std::string_view w) {
  return one_of(w, {"and", "or", "either", "both", "if", "when", "unless", "only", "sometimes",
                    "otherwise", "but", "whereas", "while"});
}

// The group of an extreme ("max" / "min"), or "".
std::string_view extreme_group(std::string_view w) {
  if (one_of(w, {"max", "maximum", "maximal", "largest", "greatest", "biggest", "highest"})) {
    return "max";
  }
  if (one_of(w, {"min", "minimum", "minimal", "smallest", "least", "lowest"})) return "min";
  return "";
}

// Letter runs in lower case; a run right after '\' is a command name and skipped.
std::vector<Word> letter_words(std::string_view s) {
  std::vector<Word> words;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!is_alpha(s[i])) continue;
    size_t j = i;
    while (j < s.size() && is_alpha(s[j])) ++j;
    if (i == 0 || s[i - 1] != '\\') {
      Word w{std::string(), i};
      for (size_t k = i; k < j; ++k) w.text += lower(s[k]);
      words.push_back(std::move(w));
    }
    i = j - 1;
  }
  return words;
}

// The answer without math delimiters and text wrappers: "$\text{Max}: 9$" -> "Max: 9".
std::string plain_text(std::string_view raw) {
  static constexpr std::string_view kWrappers[] = {"\\text{",   "\\textbf{", "\\textit{",
                                                   "\\textrm{", "\\mathrm{", "\\mbox{",
                                                   "\\emph{",   "\\boxed{"};
  std::string s(raw);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view w : kWrappers) {
      size_t at = s.find(w);
      if (at == std::string::npos) continue;
      size_t open = at + w.size() - 1;
      size_t close = matching_brace(s, open);
      if (close == std::string::npos) continue;
      s.erase(close, 1);
      s.erase(at, w.size());
      changed = true;
    }
  }
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '$') continue;
    if (s[i] == '~') {
      out += ' ';
    } else if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == ',' || s[i + 1] == ' ' ||
                                                     s[i + 1] == ';' || s[i + 1] == '!')) {
      out += ' ';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

namespace {

// The lower-case words of an answer made of words ("Alice wins the game."), with "neither X
// nor Y" read as "neither"; nullopt when it holds digits or math, except that with
// `math_words` each token holding math ("f(x+1)-1") is kept as an empty word.
std::optional<std::vector<std::string>> sentence_words(std::string_view raw, bool math_words) {
  std::string text = plain_text(raw);
  std::vector<std::string> words;
  for (size_t i = 0; i < text.size();) {
    while (i < text.size() && is_space(text[i])) ++i;
    size_t j = i;
    while (j < text.size() && !is_space(text[j])) ++j;
    std::string_view token = std::string_view(text).substr(i, j - i);
    i = j;
    if (token.empty()) continue;
    bool math = std::any_of(token.begin(), token.end(), [](char c) {
      return !is_alpha(c) && std::string_view(".,;:!?'\"-()").find(c) == std::string_view::npos;
    });
    if (math && !math_words) return std::nullopt;
    if (math) {
      words.emplace_back();
      continue;
    }
    for (Word& w : letter_words(token)) words.push_back(std::move(w.text));
  }
  auto neither = std::find(words.begin(), words.end(), "neither");
  auto nor = std::find(neither, words.end(), "nor");
  if (neither != words.end() && nor != words.end() && nor + 1 != words.end()) {
    words.erase(neither + 1, nor + 2);
  }
  if (std::all_of(words.begin(), words.end(), [](const std::string& w) { return w.empty(); })) {
    return std::nullopt;
  }
  return words;
}

// A word the rest of a sentence answer may hold besides the answer itself: filler; with
// the question known, any word but an alternative it offers.
bool allowed_extra(const std::string& w, const QuestionCues& cues) {
  if (is_filler(w)) return true;
  if (!cues.known) return false;
  return std::find(cues.options.begin(), cues.options.end(), w) == cues.options.end();
}

// The verdict of a yes/no answer: 1 for "Yes", "Yes, it can." or "Possible"; 0 for "No",
// "No, it cannot be done.", "Impossible" or "It is not possible"; -1 otherwise.
int yes_or_no(std::string_view raw) {
  std::string text = plain_text(raw);
  for (char& c : text) c = lower(c);
  std::string_view t = trim(text);
  for (auto [word, verdict] : {std::pair<std::string_view, int>{"yes", 1}, {"no", 0}}) {
    if (starts_with(t, word) &&
        (t.size() == word.size() || std::string_view(",.;:!").find(t[word.size()]) != t.npos)) {
      return verdict;
    }
  }
  auto words = sentence_words(raw, false);
  if (!words) return -1;
  std::vector<std::string> said;
  for (std::string& w : *words) {
    if (!is_filler(w)) said.push_back(std::move(w));
  }
  if (said == std::vector<std::string>{"possible"}) return 1;
  if (said == std::vector<std::string>{"impossible"} ||
      said == std::vector<std::string>{"not", "possible"}) {
    return 0;
  }
  return -1;
}

}  // namespace

// "Alice wins the game." against "Alice": the gold's words occur in the sentence, and the
// rest are filler or, with the question known, other words (never an alternative the
// question offers, a negation or a qualifier); math only before the answer, as the subject
// ("The function f(x+1)-1 is odd.").
bool sentence_holds(std::string_view sentence, std::string_view answer, const QuestionCues& cues) {
  auto s = sentence_words(sentence, true);
  auto a = sentence_words(answer, false);
  if (!s || !a || s->size() <= a->size()) return false;
  auto at = std::search(s->begin(), s->end(), a->begin(), a->end());
  if (at == s->end()) return false;
  for (auto it = s->begin(); it != s->end(); ++it) {
    if (it >= at && it < at + static_cast<std::ptrdiff_t>(a->size())) continue;
    if (it->empty()) {
      if (it > at) return false;
      continue;
    }
    if (is_negation(*it) || is_qualifier(*it) || !allowed_extra(*it, cues)) return false;
  }
  return true;
}

// "No, it cannot be done." against "No": the gold is a bare yes or no, and the answer says
// the same.
bool same_yes_or_no(std::string_view a, std::string_view b) {
  for (int swap = 0; swap < 2; ++swap, std::swap(a, b)) {
    auto bare = sentence_words(b, false);
    if (!bare || bare->size() != 1 || (bare->front() != "yes" && bare->front() != "no")) continue;
    int verdict = yes_or_no(a);
    if (verdict >= 0 && verdict == (bare->front() == "yes" ? 1 : 0)) return true;
  }
  return false;
}

}  // namespace s1::words
