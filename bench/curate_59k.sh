#!/usr/bin/env bash
# `s1 curate filter` + `select` over a 59,029-row synthetic pool (the size of the s1
# paper's pool), with decontamination against the shared AIME sets.
# Questions are MATH-500 problems with numbers and words varied (so most are distinct),
# traces of random length, random domains and attempts. Prints wall time and peak memory.
#
#   bench/curate_59k.sh            (needs a build: scripts/build.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/../shared/data"
dir="$root/build/bench/curate"
mkdir -p "$dir"
python3 - "$data/math500.jsonl" "$dir/pool.jsonl" <<'PY'
import json, random, sys
random.seed(1)
problems = [json.loads(l) for l in open(sys.argv[1])]
words = "alpha beta gamma delta sigma theta omega kappa lambda rho".split()
domains = ["%02d" % d for d in (5, 11, 12, 14, 15, 26, 28, 30, 34, 35, 51, 52, 53, 60, 62, 68, 90, 91)]
with open(sys.argv[2], "w") as out:
    for i in range(59029):
        p = random.choice(problems)
        q = " ".join(random.choice(words) for _ in range(6)) + f" {random.randint(1, 10**6)}. " + p["problem"]
        trace = "step " * random.randint(50, 4000)
        attempts = [{"model": m, "correct": random.random() < 0.3} for m in ("7b", "32b")]
        out.write(json.dumps({"id": f"q{i}", "question": q, "trace": trace, "answer": p["answer"],
                              "domain": random.choice(domains), "trace_tokens": len(trace) // 5,
                              "attempts": attempts}) + "\n")
PY
s1="$root/build/bin/s1"
start=$(date +%s.%N)
/usr/bin/time -f "filter: %e s, peak %M KiB" "$s1" curate filter -i "$dir/pool.jsonl" -o "$dir/kept.jsonl" \
  --dropped "$dir/dropped.jsonl" --eval "$data/aime24.jsonl" --eval "$data/aime25.jsonl"
/usr/bin/time -f "select: %e s, peak %M KiB" "$s1" curate select -i "$dir/kept.jsonl" -o "$dir/s1k.jsonl" \
  -n 1000 --seed 0 --report "$dir/report.md" --plot "$dir/selection"
end=$(date +%s.%N)
python3 -c "print(f'filter + select of 59,029 rows: {$end - $start:.1f} s')"
