#!/usr/bin/env bash
# The README's quick start, run as it is written: the block between
# "<!-- quickstart" and "<!-- /quickstart -->" runs in a fresh folder that looks like a
# fresh clone after scripts/build.sh (build/bin/s1, models/, data/; no runs/), with two
# changes: the server's port 8080 becomes a free one, and the commands that run the model
# get -t 1 (one thread each: tests run side by side, and llama.cpp's threads wait on each
# other when cores are short). Each command must succeed, and each of the five commands
# must leave what the README says it makes. Also checks that CI (.ci/run) runs the
# README's test command.
#
#   tests/quickstart_test.sh S1_BINARY SOURCE_DIR [WORK_DIR]
set -euo pipefail
s1=$1
src=$2
work=${3:-$(mktemp -d)}
fail() { echo "quickstart_test: $*" >&2; exit 1; }

readme="$src/README.md"
block=$(awk '/^<!-- quickstart/ {on = 1; next} /^<!-- \/quickstart -->/ {on = 0} on' "$readme" |
          sed '/^```/d')
[ -n "$block" ] || fail "README.md has no quickstart block"
for command in generate eval grade curate serve; do
  grep -q "^build/bin/s1 $command " <<<"$block" || fail "the quick start has no 's1 $command'"
done

# CI runs what the README tells users to run.
test_command=$(sed -n 's/^\(scripts\/test\.sh\) .*/\1/p' "$readme" | head -n 1)
[ -n "$test_command" ] || fail "README.md names no test command (scripts/test.sh)"
grep -q "^bash $test_command\$" "$src/.ci/run" || fail ".ci/run does not run '$test_command'"

# A port nobody listens on (a refused connection), in place of 8080, below the range the
# kernel hands out to outgoing connections (another test's client could take it there).
low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$low" -gt 21000 ] 2>/dev/null || low=32768
port=0
for _ in $(seq 50); do
  candidate=$((20000 + RANDOM % (low - 20000)))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[ "$port" != 0 ] || fail "no free port"

rm -rf "$work"
mkdir -p "$work/build/bin"
ln -s "$(cd "$(dirname "$s1")" && pwd)/$(basename "$s1")" "$work/build/bin/s1"
ln -s "$src/models" "$work/models"
ln -s "$src/data" "$work/data"
{
  echo 'set -euo pipefail'
  # A server the block started stops with it, also when a command fails.
  echo 'trap '\''kill $(jobs -p) 2>/dev/null; wait'\'' EXIT'
  sed -e "s/8080/$port/g" -e 's#^build/bin/s1 \(generate\|eval\|serve\) #build/bin/s1 \1 -t 1 #' <<<"$block"
} >"$work/quickstart.sh"

status=0
(cd "$work" && bash quickstart.sh >out.txt 2>err.txt) || status=$?
if [ "$status" != 0 ]; then
  echo "--- stdout" >&2; cat "$work/out.txt" >&2
  echo "--- stderr" >&2; cat "$work/err.txt" >&2
  fail "the quick start failed (exit $status)"
fi

out=$(cat "$work/out.txt")
err=$(cat "$work/err.txt")
# generate: each run with its answer and its summary (what the model writes is its own).
runs=$(grep -c '^build/bin/s1 generate ' <<<"$block")
[ "$(grep -c '^=== answer ===' <<<"$out")" -ge "$runs" ] || fail "a generate printed no answer"
[ "$(grep -c '^s1: 1 sample(s)' <<<"$err")" -ge "$runs" ] || fail "a generate printed no summary"
# eval: its results, report and plot, one configuration per budget.
for f in results.json report.md samples.jsonl scaling_nano.svg; do
  [ -s "$work/runs/nano-caps/$f" ] || fail "eval wrote no runs/nano-caps/$f"
done
for budget in 0 60 120 auto; do
  grep -q "\"budget-forcing max=$budget ignore=0\"" "$work/runs/nano-caps/results.json" ||
    fail "results.json has no configuration for --max-think $budget"
done
# grade: its summary of the samples.
grep -q '^accuracy: ' <<<"$out" || fail "grade printed no accuracy"
# curate: kept records and exported conversations.
[ -s "$work/runs/kept.jsonl" ] || fail "curate filter kept nothing"
[ -s "$work/runs/sft.jsonl" ] || fail "curate export wrote nothing"
# serve: a chat completion with its thinking, capped as asked.
grep -q '"reasoning_content"' <<<"$out" || fail "the server's answer has no reasoning_content"
budget=$(sed -n 's/.*"max_tokens_thinking": *\([0-9]*\).*/\1/p' <<<"$block")
grep -q "\"max_think\":$budget" <<<"$out" || fail "the server's answer does not have the request's budget"
rm -rf "$work"
echo "quickstart_test: the README's quick start runs as written"
