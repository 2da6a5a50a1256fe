#include "eval/progress.h"

#include <utility>

namespace s1::eval {
namespace {

std::string duration_text(double seconds) {
  char buf[32];
  const long s = static_cast<long>(seconds + 0.5);
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", s);
  }
  return buf;
}

}  // namespace

Progress::Progress(FILE* out, bool terminal, size_t total, size_t done, size_t correct,
                   ProgressStyle style)
    : out_(out),
      terminal_(terminal),
      total_(total),
      done_(done),
      correct_(correct),
      done_at_start_(done),
      style_(std::move(style)),
      start_(Clock::now()),
      last_shown_(start_),
      last_shown_done_(done) {}

void Progress::sample(bool correct) {
  ++done_;
  correct_ += correct ? 1 : 0;
}

std::string Progress::line(int64_t generated) const {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  char acc[32] = "-";
  if (done_ > 0) std::snprintf(acc, sizeof acc, "%.1f%%", 100.0 * correct_ / done_);
  const size_t new_done = done_ - done_at_start_;
  std::string eta = "?";
  if (done_ >= total_) {
    eta = "0s";
  } else if (new_done > 0) {
    eta = duration_text(elapsed / static_cast<double>(new_done) *
                        static_cast<double>(total_ - done_));
  }
  std::string out = "[" + std::to_string(done_) + "/" + std::to_string(total_) +
                    (style_.unit.empty() ? "" : " " + style_.unit) + "]";
  if (style_.accuracy) out += std::string(" acc ") + acc;
  char buf[64];
  if (generated >= 0) {
    std::snprintf(buf, sizeof buf, " | %.0f tok/s",
                  elapsed > 0 ? static_cast<double>(generated) / elapsed : 0.0);
    out += buf;
  }
  return out + " | ETA " + eta;
}

void Progress::update(int64_t generated) {
  const auto now = Clock::now();
  if (std::chrono::duration<double>(now - start_).count() < style_.delay_s) return;
  const double since = std::chrono::duration<double>(now - last_shown_).count();
  if (terminal_) {
    if (since < 0.25 && shown_) return;
    std::fprintf(out_, "\r\033[K%s", line(generated).c_str());
  } else {
    const size_t step = total_ / 10 > 0 ? total_ / 10 : 1;
    const bool due = done_ >= last_shown_done_ + step || (!shown_ && style_.delay_s > 0);
    if (!due && since < 30) return;
    if (done_ == last_shown_done_ && since < 30 && shown_) return;
    std::fprintf(out_, "%s: %s\n", style_.name.c_str(), line(generated).c_str());
  }
  std::fflush(out_);
  shown_ = true;
  last_shown_ = now;
  last_shown_done_ = done_;
}

void Progress::clear() {
  if (!terminal_ || !shown_) return;
  std::fprintf(out_, "\r\033[K");
  std::fflush(out_);
  last_shown_ = Clock::time_point{};  // drawn again at the next update()
}

void Progress::finish(int64_t generated) {
  if (style_.delay_s > 0 && !shown_) return;
  if (terminal_) {
    std::fprintf(out_, "\r\033[K%s\n", line(generated).c_str());
  } else {
    std::fprintf(out_, "%s: %s\n", style_.name.c_str(), line(generated).c_str());
  }
  std::fflush(out_);
}

}  // namespace s1::eval
