#include "core/utf8.h"

namespace s1 {
namespace {

// Length of the sequence a lead byte announces; 0 for a byte that cannot lead.
size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid sequence at text[i], 0 if invalid, or -(bytes present) if the text
// ends inside a sequence that is valid so far.
long valid_sequence_at(std::string_view text, size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const size_t len = sequence_length(lead);
  if (len == 0) return 0;
  for (size_t k = 1; k < len; ++k) {
    if (i + k >= text.size()) return -static_cast<long>(k);
    const auto c = static_cast<unsigned char>(text[i + k]);
    if (!is_continuation(c)) return 0;
    // Overlong forms, surrogates and code points above U+10FFFF are invalid.
    if (k == 1) {
      if (lead == 0xE0 && c < 0xA0) return 0;
      if (lead == 0xED && c > 0x9F) return 0;
      if (lead == 0xF0 && c < 0x90) return 0;
      if (lead == 0xF4 && c > 0x8F) return 0;
    }
  }
  return static_cast<long>(len);
}

const char kReplacement[] = "\xEF\xBF\xBD";

}  // namespace

size_t incomplete_utf8_tail(std::string_view text) {
  // A sequence is at most 4 bytes: only the last 3 can start an unfinished one.
  const size_t from = text.size() > 3 ? text.size() - 3 : 0;
  for (size_t i = from; i < text.size(); ++i) {
    const long r = valid_sequence_at(text, i);
    if (r < 0) return text.size() - i;
  }
  return 0;
}

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const long r = valid_sequence_at(text, i);
    if (r > 0) {
      out.append(text.substr(i, static_cast<size_t>(r)));
      i += static_cast<size_t>(r);
    } else {
      out += kReplacement;
      i += r < 0 ? static_cast<size_t>(-r) : 1;
    }
  }
  return out;
}

bool is_valid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const long r = valid_sequence_at(text, i);
    if (r <= 0) return false;
    i += static_cast<size_t>(r);
  }
  return true;
}

std::string Utf8Stream::push(std::string_view bytes) {
  pending_.append(bytes);
  const size_t hold = incomplete_utf8_tail(pending_);
  std::string out = sanitize_utf8(std::string_view(pending_).substr(0, pending_.size() - hold));
  pending_.erase(0, pending_.size() - hold);
  return out;
}

std::string Utf8Stream::flush() {
  std::string out = sanitize_utf8(pending_);
  pending_.clear();
  return out;
}

bool cjk_ideograph_at(std::string_view text, size_t i) {
  auto byte = [&text](size_t k) { return static_cast<unsigned char>(text[k]); };
  return i + 2 < text.size() && byte(i) >= 0xe4 && byte(i) <= 0xe9 &&
         (byte(i + 1) & 0xc0) == 0x80 && (byte(i + 2) & 0xc0) == 0x80;
}

}  // namespace s1
