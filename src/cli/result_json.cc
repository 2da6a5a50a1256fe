#include "cli/result_json.h"

#include <string>

namespace s1::cli {

nlohmann::json events_json(const std::vector<ForcingEvent>& events, bool with_text) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : events) {
    out.push_back({{"kind", to_string(e.kind)},
                   {"thinking_tokens", e.thinking_tokens},
                   {"reason", e.reason},
                   {"text", with_text ? e.text : std::string()},
                   {"retracted", e.retracted}});
  }
  return out;
}

nlohmann::json probe_json(const ProbeRecord& p) {
  nlohmann::json j = {{"thinking_tokens", p.thinking_tokens},
                      {"answer", p.answer},
                      {"closed", p.closed},
                      {"confidence", p.confidence},
                      {"hesitated", p.hesitated},
                      {"agreed", p.agreed},
                      {"confident", p.confident}};
  if (p.cut) j["cut"] = true;
  return j;
}

nlohmann::json probes_json(const std::vector<ProbeRecord>& probes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : probes) out.push_back(probe_json(p));
  return out;
}

bool probed(const SequenceResult& r) {
  return !r.probes.empty() || r.probes_skipped > 0 || r.probe_tokens > 0;
}

void add_probe_fields(const SequenceResult& r, nlohmann::json& j) {
  j["probes"] = probes_json(r.probes);
  j["probe_tokens"] = r.probe_tokens;
  j["probes_skipped"] = r.probes_skipped;
}

nlohmann::json suppressed_json(const std::vector<SuppressedTokens>& suppressed) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& s : suppressed) out[s.word] = s.tokens;
  return out;
}

}  // namespace s1::cli
