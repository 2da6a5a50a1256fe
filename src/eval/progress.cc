#include "eval/progress.h"

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

Progress::Progress(FILE* out, bool terminal, size_t total, size_t done, size_t correct)
    : out_(out),
      terminal_(terminal),
      total_(total),
      done_(done),
      correct_(correct),
      done_at_start_(done),
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
  char buf[160];
  std::snprintf(buf, sizeof buf, "[%zu/%zu] acc %s | %.0f tok/s | ETA %s", done_, total_, acc,
                elapsed > 0 ? static_cast<double>(generated) / elapsed : 0.0, eta.c_str());
  return buf;
}

void Progress::update(int64_t generated) {
  const auto now = Clock::now();
  const double since = std::chrono::duration<double>(now - last_shown_).count();
  if (terminal_) {
    if (since < 0.25) return;
    std::fprintf(out_, "\r\033[K%s", line(generated).c_str());
  } else {
    const size_t step = total_ / 10 > 0 ? total_ / 10 : 1;
    if (done_ < last_shown_done_ + step && since < 30) return;
    if (done_ == last_shown_done_ && since < 30) return;
    std::fprintf(out_, "s1 eval: %s\n", line(generated).c_str());
  }
  std::fflush(out_);
  last_shown_ = now;
  last_shown_done_ = done_;
}

void Progress::finish(int64_t generated) {
  if (terminal_) {
    std::fprintf(out_, "\r\033[K%s\n", line(generated).c_str());
  } else {
    std::fprintf(out_, "s1 eval: %s\n", line(generated).c_str());
  }
  std::fflush(out_);
}

}  // namespace s1::eval
