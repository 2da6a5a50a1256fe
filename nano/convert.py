#!/usr/bin/env python3
"""Writes an s1-nano checkpoint as a GGUF file (llama architecture, F16 weights) with
gguf-py from the llama.cpp checkout (.deps/llama.cpp/gguf-py).

The tokenizer is GPT-2-style byte-level BPE with no merges: token i < 256 is byte i
(spelled with GPT-2's byte-to-unicode table, as llama.cpp expects), so every text
round-trips one byte per token; the special tokens follow, each a single token. The
chat template is ChatML whose generation prompt opens thinking ("<think>\\n"), so s1
detects the think-tags format as for DeepSeek-R1 distills; `enable_thinking=false`
closes it at once, as Qwen3's template does.
"""
import argparse
import os
import sys

import numpy as np

import model as nano

CHAT_TEMPLATE = (
    "{%- for message in messages -%}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}"
    "{{- '<|im_start|>assistant\\n' -}}"
    "{%- if enable_thinking is defined and enable_thinking is false -%}"
    "{{- '<think>\\n\\n</think>\\n' -}}"
    "{%- else -%}"
    "{{- '<think>\\n' -}}"
    "{%- endif -%}"
    "{%- endif -%}"
)


def byte_tokens():
    """GPT-2's byte-to-unicode spelling of the 256 bytes, in byte order."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    spelled = dict(zip(bs, (chr(c) for c in cs)))
    return [spelled[b] for b in range(256)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--gguf-py", default=None, help="gguf-py folder (default: .deps/llama.cpp/gguf-py)")
    p.add_argument("--name", default="s1-nano")
    p.add_argument("--reference", help="also write PyTorch's logits for a fixed text here (JSON), "
                   "for the conversion test")
    p.add_argument("--reference-text", help="file with the text (default: a built-in trace)")
    a = p.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, a.gguf_py or os.path.join(root, ".deps", "llama.cpp", "gguf-py"))
    import gguf

    m = nano.load(a.ckpt)
    cfg = m.cfg
    w = gguf.GGUFWriter(a.out, "llama")
    w.add_name(a.name)
    w.add_context_length(cfg.context)
    w.add_embedding_length(cfg.dim)
    w.add_block_count(cfg.n_layers)
    w.add_feed_forward_length(cfg.ffn_dim)
    w.add_head_count(cfg.n_heads)
    w.add_head_count_kv(cfg.n_heads)
    w.add_rope_dimension_count(cfg.dim // cfg.n_heads)
    w.add_rope_freq_base(cfg.rope_base)
    w.add_layer_norm_rms_eps(cfg.norm_eps)
    w.add_vocab_size(cfg.n_vocab)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)

    tokens = byte_tokens() + nano.SPECIAL_TOKENS
    types = [gguf.TokenType.NORMAL] * 256 + [
        gguf.TokenType.CONTROL if t.startswith("<|") else gguf.TokenType.USER_DEFINED
        for t in nano.SPECIAL_TOKENS]
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_types(types)
    # llama.cpp needs a merges list, and gguf-py writes no empty array: one merge of two NUL
    # bytes, which no text here holds (and whose result, not being a token, would fall
    # back to its two bytes anyway).
    w.add_token_merges([tokens[0] + " " + tokens[0]])
    w.add_bos_token_id(nano.SPECIAL_IDS["<|endoftext|>"])
    w.add_add_bos_token(False)
    w.add_eos_token_id(nano.EOS_ID)
    w.add_eot_token_id(nano.EOS_ID)
    w.add_pad_token_id(nano.SPECIAL_IDS["<|endoftext|>"])
    w.add_chat_template(CHAT_TEMPLATE)

    sd = {k: v.detach().float().numpy() for k, v in m.state_dict().items()}

    def mat(name, key):
        w.add_tensor(name, sd[key].astype(np.float16))

    def vec(name, key):
        w.add_tensor(name, sd[key].astype(np.float32))

    mat("token_embd.weight", "tok_emb.weight")
    for i in range(cfg.n_layers):
        b = f"blocks.{i}."
        vec(f"blk.{i}.attn_norm.weight", b + "attn_norm.weight")
        mat(f"blk.{i}.attn_q.weight", b + "wq.weight")
        mat(f"blk.{i}.attn_k.weight", b + "wk.weight")
        mat(f"blk.{i}.attn_v.weight", b + "wv.weight")
        mat(f"blk.{i}.attn_output.weight", b + "wo.weight")
        vec(f"blk.{i}.ffn_norm.weight", b + "ffn_norm.weight")
        mat(f"blk.{i}.ffn_gate.weight", b + "w_gate.weight")
        mat(f"blk.{i}.ffn_up.weight", b + "w_up.weight")
        mat(f"blk.{i}.ffn_down.weight", b + "w_down.weight")
    vec("output_norm.weight", "norm.weight")
    mat("output.weight", "out.weight")

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print(f"convert: wrote {a.out} ({os.path.getsize(a.out)} bytes)")
    if a.reference:
        text = open(a.reference_text).read() if a.reference_text else REFERENCE_TEXT
        write_reference(m, text, a.reference)
        print(f"convert: wrote {a.reference}")


# A prompt and the start of a reasoning trace, as the model sees them.
REFERENCE_TEXT = ("<|im_start|>user\nWhat is 345+278-41?<|im_end|>\n<|im_start|>assistant\n<think>\n"
                  "345+278: 5+8=13, 4+7+1=12, 3+2+1=6. So 623.\n623-41: 3-1=2, 12-4=8, 6-0-1=5. So 582.\n"
                  "Check: 582+41=623, 623-278=345. Correct.\n</think>\nFinal Answer: \\boxed{582}")


def write_reference(m, text, path):
    """PyTorch's logits for `text` at every 8th position and the last, computed with the
    weight matrices rounded to F16 as the GGUF stores them, so that what differs from
    llama.cpp is only the order of float operations (and its F16 activations)."""
    import json
    import torch
    rounded = {k: (v.half().float() if v.dim() == 2 else v) for k, v in m.state_dict().items()}
    m.load_state_dict(rounded)
    ids = nano.encode(text)
    with torch.no_grad():
        logits = m(torch.tensor([ids]))[0]
    positions = sorted(set(list(range(0, len(ids), 8)) + [len(ids) - 1]))
    with open(path, "w") as f:
        json.dump({"text": text, "tokens": ids, "positions": positions,
                   "logits": [[round(float(x), 5) for x in logits[p]] for p in positions]}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
