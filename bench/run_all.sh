#!/usr/bin/env bash
# Runs every comparison in bench/ and writes BENCHMARKS.md: the date, the CPU, cores and
# threads, the measured memory read bandwidth, then each benchmark's output (its figures
# as ratios against the llama.cpp tool in the same run) under the command that
# reproduces it.
#
#   bench/run_all.sh [threads] [pattern]   (default: all cores, every benchmark)
#
# With a pattern, only the benchmarks whose command contains it run, and their sections
# of an existing BENCHMARKS.md are replaced (the header then says which were updated).
# Needs a Release build with the benchmarks (scripts/build.sh). Takes a while: each
# comparison runs both sides, alternating, in one script run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=${1:-$(nproc)}
only=${2:-}
build=${S1_BUILD:-$root/build}
out="$root/BENCHMARKS.md"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
[ -n "$cpu" ] || cpu=$(uname -m)
bandwidth=$("$build/bench/s1-memory-bandwidth" "$threads" 1024 | sed 's/ read (/ (/')
memory=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)

benches=(
  "bench/generate_vs_llama_bench.sh $threads"
  "bench/probes_overhead.sh $threads"
  "bench/eval_majority_vs_batched_bench.sh $threads"
  "bench/eval_rounds_vs_continuous.sh $threads"
  "bench/serve_vs_llama_server.sh $threads"
  "bench/multiturn_vs_llama_server.sh $threads"
  "bench/interleaved_conversations_vs_llama_server.sh $threads"
  "bench/remote_vs_local_eval.sh $threads"
  "bench/curate_59k.sh"
  "build/bench/s1-grader-bench --benchmark_min_time=0.5"
  "bench/grader_speed_vs.sh 03d46f5 5"
)

{
  echo "# Benchmarks"
  echo
  echo "Written by \`bench/run_all.sh $threads\` on $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo
  echo "| machine | |"
  echo "| --- | --- |"
  echo "| CPU | $cpu |"
  echo "| cores / threads used | $(nproc) / $threads |"
  echo "| memory | $memory, read bandwidth $bandwidth |"
  echo "| llama.cpp | $(git -C "$root/.deps/llama.cpp" rev-parse --short=12 HEAD 2>/dev/null || echo unknown) |"
  echo
  echo "Models: the shape-true Qwen2.5-0.5B Q8_0 test model (\`s1 make-test-model --shape"
  echo "qwen2.5-0.5b\`: the real architecture and tokenizer, random weights). Each comparison"
  echo "runs s1.cpp and the llama.cpp tool in the same script run, alternating, so figures"
  echo "are ratios taken under the same load; absolute speeds depend on the machine."
} >"$tmp"

section() {  # the output of one benchmark, as a section
  local cmd=$1
  {
    echo
    echo "## \`$cmd\`"
    echo
    echo '```'
    (cd "$root" && eval "$cmd" 2>&1) | grep -v '^\s*$' || echo "(failed: exit ${PIPESTATUS[0]})"
    echo '```'
  }
}

if [ -n "$only" ] && [ -f "$out" ]; then
  # Replace the matching sections of the existing file, keeping the others.
  cp "$out" "$tmp"
  for cmd in "${benches[@]}"; do
    case "$cmd" in *"$only"*) ;; *) continue ;; esac
    echo "run_all: $cmd" >&2
    section "$cmd" >"$tmp.section"
    python3 - "$tmp" "$tmp.section" "$cmd" "$(date -u '+%Y-%m-%d %H:%M UTC')" <<'PY'
import re, sys
path, part, cmd, when = sys.argv[1:5]
text, new = open(path).read(), open(part).read()
# A section is known by its program (its arguments may have changed since): the first
# one is replaced, any others dropped.
def sections(t):
    heads = [m.start() for m in re.finditer(r"\n## `", t)]
    return [(h, heads[i + 1] if i + 1 < len(heads) else len(t)) for i, h in enumerate(heads)]
program = cmd.split()[0]
mine = [(a, b) for a, b in sections(text) if text.startswith("\n## `" + program, a)]
if not mine:
    text = text.rstrip("\n") + "\n" + new
else:
    first = mine[0]
    for a, b in reversed(mine[1:]):
        text = text[:a] + text[b:]
    a, b = first
    text = text[:a] + new.rstrip("\n") + "\n" + text[b:]
# One line per updated benchmark above "Models:", this one's replaced.
text = re.sub(r"\n- \(`" + re.escape(program) + r"[^`]*` updated on [^)]*\)(?=\n)", "", text)
text = re.sub(r"\n\(`[^`]*` updated on [^)]*\)(?=\n)", "", text)  # the older form
text = re.sub(r"\n{3,}Models:", "\n\nModels:", text, count=1)
at = text.index("\n\nModels:")
sep = "\n" if text[:at].endswith(" UTC)") else "\n\n"
text = text[:at] + sep + f"- (`{cmd}` updated on {when})" + text[at:]
open(path, "w").write(text)
PY
    rm -f "$tmp.section"
  done
else
  for cmd in "${benches[@]}"; do
    echo "run_all: $cmd" >&2
    section "$cmd" >>"$tmp"
  done
fi
mv "$tmp" "$out"
trap - EXIT
echo "run_all: wrote $out" >&2
