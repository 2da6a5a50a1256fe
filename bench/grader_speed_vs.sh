#!/usr/bin/env bash
# The grader's comparison speed against an earlier commit's, in one run: builds
# s1-grader-bench at REV in a temporary worktree (against the same llama.cpp install as
# build/), then runs both benches in turn, `rounds` times each, and prints each bench's
# median items per second and the ratio (this tree / REV).
#
#   bench/grader_speed_vs.sh REV [rounds]   (default rounds: 5)
#
# Needs a build of this tree (scripts/build.sh). The worktree is removed at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:?usage: bench/grader_speed_vs.sh REV [rounds]}
rounds=${2:-5}
now="$root/build/bench/s1-grader-bench"
[ -x "$now" ] || { echo "grader_speed_vs: build this tree first (scripts/build.sh)" >&2; exit 1; }
llama_dir=$(sed -n 's/^llama_DIR:PATH=//p' "$root/build/CMakeCache.txt")

# Beside this checkout, so that the bench finds ../shared/data as this tree's does.
tree=$(mktemp -d "$(dirname "$root")/grader-speed.XXXXXX")
trap 'git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"' EXIT
git -C "$root" worktree add --detach -q "$tree" "$rev"
cmake -S "$tree" -B "$tree/build" -DCMAKE_BUILD_TYPE=Release ${llama_dir:+-Dllama_DIR="$llama_dir"} >/dev/null
cmake --build "$tree/build" --target s1-grader-bench -j "$(nproc)" >/dev/null
then="$tree/build/bench/s1-grader-bench"

rates() {  # bench: "<name> <items per second>" per benchmark
  "$1" --benchmark_filter='BM_HardComparisons|BM_MixedComparisons' --benchmark_min_time=1 \
    --benchmark_format=json 2>/dev/null |
    python3 -c 'import json,sys; [print(b["name"], b["items_per_second"]) for b in json.load(sys.stdin)["benchmarks"]]'
}
: > "$tree/rates"
for ((r = 0; r < rounds; r++)); do
  rates "$then" | sed 's/^/then /' >> "$tree/rates"
  rates "$now" | sed 's/^/now /' >> "$tree/rates"
done
python3 - "$tree/rates" "$rev" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for name in sorted({r[1] for r in rows}):
    med = {who: statistics.median(float(r[2]) for r in rows if r[0] == who and r[1] == name)
           for who in ("then", "now")}
    print(f"{name}: {sys.argv[2]} {med['then'] / 1000:.1f}k/s, this tree {med['now'] / 1000:.1f}k/s,"
          f" ratio {med['now'] / med['then']:.3f}")
EOF
