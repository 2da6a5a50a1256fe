#!/usr/bin/env bash
# What adaptive-thinking probes cost the sequences they probe: `s1 generate` probing
# every 64 thinking tokens with 16-token probes, against the same run without probes,
# at 1 and 8 sequences, on the shape-true Qwen2.5-0.5B Q8_0 test model, in one run; with
# llama-bench's token generation (tg) at the same threads for scale.
#
#   bench/probes_overhead.sh [threads] [repetitions]   (defaults: all cores, 3)
#
# Probes never exit here (--exit-confidence 2 cannot be reached), so both runs decode the
# same number of tokens: 512 thinking tokens (the end trigger masked so the cap ends it)
# and 16 answer tokens per sequence. The figure is the sequences' own generation speed
# (sampled tokens / time from the first sampled token to the end); the probes' tokens are
# extra work on the side. Needs a build (scripts/build.sh).
#
# For scale it also prints what the probes' tokens would cost if each cost what one more
# row of a batch costs (from the same run's 1- and 8-sequence speeds without probes):
# where decode is compute-bound, as on few CPU cores, an extra row costs nearly a whole
# step and the probes' share of rows sets the drop; where it is memory-bound (GPUs, many
# cores, large models) an extra row is nearly free.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=${1:-$(nproc)}
reps=${2:-3}
s1="$root/build/bin/s1"
bench="$root/.deps/llama/bin/llama-bench"
model="$root/build/bench/qwen05b-q8.gguf"
mkdir -p "$root/build/bench"
[ -f "$model" ] || "$s1" make-test-model --shape qwen2.5-0.5b -o "$model"

run() {  # n_sequences, extra flags...: prints generation t/s, probes, probe tokens
  local n=$1
  shift
  "$s1" generate -m "$model" -t "$threads" -c 1024 --parallel "$n" -n "$n" -p "Think it through." \
    --max-think 512 --max-answer 16 --logit-bias-think 151644-inf "$@" --json |
    python3 -c 'import json,sys
d = json.load(sys.stdin)
assert all(s["thinking_tokens"] == 512 for s in d["samples"]), "a sample ended thinking early"
print(d["timings"]["generation_tokens_per_s"], d["decode"]["probes"], d["decode"]["probe_tokens"])'
}

ref=()
declare -A plain probed
for _ in $(seq "$reps"); do
  ref+=("$("$bench" -m "$model" -p 0 -n 128 -t "$threads" -r 1 -o json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["avg_ts"])')")
  for n in 1 8; do
    plain[$n]+="$(run "$n") "
    probed[$n]+="$(run "$n" --probe-every 64 --probe-tokens 16 --exit-confidence 2) "
  done
done
python3 - "${ref[*]}" "${plain[1]}" "${probed[1]}" "${plain[8]}" "${probed[8]}" <<'PY'
import statistics, sys
ref = [float(x) for x in sys.argv[1].split()]
med = statistics.median
print(f"llama-bench tg128: median {med(ref):.2f} t/s")
own = 512 + 16  # each sequence's own tokens
step1 = 1 / med([float(x) for x in sys.argv[2].split()][0::3])
step8 = 8 / med([float(x) for x in sys.argv[4].split()][0::3])
row = (step8 - step1) / 7 / step1  # one more row, in 1-sequence steps
print(f"one more row in a batch costs {row:.2f} of a 1-sequence step (1 vs 8 sequences)")
for n, a, b in ((1, sys.argv[2], sys.argv[3]), (8, sys.argv[4], sys.argv[5])):
    plain = [float(x) for x in a.split()][0::3]
    t = [float(x) for x in b.split()]
    probed, probes, tokens = t[0::3], t[1::3], t[2::3]
    print(f"{n} sequence(s): without probes median {med(plain):.2f} t/s "
          f"({med(plain) / med(ref):.3f} of llama-bench tg); probing every 64 tokens "
          f"({int(probes[0])} probes, {int(tokens[0])} probe tokens) median {med(probed):.2f} t/s; "
          f"ratio {med(probed) / med(plain):.3f} (drop {100 * (1 - med(probed) / med(plain)):.1f} %)")
    # At 1 sequence every step is one row (plus the probe's); at 8 the probes' rows join
    # steps of 8 and cost a row each.
    extra = tokens[0] / n / own * row * (1 if n == 1 else step1 / (step8 / 8))
    print(f"    if each probe token cost one more row: ratio {1 / (1 + extra):.3f}")
PY
