#include "core/answer_extraction.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/latex_forms.h"
#include "core/latex_normalize.h"
#include "core/utf8.h"

namespace s1 {
namespace {

using ascii::is_digit;
using ascii::is_space;
using ascii::starts_with;
using ascii::trim;

char to_lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Case-insensitive search for `needle` (lower case) in `hay` from `from`.
size_t find_ci(std::string_view hay, std::string_view needle, size_t from = 0) {
  if (needle.size() > hay.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && to_lower(hay[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return i;
  }
  return std::string_view::npos;
}

// Removes markdown emphasis, math delimiters and trailing punctuation around an answer.
std::string clean_answer_text(std::string_view s) {
  s = trim(s);
  bool changed = true;
  while (changed && !s.empty()) {
    changed = false;
    for (std::string_view wrap : {"**", "$$", "$", "\\(", "\\[", "`"}) {
      if (s.size() >= wrap.size() && s.substr(0, wrap.size()) == wrap) {
        s.remove_prefix(wrap.size());
        changed = true;
      }
    }
    for (std::string_view wrap : {"**", "$$", "$", "\\)", "\\]", "`", ".", ":"}) {
      if (s.size() >= wrap.size() && s.substr(s.size() - wrap.size()) == wrap) {
        s.remove_suffix(wrap.size());
        changed = true;
      }
    }
    std::string_view trimmed = trim(s);
    if (trimmed.size() != s.size()) changed = true;
    s = trimmed;
  }
  return std::string(s);
}

// A boxed expression and where its command starts and its box ends in the text.
struct Boxed {
  std::string body;
  size_t begin = 0, end = 0;
};

// All boxed expressions, outermost ones only, in order of appearance.
std::vector<Boxed> all_boxed(std::string_view text) {
  static constexpr std::string_view kCommands[] = {"\\boxed", "\\fbox", "\\framebox"};
  std::vector<Boxed> found;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t best = std::string_view::npos, name_len = 0;
    for (std::string_view cmd : kCommands) {
      size_t at = text.find(cmd, pos);
      // "\fbox" must not be read as the prefix of a longer command name.
      while (at != std::string_view::npos && at + cmd.size() < text.size() &&
             std::isalpha(static_cast<unsigned char>(text[at + cmd.size()]))) {
        at = text.find(cmd, at + 1);
      }
      if (at < best) best = at, name_len = cmd.size();
    }
    if (best == std::string_view::npos) break;
    size_t i = best + name_len;
    while (i < text.size() && is_space(text[i])) ++i;
    if (i < text.size() && text[i] == '{') {
      size_t close = matching_brace(text, i);
      if (close == std::string_view::npos) break;
      found.push_back({std::string(trim(text.substr(i + 1, close - i - 1))), best, close + 1});
      pos = close + 1;
    } else if (i > best + name_len) {  // "\boxed 5": one token up to a space or '$'
      size_t end = i;
      while (end < text.size() && !is_space(text[end]) && text[end] != '$') ++end;
      if (end > i) found.push_back({std::string(text.substr(i, end - i)), best, end});
      pos = end;
    } else {
      pos = i;
    }
  }
  return found;
}

// Whether `between` (the text between two boxes) only joins them into one answer:
// spaces, commas, math delimiters, "\quad", "and", "or" ("\boxed{-2} \quad \text{and}
// \quad \boxed{1}", "\(\boxed{1}\) and \(\boxed{2}\)", "\boxed{1}\boxed{2}").
bool only_joins(std::string_view between) {
  static constexpr std::string_view kJoiners[] = {
      "\\qquad", "\\quad", "\\text{and}", "\\text{ and }",
      "\\,", "\\;", "\\(", "\\)", "\\[", "\\]", "\\text", "{", "}", "$", ",", ";", "and"};
  std::string rest(between);
  for (std::string_view joiner : kJoiners) ascii::replace_all(rest, joiner, " ");
  return std::all_of(rest.begin(), rest.end(), [](char c) { return is_space(c); });
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The text after the last answer marker, or nullopt.
std::optional<std::string> answer_after_marker(std::string_view text) {
  static constexpr std::string_view kMarkers[] = {"final answer", "answer:", "answer is"};
  std::vector<std::string_view> lines = split_lines(text);
  for (size_t li = lines.size(); li-- > 0;) {
    std::string_view line = lines[li];
    size_t best_end = std::string_view::npos;
    for (std::string_view marker : kMarkers) {
      size_t at = std::string_view::npos, from = 0, hit;
      while ((hit = find_ci(line, marker, from)) != std::string_view::npos)
        at = hit, from = hit + 1;
      if (at == std::string_view::npos) continue;
      size_t end = at + marker.size();
      if (best_end == std::string_view::npos || end > best_end) best_end = end;
    }
    if (best_end == std::string_view::npos) continue;
    std::string_view rest = line.substr(best_end);
    // "Final Answer: The final answer is 5" and "**Final Answer:**" variants.
    rest = trim(rest);
    while (!rest.empty() && (rest.front() == ':' || rest.front() == '*'))
      rest = trim(rest.substr(1));
    // "The final answer is $5$. I hope it is correct.": the sign-off is no part of it.
    if (size_t hope = find_ci(rest, "i hope it is correct"); hope != std::string_view::npos) {
      rest = trim(rest.substr(0, hope));
    }
    // "$x \ge 5$ is the solution": a math span that opens the rest is the answer.
    if (starts_with(rest, "$") && !starts_with(rest, "$$")) {
      size_t close = rest.find('$', 1);
      if (close != std::string_view::npos) rest = rest.substr(0, close + 1);
    }
    std::string cleaned = clean_answer_text(rest);
    if (cleaned.empty()) {  // the answer is on the next non-empty line
      for (size_t next = li + 1; next < lines.size() && cleaned.empty(); ++next) {
        cleaned = clean_answer_text(lines[next]);
      }
    }
    if (!cleaned.empty()) return cleaned;
  }
  return std::nullopt;
}

bool has_ideograph(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (cjk_ideograph_at(s, i)) return true;
  }
  return false;
}

// Drops from `s` what never holds the answer but holds digits: images ("![alt](url)",
// "<img ...>") and exam score marks ("(12分)", "（12分）").
void drop_noise(std::string& s) {
  if (s.find("![") == s.npos && s.find("<img") == s.npos && s.find("分") == s.npos) return;
  std::string_view text = s;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (starts_with(text.substr(i), "![")) {
      size_t mid = text.find("](", i);
      size_t close = mid == std::string_view::npos ? mid : text.find(')', mid);
      if (close != std::string_view::npos && text.substr(i, mid - i).find('\n') == text.npos) {
        i = close + 1;
        continue;
      }
    }
    if (starts_with(text.substr(i), "<img")) {
      size_t close = text.find('>', i);
      if (close != std::string_view::npos) {
        i = close + 1;
        continue;
      }
    }
    for (auto [open, close] :
         {std::pair<std::string_view, std::string_view>{"(", "分)"}, {"\uff08", "分\uff09"}}) {
      if (!starts_with(text.substr(i), open)) continue;
      size_t j = i + open.size();
      while (j < text.size() && (is_digit(text[j]) || text[j] == ' ')) ++j;
      if (j > i + open.size() && starts_with(text.substr(j), close)) {
        i = j + close.size();
        break;
      }
    }
    if (i < text.size()) out += text[i++];
  }
  s = std::move(out);
}

// The last row of an "aligned" (also "align", "gathered", "split") derivation, its
// alignment marks dropped: a continuation "& = 1002001" -> "1002001", or "x & = 9" when
// every row before it has x. Other text, and rows that name different things, unchanged.
std::string last_aligned_row(std::string answer) {
  std::string_view a = trim(answer);
  if (!starts_with(a, "\\begin{")) return answer;
  size_t name_end = a.find('}');
  if (name_end == std::string_view::npos) return answer;
  std::string_view name = a.substr(7, name_end - 7);
  if (name != "aligned" && name != "align" && name != "align*" && name != "gathered" &&
      name != "split") {
    return answer;
  }
  std::string end = "\\end{" + std::string(name) + "}";
  if (!ascii::ends_with(a, end)) return answer;
  std::string_view body = a.substr(name_end + 1, a.size() - end.size() - name_end - 1);
  body = trim(body);
  while (ascii::ends_with(body, "\\\\")) body = trim(body.substr(0, body.size() - 2));
  size_t row = body.rfind("\\\\");
  std::string last(trim(row == std::string_view::npos ? body : body.substr(row + 2)));
  last.erase(std::remove(last.begin(), last.end(), '&'), last.end());
  last.erase(std::unique(last.begin(), last.end(),
                         [](char x, char y) { return is_space(x) && is_space(y); }),
             last.end());
  std::string_view kept = trim(last);
  if (starts_with(kept, "=")) return std::string(trim(kept.substr(1)));  // "& = 1002001"
  // "x &= 9" ends a derivation when every row before it has x; rows with other names
  // ("\text{Coefficient} &= -5 \\ \text{Degree} &= 5") are one answer in parts.
  size_t eq = kept.find('=');
  std::string_view lhs = trim(kept.substr(0, eq == std::string_view::npos ? 0 : eq));
  if (lhs.size() != 1 || !std::isalpha(static_cast<unsigned char>(lhs[0]))) return answer;
  std::string_view rows = body.substr(0, row == std::string_view::npos ? 0 : row);
  for (size_t start = 0; start < rows.size();) {
    size_t next = rows.find("\\\\", start);
    std::string_view r = rows.substr(start, next == std::string_view::npos ? next : next - start);
    if (r.find(lhs[0]) == std::string_view::npos) return answer;
    if (next == std::string_view::npos) break;
    start = next + 2;
  }
  return std::string(kept);
}

// What follows the last "\therefore" of a math answer that states a conclusion after its
// reasons ("\because B \in (0, \pi), \therefore B = \frac{\pi}{3}" -> "B = \frac{\pi}{3}");
// other answers unchanged.
std::string conclusion(std::string answer) {
  size_t at = answer.rfind("\\therefore");
  if (at == std::string::npos || at == 0) return answer;
  std::string_view after = trim(std::string_view(answer).substr(at + 10));
  return after.empty() ? answer : std::string(after);
}

// The answer a solution in Chinese ends on: in its last clause that ends in math (clauses end
// at "，" "。" "；" "：" "．" or a line break), what follows the last ideograph, and of a
// chain "S = ... = \frac{16}{5}" the last side. "所以离心率为\frac{1}{2}." gives
// "\frac{1}{2}"; "或" joins answers as "or" ("(-8,-2)或(0,2)"); ideographs in parentheses
// ("120(名)", "（舍去）") are dropped. Nullopt when the text's end has no ideograph.
std::optional<std::string> chinese_final_clause(std::string_view text) {
  if (!has_ideograph(text.substr(text.size() > 300 ? text.size() - 300 : 0))) return std::nullopt;
  std::string s;
  s.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    std::string_view rest = text.substr(i);
    if (starts_with(rest, "或")) {
      s += " or ";
      i += 3;
      continue;
    }
    if (starts_with(rest, "\uff1d")) {  // a full-width "＝" joins a chain as "=" does
      s += '=';
      i += 3;
      continue;
    }
    if (rest[0] == '$') {
      ++i;
      continue;
    }
    // "(名)", "（舍去）": ideographs in parentheses.
    for (auto [open, close] :
         {std::pair<std::string_view, std::string_view>{"(", ")"}, {"\uff08", "\uff09"}}) {
      if (!starts_with(rest, open)) continue;
      size_t j = open.size();
      while (cjk_ideograph_at(rest, j)) j += 3;
      if (j > open.size() && starts_with(rest.substr(j), close)) {
        i += j + close.size() - 1;  // the last byte is skipped below
        rest = {};
        break;
      }
    }
    if (rest.empty()) {
      ++i;
      continue;
    }
    s += text[i++];
  }
  static constexpr std::string_view kClauseEnds[] = {"\uff0c", "\u3002", "\uff1b",
                                                     "\uff1a", "\uff0e", "\n"};
  std::string_view v = trim(s);
  auto trim_end = [](std::string_view x) {
    for (bool changed = true; changed;) {
      changed = false;
      x = trim(x);
      for (std::string_view p : {".", ",", "\u3002", "\uff0e", "\uff0c", "\\]", "\\)"}) {
        if (ascii::ends_with(x, p)) {
          x.remove_suffix(p.size());
          changed = true;
        }
      }
    }
    return x;
  };
  v = trim_end(v);
  if (!has_ideograph(v.substr(v.size() > 240 ? v.size() - 240 : 0))) return std::nullopt;
  // The start of the last clause of `x`: after its last clause end outside brackets
  // ("(-\infty，0)" keeps its full-width comma).
  auto last_clause_start = [](std::string_view x) {
    int depth = 0;
    for (size_t i = x.size(); i-- > 0;) {
      char c = x[i];
      if (c == ')' || c == ']' || c == '}') ++depth;
      if ((c == '(' || c == '[' || c == '{') && depth > 0) --depth;
      if (depth > 0) continue;
      for (std::string_view end : kClauseEnds) {
        if (x.substr(i, end.size()) == end) return i + end.size();
      }
    }
    return size_t{0};
  };
  for (int clauses = 0; clauses < 3 && !v.empty(); ++clauses) {
    size_t start = last_clause_start(v);
    std::string_view clause = v.substr(start);
    v = trim_end(v.substr(0, start));
    size_t after = 0;
    for (size_t i = 0; i < clause.size(); ++i) {
      if (cjk_ideograph_at(clause, i)) after = i + 3;
    }
    std::string_view tail = trim_end(clause.substr(after));
    // What an ideograph leaves open or unsaid: "S_{表面}=48" leaves "}=48", "综上: t=1".
    while (!tail.empty() && (tail[0] == '}' || tail[0] == ':' || tail[0] == '=')) {
      tail = trim(tail.substr(1));
    }
    bool math = std::any_of(tail.begin(), tail.end(), [](char c) {
      return is_digit(c) || c == '\\' || std::isalpha(static_cast<unsigned char>(c));
    });
    if (!math) continue;
    // An ideograph inside braces ("V_{三棱锥O-PBC}=...") leaves them unbalanced: the last
    // side of the chain that is whole is the answer.
    if (std::count(tail.begin(), tail.end(), '{') != std::count(tail.begin(), tail.end(), '}')) {
      size_t eq = tail.rfind('=');
      if (eq == std::string_view::npos) continue;
      tail = trim(tail.substr(eq + 1));
      if (std::count(tail.begin(), tail.end(), '{') != std::count(tail.begin(), tail.end(), '}')) {
        continue;
      }
    }
    std::string answer = last_aligned_row(std::string(tail));
    std::vector<size_t> eq = top_level_positions(answer, "=");
    if (eq.size() >= 2 && top_level_positions(answer, ",").empty()) {
      answer = std::string(trim(std::string_view(answer).substr(eq.back() + 1)));
    }
    if (!answer.empty()) return answer;
  }
  return std::nullopt;
}

// A text that is nothing but a math answer: one math span ("$[0,1)$", "\(x \ge 5\)")
// or short LaTeX with no word outside commands ("\frac{10}{9}"), returned without its
// delimiters; else nullopt.
std::optional<std::string> whole_math(std::string_view text) {
  std::string_view t = trim(text);
  bool delimited = starts_with(t, "$") || starts_with(t, "\\(") || starts_with(t, "\\[");
  if (!delimited && t.find('\\') == std::string_view::npos) return std::nullopt;
  std::string answer = clean_answer_text(text);
  if (answer.empty() || answer.size() > 200 || answer.find('$') != std::string::npos ||
      answer.find('\n') != std::string::npos) {
    return std::nullopt;
  }
  // One "$...$" span around the whole text is math however it reads: "$odd$".
  if (starts_with(t, "$") && ascii::ends_with(t, "$")) return answer;
  for (size_t i = 0; i < answer.size(); ++i) {
    if (answer[i] == '\\') {  // a command name is no word
      while (i + 1 < answer.size() && std::isalpha(static_cast<unsigned char>(answer[i + 1]))) ++i;
      continue;
    }
    size_t j = i;
    while (j < answer.size() && std::isalpha(static_cast<unsigned char>(answer[j]))) ++j;
    // A word: three letters or more, or two standing apart ("x is 3").
    bool apart = (i == 0 || answer[i - 1] == ' ') && (j == answer.size() || answer[j] == ' ');
    if (j - i >= 3 || (j - i == 2 && apart)) return std::nullopt;
    if (j > i) i = j - 1;
  }
  return answer;
}

// The last math span of `text` ("$...$", "$$...$$", "\\(...\\)", "\\[...\\]") when the
// text's last digit lies inside it and it is not over 200 characters, without its
// delimiters: "Therefore $x \\geq 5$ is the solution." gives "x \\geq 5", where the last
// number would give "5". Of a longer span, what follows its last "=". Else nullopt.
std::optional<std::string> last_math_span(std::string_view text) {
  size_t last_digit = text.size();
  while (last_digit > 0 && !is_digit(text[last_digit - 1])) --last_digit;
  if (last_digit == 0) return std::nullopt;
  --last_digit;
  std::optional<std::string> span;
  size_t i = 0;
  while (i < text.size() && i <= last_digit) {
    std::string_view close;
    size_t open_size = 0;
    if (starts_with(text.substr(i), "$$")) {
      close = "$$", open_size = 2;
    } else if (text[i] == '$' && (i == 0 || text[i - 1] != '\\')) {
      close = "$", open_size = 1;
    } else if (starts_with(text.substr(i), "\\(")) {
      close = "\\)", open_size = 2;
    } else if (starts_with(text.substr(i), "\\[")) {
      close = "\\]", open_size = 2;
    } else {
      ++i;
      continue;
    }
    size_t begin = i + open_size;
    size_t end = text.find(close, begin);
    if (end == std::string_view::npos) return std::nullopt;
    if (begin <= last_digit && last_digit < end) {
      std::string_view inside = trim(text.substr(begin, end - begin));
      // A long span that ends a computation ends on its value: "... = \frac{88}{225}".
      if (inside.size() > 200) {
        size_t eq = inside.rfind('=');
        inside = eq == std::string_view::npos ? std::string_view() : trim(inside.substr(eq + 1));
        if (inside.find_first_of("0123456789") == std::string_view::npos) inside = {};
      }
      if (!inside.empty() && inside.size() <= 200) span = std::string(inside);
    }
    i = end + close.size();
  }
  return span;
}

// The last number: -?digits(,ddd)*(.digits)?(/digits)?
std::optional<std::string> last_number(std::string_view text) {
  std::optional<std::string> last;
  size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i]) && !(text[i] == '.' && i + 1 < text.size() && is_digit(text[i + 1]))) {
      ++i;
      continue;
    }
    size_t start = i;
    if (start > 0 && text[start - 1] == '-') --start;
    while (i < text.size() && is_digit(text[i])) ++i;
    while (i + 3 < text.size() + 0 && text[i] == ',' && is_digit(text[i + 1]) &&
           is_digit(text[i + 2]) && is_digit(text[i + 3]) &&
           (i + 4 >= text.size() || !is_digit(text[i + 4]))) {
      i += 4;
    }
    if (i + 1 < text.size() && text[i] == '.' && is_digit(text[i + 1])) {
      ++i;
      while (i < text.size() && is_digit(text[i])) ++i;
    }
    if (i + 1 < text.size() && text[i] == '/' && is_digit(text[i + 1])) {
      ++i;
      while (i < text.size() && is_digit(text[i])) ++i;
    }
    std::string number(text.substr(start, i - start));
    number.erase(std::remove(number.begin(), number.end(), ','), number.end());
    last = std::move(number);
  }
  return last;
}

