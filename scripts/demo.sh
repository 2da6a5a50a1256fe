#!/usr/bin/env bash
# The main job, end to end on a fresh machine: set-up, build, then budget forcing on
# s1-nano (models/s1-nano.gguf), the small reasoning model trained in this project
# (scripts/train_nano.sh): it adds and subtracts chains of numbers column by column,
# checks its result backwards, then answers. Four runs of one problem:
#   1. its natural length: it thinks until it is done and answers right;
#   2. a cap at 100 thinking tokens: thinking is cut in its third operation and
#      "Final Answer:" is forced; its sum is unfinished, and it says so with an empty box;
#   3. a cap at 160: the sum is done and only the check is cut; it answers right with
#      a quarter less thinking (what adaptive exits find by themselves);
#   4. one ignored end: when it tries to stop, "Wait" is appended instead, and it checks
#      its work a second time, forwards, before answering (a check it does in one step
#      per operation and often gets wrong: see models/s1-nano.md).
# Forced text is marked «like this» (in colour on a terminal). Extra flags go to every run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh"
s1="$root/build/bin/s1"
model="$root/models/s1-nano.gguf"
problem="What is 503+44-348-66-40?"
run() {
  echo
  echo "### $1"
  shift
  "$s1" generate -m "$model" -p "$problem" -t 2 "$@"
}
run "Natural length (no budget)" "$@"
run "Capped at 100 thinking tokens (--max-think 100): the sum is unfinished" --max-think 100 "$@"
run "Capped at 160 thinking tokens (--max-think 160): only the check is cut" --max-think 160 "$@"
run "Extended once (--num-ignore 1): the first end of thinking becomes \"Wait\"" --num-ignore 1 "$@"
