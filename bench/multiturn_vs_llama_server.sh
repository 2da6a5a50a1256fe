#!/usr/bin/env bash
# A growing conversation against `s1 serve` and llama.cpp's llama-server, both with their
# prompt caches on (their defaults), on the shape-true Qwen2.5-0.5B Q8_0 test model, with
# the same threads, slots and context, in one run: time per turn and in all.
#
#   bench/multiturn_vs_llama_server.sh [threads] [turns] [gen_tokens] [repetitions]
#                                      (defaults: all cores, 8, 16, 3)
#
# Each turn sends the whole conversation so far as a raw prompt to /v1/completions
# (greedy, max_tokens = gen_tokens): the turn before's prompt, a fixed assistant reply
# and a new user message of about 150 tokens. Both servers get the same prompts, turn by
# turn alternating, so load on the machine affects both alike. A server that reuses the
# cells of the turn before decodes only the new part. The conversation runs
# `repetitions` times (each with its own system prompt, so nothing is cached across
# them); per turn the median time is shown. Needs a build (scripts/build.sh;
# S1_BUILD=dir for another build directory); the model is written once to build/bench/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=${1:-$(nproc)}
turns=${2:-8}
n_gen=${3:-16}
reps=${4:-3}
ctx=8192
s1="${S1_BUILD:-$root/build}/bin/s1"
llama_server="$root/.deps/llama/bin/llama-server"
model="$root/build/bench/qwen05b-q8.gguf"
mkdir -p "$root/build/bench"
[ -f "$model" ] || "$s1" make-test-model --shape qwen2.5-0.5b -o "$model"

# shellcheck source=bench/servers.sh
source "$root/bench/servers.sh"
start_servers 1 "$threads" "$ctx" -multiturn

python3 - "$s1_port" "$ll_port" "$turns" "$n_gen" "$reps" <<'PY'
import http.client, json, statistics, sys, time

s1_port, ll_port, turns, n_gen, reps = (int(a) for a in sys.argv[1:6])
words = ("the quick brown fox jumps over a lazy dog while seven wizards quietly judge "
         "each box of mixed jugs and every number from one to twenty is counted twice ").split()

def user(k):
    text = " ".join(words[(k * 7 + i) % len(words)] for i in range(110))
    return f"<|im_start|>user\nQuestion {k}: {text}?<|im_end|>\n<|im_start|>assistant\n<|im_start|>think"

def reply(k):
    return f"\nThe answer to question {k} follows from the steps above.<|im_end|>\n"

def post(port, prompt):
    body = json.dumps({"prompt": prompt, "max_tokens": n_gen, "temperature": 0})
    t0 = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    c.request("POST", "/v1/completions", body, {"Content-Type": "application/json"})
    r = c.getresponse()
    data = json.loads(r.read())
    assert r.status == 200, data
    return time.perf_counter() - t0, data["usage"]

post(s1_port, "<|im_start|>user\nwarm up<|im_end|>\n"); post(ll_port, "<|im_start|>user\nwarm up<|im_end|>\n")
times = {"ll": [[] for _ in range(turns)], "s1": [[] for _ in range(turns)]}
info = [None] * turns
for rep in range(reps):
    prompt = (f"<|im_start|>system\nYou are careful assistant number {rep}, "
              "who checks every step.<|im_end|>\n")
    for k in range(turns):
        prompt += user(k)
        order = (("ll", ll_port), ("s1", s1_port)) if (rep + k) % 2 == 0 else (("s1", s1_port), ("ll", ll_port))
        for name, port in order:
            t, u = post(port, prompt)
            times[name][k].append(t)
            if name == "s1":
                info[k] = (u["prompt_tokens"], u.get("prompt_tokens_details", {}).get("cached_tokens", 0))
        prompt += reply(k)
print(f"{'turn':>4} {'prompt tok':>10} {'llama-server s':>14} {'s1 serve s':>10} {'s1 cached':>9} {'llama / s1':>10}")
total_ll = total_s1 = 0.0
slower = 0
for k in range(turns):
    t_ll = statistics.median(times["ll"][k])
    t_s1 = statistics.median(times["s1"][k])
    total_ll += t_ll
    total_s1 += t_s1
    slower += t_s1 > t_ll
    print(f"{k + 1:>4} {info[k][0]:>10} {t_ll:>14.3f} {t_s1:>10.3f} {info[k][1]:>9} {t_ll / t_s1:>9.2f}x")
print(f"{'all':>4} {'':>10} {total_ll:>14.3f} {total_s1:>10.3f} {'':>9} {total_ll / total_s1:>9.2f}x")
print(f"medians of {reps} conversations; turns where s1 serve was slower: {slower} of {turns}")
PY