// A choice letter written as "B", "(B)", "B)", "\text{B}", "\textbf{(B)}", "B." etc.
std::optional<char> letter_of(std::string_view s, char max_letter) {
  std::string t = clean_answer_text(s);
  std::string_view v = t;
  for (std::string_view wrap : {"\\text{", "\\textbf{", "\\mathrm{", "\\mathbf{"}) {
    if (v.size() > wrap.size() && v.substr(0, wrap.size()) == wrap && v.back() == '}') {
      v = trim(v.substr(wrap.size(), v.size() - wrap.size() - 1));
    }
  }
  if (!v.empty() && v.front() == '(') v.remove_prefix(1);
  if (!v.empty() && (v.back() == ')' || v.back() == '.')) v.remove_suffix(1);
  v = trim(v);
  if (v.size() != 1) return std::nullopt;
  char c = static_cast<char>(std::toupper(static_cast<unsigned char>(v[0])));
  if (c < 'A' || c > max_letter) return std::nullopt;
  return c;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

}  // namespace

const char* answer_source_name(AnswerSource source) {
  switch (source) {
    case AnswerSource::kBoxed:
      return "boxed";
    case AnswerSource::kFinalAnswerLine:
      return "answer_line";
    case AnswerSource::kWholeText:
      return "whole_text";
    case AnswerSource::kFinalClause:
      return "final_clause";
    case AnswerSource::kLastMath:
      return "last_math";
    case AnswerSource::kLastNumber:
      return "last_number";
    case AnswerSource::kNone:
      break;
  }
  return "none";
}

