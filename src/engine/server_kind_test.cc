#include "engine/server_kind.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace s1 {
namespace {

using nlohmann::json;

TEST(ServerKind, ParsesNamesAndRefusesOthers) {
  for (const char* name : {"auto", "openai", "vllm", "sglang", "llama", "s1"}) {
    EXPECT_STREQ(to_string(parse_server_kind(name)), name);
  }
  EXPECT_THROW(parse_server_kind("tgi"), std::invalid_argument);
}

TEST(ServerKind, DetectsFromModelsAndProps) {
  auto models = [](const char* owner) {
    return json{{"object", "list"}, {"data", {{{"id", "m"}, {"owned_by", owner}}}}}.dump();
  };
  EXPECT_EQ(detect_server_kind(models("vllm"), ""), ServerKind::kVllm);
  EXPECT_EQ(detect_server_kind(models("sglang"), ""), ServerKind::kSglang);
  EXPECT_EQ(detect_server_kind(models("llamacpp"), ""), ServerKind::kLlama);
  EXPECT_EQ(detect_server_kind(models("s1.cpp"), "not json"), ServerKind::kS1);
  EXPECT_EQ(detect_server_kind(models("openai"), "{}"), ServerKind::kOpenAi);
  EXPECT_EQ(detect_server_kind("", R"({"default_generation_settings": {}})"),
            ServerKind::kLlama);
  EXPECT_EQ(detect_server_kind("[1]", "\"x\""), ServerKind::kOpenAi);
}

SegmentStops trigger_stops(bool mask) {
  SegmentStops s;
  s.stop = {"<|im_start|>", "<|im_end|>"};
  s.stop_token_ids = {151644};
  s.special_text = {"<|im_start|>"};
  s.mask_trigger = mask;
  return s;
}

TEST(ServerKind, MapsVllmFields) {
  const json body = json::parse(segment_fields(ServerKind::kVllm, trigger_stops(true)));
  EXPECT_EQ(body["stop"], json({"<|im_start|>", "<|im_end|>"}));
  EXPECT_EQ(body["stop_token_ids"], json({151644}));
  EXPECT_EQ(body["skip_special_tokens"], false);
  EXPECT_EQ(body["spaces_between_special_tokens"], false);
  EXPECT_EQ(body["include_stop_str_in_output"], false);
  EXPECT_EQ(body["min_tokens"], 1);
  EXPECT_FALSE(body.contains("no_stop_trim"));
  EXPECT_FALSE(body.contains("preserved_tokens"));
  const json plain = json::parse(segment_fields(ServerKind::kVllm, trigger_stops(false)));
  EXPECT_FALSE(plain.contains("min_tokens"));
}

TEST(ServerKind, MapsSglangFields) {
  const json body = json::parse(segment_fields(ServerKind::kSglang, trigger_stops(true)));
  EXPECT_EQ(body["stop_token_ids"], json({151644}));
  EXPECT_EQ(body["skip_special_tokens"], false);
  EXPECT_EQ(body["no_stop_trim"], false);
  EXPECT_EQ(body["min_tokens"], 1);
  EXPECT_FALSE(body.contains("include_stop_str_in_output"));
}

TEST(ServerKind, MapsLlamaServerAndS1Fields) {
  const json llama = json::parse(segment_fields(ServerKind::kLlama, trigger_stops(true)));
  EXPECT_EQ(llama["preserved_tokens"], json({"<|im_start|>"}));
  EXPECT_EQ(llama["cache_prompt"], true);
  EXPECT_FALSE(llama.contains("stop_token_ids"));  // llama-server has no such field
  EXPECT_FALSE(llama.contains("min_tokens"));
  const json s1 = json::parse(segment_fields(ServerKind::kS1, trigger_stops(false)));
  EXPECT_EQ(s1["cache_prompt"], true);
  EXPECT_FALSE(s1.contains("skip_special_tokens"));
  const json openai = json::parse(segment_fields(ServerKind::kOpenAi, trigger_stops(true)));
  EXPECT_EQ(openai.size(), 1u);  // the stop strings alone
  EXPECT_TRUE(stops_at_token_ids(ServerKind::kVllm));
  EXPECT_FALSE(stops_at_token_ids(ServerKind::kLlama));
}

}  // namespace
}  // namespace s1
