#!/usr/bin/env bash
# The main job, end to end on a fresh machine: set-up, build, then budget forcing on
# s1-nano (models/s1-nano.gguf), the small reasoning model trained in this project
# (scripts/train_nano.sh): it adds and subtracts chains of numbers column by column,
# checks its result backwards, then answers. Three runs of one problem:
#   1. its natural length: it thinks until it is done and answers right;
#   2. a cap at 60 thinking tokens: thinking is cut mid-way, "Final Answer:" is forced,
#      and it can only answer with the partial sum it had reached;
#   3. one ignored end: when it tries to stop, "Wait" is appended instead, and it checks
#      its work a second time before answering.
# Forced text is marked «like this» (in colour on a terminal). Extra flags go to every run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh"
s1="$root/build/bin/s1"
model="$root/models/s1-nano.gguf"
problem="What is 734-86+415-209?"
run() {
  echo
  echo "### $1"
  shift
  "$s1" generate -m "$model" -p "$problem" -t 2 "$@"
}
run "Natural length (no budget)" "$@"
run "Capped at 60 thinking tokens (--max-think 60)" --max-think 60 "$@"
run "Extended once (--num-ignore 1): the first end of thinking becomes \"Wait\"" --num-ignore 1 "$@"
