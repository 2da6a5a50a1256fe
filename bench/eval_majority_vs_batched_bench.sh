#!/usr/bin/env bash
# maj@16 through `s1 eval` (16 samples of one AIME problem sharing the prompt's KV cache,
# decoded together) against llama.cpp's llama-batched-bench at the same batch size, prompt
# length and generation length, on the shape-true Qwen2.5-0.5B Q8_0 test model, in one run.
# Prints both aggregate generation speeds and their ratio.
#
#   bench/eval_majority_vs_batched_bench.sh [threads] [samples]
#
# Needs a build (scripts/build.sh; BUILD=dir to use another). The model is written once
# to build/bench/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
threads=${1:-$(nproc)}
n=${2:-16}
n_think=120
n_answer=8
s1="$build/bin/s1"
bench="$root/.deps/llama/bin/llama-batched-bench"
model="$root/build/bench/qwen05b-q8.gguf"
data="$root/../shared/data/aime24.jsonl"
mkdir -p "$root/build/bench"
[ -f "$model" ] || "$s1" make-test-model --shape qwen2.5-0.5b -o "$model"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# s1 eval: majority n=16 at temperature 1, every sample capped at n_think thinking tokens
# then n_answer answer tokens. Aggregate generation tokens/s = all sampled tokens / the
# longest sample's time from its first sampled token to its end (they start together).
# The forced closing ("\n", the delimiter, "Final Answer:") is decoded too: the second
# figure counts every token decoded after the prompt, as llama-batched-bench's S_TG does.
# (llama-batched-bench decodes a fixed token and draws nothing; maj@16 draws each token
# from a full-vocabulary softmax at temperature 1.)
"$s1" eval -m "$model" -t "$threads" -c 512 --parallel "$n" --dataset "aime24=$data" --limit 1 \
  --method majority -n "$n" --max-think "$n_think" --max-answer "$n_answer" --no-plots \
  --out "$out/run" >/dev/null 2>&1
read -r ours decoded prompt gen < <(python3 - "$out/run/samples.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
sampled = sum(l["sampled_tokens"] for l in lines)
forced = sum(l["injected_tokens"] for l in lines)
wall_s = max(l["timing"]["generation_ms"] for l in lines) / 1000
print(f"{sampled / wall_s:.3f} {(sampled + forced) / wall_s:.3f} {lines[0]['prompt_tokens']} "
      f"{round(sampled / len(lines))}")
PY
)

# llama-batched-bench: the same prompt length (shared, -pps), tokens per sequence and
# number of sequences; S_TG is its aggregate generation speed.
ref=$("$bench" -m "$model" -t "$threads" -c $((512 * n)) -b 2048 -ub 512 -pps -npp "$prompt" \
  -ntg "$gen" -npl "$n" --output-format jsonl 2>/dev/null |
  python3 -c 'import json,sys
rows = [json.loads(l) for l in sys.stdin if l.startswith("{")]
print(rows[-1]["speed_tg"])')

python3 - "$ours" "$decoded" "$ref" "$n" "$prompt" "$gen" <<'PY'
import sys
ours, decoded, ref = map(float, sys.argv[1:4])
n, prompt, gen = sys.argv[4:7]
print(f"batch {n}, prompt {prompt} tokens (shared), {gen} generated tokens per sequence")
print(f"llama-batched-bench S_TG:                 {ref:.2f} t/s")
print(f"s1 eval maj@{n}, sampled tokens:          {ours:.2f} t/s")
print(f"s1 eval maj@{n}, sampled + forced tokens: {decoded:.2f} t/s")
print(f"ratio (sampled): {ours / ref:.3f}")
print(f"ratio (decoded): {decoded / ref:.3f}")
PY
