#!/usr/bin/env bash
# Generation speed of `s1 generate` with budget forcing (two ignored ends) against
# llama.cpp's own llama-bench token generation (tg), on the shape-true Qwen2.5-0.5B Q8_0
# test model, with the same threads, in one run. Prints both figures and their ratio.
#
#   bench/generate_vs_llama_bench.sh [threads] [repetitions]   (defaults: all cores, 5)
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

# The two alternate, one repetition each, so that load on the machine affects both alike;
# the medians are compared.
# llama-bench: token generation (tg) of n_gen tokens from an empty context.
# s1 generate: greedy, the end trigger (<|im_start|>) pushed up (+3) so that the random
# model tries to stop thinking early and is made to go on ("Wait", up to twice); it then
# ends thinking (or reaches the cap) and answers, about n_gen tokens in all. Where the
# random model's greedy path tries to stop depends on the CPU's arithmetic, so the
# number of ignored ends is printed rather than fixed. Generation tokens/s = sampled tokens /
# time from the first sampled token to the end; decoded tokens/s also counts the forced
# tokens ("Wait", "answer"), which llama-bench's figure would count as well.
ref=()
ours=()
for _ in $(seq "$reps"); do
  ref+=("$("$bench" -m "$model" -p 0 -n "$n_gen" -t "$threads" -r 1 -o json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["avg_ts"])')")
  ours+=("$("$s1" generate -m "$model" -t "$threads" -p "Solve x^2 = 4." --num-ignore 2 \
    --max-think "$n_gen" --max-answer 80 --logit-bias 151644+3 --json |
    python3 -c 'import json,sys
d = json.load(sys.stdin); s = d["samples"][0]
ignores = sum(e["kind"] == "ignore" for e in s["events"])
assert ignores >= 1, "the model never tried to end thinking: no forcing to measure"
print(d["timings"]["generation_tokens_per_s"], d["timings"]["decoded_tokens_per_s"], ignores)')")
done
python3 - "${ref[*]}" "${ours[*]}" <<'PY'
import statistics, sys
ref = [float(x) for x in sys.argv[1].split()]
triples = [float(x) for x in sys.argv[2].split()]
ours, decoded, ignores = triples[0::3], triples[1::3], triples[2::3]
fmt = lambda v: ", ".join(f"{x:.2f}" for x in v)
print(f"llama-bench tg128: median {statistics.median(ref):.2f} t/s (runs: {fmt(ref)})")
print(f"s1 generate, budget forcing with {int(max(ignores))} ignored end(s): median {statistics.median(ours):.2f} t/s (runs: {fmt(ours)})")
print(f"ratio of medians: {statistics.median(ours) / statistics.median(ref):.3f}")
print(f"decoded tokens (sampled + forced): median {statistics.median(decoded):.2f} t/s, ratio {statistics.median(decoded) / statistics.median(ref):.3f}")
PY
