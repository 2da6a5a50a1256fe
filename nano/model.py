"""s1-nano's model and tokenizer, shared by the trainer, the GGUF converter and the
conversion test.

Model: a llama-architecture decoder (RMSNorm, rotary position embeddings on pairs of
adjacent dimensions as llama.cpp's LLAMA_ROPE_TYPE_NORM, SwiGLU feed-forward, no biases,
untied output), so the GGUF needs no weight permutation.

Tokenizer: one token per byte (ids 0-255, GPT-2's byte-to-unicode spelling in the GGUF,
no merges), plus five special tokens, each a single token.
"""
import json
import math
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]
N_BYTES = 256
VOCAB_SIZE = N_BYTES + len(SPECIAL_TOKENS)
SPECIAL_IDS = {t: N_BYTES + i for i, t in enumerate(SPECIAL_TOKENS)}
EOS_ID = SPECIAL_IDS["<|im_end|>"]


_SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in SPECIAL_TOKENS) + ")")


def encode(text):
    """Token ids of `text`: one per UTF-8 byte; special-token strings become their ids."""
    ids = []
    for part in _SPECIAL_SPLIT.split(text):
        if part in SPECIAL_IDS:
            ids.append(SPECIAL_IDS[part])
        else:
            ids.extend(part.encode("utf-8"))
    return ids


def decode(ids):
    out, buf = [], bytearray()
    for t in ids:
        if t < N_BYTES:
            buf.append(t)
        else:
            out.append(buf.decode("utf-8", "replace"))
            buf = bytearray()
            out.append(SPECIAL_TOKENS[t - N_BYTES])
    out.append(buf.decode("utf-8", "replace"))
    return "".join(out)


def render_chat(messages, add_generation_prompt=False):
    """ChatML, as the GGUF's chat template renders it (the assistant turn holds the
    thinking: "<think>\\n...\\n</think>\\n" + answer)."""
    text = ""
    for m in messages:
        text += f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n"
    if add_generation_prompt:
        text += "<|im_start|>assistant\n<think>\n"
    return text


class Config:
    def __init__(self, **kw):
        self.n_vocab = VOCAB_SIZE
        self.dim = 128
        self.n_layers = 6
        self.n_heads = 4
        self.ffn_dim = 352
        self.norm_eps = 1e-5
        self.rope_base = 10000.0
        self.context = 1024
        for k, v in kw.items():
            setattr(self, k, v)

    def to_dict(self):
        return dict(self.__dict__)

    @staticmethod
    def from_dict(d):
        return Config(**d)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(cfg, positions):
    """cos and sin for each position and dimension pair: [T, head_dim/2]."""
    hd = cfg.dim // cfg.n_heads
    inv = cfg.rope_base ** (-torch.arange(0, hd, 2, dtype=torch.float64) / hd)
    ang = positions.to(torch.float64)[:, None] * inv[None, :]
    return torch.cos(ang).float(), torch.sin(ang).float()


def apply_rope(x, cos, sin):
    """x: [B, H, T, hd]; rotates the pairs (x[2i], x[2i+1])."""
    x0, x1 = x[..., 0::2], x[..., 1::2]
    r0 = x0 * cos - x1 * sin
    r1 = x0 * sin + x1 * cos
    return torch.stack((r0, r1), dim=-1).flatten(-2)


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, f = cfg.dim, cfg.ffn_dim
        self.n_heads = cfg.n_heads
        self.attn_norm = RMSNorm(d, cfg.norm_eps)
        self.wq = nn.Linear(d, d, bias=False)
        self.wk = nn.Linear(d, d, bias=False)
        self.wv = nn.Linear(d, d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)
        self.ffn_norm = RMSNorm(d, cfg.norm_eps)
        self.w_gate = nn.Linear(d, f, bias=False)
        self.w_up = nn.Linear(d, f, bias=False)
        self.w_down = nn.Linear(f, d, bias=False)

    def forward(self, x, cos, sin, mask):
        B, T, D = x.shape
        H = self.n_heads
        h = self.attn_norm(x)
        q = self.wq(h).view(B, T, H, D // H).transpose(1, 2)
        k = self.wk(h).view(B, T, H, D // H).transpose(1, 2)
        v = self.wv(h).view(B, T, H, D // H).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        # scale and causal mask fused into one batched matmul: scores are most of the memory traffic
        att = torch.baddbmm(mask, q.reshape(B * H, T, D // H), k.reshape(B * H, T, D // H).transpose(1, 2),
                            alpha=1.0 / math.sqrt(D // H))
        y = (F.softmax(att, dim=-1) @ v.reshape(B * H, T, D // H)).view(B, H, T, D // H)
        x = x + self.wo(y.transpose(1, 2).reshape(B, T, D))
        h = self.ffn_norm(x)
        return x + self.w_down(F.silu(self.w_gate(h)) * self.w_up(h))


class NanoModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.n_vocab, cfg.dim)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.norm = RMSNorm(cfg.dim, cfg.norm_eps)
        self.out = nn.Linear(cfg.dim, cfg.n_vocab, bias=False)
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * cfg.n_layers) if name.endswith(("wo.weight", "w_down.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, ids):
        B, T = ids.shape
        cos, sin = rope_tables(self.cfg, torch.arange(T))
        mask = torch.full((T, T), float("-inf")).triu(1)
        x = self.tok_emb(ids)
        for blk in self.blocks:
            x = blk(x, cos, sin, mask)
        return self.out(self.norm(x))


def save(model, path):
    torch.save({"config": model.cfg.to_dict(), "state": model.state_dict()}, path)


def load(path):
    ck = torch.load(path, map_location="cpu")
    m = NanoModel(Config.from_dict(ck["config"]))
    m.load_state_dict(ck["state"])
    m.eval()
    return m


def read_conversations(path):
    with open(path) as f:
        for line in f:
            if line.strip():
                yield json.loads(line)["messages"]
