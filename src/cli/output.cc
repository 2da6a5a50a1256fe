#include "cli/output.h"

#include <algorithm>

#include "cli/result_json.h"

namespace s1::cli {
namespace {

const char kDim[] = "\x1b[2m";
const char kForced[] = "\x1b[1;33m";
const char kReset[] = "\x1b[0m";

double per_second(double count, double ms) { return ms > 0 ? count * 1000.0 / ms : 0.0; }

}  // namespace

void TextPrinter::header(const char* title) {
  std::fprintf(out_, "%s%s=== %s ===%s\n", started_ ? "\n" : "", color_ ? kDim : "", title,
               color_ ? kReset : "");
  started_ = true;
}

void TextPrinter::print(const TextChunk& chunk) {
  if (!started_) {
    // Thinking off: the answer comes first, with no delimiter before it.
    in_answer_ = chunk.channel == Channel::kAnswer;
    header(in_answer_ ? "answer" : "thinking");
  }
  if (chunk.channel == Channel::kDelimiter) {
    if (!in_answer_) header("answer");
    in_answer_ = true;
    return;
  }
  // Chunks from the budget forcer are whole characters already.
  const bool blank = chunk.text.find_first_not_of(" \n\t") == std::string::npos;
  if (chunk.forced && !blank) {
    std::fprintf(out_, "%s%s%s", color_ ? kForced : "\xC2\xAB", chunk.text.c_str(),
                 color_ ? kReset : "\xC2\xBB");
  } else if (chunk.channel == Channel::kThinking && color_) {
    std::fprintf(out_, "%s%s%s", kDim, chunk.text.c_str(), kReset);
  } else {
    std::fputs(chunk.text.c_str(), out_);
  }
  std::fflush(out_);
}

void TextPrinter::end() {
  if (started_) std::fputc('\n', out_);
  std::fflush(out_);
}

void print_result(FILE* out, const SequenceResult& r, const std::vector<TextChunk>& chunks,
                  bool color) {
  std::fprintf(out, "%s### sample %d (%s)%s\n", color ? kDim : "", r.sample,
               to_string(r.finish_reason), color ? kReset : "");
  TextPrinter p(out, color);
  for (const TextChunk& c : chunks) p.print(c);
  p.end();
  std::fflush(out);
}

std::string summary_line(const RunSummary& s, const std::vector<SequenceResult>& results) {
  long thinking = 0, answer = 0, ignores = 0, caps = 0, exits = 0, probes = 0, sampled = 0;
  double gen_ms = 0;
  for (const auto& r : results) {
    thinking += r.thinking_tokens;
    answer += r.answer_tokens;
    sampled += r.sampled_tokens;
    gen_ms = std::max(gen_ms, r.generation_ms);
    for (const auto& e : r.events) {
      ignores += e.kind == ForcingKind::kIgnore;
      caps += e.kind == ForcingKind::kCap;
      exits += e.kind == ForcingKind::kExit;
    }
    probes += static_cast<long>(r.probes.size());
  }
  const double prompt_ms = results.empty() ? 0 : results.front().prompt_ms;
  // A rate only where it was counted and timed (a remote server's prompt time is unknown).
  auto rate = [](const char* what, double count, double ms) {
    char r[64];
    std::snprintf(r, sizeof r, "%s%.1f t/s", what, per_second(count, ms));
    return ms > 0 && count > 0 ? std::string(r) : std::string();
  };
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "s1: %zu sample(s): thinking %ld tokens, answer %ld tokens, %ld ignored end(s), "
                "%ld cap(s)%s; prompt %zu tokens%s%s",
                results.size(), thinking, answer, ignores, caps,
                probes > 0 || exits > 0
                    ? (", " + std::to_string(probes) + " probe(s), " + std::to_string(exits) + " exit(s)").c_str()
                    : "",
                s.prompt_tokens,
                rate(" at ", static_cast<double>(s.prompt_tokens), prompt_ms).c_str(),
                rate(", generation ", static_cast<double>(sampled), gen_ms).c_str());
  return buf;
}

nlohmann::json result_json(const SequenceResult& r) {
  nlohmann::json j = {{"sample", r.sample},
          {"thinking", r.thinking},
          {"answer", r.answer},
          {"thinking_tokens", r.thinking_tokens},
          {"answer_tokens", r.answer_tokens},
          {"cached_tokens", r.cached_tokens},
          {"sampled_tokens", r.sampled_tokens},
          {"injected_tokens", r.injected_tokens},
          {"retracted_tokens", r.retracted_tokens},
          {"finish_reason", to_string(r.finish_reason)},
          {"max_think", r.max_think},
          {"clamped", r.clamped},
          {"thinking_off", r.thinking_off},
          {"events", events_json(r.events)},
          {"timings",
           {{"prompt_ms", r.prompt_ms},
            {"generation_ms", r.generation_ms},
            {"generation_tokens_per_s", per_second(r.sampled_tokens, r.generation_ms)}}}};
  if (probed(r)) {
    add_probe_fields(r, j);
    j["timings"]["probe_ms"] = r.probe_ms;
  }
  return j;
}

nlohmann::json generation_json(const RunSummary& s, const std::vector<SequenceResult>& results) {
  nlohmann::json samples = nlohmann::json::array();
  double gen_ms = 0;
  long sampled = 0, injected = 0;
  for (const auto& r : results) {
    samples.push_back(result_json(r));
    gen_ms = std::max(gen_ms, r.generation_ms);
    sampled += r.sampled_tokens;
    injected += r.injected_tokens;
  }
  const double prompt_ms = results.empty() ? 0 : results.front().prompt_ms;
  return {{"model", s.model},
          {"format", s.format},
          {"prompt_tokens", s.prompt_tokens},
          {"samples", samples},
          {"timings",
           {{"wall_ms", s.wall_ms},
            {"prompt_tokens_per_s", per_second(static_cast<double>(s.prompt_tokens), prompt_ms)},
            {"generation_tokens_per_s", per_second(static_cast<double>(sampled), gen_ms)},
            // Sampled and forced tokens: everything decoded after the prompt.
            {"decoded_tokens_per_s", per_second(static_cast<double>(sampled + injected), gen_ms)}}},
          {"decode",
           {{"decoded_tokens", s.stats.decoded_tokens},
            {"prompt_tokens", s.stats.prompt_tokens},
            {"sampled_tokens", s.stats.sampled_tokens},
            {"injected_tokens", s.stats.injected_tokens},
            {"retracted_tokens", s.stats.retracted_tokens},
            {"decode_calls", s.stats.decode_calls},
            {"cache_hits", s.stats.cache_hits},
            {"cache_reused_tokens", s.stats.cache_reused_tokens},
            {"probes", s.stats.probes},
            {"probe_tokens", s.stats.probe_tokens},
            {"probes_skipped", s.stats.probes_skipped},
            {"exits", s.stats.exits}}}};
}

}  // namespace s1::cli
