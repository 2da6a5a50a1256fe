#!/usr/bin/env bash
# Throughput of `s1 eval --backend openai` against `s1 serve` next to the same eval on the
# local backend: the same budget-forcing sweep (16 AIME problems, 16 sequences at once,
# 2 ignored ends with "Wait"), model, threads and context, in one run. Prints generated
# tokens/s of both (thinking + answer tokens of samples.jsonl over the eval's wall time)
# and remote / local.
#
#   bench/remote_vs_local_eval.sh [threads] [max-think] [bias] [repetitions]
#
# The model: the shape-true Qwen2.5-0.5B Q8_0 test model (written once to build/bench/);
# its random weights rarely end thinking, so the end trigger <|im_start|> gets a logit
# bias (default +2.5). The remote eval renders prompts with --tokenizer-model (the same
# GGUF) and counts forced strings with it; the server runs the engine with 16 sequences.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=${1:-$(nproc)}
max_think=${2:-160}
bias=${3:-2.5}
reps=${4:-2}
parallel=16
ctx=$((parallel * 512))
s1="${S1_BUILD:-$root/build}/bin/s1"
model="$root/build/bench/qwen05b-q8.gguf"
data="$root/../shared/data/aime24.jsonl"
mkdir -p "$root/build/bench"
[ -f "$model" ] || "$s1" make-test-model --shape qwen2.5-0.5b -o "$model"
out=$(mktemp -d)

# shellcheck source=bench/servers.sh
source "$root/bench/servers.sh"  # free_port, wait_health
port=$(free_port)
serve_pid=
trap 'if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; fi; wait 2>/dev/null || true; rm -rf "$out"' EXIT
# A fresh server for each remote run: the local eval starts cold, so the remote one must
# not find the last repetition's prompts in the server's prefix cache.
start_server() {
  "$s1" serve -m "$model" --host 127.0.0.1 --port "$port" --parallel "$parallel" -t "$threads" \
    -c "$ctx" --queue 64 >"$root/build/bench/s1-serve-remote.log" 2>&1 &
  serve_pid=$!
  wait_health "$port"
}
stop_server() {
  kill "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=
}

run() {  # backend repetition
  local where=(-m "$model" -t "$threads" -c "$ctx")
  if [ "$1" = remote ]; then
    where=(--backend openai --url "http://127.0.0.1:$port" --tokenizer-model "$model")
    start_server
  fi
  "$s1" eval "${where[@]}" --parallel "$parallel" --dataset "aime24=$data" --limit 16 \
    --max-think "$max_think" --num-ignore 2 --ignore-str Wait --max-answer 16 \
    --logit-bias "151644+$bias" --no-plots --out "$out/$1-$2" >/dev/null 2>"$out/$1-$2.err" ||
    { echo "bench: the $1 eval failed:" >&2; cat "$out/$1-$2.err" >&2; exit 1; }
  if [ "$1" = remote ]; then stop_server; fi
}
# Interleaved repetitions: on a shared machine the load drifts; medians compare better.
# No server runs while the local eval runs.
for rep in $(seq "$reps"); do
  run local "$rep"
  run remote "$rep"
done

python3 - "$out" "$reps" <<'PY'
import json, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
def run(backend, rep):
    d = f"{out}/{backend}-{rep}"
    lines = [json.loads(l) for l in open(f"{d}/samples.jsonl")]
    wall = json.load(open(f"{d}/results.json"))["this_process"]["wall_s"]
    tokens = sum(l.get("thinking_tokens", 0) + l.get("answer_tokens", 0) for l in lines)
    ignores = sum(e["kind"] == "ignore" for l in lines for e in l["events"])
    return {"wall": wall, "tokens": tokens, "tps": tokens / wall, "samples": len(lines),
            "ignores": ignores}
med = {}
for backend in ("local", "remote"):
    runs = [run(backend, r) for r in range(1, reps + 1)]
    med[backend] = statistics.median(r["tps"] for r in runs)
    r0 = runs[0]
    print(f"{backend:>6}: median {med[backend]:.1f} generated tokens/s (runs: "
          + ", ".join("%.1f tok/s in %.2f s" % (r["tps"], r["wall"]) for r in runs)
          + f"); {r0['samples']} samples, {r0['tokens']} tokens, {r0['ignores']} ignored ends")
print(f"remote / local throughput: {med['remote'] / med['local']:.2f}x")
PY
