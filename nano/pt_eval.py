#!/usr/bin/env python3
"""Greedy accuracy of a PyTorch checkpoint on a test JSONL, without llama.cpp (a quick
check while training; the model's real evaluation is `s1 eval` on the GGUF)."""
import argparse
import json
import re
import sys

import torch

import model as nano


def generate(m, prompt_ids, max_new):
    ids = list(prompt_ids)
    with torch.no_grad():
        for _ in range(max_new):
            logits = m(torch.tensor([ids]))[0, -1]
            t = int(torch.argmax(logits))
            if t == nano.EOS_ID:
                break
            ids.append(t)
    return nano.decode(ids[len(prompt_ids):])


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--ckpt", required=True)
    p.add_argument("--test", required=True)
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--show", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(2)
    m = nano.load(a.ckpt)
    rows = [json.loads(l) for l in open(a.test)][: a.limit]
    right = 0
    for i, r in enumerate(rows):
        prompt = nano.render_chat([{"role": "user", "content": r["problem"]}], add_generation_prompt=True)
        out = generate(m, nano.encode(prompt), 700)
        got = re.findall(r"\\boxed\{([^}]*)\}", out)
        ok = bool(got) and got[-1] == r["answer"]
        right += ok
        if i < a.show or not ok and a.show < 0:
            print(r["problem"], r["answer"], "OK" if ok else "WRONG")
            print(out)
    print(f"accuracy {right}/{len(rows)}")


if __name__ == "__main__":
    sys.exit(main())
