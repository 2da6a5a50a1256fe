#!/usr/bin/env bash
# Generation speed of `s1 generate` with budget forcing (two ignored ends) against
# llama.cpp's own llama-bench token generation (tg), on the shape-true Qwen2.5-0.5B Q8_0
# test model, with the same threads, in one run. Prints both figures and their ratio.
#
#   bench/generate_vs_llama_bench.sh [threads] [repetitions]
#
# Needs a build (scripts/build.sh). The model is written once to build/bench/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=${1:-$(nproc)}
reps=${2:-5}
n_gen=128
s1="$root/build/bin/s1"
bench="$root/.deps/llama/bin/llama-bench"
model="$root/build/bench/qwen05b-q8.gguf"
mkdir -p "$root/build/bench"
[ -f "$model" ] || "$s1" make-test-model --shape qwen2.5-0.5b -o "$model"

# llama-bench: tg of n_gen tokens, reps repetitions, mean tokens/s.
ref=$("$bench" -m "$model" -p 0 -n "$n_gen" -t "$threads" -r "$reps" -o json 2>/dev/null |
  python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["avg_ts"])')

# s1 generate: greedy, the end trigger (<|im_start|>) pushed up so the model tries to stop
# early and is made to go on twice ("Wait"), then capped at n_gen thinking tokens.
# Generation tokens/s = sampled tokens / time from the first sampled token to the end.
ours=()
for _ in $(seq "$reps"); do
  ours+=("$("$s1" generate -m "$model" -t "$threads" -p "Solve x^2 = 4." --num-ignore 2 \
    --min-think 40 --max-think "$n_gen" --max-answer 0 --logit-bias 151644+2 --json |
    python3 -c 'import json,sys
d = json.load(sys.stdin); s = d["samples"][0]
ignores = sum(e["kind"] == "ignore" for e in s["events"])
assert ignores >= 2, "expected at least two ignored ends, got %d" % ignores
print(d["timings"]["generation_tokens_per_s"])')")
done
python3 - "$ref" "${ours[@]}" <<'PY'
import statistics, sys
ref = float(sys.argv[1]); ours = [float(x) for x in sys.argv[2:]]
mean = statistics.mean(ours)
print(f"llama-bench tg{128}: {ref:.2f} t/s")
print(f"s1 generate (budget forcing): {mean:.2f} t/s (runs: {', '.join(f'{x:.2f}' for x in ours)})")
print(f"ratio: {mean / ref:.3f}")
PY
