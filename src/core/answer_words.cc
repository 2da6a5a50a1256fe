#include "core/answer_words.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/latex_forms.h"
#include "core/latex_normalize.h"
#include "core/number_notation.h"

namespace s1::words {

using ascii::ends_with;
using ascii::is_alpha;
using ascii::is_digit;
using ascii::is_space;
using ascii::starts_with;
using ascii::to_lower;
using ascii::trim;

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
      for (size_t k = i; k < j; ++k) w.text += to_lower(s[k]);
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
    if (s[i] == '\\' && i + 1 < s.size() && std::string_view("()[]").find(s[i + 1]) != s.npos) {
      ++i;  // "\(", "\]": math delimiters
      continue;
    }
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

std::string digits_for_number_words(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (!is_alpha(text[i]) || (i > 0 && (is_alpha(text[i - 1]) || text[i - 1] == '\\'))) {
      out += text[i++];
      continue;
    }
    size_t j = i;
    while (j < text.size() && is_alpha(text[j])) ++j;
    if (int value = number_word_value(ascii::lowercase(text.substr(i, j - i))); value >= 0) {
      out += std::to_string(value);
    } else {
      out.append(text.substr(i, j - i));
    }
    i = j;
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

// The verdict of a yes/no answer: 1 for "Yes", "Yes, it can.", "Possible" or "The board
// can be tiled"; 0 for "No", "No, it cannot be done.", "Impossible", "It is not possible"
// or "No such n exists"; -1 otherwise.
int yes_or_no(std::string_view raw) {
  std::string text = ascii::lowercase(plain_text(raw));
  std::string_view t = trim(text);
  for (auto [word, verdict] : {std::pair<std::string_view, int>{"yes", 1},
                                {"no", 0},
                                {"true", 1},
                                {"false", 0}}) {
    if (starts_with(t, word) &&
        (t.size() == word.size() || std::string_view(",.;:!").find(t[word.size()]) != t.npos)) {
      return verdict;
    }
  }
  // A sentence: one denial says no ("It is impossible", "does not exist", "No such n
  // exists", "can't"); none, with a word of ability or existence, says yes. Two denials
  // ("not impossible") or a qualifier ("but", "if") say neither.
  auto words = sentence_words(raw, true);
  if (!words) return -1;
  int denials = 0;
  bool affirms = false;
  for (const std::string& w : *words) {
    if (is_qualifier(w)) return -1;
    if (one_of(w, {"impossible", "cannot", "not", "no", "none", "never", "doesn", "don", "isn",
                   "aren", "t", "nonexistent"})) {
      ++denials;
    }
    if (one_of(w, {"possible", "can", "exists", "exist", "yes"})) affirms = true;
  }
  if (denials == 1) return 0;
  return denials == 0 && affirms ? 1 : -1;
}

}  // namespace

// "Alice wins the game." against "Alice": the gold's words occur in the sentence, and the
// rest are filler or, with the question known, other words (never an alternative the
// question offers, a negation or a qualifier); math only before the answer, as the subject
// ("The function f(x+1)-1 is odd.").
bool sentence_holds(std::string_view sentence, std::string_view answer, const QuestionCues& cues) {
  auto s = sentence_words(sentence, true);
  auto a = sentence_words(answer, false);
  if (s && a && *s == *a) {  // the same words: "neither odd nor even" and "neither"
    return std::none_of(s->begin(), s->end(), [](const std::string& w) { return w.empty(); });
  }
  if (!s || !a || s->size() <= a->size()) return false;
  auto at = std::search(s->begin(), s->end(), a->begin(), a->end());
  size_t matched = a->size();
  if (at == s->end() && a->size() == 2) {
    // "The triangle is isosceles." for "isosceles triangle": the noun, "is", the adjective.
    for (std::string_view verb : {"is", "are"}) {
      std::vector<std::string> turned = {(*a)[1], std::string(verb), (*a)[0]};
      at = std::search(s->begin(), s->end(), turned.begin(), turned.end());
      if (at != s->end()) {
        matched = 3;
        break;
      }
    }
  }
  if (at == s->end()) return false;
  for (auto it = s->begin(); it != s->end(); ++it) {
    if (it >= at && it < at + static_cast<std::ptrdiff_t>(matched)) continue;
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
namespace {

// The words of an answer that say something, in order: lower case, number words and
// ordinals as digits ("first" -> "1"), "DNE" as "does not exist"; filler, quantifiers
// ("all", "every") and lower-case single letters (a variable named) left out. Nullopt when a token
// holds math other than digits.
std::optional<std::vector<std::string>> content_words(std::string_view raw) {
  const std::string text = plain_text(raw);
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    if (is_space(text[i]) || std::string_view(".,;:!?'\"()").find(text[i]) != std::string_view::npos) {
      ++i;
      continue;
    }
    size_t j = i;
    bool digits = is_digit(text[i]);
    while (j < text.size() && (digits ? is_digit(text[j]) : is_alpha(text[j]))) ++j;
    if (j == i) return std::nullopt;  // math
    // A lower-case letter alone is a variable ("n is even"); a capital one a name ("A wins").
    if (j == i + 1 && is_alpha(text[i])) {
      if (ascii::is_upper(text[i])) out.emplace_back(1, text[i]);  // not the article "a"
      i = j;
      continue;
    }
    std::string w = ascii::lowercase(text.substr(i, j - i));
    i = j;
    if (int v = number_word_value(w); v >= 0) w = std::to_string(v);
    if (int v = ordinal_word_value(w); v >= 0) w = std::to_string(v);
    if (w == "dne") {
      out.insert(out.end(), {"does", "not", "exist"});
      continue;
    }
    if (is_filler(w) || one_of(w, {"all", "every", "any", "each", "number", "numbers",
                                   "integer", "integers"})) {
      continue;  // "odd numbers" says "odd"
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

bool same_content_words(std::string_view a, std::string_view b) {
  auto wa = content_words(a), wb = content_words(b);
  if (!wa || !wb || wa->empty()) return false;
  // A word, not only numbers: "1" against "first" is the plain comparison's.
  if (std::none_of(wa->begin(), wa->end(), [](const std::string& w) { return is_alpha(w[0]); })) {
    return false;
  }
  if (*wa == *wb) return true;
  // Two words in either order ("Player 1", "the first player"); more keep their order
  // ("A beats B" is not "B beats A").
  return wa->size() == 2 && wb->size() == 2 && (*wa)[0] == (*wb)[1] && (*wa)[1] == (*wb)[0];
}

namespace {

// Whether `w` is `q` with an ending added or changed ("converges" for "converge",
// "increased" for "increasing"): the same first five letters or more, at most three more.
bool same_stem(std::string_view w, std::string_view q) {
  size_t common = 0;
  while (common < w.size() && common < q.size() && w[common] == q[common]) ++common;
  return w == q || (common >= 5 && w.size() - common <= 3 && q.size() - common <= 3);
}

}  // namespace

int verdict_by_question(std::string_view sentence, const QuestionCues& cues) {
  if (!cues.yes_no) return -1;
  auto words = sentence_words(sentence, true);
  if (!words) return -1;
  auto asked = [&cues](std::string_view w) {
    return std::any_of(cues.asked_words.begin(), cues.asked_words.end(),
                       [w](const std::string& q) { return same_stem(w, q); });
  };
  int denials = 0, restated = 0;
  for (const std::string& w : *words) {
    if (w.empty() || is_filler(w)) continue;
    if (one_of(w, {"yes", "no"})) return -1;  // said outright: yes_or_no() reads it
    if (one_of(w, {"not", "never", "isn", "aren", "doesn", "don", "t", "cannot"})) {
      ++denials;
      continue;
    }
    if (is_negation(w) || is_qualifier(w)) return -1;
    if (asked(w)) {
      ++restated;
      continue;
    }
    // "irrational" for "Is it rational?": a negating prefix on a word of the question.
    bool negated = false;
    for (std::string_view prefix : {"non", "un", "ir", "in", "im", "il"}) {
      if (starts_with(w, prefix) && w.size() > prefix.size() + 3 && asked(w.substr(prefix.size()))) {
        negated = true;
      }
    }
    if (!negated) return -1;  // a word the question does not hold
    ++restated;
    ++denials;
  }
  if (restated == 0 || denials > 1) return -1;
  return denials == 0 ? 1 : 0;
}

bool answers_by_restating(std::string_view a, std::string_view b, const QuestionCues& cues) {
  for (int swap = 0; swap < 2; ++swap) {
    std::string_view bare = swap ? b : a, sentence = swap ? a : b;
    auto w = sentence_words(bare, false);
    if (!w || w->size() != 1) continue;
    int verdict = one_of(w->front(), {"yes", "true"}) ? 1 : one_of(w->front(), {"no", "false"}) ? 0 : -1;
    if (verdict >= 0 && verdict_by_question(sentence, cues) == verdict) return true;
  }
  return false;
}

bool same_yes_or_no(std::string_view a, std::string_view b, bool yes_no_question) {
  int x = yes_or_no(a), y = yes_or_no(b);
  if (x < 0 || x != y) return false;
  if (yes_no_question) return true;
  for (std::string_view side : {a, b}) {  // else one side must be a bare yes or no
    auto bare = sentence_words(side, false);
    if (bare && bare->size() == 1 && (bare->front() == "yes" || bare->front() == "no")) {
      return true;
    }
  }
  return false;
}

namespace {

// The sign a sentence gives: "<", ">", "<=", ">=", or "" when it gives none (or a negation).
std::string_view sentence_sign(std::string_view raw) {
  auto words = sentence_words(raw, false);
  if (!words) return {};
  std::string text;
  for (const std::string& w : *words) text += " " + w;
  text += " ";
  if (text.find(" not ") != std::string::npos) return {};
  static constexpr std::pair<std::string_view, std::string_view> kSigns[] = {
      {" non negative ", ">="},         {" nonnegative ", ">="},
      {" non positive ", "<="},         {" nonpositive ", "<="},
      {" greater than or equal to zero ", ">="}, {" less than or equal to zero ", "<="},
      {" at least zero ", ">="},        {" at most zero ", "<="},
      {" less than zero ", "<"},        {" greater than zero ", ">"},
      {" negative ", "<"},              {" positive ", ">"},
      {" below zero ", "<"},            {" above zero ", ">"}};
  for (auto [phrase, sign] : kSigns) {
    if (text.find(phrase) != std::string::npos) return sign;
  }
  return {};
}

// The sign an inequality "E < 0" (or "0 < E") gives E, or "".
std::string_view inequality_sign(std::string_view raw) {
  std::string t = plain_text(raw);
  std::string_view v = trim(t);
  static constexpr std::pair<std::string_view, std::string_view> kOps[] = {
      {"\\leq", "<="}, {"\\geq", ">="}, {"\\le", "<="}, {"\\ge", ">="}, {"<", "<"}, {">", ">"}};
  for (auto [op, sign] : kOps) {
    size_t at = v.find(op);
    if (at == std::string_view::npos || v.find(op, at + 1) != std::string_view::npos) continue;
    std::string_view left = trim(v.substr(0, at)), right = trim(v.substr(at + op.size()));
    if (left.empty() || right.empty() || right.find_first_of("<>") != std::string_view::npos) {
      return {};
    }
    if (right == "0") return sign;
    if (left == "0") {  // "0 < E": E > 0
      if (sign == "<") return ">";
      if (sign == ">") return "<";
      return sign == "<=" ? ">=" : "<=";
    }
    return {};
  }
  return {};
}

}  // namespace

bool same_sign(std::string_view a, std::string_view b) {
  for (int swap = 0; swap < 2; ++swap, std::swap(a, b)) {
    std::string_view said = sentence_sign(a);
    if (!said.empty() && said == inequality_sign(b)) return true;
  }
  return false;
}

bool asks_yes_or_no(std::string_view question) {
  size_t mark = question.rfind('?');
  if (mark == std::string_view::npos) return false;
  size_t start = 0;
  for (size_t i = mark; i-- > 0;) {
    char c = question[i];
    bool end = c == '?' || c == '!' || c == '\n' ||
               (c == '.' && (i + 1 >= question.size() || is_space(question[i + 1])));
    if (end) {
      start = i + 1;
      break;
    }
  }
  std::vector<Word> words = letter_words(question.substr(start, mark - start));
  return !words.empty() &&
         one_of(words.front().text, {"can", "could", "is", "are", "does", "do", "did", "will",
                                     "would", "must", "should", "has", "have", "was", "were"});
}

namespace {

// Where the choice `letter` is offered in `q` at or after `from`: the start of its marker
// ("(B)", "B:", "B.", "B．", "B、", "B：", "B)") and the end of it, or {npos, npos}.
std::pair<size_t, size_t> choice_marker(std::string_view q, char letter, size_t from) {
  for (size_t at = q.find(letter, from); at != std::string_view::npos;
       at = q.find(letter, at + 1)) {
    if (at > 0 && q[at - 1] == '(' && at + 1 < q.size() && q[at + 1] == ')') {
      return {at - 1, at + 2};
    }
    bool apart = at == 0 || is_space(q[at - 1]) || q[at - 1] == '$' || q[at - 1] == '\n';
    std::string_view after = q.substr(at + 1);
    for (std::string_view mark : {":", ".", ")", "\uff0e", "\u3001", "\uff1a"}) {
      // "A. 1" but not "A.B" or the end of a sentence "... is A."
      if (apart && starts_with(after, mark) && after.size() > mark.size() &&
          (is_space(after[mark.size()]) || !is_alpha(after[mark.size()]))) {
        return {at, at + 1 + mark.size()};
      }
    }
  }
  return {std::string_view::npos, std::string_view::npos};
}

}  // namespace

std::string choice_letters(std::string_view q) {
  std::string letters;
  for (char letter = 'A'; letter <= 'H'; ++letter) {
    if (choice_marker(q, letter, 0).first == std::string_view::npos) break;
    letters += letter;
  }
  return letters.size() >= 2 ? letters : std::string();
}

std::vector<std::string> choice_texts(std::string_view q, std::string_view letters) {
  std::vector<std::string> texts;
  size_t from = 0;
  for (size_t i = 0; i < letters.size(); ++i) {
    auto [start, end] = choice_marker(q, letters[i], from);
    if (start == std::string_view::npos) return {};
    size_t stop = q.size();
    if (i + 1 < letters.size()) {
      stop = choice_marker(q, letters[i + 1], end).first;
      if (stop == std::string_view::npos) return {};
    } else if (size_t line = q.find('\n', end); line != std::string_view::npos) {
      stop = line;  // the last choice ends its line
    }
    std::string_view text = trim(q.substr(end, stop - end));
    for (bool changed = true; changed && !text.empty();) {
      changed = false;
      for (std::string_view mark : {"$", ";", ",", "\uff1b", "\uff0c", "\u3002"}) {
        if (starts_with(text, mark)) text = trim(text.substr(mark.size())), changed = true;
        if (ends_with(text, mark)) {
          text = trim(text.substr(0, text.size() - mark.size()));
          changed = true;
        }
      }
    }
    if (text.empty() || text.size() > 200) return {};
    texts.emplace_back(text);
    from = end;
  }
  return texts;
}

namespace {

// The choices `raw` picks among `letters`, sorted, or empty when it is no pick.
std::string picked(std::string_view raw, std::string_view letters) {
  std::string text = plain_text(raw);
  std::string_view t = trim(text);
  while (!t.empty() && (t.back() == '.' || t.back() == ';')) t = trim(t.substr(0, t.size() - 1));
  auto is_choice = [&letters](char c) { return letters.find(c) != std::string_view::npos; };
  std::string out;
  // One pick with its text: "(B) 2", "B: 2", "B. 2", "B) 2".
  std::string_view head = t;
  if (starts_with(head, "(")) head.remove_prefix(1);
  if (head.size() >= 2 && is_choice(head[0]) &&
      std::string_view(":.)").find(head[1]) != std::string_view::npos &&
      (t[0] != '(' || head[1] == ')')) {
    return std::string(1, head[0]);
  }
  // Letters alone: "AC", "A, C", "A and C", "(A)(C)".
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (is_choice(c) && (i + 1 == t.size() || !is_alpha(t[i + 1]) || is_choice(t[i + 1])) &&
        (i == 0 || !is_alpha(t[i - 1]) || is_choice(t[i - 1]))) {
      if (out.find(c) != std::string::npos) return {};
      out += c;
    } else if (starts_with(t.substr(i), "and") && (i + 3 == t.size() || !is_alpha(t[i + 3]))) {
      i += 2;
    } else if (std::string_view(" ,;()").find(c) == std::string_view::npos) {
      return {};
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool same_choices(std::string_view a, std::string_view b, std::string_view letters) {
  std::string x = picked(a, letters), y = picked(b, letters);
  return !x.empty() && x == y;
}

char single_choice(std::string_view raw, std::string_view letters) {
  std::string pick = picked(raw, letters);
  return pick.size() == 1 ? pick[0] : 0;
}

}  // namespace s1::words