std::optional<std::string> extract_last_boxed(std::string_view text) {
  std::vector<Boxed> boxed = all_boxed(text);
  if (boxed.empty()) return std::nullopt;
  size_t first = boxed.size() - 1;
  while (first > 0 && only_joins(text.substr(boxed[first - 1].end,
                                             boxed[first].begin - boxed[first - 1].end))) {
    --first;
  }
  std::string answer = boxed[first].body;
  for (size_t i = first + 1; i < boxed.size(); ++i) {
    if (boxed[i].body != boxed[i - 1].body) answer += ", " + boxed[i].body;  // once each
  }
  return answer;
}

ExtractedAnswer extract_answer(std::string_view raw) {
  // Backslashes that JSON turned into control characters ("\t" of "\text") are put back
  // first: trimming would take them.
  std::string repaired(raw);
  repair_control_escapes(repaired);
  if (auto boxed = extract_last_boxed(repaired)) {
    return {std::move(*boxed), AnswerSource::kBoxed};
  }
  drop_noise(repaired);
  std::string_view text = repaired;
  if (auto line = answer_after_marker(text)) {
    return {std::move(*line), AnswerSource::kFinalAnswerLine};
  }
  if (auto clause = chinese_final_clause(text)) {
    return {conclusion(std::move(*clause)), AnswerSource::kFinalClause};
  }
  if (auto whole = whole_math(text)) {
    return {conclusion(last_aligned_row(std::move(*whole))), AnswerSource::kWholeText};
  }
  if (auto span = last_math_span(text)) {
    return {conclusion(last_aligned_row(std::move(*span))), AnswerSource::kLastMath};
  }
  if (auto number = last_number(text)) return {std::move(*number), AnswerSource::kLastNumber};
  return {};
}

