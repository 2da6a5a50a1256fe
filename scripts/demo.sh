#!/usr/bin/env bash
# The main job, end to end on a fresh machine: set-up, build, a generated test model
# (random weights, real Qwen2 tokenizer: gibberish text, real speed), and one
# budget-forced generation that ignores the model's first two attempts to stop
# thinking ("Wait") and caps thinking at 64 tokens.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh"
model="$root/build/demo-model.gguf"
[ -f "$model" ] || "$root/build/bin/s1" make-test-model -o "$model"
# The logit bias makes the random model try to end its thinking (<|im_start|> = 151644)
# often, so the forcing shows; drop it with a real model.
"$root/build/bin/s1" generate -m "$model" -p "How many r's are in strawberry?" \
  --num-ignore 2 --max-think 64 --max-answer 32 --logit-bias 151644+6 --seed 2 --temp 0.7 "$@"
