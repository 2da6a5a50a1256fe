#!/usr/bin/env bash
# Wall time of a budget-forcing sweep (16 AIME problems, 2 ignored ends, "Wait") with the
# engine's continuous schedule against the s1 reference's round-based schedule emulated on
# the same engine (`s1 eval --schedule rounds`: each round waits for its slowest sequence,
# then the next round re-submits the extended prompts). Same model, threads, budgets and
# sequences; prints both wall times and their ratio.
#
#   bench/eval_rounds_vs_continuous.sh [threads] [model] [max-think] [bias] [repetitions]
#
# Default model: the shape-true Qwen2.5-0.5B Q8_0 test model (written once to build/bench/).
# Its random weights rarely end thinking, so the end trigger <|im_start|> gets a logit bias
# (default +2.5) to make sequences end, and be extended, at different points.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
threads=${1:-$(nproc)}
model=${2:-$root/build/bench/qwen05b-q8.gguf}
max_think=${3:-160}
bias=${4:-2.5}
reps=${5:-3}
s1="$build/bin/s1"
data="$root/../shared/data/aime24.jsonl"
mkdir -p "$root/build/bench"
[ -f "$model" ] || "$s1" make-test-model --shape qwen2.5-0.5b -o "$model"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() {  # schedule repetition -> wall seconds (results.json: this process)
  "$s1" eval -m "$model" -t "$threads" -c 1024 --parallel 16 --dataset "aime24=$data" --limit 16 \
    --max-think "$max_think" --num-ignore 2 --ignore-str Wait --max-answer 16 \
    --logit-bias "151644+$bias" --no-plots --schedule "$1" --out "$out/$1-$2" >/dev/null 2>&1
}
# Interleaved repetitions: on a shared machine the load drifts; medians compare better.
for rep in $(seq "$reps"); do
  run continuous "$rep"
  run rounds "$rep"
done

python3 - "$out" "$reps" <<'PY'
import json, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
def run(schedule, rep):
    d = f"{out}/{schedule}-{rep}"
    lines = [json.loads(l) for l in open(f"{d}/samples.jsonl")]
    p = json.load(open(f"{d}/results.json"))["this_process"]
    return {"wall": p["wall_s"], "calls": p["decode"]["decode_calls"],
            "prompt": p["decode"]["prompt_tokens"], "sampled": p["decode"]["sampled_tokens"],
            "ignores": sum(e["kind"] == "ignore" for l in lines for e in l["events"])}
med = {}
for schedule in ("continuous", "rounds"):
    runs = [run(schedule, r) for r in range(1, reps + 1)]
    med[schedule] = statistics.median(r["wall"] for r in runs)
    r0 = runs[0]
    print(f"{schedule:>10}: median {med[schedule]:.2f} s wall (runs: "
          + ", ".join("%.2f" % r["wall"] for r in runs) + f"); {r0['calls']} decode calls, "
          f"{r0['prompt']} prompt tokens, {r0['sampled']} sampled tokens, {r0['ignores']} ignored ends")
print(f"rounds / continuous median wall time: {med['rounds'] / med['continuous']:.2f}x")
PY