std::optional<char> extract_choice_letter(std::string_view text, char max_letter) {
  max_letter = static_cast<char>(std::toupper(static_cast<unsigned char>(max_letter)));
  if (max_letter < 'A' || max_letter > 'Z') max_letter = 'Z';
  // An answer that is nothing but a letter: "B", "(B)", "B)", "B.".
  if (auto letter = letter_of(text, max_letter)) return letter;
  std::vector<Boxed> boxed = all_boxed(text);
  for (auto it = boxed.rbegin(); it != boxed.rend(); ++it) {
    if (auto letter = letter_of(it->body, max_letter)) return letter;
  }
  // "Answer: B", "answer is (B)", "Answer: **B**": the first letter token after the marker.
  std::optional<char> after_marker;
  for (std::string_view marker : {"answer:", "answer is", "answer is:"}) {
    size_t from = 0, hit;
    while ((hit = find_ci(text, marker, from)) != std::string_view::npos) {
      from = hit + 1;
      size_t i = hit + marker.size();
      while (i < text.size() && (is_space(text[i]) || text[i] == '*' || text[i] == '$' ||
                                 text[i] == '(' || text[i] == ':')) {
        ++i;
      }
      if (i < text.size() && (i + 1 == text.size() || !is_word_char(text[i + 1]))) {
        char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
        if (c >= 'A' && c <= max_letter) after_marker = c;
      }
    }
  }
  if (after_marker) return after_marker;
  // The last "**B**" or "**(B)**".
  std::optional<char> bold;
  for (size_t open = text.find("**"); open != std::string_view::npos;) {
    size_t close = text.find("**", open + 2);
    if (close == std::string_view::npos) break;
    if (close - open <= 8) {
      if (auto letter = letter_of(text.substr(open + 2, close - open - 2), max_letter)) {
        bold = letter;
      }
    }
    open = text.find("**", close + 2);
  }
  if (bold) return bold;
  // The last "(B)" standing alone.
  std::optional<char> paren;
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] == '(' && text[i + 2] == ')' && (i == 0 || !is_word_char(text[i - 1]))) {
      char c = text[i + 1];
      if (c >= 'A' && c <= max_letter) paren = c;
    }
  }
  return paren;
}

}  // namespace s1
