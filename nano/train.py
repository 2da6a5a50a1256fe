#!/usr/bin/env python3
"""Trains s1-nano on conversations written by `s1 curate export --conversations`.

Each record is {"messages": [{"role": "user", ...}, {"role": "assistant", ...}]}; the
assistant turn holds "<think>\\n" + trace + "\\n</think>\\n" + answer. The loss covers the
assistant turn after "<think>\\n" (the chat template writes that part of the prompt) and
its closing <|im_end|>, except a slipped value: the digits just before " Wait," are
masked, so the model learns the correction and not the slip. A trace that was cut short
(its thinking does not end with "Correct.", see gen_data.py) is a target only from its
answer's box on: the end of thinking there is what a cap inserts, not what the model
should choose, so the model learns to answer after a cut but never to cut itself.

Deterministic for a seed up to CPU float order. Batches hold examples of similar length
(about --batch-tokens tokens each, padding included).
"""
import argparse
import math
import random
import re
import sys
import time

import torch
import torch.nn.functional as F

import model as nano

SLIP = re.compile(r"(\d+) Wait,")
END_THINK = "\n</think>\n"
FORCED = "Final Answer:"


def example(messages):
    """(ids, mask) for one conversation; mask[i] says whether ids[i] is a target."""
    prompt = nano.render_chat(messages[:-1], add_generation_prompt=True)
    reply = messages[-1]["content"]
    if messages[-1]["role"] != "assistant" or not reply.startswith("<think>\n"):
        raise ValueError("the last message must be the assistant's, opening with <think>")
    body = reply[len("<think>\n"):]
    ids = nano.encode(prompt)
    mask = [0] * len(ids)
    end = body.find(END_THINK)
    if end >= 0 and not body[:end].endswith("Correct."):
        forced = body.index(FORCED, end) + len(FORCED)
        ids += nano.encode(body[:forced])
        mask += [0] * (len(ids) - len(mask))
        part = nano.encode(body[forced:]) + [nano.EOS_ID]
        return ids + part, mask + [1] * len(part)
    pos = 0
    for m in SLIP.finditer(body):
        part = nano.encode(body[pos:m.start(1)])
        ids += part
        mask += [1] * len(part)
        slipped = nano.encode(m.group(1))
        ids += slipped
        mask += [0] * len(slipped)
        pos = m.end(1)
    part = nano.encode(body[pos:]) + [nano.EOS_ID]
    ids += part
    mask += [1] * len(part)
    return ids, mask


def batches(examples, batch_tokens, rng):
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i][0]), i))
    out, cur, longest = [], [], 0
    for i in order:
        n = len(examples[i][0])
        if cur and max(longest, n) * (len(cur) + 1) > batch_tokens:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def collate(examples, idx):
    T = max(len(examples[i][0]) for i in idx)
    ids = torch.zeros((len(idx), T), dtype=torch.long)
    tgt = torch.full((len(idx), T), -100, dtype=torch.long)
    for r, i in enumerate(idx):
        x, m = examples[i]
        ids[r, :len(x)] = torch.tensor(x)
        y = torch.tensor([t if mm else -100 for t, mm in zip(x[1:], m[1:])], dtype=torch.long)
        tgt[r, :len(y)] = y
    return ids, tgt


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="conversations JSONL (s1 curate export --conversations)")
    p.add_argument("--out", required=True, help="checkpoint to write (.pt)")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch-tokens", type=int, default=6144)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--weight-decay", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0, help="0: all cores")
    p.add_argument("--dim", type=int, default=128)
    p.add_argument("--layers", type=int, default=6)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ffn", type=int, default=352)
    p.add_argument("--log-every", type=int, default=50)
    p.add_argument("--init", help="start from this checkpoint's weights (a second phase: a warm "
                   "restart of the schedule; the architecture flags are then the checkpoint's)")
    a = p.parse_args()

    import os
    torch.set_num_threads(a.threads or os.cpu_count() or 1)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)

    t0 = time.time()
    examples = [example(m) for m in nano.read_conversations(a.data)]
    if not examples:
        sys.exit("train: no conversations in " + a.data)
    n_tok = sum(len(x) for x, _ in examples)
    print(f"train: {len(examples)} conversations, {n_tok} tokens, "
          f"longest {max(len(x) for x, _ in examples)}", flush=True)

    if a.init:
        model = nano.load(a.init)
        cfg = model.cfg
    else:
        cfg = nano.Config(dim=a.dim, n_layers=a.layers, n_heads=a.heads, ffn_dim=a.ffn)
        model = nano.NanoModel(cfg)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"train: model {n_params} parameters ({cfg.to_dict()})", flush=True)
    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.98), eps=1e-8)

    def lr_at(step):
        if step < a.warmup:
            return a.lr * (step + 1) / a.warmup
        t = (step - a.warmup) / max(1, a.steps - a.warmup)
        return a.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * t)))

    plan, step, seen_tok, loss_sum, loss_n = [], 0, 0, 0.0, 0
    model.train()
    while step < a.steps:
        if not plan:
            plan = batches(examples, a.batch_tokens, rng)
        idx = plan.pop()
        ids, tgt = collate(examples, idx)
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        logits = model(ids)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), tgt.view(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        seen_tok += ids.numel()
        loss_sum += loss.item()
        loss_n += 1
        if step % a.log_every == 0 or step == a.steps:
            el = time.time() - t0
            print(f"train: step {step}/{a.steps} loss {loss_sum / loss_n:.4f} lr {lr_at(step - 1):.2e} "
                  f"{seen_tok / el:.0f} tok/s {el / 60:.1f} min", flush=True)
            loss_sum, loss_n = 0.0, 0
        if step % 500 == 0 or step == a.steps:
            nano.save(model, a.out)
    print(f"train: done in {(time.time() - t0) / 60:.1f} min, checkpoint {a.out}", flush=True)


if __name__ == "__main__":
    main()
