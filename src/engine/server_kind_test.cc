#include "engine/server_kind.h"

#include <gtest/gtest.h>

#include <cmath>

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
  EXPECT_EQ(s1["stop_token_ids"], json({151644}));  // `s1 serve` takes vLLM's field
  EXPECT_FALSE(s1.contains("skip_special_tokens"));
  const json openai = json::parse(segment_fields(ServerKind::kOpenAi, trigger_stops(true)));
  EXPECT_EQ(openai.size(), 1u);  // the stop strings alone
  EXPECT_TRUE(stops_at_token_ids(ServerKind::kVllm));
  EXPECT_FALSE(stops_at_token_ids(ServerKind::kLlama));
}

TEST(ServerKind, AsksForTokenProbabilitiesInEachKindsField) {
  EXPECT_EQ(json::parse(probability_fields(ServerKind::kLlama)), json({{"n_probs", 1}}));
  for (ServerKind k : {ServerKind::kVllm, ServerKind::kSglang, ServerKind::kOpenAi}) {
    EXPECT_EQ(json::parse(probability_fields(k)), json({{"logprobs", 1}})) << to_string(k);
    EXPECT_TRUE(gives_token_probabilities(k));
  }
  EXPECT_EQ(json::parse(probability_fields(ServerKind::kS1)), json::object());
  EXPECT_FALSE(gives_token_probabilities(ServerKind::kS1));
}

TEST(ServerKind, MapsBansToEachKindsLogitBias) {
  const std::vector<std::pair<Token, float>> bias = {{5, -INFINITY}, {7, 250.0f}, {9, -3.5f}};
  EXPECT_EQ(json::parse(logit_bias_field(ServerKind::kLlama, bias)),
            json({{"5", false}, {"7", 250.0}, {"9", -3.5}}));
  for (ServerKind k : {ServerKind::kVllm, ServerKind::kSglang, ServerKind::kS1, ServerKind::kOpenAi}) {
    EXPECT_EQ(json::parse(logit_bias_field(k, bias)), json({{"5", -100.0}, {"7", 100.0}, {"9", -3.5}}))
        << to_string(k);
  }
}

}  // namespace
}  // namespace s1
