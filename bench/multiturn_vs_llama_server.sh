#!/usr/bin/env bash
# A growing conversation against `s1 serve` and llama.cpp's llama-server, both with their
# prompt caches on (their defaults), on the shape-true Qwen2.5-0.5B Q8_0 test model, with
# the same threads, slots and context, in one run: time per turn and in all.
#
#   bench/multiturn_vs_llama_server.sh [threads] [turns] [gen_tokens] [repetitions] [conversations]
#                                      (defaults: all cores, 8, 16, 6, 1)
#
# Each turn sends the whole conversation so far as a raw prompt to /v1/completions
# (greedy, max_tokens = gen_tokens): the turn before's prompt, a fixed assistant reply
# and a new user message of about 150 tokens. A server that reuses the cells of the turn
# before decodes only the new part. The conversation runs `repetitions` times (each with
# its own system prompt, so nothing is cached across them). With `conversations` > 1,
# that many conversations run interleaved turn by turn on the servers' one slot, so each
# turn finds another conversation's cells in it: only a server that keeps dropped caches
# in host memory (llama-server's --cache-ram, on by default in both) reuses its history.
#
# Three servers get the same prompts, turn by turn, in an order that rotates from turn to
# turn and from conversation to conversation (with a multiple of 3 repetitions, each
# server comes first, second and third equally often on every turn): `s1 serve`,
# llama-server, and a second llama-server with the same flags. The
# second one does exactly the work of the first, so its ratio to the first shows what the
# machine's noise alone makes of a ratio; a turn counts as slower only if s1 serve's
# ratio falls below 1 by more than the largest such gap of the run. Per turn the table
# shows median times and the median of the ratios taken within each conversation (the
# three requests of a turn run back to back, so load on the machine affects them alike).
# Needs a build (scripts/build.sh; S1_BUILD=dir for another build directory); the model
# is written once to build/bench/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=${1:-$(nproc)}
turns=${2:-8}
n_gen=${3:-16}
reps=${4:-6}
conversations=${5:-1}
ctx=8192
s1="${S1_BUILD:-$root/build}/bin/s1"
llama_server="$root/.deps/llama/bin/llama-server"
model="$root/build/bench/qwen05b-q8.gguf"
mkdir -p "$root/build/bench"
[ -f "$model" ] || "$s1" make-test-model --shape qwen2.5-0.5b -o "$model"

# shellcheck source=bench/servers.sh
source "$root/bench/servers.sh"
start_servers 1 "$threads" "$ctx" -multiturn
start_second_llama_server 1 "$threads" "$ctx" -multiturn

python3 - "$s1_port" "$ll_port" "$ll2_port" "$turns" "$n_gen" "$reps" "$conversations" <<'PY'
import http.client, json, statistics, sys, time

s1_port, ll_port, ll2_port, turns, n_gen, reps, conversations = (int(a) for a in sys.argv[1:8])
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

servers = (("ll", ll_port), ("s1", s1_port), ("ll2", ll2_port))
for _, port in servers:
    post(port, "<|im_start|>user\nwarm up<|im_end|>\n")
times = {name: [[] for _ in range(turns)] for name, _ in servers}
cached = {name: [[] for _ in range(turns)] for name, _ in servers}
prompt_tokens = [0] * turns
for rep in range(reps):
    prompts = [(f"<|im_start|>system\nYou are careful assistant number {rep * conversations + c}, "
                "who checks every step.<|im_end|>\n") for c in range(conversations)]
    for k in range(turns):
        for c in range(conversations):
            prompts[c] += user(k)
            shift = (rep + k + c) % len(servers)
            for name, port in servers[shift:] + servers[:shift]:
                t, u = post(port, prompts[c])
                times[name][k].append(t)
                cached[name][k].append(u.get("prompt_tokens_details", {}).get("cached_tokens", 0))
                prompt_tokens[k] = u["prompt_tokens"]
            prompts[c] += reply(k)

def ratio(k, a, b):  # median over conversations of a's time / b's time on turn k
    return statistics.median(x / y for x, y in zip(times[a][k], times[b][k]))

med = {name: [statistics.median(t) for t in times[name]] for name in times}
noise = max(abs(1 - ratio(k, "ll", "ll2")) for k in range(turns))
print(f"{'turn':>4} {'prompt tok':>10} {'cached: llama':>13} {'s1':>5} {'llama-server s':>14} "
      f"{'s1 serve s':>10} {'llama / s1':>10} {'llama / llama #2':>16}")
slower = beyond = more_work = 0
for k in range(turns):
    r, r_aa = ratio(k, "ll", "s1"), ratio(k, "ll", "ll2")
    slower += r < 1
    beyond += r < 1 - noise
    # A turn's work: the prompt tokens a server decodes, i.e. those it did not reuse.
    more_work += any(c_s1 < c_ll for c_s1, c_ll in zip(cached["s1"][k], cached["ll"][k]))
    print(f"{k + 1:>4} {prompt_tokens[k]:>10} {min(cached['ll'][k]):>13} {min(cached['s1'][k]):>5} "
          f"{med['ll'][k]:>14.3f} {med['s1'][k]:>10.3f} {r:>9.3f}x {r_aa:>15.3f}x")
total = {name: sum(med[name]) for name in med}
print(f"{'all':>4} {'':>10} {'':>13} {'':>5} {total['ll']:>14.3f} {total['s1']:>10.3f} "
      f"{total['ll'] / total['s1']:>9.3f}x {total['ll'] / total['ll2']:>15.3f}x")
print(f"ratios: medians over {reps * conversations} conversations"
      + (f" ({conversations} at a time, interleaved)" if conversations > 1 else "")
      + " of the ratio within each; "
      f"llama-server against itself is off by up to {noise:.1%} on a turn")
print(f"turns where s1 serve decoded more prompt tokens than llama-server: {more_work} of {turns}")
print(f"turns where s1 serve was slower: {slower} of {turns}; "
      f"by more than llama-server differs from itself: {beyond} of {turns}")
PY
