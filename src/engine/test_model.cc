#include "engine/test_model.h"

#include "core/random.h"

#include <ggml.h>
#include <gguf.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace s1 {
namespace {

// ChatML; the think-tags variant opens thinking itself, as QwQ and R1 distills do.
const char kChatMl[] =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] "
    "+ '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' "
    "}}{% endif %}";
const char kChatMlThink[] =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] "
    "+ '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n"
    "<think>\\n' }}{% endif %}";

// Uniform in [-scale, scale), from a generator fixed across platforms, so a seed gives
// the same model everywhere.
float uniform(SplitMix64& rng, float scale) {
  return scale * (static_cast<float>(rng.next() >> 40) / static_cast<float>(1ull << 23) - 1.0f);
}

struct GgufDeleter {
  void operator()(gguf_context* c) const { gguf_free(c); }
};
struct GgmlDeleter {
  void operator()(ggml_context* c) const { ggml_free(c); }
};

ggml_type parse_type(const std::string& type) {
  if (type == "f32") return GGML_TYPE_F32;
  if (type == "f16") return GGML_TYPE_F16;
  if (type == "q8_0") return GGML_TYPE_Q8_0;
  throw std::invalid_argument("unknown weight type '" + type + "' (f32, f16 or q8_0)");
}

}  // namespace

TestModelSpec TestModelSpec::qwen25_05b() {
  TestModelSpec s;
  s.n_embd = 896;
  s.n_layer = 24;
  s.n_head = 14;
  s.n_head_kv = 2;
  s.n_ff = 4864;
  s.type = "q8_0";
  return s;
}

