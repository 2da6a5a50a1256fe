#!/usr/bin/env bash
# Rebuilds s1-nano, the small reasoning model in models/, through s1's own pipeline:
#   tasks and traces (nano/gen_data.py) -> s1 curate filter (8-gram decontamination
#   against the test set) -> s1 curate export (chat conversations, think tags) ->
#   training (nano/train.py, PyTorch on the CPU) -> GGUF (nano/convert.py, gguf-py from
#   the llama.cpp checkout) -> s1 eval on the test set.
#
#   scripts/train_nano.sh             # everything into build/nano/; prints the accuracy
#   scripts/train_nano.sh --install   # then copies the model and its reference logits
#                                     # into models/ (update models/s1-nano.md by hand)
#
# Environment: S1_SKIP_APT=1 skips the Debian packages (python3-torch and the pthread
# OpenBLAS, which trains about 7x faster than the reference BLAS); NANO_STEPS and
# NANO_STEPS2 (the two phases' steps), NANO_SEED and NANO_POOL (the pool size) override
# the defaults that built the committed model.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
install=0
[ "${1:-}" = --install ] && install=1
say() { echo "train_nano: $*" >&2; }

if [ "${S1_SKIP_APT:-0}" != 1 ]; then
  missing=()
  for p in python3-torch python3-numpy python3-yaml libopenblas0-pthread; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
bash "$root/scripts/build.sh"

# Debian's PyTorch is built for Debian's Python, which may not be the first on PATH.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
s1="$root/build/bin/s1"
out="$root/build/nano"
mkdir -p "$out"
seed=${NANO_SEED:-0}
start=$(date +%s)

say "generating the pool and the test set (seed $seed)"
"$py" "$root/nano/gen_data.py" --seed "$seed" --pool "$out/pool.jsonl" --pool-size "${NANO_POOL:-60000}" \
  --test "$out/test.jsonl" --test-size 500
cmp -s "$out/test.jsonl" "$root/data/s1-nano-test.jsonl" ||
  say "note: the generated test set differs from data/s1-nano-test.jsonl (another seed or generator)"

say "curating: decontaminate against the test set, export conversations"
"$s1" curate filter -i "$out/pool.jsonl" -o "$out/kept.jsonl" --dropped "$out/dropped.jsonl" \
  --eval "$out/test.jsonl"
"$s1" curate export -i "$out/kept.jsonl" -o "$out/sft.jsonl" --conversations "$out/conversations.jsonl" \
  --format think-tags --system ""

say "training (about 50 minutes on 2 cores)"
# One BLAS thread: attention's many small matrix products lose more to thread hand-offs
# than they gain; PyTorch's own threads still run the element-wise work on every core.
# Two phases: a cosine schedule from 3e-3, then a warm restart from 1e-3 over the data
# in another order, which takes the longest chains from about 60 % to over 80 %.
(cd "$root/nano" && OPENBLAS_NUM_THREADS=1 "$py" train.py --data "$out/conversations.jsonl" \
  --out "$out/s1-nano-phase1.pt" --seed "$seed" --steps "${NANO_STEPS:-1700}")
(cd "$root/nano" && OPENBLAS_NUM_THREADS=1 "$py" train.py --data "$out/conversations.jsonl" \
  --init "$out/s1-nano-phase1.pt" --out "$out/s1-nano.pt" --seed "$((seed + 1))" \
  --steps "${NANO_STEPS2:-750}" --lr 1e-3 --warmup 50)

say "converting to GGUF"
(cd "$root/nano" && "$py" convert.py --ckpt "$out/s1-nano.pt" --out "$out/s1-nano.gguf" \
  --reference "$out/s1-nano.reference.json")
trained=$(date +%s)

say "evaluating on the test set"
"$s1" eval -m "$out/s1-nano.gguf" --dataset nano="$root/data/s1-nano-test.jsonl" -c 1024 --parallel 8 \
  --method budget-forcing --max-think auto --out "$out/eval" --no-plots -t 2
"$py" - "$out/eval/results.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
for d in r["datasets"]:
    for c in d["configs"]:
        print(f"train_nano: {d['name']} {c['name']}: accuracy {100 * c['accuracy']:.1f} % "
              f"({c['correct']}/{c['samples']}), mean thinking {c['mean_thinking_tokens']:.1f} tokens")
EOF
end=$(date +%s)
say "done in $(( (end - start) / 60 )) min $(( (end - start) % 60 )) s from the data to the evaluation" \
  "($(( (trained - start) / 60 )) min to the GGUF); model: $out/s1-nano.gguf"
if [ "$install" = 1 ]; then
  mkdir -p "$root/models"
  cp "$out/s1-nano.gguf" "$root/models/s1-nano.gguf"
  cp "$out/s1-nano.reference.json" "$root/models/s1-nano.reference.json"
  say "installed into models/ (sha256 $(sha256sum "$root/models/s1-nano.gguf" | cut -c1-64))"
fi
