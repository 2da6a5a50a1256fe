// JSON of a sample's forcing events and probes, one shape for every front end
// (`s1 generate --json`, the server's `s1` object and stream events, eval's
// samples.jsonl).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "core/adaptive_exit.h"
#include "core/budget_forcing.h"
#include "core/suppress_words.h"
#include "engine/scheduler.h"

namespace s1::cli {

// [{"kind", "thinking_tokens", "reason", "text", "retracted"}, ...]. `with_text` false
// leaves "text" empty (a plain continuation shows nothing it would insert).
nlohmann::json events_json(const std::vector<ForcingEvent>& events, bool with_text = true);

// {"thinking_tokens", "answer", "closed", "confidence", "hesitated", "agreed", "confident"}
nlohmann::json probe_json(const ProbeRecord& probe);
nlohmann::json probes_json(const std::vector<ProbeRecord>& probes);

// Whether a sample has anything to say about probes (some ran, or some were skipped).
bool probed(const SequenceResult& r);
// Sets j["probes"] (probes_json), j["probe_tokens"] and j["probes_skipped"] from `r`.
void add_probe_fields(const SequenceResult& r, nlohmann::json& j);

// {"word": [token, ...], ...}: the tokens each suppressed word masks.
nlohmann::json suppressed_json(const std::vector<SuppressedTokens>& suppressed);

}  // namespace s1::cli