int64_t write_test_model(const TestModelSpec& spec) {
  const ggml_type wtype = parse_type(spec.type);
  if (spec.n_embd <= 0 || spec.n_layer <= 0 || spec.n_head <= 0 || spec.n_head_kv <= 0 ||
      spec.n_ff <= 0 || spec.n_ctx_train <= 0) {
    throw std::invalid_argument("model shapes must be positive");
  }
  if (spec.n_embd % spec.n_head != 0 || spec.n_head % spec.n_head_kv != 0) {
    throw std::invalid_argument("n_embd must divide by n_head, and n_head by n_head_kv");
  }
  const int64_t block = ggml_blck_size(wtype);
  if (spec.n_embd % block != 0 || spec.n_ff % block != 0) {
    throw std::invalid_argument("n_embd and n_ff must be multiples of " + std::to_string(block) +
                                " for " + spec.type);
  }

  gguf_init_params vp{true, nullptr};
  std::unique_ptr<gguf_context, GgufDeleter> vocab(gguf_init_from_file(spec.vocab_path.c_str(), vp));
  if (!vocab) throw std::runtime_error("cannot read the vocabulary " + spec.vocab_path);
  const int64_t tokens_key = gguf_find_key(vocab.get(), "tokenizer.ggml.tokens");
  const int64_t types_key = gguf_find_key(vocab.get(), "tokenizer.ggml.token_type");
  if (tokens_key < 0 || types_key < 0) {
    throw std::runtime_error(spec.vocab_path + " has no tokenizer.ggml.tokens / token_type");
  }

  std::unique_ptr<gguf_context, GgufDeleter> out(gguf_init_empty());
  gguf_set_kv(out.get(), vocab.get());
  // The vocabulary file describes no model; drop its general.* keys but the alignment.
  for (const char* key : {"general.name", "general.architecture", "general.file_type"}) {
    gguf_remove_key(out.get(), key);
  }
  std::vector<std::string> tokens;
  const size_t n_base = gguf_get_arr_n(vocab.get(), tokens_key);
  for (size_t i = 0; i < n_base; ++i) tokens.emplace_back(gguf_get_arr_str(vocab.get(), tokens_key, i));
  const auto* base_types = static_cast<const int32_t*>(gguf_get_arr_data(vocab.get(), types_key));
  std::vector<int32_t> types(base_types, base_types + n_base);
  if (spec.think_tags) {
    for (const char* t : {"<think>", "</think>"}) {
      tokens.emplace_back(t);
      types.push_back(4);  // LLAMA_TOKEN_TYPE_USER_DEFINED, as Qwen3 ships them
    }
  }
  std::vector<const char*> token_ptrs;
  for (const auto& t : tokens) token_ptrs.push_back(t.c_str());
  gguf_set_arr_str(out.get(), "tokenizer.ggml.tokens", token_ptrs.data(), token_ptrs.size());
  gguf_set_arr_data(out.get(), "tokenizer.ggml.token_type", GGUF_TYPE_INT32, types.data(), types.size());
  gguf_set_val_str(out.get(), "tokenizer.chat_template",
                   !spec.chat_template.empty() ? spec.chat_template.c_str()
                   : spec.think_tags           ? kChatMlThink
                                               : kChatMl);

  const auto n_vocab = static_cast<int64_t>(tokens.size());
  const int64_t n_embd = spec.n_embd, n_ff = spec.n_ff;
  const int64_t n_embd_kv = n_embd / spec.n_head * spec.n_head_kv;
  gguf_set_val_str(out.get(), "general.architecture", "qwen2");
  gguf_set_val_str(out.get(), "general.name", spec.think_tags ? "s1 test model (think tags)"
                                                              : "s1 test model");
  gguf_set_val_u32(out.get(), "qwen2.context_length", static_cast<uint32_t>(spec.n_ctx_train));
  gguf_set_val_u32(out.get(), "qwen2.embedding_length", static_cast<uint32_t>(n_embd));
  gguf_set_val_u32(out.get(), "qwen2.block_count", static_cast<uint32_t>(spec.n_layer));
  gguf_set_val_u32(out.get(), "qwen2.feed_forward_length", static_cast<uint32_t>(n_ff));
  gguf_set_val_u32(out.get(), "qwen2.attention.head_count", static_cast<uint32_t>(spec.n_head));
  gguf_set_val_u32(out.get(), "qwen2.attention.head_count_kv", static_cast<uint32_t>(spec.n_head_kv));
  gguf_set_val_f32(out.get(), "qwen2.rope.freq_base", 1000000.0f);
  gguf_set_val_f32(out.get(), "qwen2.attention.layer_norm_rms_epsilon", 1e-6f);

  struct Shape {
    std::string name;
    int64_t ne0, ne1;  // ne1 == 0: a vector
    bool matrix;
  };
  std::vector<Shape> shapes = {{"token_embd.weight", n_embd, n_vocab, true},
                               {"output_norm.weight", n_embd, 0, false}};
  for (int l = 0; l < spec.n_layer; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    shapes.push_back({p + "attn_norm.weight", n_embd, 0, false});
    shapes.push_back({p + "attn_q.weight", n_embd, n_embd, true});
    shapes.push_back({p + "attn_q.bias", n_embd, 0, false});
    shapes.push_back({p + "attn_k.weight", n_embd, n_embd_kv, true});
    shapes.push_back({p + "attn_k.bias", n_embd_kv, 0, false});
    shapes.push_back({p + "attn_v.weight", n_embd, n_embd_kv, true});
    shapes.push_back({p + "attn_v.bias", n_embd_kv, 0, false});
    shapes.push_back({p + "attn_output.weight", n_embd, n_embd, true});
    shapes.push_back({p + "ffn_norm.weight", n_embd, 0, false});
    shapes.push_back({p + "ffn_gate.weight", n_embd, n_ff, true});
    shapes.push_back({p + "ffn_up.weight", n_embd, n_ff, true});
    shapes.push_back({p + "ffn_down.weight", n_ff, n_embd, true});
  }

  size_t bytes = 0;
  for (const auto& s : shapes) {
    const ggml_type t = s.matrix ? wtype : GGML_TYPE_F32;
    bytes += ggml_row_size(t, s.ne0) * static_cast<size_t>(s.matrix ? s.ne1 : 1) + ggml_tensor_overhead();
  }
  ggml_init_params gp{bytes + 1024 * 1024, nullptr, false};
  std::unique_ptr<ggml_context, GgmlDeleter> ctx(ggml_init(gp));
  if (!ctx) throw std::runtime_error("cannot allocate " + std::to_string(bytes) + " bytes for the model");

  SplitMix64 rng(spec.seed);
  int64_t params = 0;
  std::vector<float> row_buf;
  for (const auto& s : shapes) {
    ggml_tensor* t = s.matrix ? ggml_new_tensor_2d(ctx.get(), wtype, s.ne0, s.ne1)
                              : ggml_new_tensor_1d(ctx.get(), GGML_TYPE_F32, s.ne0);
    ggml_set_name(t, s.name.c_str());
    const int64_t rows = s.matrix ? s.ne1 : 1;
    params += s.ne0 * rows;
    if (!s.matrix) {
      // Norms at 1 and biases at 0, as a fresh model has them.
      const bool norm = s.name.find("norm") != std::string::npos;
      auto* data = static_cast<float*>(t->data);
      for (int64_t i = 0; i < s.ne0; ++i) data[i] = norm ? 1.0f : 0.0f;
    } else {
      // Xavier-like scale keeps activations of a deep random stack finite.
      const float scale = std::sqrt(3.0f / static_cast<float>(s.ne0));
      row_buf.resize(static_cast<size_t>(s.ne0));
      const size_t row_bytes = ggml_row_size(wtype, s.ne0);
      for (int64_t r = 0; r < rows; ++r) {
        for (auto& x : row_buf) x = uniform(rng, scale);
        char* dst = static_cast<char*>(t->data) + static_cast<size_t>(r) * row_bytes;
        if (wtype == GGML_TYPE_F32) {
          std::copy(row_buf.begin(), row_buf.end(), reinterpret_cast<float*>(dst));
        } else if (wtype == GGML_TYPE_F16) {
          ggml_fp32_to_fp16_row(row_buf.data(), reinterpret_cast<ggml_fp16_t*>(dst), s.ne0);
        } else {
          ggml_quantize_chunk(wtype, row_buf.data(), dst, 0, 1, s.ne0, nullptr);
        }
      }
    }
    gguf_add_tensor(out.get(), t);
  }
  gguf_set_val_u32(out.get(), "general.file_type",
                   wtype == GGML_TYPE_F32 ? 0u : wtype == GGML_TYPE_F16 ? 1u : 7u);
  if (!gguf_write_to_file(out.get(), spec.output_path.c_str(), false)) {
    throw std::runtime_error("cannot write " + spec.output_path);
  }
  return params;
}

}  // namespace s1
