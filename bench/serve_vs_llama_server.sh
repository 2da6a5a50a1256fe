#!/usr/bin/env bash
# Serving throughput and latency of `s1 serve` against llama.cpp's llama-server, on the
# shape-true Qwen2.5-0.5B Q8_0 test model, with the same slots, threads and context, in
# one run: requests/s, generated tokens/s and p50/p99 latency at 1, 8 and 32 concurrent
# clients, and s1's throughput as a multiple of llama-server's.
#
#   bench/serve_vs_llama_server.sh [threads] [slots] [gen_tokens]   (defaults: all cores, 8, 32)
#
# Both get the same raw prompt on /v1/completions, greedy, max_tokens = gen_tokens (for
# `s1 serve` a plain continuation: no budget fields). Each level sends max(4, clients)
# requests per server, servers alternating level by level. Both run twice: with their
# prompt caches on (the default of both: a slot reuses the KV cells of a prompt that
# starts the same way) and off (cache_prompt: false, every prompt decoded). Needs a build
# (scripts/build.sh; S1_BUILD=dir to use another build directory); the model is written
# once to build/bench/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=${1:-$(nproc)}
slots=${2:-8}
n_gen=${3:-32}
ctx=$((slots * 512))
s1="${S1_BUILD:-$root/build}/bin/s1"
llama_server="$root/.deps/llama/bin/llama-server"
model="$root/build/bench/qwen05b-q8.gguf"
mkdir -p "$root/build/bench"
[ -f "$model" ] || "$s1" make-test-model --shape qwen2.5-0.5b -o "$model"

# shellcheck source=bench/servers.sh
source "$root/bench/servers.sh"
start_servers "$slots" "$threads" "$ctx" "" --queue 64

python3 - "$s1_port" "$ll_port" "$n_gen" <<'PY'
import http.client, json, sys, threading, time

s1_port, ll_port, n_gen = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
prompt = ("<|im_start|>user\nSolve x^2 = 4 and explain each step.<|im_end|>\n"
          "<|im_start|>assistant\n<|im_start|>think")

def one(port, results, cache=True):
    # cache_prompt (both servers): reuse a slot's KV cells for a prompt that starts the same.
    body = json.dumps({"prompt": prompt, "max_tokens": n_gen, "temperature": 0, "cache_prompt": cache})
    t0 = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    c.request("POST", "/v1/completions", body, {"Content-Type": "application/json"})
    r = c.getresponse()
    data = json.loads(r.read())
    assert r.status == 200, data
    results.append((time.perf_counter() - t0, data["usage"]["completion_tokens"]))

def level(port, clients, cache=True):
    n = max(4, clients)
    results, lock, next_i = [], threading.Lock(), [0]
    def client():
        while True:
            with lock:
                if next_i[0] >= n:
                    return
                next_i[0] += 1
            one(port, results, cache)
    t0 = time.perf_counter()
    ts = [threading.Thread(target=client) for _ in range(clients)]
    for t in ts: t.start()
    for t in ts: t.join()
    wall = time.perf_counter() - t0
    lat = sorted(r[0] for r in results)
    pct = lambda p: lat[min(len(lat) - 1, int(round(p * (len(lat) - 1))))]
    return {"req_s": n / wall, "tok_s": sum(r[1] for r in results) / wall,
            "p50": pct(0.5), "p99": pct(0.99), "n": n}

one(s1_port, []); one(ll_port, [])  # warm-up
print(f"{'clients':>7} {'server':>24} {'req/s':>8} {'gen tok/s':>10} {'p50 s':>8} {'p99 s':>8}")
for clients in (1, 8, 32):
    # Without caches first: what those leave in a server's slots never helps the other.
    llo = level(ll_port, clients, cache=False)
    s1o = level(s1_port, clients, cache=False)
    ll = level(ll_port, clients)
    s1 = level(s1_port, clients)
    for name, r in (("llama-server", ll), ("s1 serve", s1),
                    ("llama-server (no cache)", llo), ("s1 serve (no cache)", s1o)):
        print(f"{clients:>7} {name:>24} {r['req_s']:>8.2f} {r['tok_s']:>10.1f} {r['p50']:>8.2f} {r['p99']:>8.2f}")
    print(f"{clients:>7} {'s1 / llama-server':>24} {s1['req_s'] / ll['req_s']:>7.2f}x {s1['tok_s'] / ll['tok_s']:>9.2f}x")
    print(f"{clients:>7} {'s1 / llama (no cache)':>24} {s1o['req_s'] / llo['req_s']:>7.2f}x {s1o['tok_s'] / llo['tok_s']:>9.2f}x")
PY
