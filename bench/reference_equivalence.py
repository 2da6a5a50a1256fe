#!/usr/bin/env python3
"""Does `s1 generate`'s budget forcing do what the s1 reference loop does? A check on a real
model (s1-nano) against llama-server.

    python3 bench/reference_equivalence.py [--model models/s1-nano.gguf] [--problems 12]
        [--caps 40,100,200,400] [--ignores 0,1,2,4] [--json FILE]

The reference loop (the s1 paper's, re-expressed over llama-server's /completion with
greedy decoding and the prompt given as token ids):
  - a round asks for at most the thinking tokens left, and stops at the end delimiter
    (`</think>`) or end of generation;
  - an attempt to end thinking while ignores are left drops the delimiter and appends the
    ignore string ("Wait"); the string's tokens count toward the budget, and a string that
    would carry thinking past the budget ends it instead;
  - thinking that runs out of budget gets "\\n" (only when its text does not end with one),
    the delimiter and "\\nFinal Answer:", and the model answers;
  - an attempt that is not ignored ends thinking with the delimiter and the model answers.
Each problem, cap and ignore count runs both ways; the script compares thinking and answer
text (s1-nano has one token per byte, so equal text is equal tokens). The two runs decode
in different batch shapes, so a greedy choice between near-equal logits may flip; a
difference is reported as "sampled" when the first differing character is one the model
chose and "forced" when it is one a rule inserted (a semantic difference).
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
END = "</think>"
CAP_SUFFIX = "\nFinal Answer:"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def post(port, path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.loads(r.read())


def start_llama_server(binary, model, threads):
    port = free_port()
    log = open(os.path.join(ROOT, "build", "reference-equivalence-llama-server.log"), "w")
    # -sp: special tokens appear in the text, so "</think>" works as a stop string.
    proc = subprocess.Popen([binary, "-m", model, "--host", "127.0.0.1", "--port", str(port), "-np", "1",
                             "-c", "2048", "-t", str(threads), "-sp", "--jinja", "--no-webui"],
                            stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return proc, port
        except OSError:
            pass
        if proc.poll() is not None:
            sys.exit("reference_equivalence: llama-server exited; see build/reference-equivalence-llama-server.log")
        time.sleep(0.1)
    proc.kill()
    sys.exit("reference_equivalence: llama-server did not start")


class Reference:
    """The s1 reference loop over llama-server."""

    def __init__(self, port):
        self.port = port
        self.end_id = self.tokenize(END)[0]

    def tokenize(self, text):
        return post(self.port, "/tokenize", {"content": text, "add_special": False, "parse_special": True})["tokens"]

    def detokenize(self, ids):
        return post(self.port, "/detokenize", {"tokens": ids})["content"]

    def complete(self, ids, n_predict, stop):
        r = post(self.port, "/completion", {"prompt": ids, "n_predict": n_predict, "temperature": 0,
                                            "stop": stop, "return_tokens": True, "cache_prompt": True,
                                            "special": True})
        tokens = r["tokens"]
        if r.get("stop_type") == "eos" and tokens:
            tokens = tokens[:-1]  # the end-of-generation token ends the sequence; it is not text
        return tokens

    def run(self, problem, cap, ignores, max_answer):
        # llama-server closes thinking in the prompt unless asked to keep it open.
        prompt = post(self.port, "/apply-template", {"messages": [{"role": "user", "content": problem}],
                                                     "chat_template_kwargs": {"enable_thinking": True}})["prompt"]
        base = self.tokenize(prompt)
        thinking, forced = [], []  # forced: (start, end) character spans a rule inserted
        text = ""
        left, ignored = cap, 0
        answer_prefix = ""
        while True:
            got = self.complete(base + thinking, left, [END]) if left > 0 else []
            attempt = bool(got) and got[-1] == self.end_id
            if attempt:
                got = got[:-1]
            elif len(got) < left:
                attempt = True  # end of generation: also an attempt to end thinking
            thinking += got
            left -= len(got)
            text = self.detokenize(thinking) if thinking else ""
            if attempt and ignored < ignores:
                wait = self.tokenize("Wait")
                if len(wait) <= left:
                    forced.append((len(text), len(text) + 4))
                    thinking += wait
                    left -= len(wait)
                    ignored += 1
                    continue
                attempt = False  # the ignore string would pass the budget: the cap instead
            break
        text = self.detokenize(thinking) if thinking else ""
        if attempt:
            closing = END  # a natural end: the delimiter, then the model answers
        else:
            closing = ("" if text.endswith("\n") else "\n") + END + CAP_SUFFIX
            answer_prefix = CAP_SUFFIX
        ids = base + thinking + self.tokenize(closing)
        got = self.complete(ids, max_answer, [])
        answer = self.detokenize(got) if got else ""
        return {"thinking": text, "answer": answer_prefix + answer, "thinking_tokens": len(thinking),
                "forced": forced, "prompt_tokens": len(base)}


def s1_run(s1, model, problem, cap, ignores, max_answer, threads):
    cmd = [s1, "generate", "-m", model, "-p", problem, "--max-think", str(cap), "--num-ignore", str(ignores),
           "--max-answer", str(max_answer), "--json", "-t", str(threads), "-c", "2048"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("reference_equivalence: s1 generate failed: " + out.stderr.strip().splitlines()[-1])
    result = json.loads(out.stdout)
    sample = result["samples"][0]
    return {"thinking": sample["thinking"], "answer": sample["answer"],
            "thinking_tokens": sample["thinking_tokens"], "prompt_tokens": result["prompt_tokens"]}


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=os.path.join(ROOT, "models", "s1-nano.gguf"))
    p.add_argument("--dataset", default=os.path.join(ROOT, "data", "s1-nano-test.jsonl"))
    p.add_argument("--problems", type=int, default=12)
    p.add_argument("--caps", default="40,100,200,400")
    p.add_argument("--ignores", default="0,1,2,4")
    p.add_argument("--max-answer", type=int, default=32)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--s1", default=os.path.join(ROOT, "build", "bin", "s1"))
    p.add_argument("--llama-server", default=os.path.join(ROOT, ".deps", "llama", "bin", "llama-server"))
    p.add_argument("--json", help="write the rows and every difference here")
    a = p.parse_args()
    for path, what in ((a.s1, "s1 (scripts/build.sh)"), (a.llama_server, "llama-server (scripts/setup.sh)"),
                       (a.model, "the model"), (a.dataset, "the dataset")):
        if not os.path.exists(path):
            sys.exit(f"reference_equivalence: {what} not found at {path}")
    caps = [int(c) for c in a.caps.split(",")]
    ignores = [int(k) for k in a.ignores.split(",")]
    with open(a.dataset) as f:
        problems = [json.loads(line)["problem"] for line in f if line.strip()][:a.problems]

    proc, port = start_llama_server(a.llama_server, a.model, a.threads)
    rows, differences = [], []
    try:
        ref = Reference(port)
        for cap in caps:
            for k in ignores:
                row = {"cap": cap, "ignores": k, "runs": 0, "identical": 0, "sampled": 0, "forced": 0,
                       "waits": 0}
                for problem in problems:
                    r = ref.run(problem, cap, k, a.max_answer)
                    s = s1_run(a.s1, a.model, problem, cap, k, a.max_answer, a.threads)
                    if r["prompt_tokens"] != s["prompt_tokens"]:
                        sys.exit(f"reference_equivalence: the prompts differ ({r['prompt_tokens']} tokens "
                                 f"from llama-server's template, {s['prompt_tokens']} from s1's)")
                    row["runs"] += 1
                    row["waits"] += len(r["forced"])
                    whole_r = r["thinking"] + "\x00" + r["answer"]
                    whole_s = s["thinking"] + "\x00" + s["answer"]
                    at = first_difference(whole_r, whole_s)
                    if at is None and r["thinking_tokens"] == s["thinking_tokens"]:
                        row["identical"] += 1
                        continue
                    at = at if at is not None else len(r["thinking"])
                    if at < len(r["thinking"]):
                        kind = "forced" if any(lo <= at <= hi for lo, hi in r["forced"]) else "sampled"
                    else:
                        # Equal thinking: a difference in how it closed (the cap suffix or not)
                        # is a rule's; one in the answer after the same closing is the model's.
                        closed_r = r["answer"].startswith(CAP_SUFFIX)
                        closed_s = s["answer"].startswith(CAP_SUFFIX)
                        kind = "forced" if closed_r != closed_s or at == len(r["thinking"]) else "sampled"
                    row[kind] += 1
                    differences.append({"cap": cap, "ignores": k, "problem": problem, "kind": kind, "at": at,
                                        "reference": r, "s1": s})
                rows.append(row)
                print(f"cap {cap:4d} ignores {k}: {row['identical']}/{row['runs']} identical, "
                      f"{row['sampled']} sampled and {row['forced']} forced differences, "
                      f"{row['waits']} Waits", flush=True)
    finally:
        proc.terminate()
        proc.wait()
    total = sum(r["runs"] for r in rows)
    same = sum(r["identical"] for r in rows)
    forced = sum(r["forced"] for r in rows)
    print(f"reference_equivalence: {same}/{total} runs identical, {forced} differ where a rule inserted text")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"model": a.model, "problems": len(problems), "caps": caps, "ignores": ignores,
                       "rows": rows, "differences": differences}, f, indent=1)
    return 1 if forced else 0


if __name__ == "__main__":
    sys.exit(main())
