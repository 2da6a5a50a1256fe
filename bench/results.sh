#!/usr/bin/env bash
# The s1 paper's experiments on s1-nano (models/s1-nano.gguf, the project's small
# reasoning model), on its committed test set (data/s1-nano-test.jsonl), written to
# RESULTS.md and results/*.svg|png by bench/results_report.py from the runs' own files.
#
#   bench/results.sh [threads] [--quick]
#
# Every run is an `s1 eval` run under build/results/ (resumable: re-running the script
# continues where it stopped, and a finished run is only read). Greedy decoding except
# where a method samples (rejection sampling, majority vote: fixed seeds), so two runs of
# the script give the same tables. --quick runs a subset (fewer problems and
# configurations) into build/results-quick/ and writes RESULTS-quick.md, for development.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
threads=$(nproc)
quick=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    *[!0-9]*) echo "results: usage: bench/results.sh [threads] [--quick]" >&2; exit 2 ;;
    *) threads=$a ;;
  esac
done
s1="$root/build/bin/s1"
model="$root/models/s1-nano.gguf"
data="$root/data/s1-nano-test.jsonl"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
[ -x "$s1" ] || { echo "results: build s1 first (scripts/build.sh)" >&2; exit 1; }

if [ "$quick" = 1 ]; then
  out="$root/build/results-quick"; report="$root/RESULTS-quick.md"; plots="$root/build/results-quick/plots"
  all=50; heavy=50; caps=0,60,120,400,auto; pareto_caps=60,120,auto; waits=0,1,2; nmaj=4
  probe_every=16; consistent=0,2,3; confidence=0.95
  ref_args=(--problems 4 --caps 40,200 --ignores 0,1)
else
  out="$root/build/results"; report="$root/RESULTS.md"; plots="$root/results"
  # Caps from 0 to past the natural length (about 276 tokens; the longest natural thinking
  # is about 450); the Pareto run stops at the last cap below it.
  all=500; heavy=200; caps=0,30,60,90,120,160,200,260,400,600,auto; pareto_caps=30,60,90,120,160,200,260,auto
  waits=0,1,2,4,6; nmaj=16
  probe_every=8,16; consistent=0,2,3,4; confidence=0.9,0.95,0.99
  ref_args=(--problems 12 --caps 40,100,200,400 --ignores 0,1,2,4)
fi
mkdir -p "$out" "$plots"
log="$out/commands.txt"
: >"$log"
start=$(date +%s)

# The model's own cap string and the start of its box: a probe suffix it understands.
nano_suffix='\n</think>\nFinal Answer: \\boxed{'
common=(-m "$model" --dataset "nano=$data" -c 1024 --parallel 8 -t "$threads" --seed 0)

quote() {  # the argument as a shell word: single-quoted unless plain
  case "$1" in
    *[!A-Za-z0-9_./=,:+-]*) printf "'%s'" "${1//\'/\'\\\'\'}" ;;
    *) printf '%s' "$1" ;;
  esac
}
run() {  # run NAME LIMIT ARGS...: one s1 eval run, its command logged
  local name=$1 limit=$2
  shift 2
  local cmd=("$s1" eval "${common[@]}" --limit "$limit" --out "$out/$name" "$@")
  { printf '%s: build/bin/s1 eval' "$name"; for x in "${cmd[@]:2}"; do printf ' %s' "$(quote "$x")"; done; echo; } |
    sed "s#$root/##g" >>"$log"
  echo "results: $name" >&2
  local t0
  t0=$(date +%s)
  "${cmd[@]}" >"$out/$name.log" 2>&1 || { tail -5 "$out/$name.log" >&2; exit 1; }
  echo "$name $(( $(date +%s) - t0 ))" >>"$out/wall_seconds.txt"
}
# Wall times accumulate across resumptions (a run stopped and resumed adds both parts);
# the report states their sum as the script's time.
touch "$out/wall_seconds.txt"

# 1. Sequential control: budget forcing at caps from 0 to past the natural length.
run caps "$all" --method budget-forcing --max-think "$caps"
# 1b. The paper's baselines at the same budgets (the model was not trained on their prompts).
run conditional "$heavy" --method token-conditional,token-conditional+forcing,step-conditional,step-conditional+forcing,class-conditional,rejection-sampling \
  --max-think 100,200,300 --max-tries 4
# 2. Extension: 0..6 ignored ends, with "Wait" and with no string (the end masked).
run waits "$heavy" --method budget-forcing --max-think auto --num-ignore "$waits" --ignore-str Wait,none
# 3. Parallel scaling (majority vote over N samples at temperature 0.8) beside sequential
#    scaling (budget forcing extended by "Wait"), in one run so one plot holds both.
run majority "$heavy" --method majority,budget-forcing -n "$nmaj" --sample-temp 0.8 --max-think auto \
  --num-ignore "$waits" --ignore-str Wait
# 4. Adaptive thinking: consistency exits (Dynasor; W = 0 probes without exiting, for the
#    probe cost) and confidence exits (DEER) with the model's own probe suffix (on exit the
#    probed answer is written, as Dynasor and DEER return it) ...
run adaptive "$heavy" --method adaptive --max-think auto --probe-every "$probe_every" \
  --exit-consistent "$consistent" --exit-answer --probe-suffix "$nano_suffix"
run adaptive-confident "$heavy" --method adaptive --max-think auto --probe-every "$probe_every" \
  --exit-confidence "$confidence" --exit-answer --probe-suffix "$nano_suffix"
# ... and with Dynasor's default suffix, which this model was never shown.
run adaptive-dynasor "$heavy" --method adaptive --max-think auto --probe-every 16 --exit-consistent 2,3 --exit-answer
# ... and NoWait: reflection words masked while thinking (NoWait's first words, and the
#    "check" and "again" this model reflects with).
run nowait "$heavy" --method budget-forcing --max-think auto --suppress-words wait,hmm,alternatively,check,again
# 4b. The Pareto front: adaptive exits at every cap beside budget forcing at the same caps.
run pareto "$heavy" --method adaptive --max-think "$pareto_caps" --probe-every 16 --exit-consistent 3 --exit-answer \
  --probe-suffix "$nano_suffix"
# 5. The same budget rules as the s1 reference loop, run over llama-server.
echo "reference: bench/reference_equivalence.py ${ref_args[*]} --threads $threads" >>"$log"
if [ ! -s "$out/reference.json" ]; then
  echo "results: reference" >&2
  t0=$(date +%s)
  "$py" "$root/bench/reference_equivalence.py" "${ref_args[@]}" --threads "$threads" \
    --json "$out/reference.json.partial" >"$out/reference.log" 2>&1 ||
    { tail -3 "$out/reference.log" >&2; [ -s "$out/reference.json.partial" ] || exit 1; }
  mv "$out/reference.json.partial" "$out/reference.json"
  echo "reference $(( $(date +%s) - t0 ))" >>"$out/wall_seconds.txt"
fi

# The Pareto plot: every fixed cap and every adaptive rule, on the same problems, in one figure.
r=${out#"$root"/}
echo "plot: build/bin/s1 plot -o ${plots#"$root"/}/pareto-all $r/pareto $r/adaptive $r/adaptive-confident" >>"$log"
"$s1" plot -o "$plots/pareto-all" --title "s1-nano: every fixed cap and every adaptive rule ($heavy problems)" \
  "$out/pareto" "$out/adaptive" "$out/adaptive-confident" 2>"$out/plot.log" || { cat "$out/plot.log" >&2; exit 1; }

"$py" "$root/bench/results_report.py" --runs "$out" --data "$data" --model "$model" --plots "$plots" \
  --threads "$threads" --out "$report" \
  --command "bench/results.sh $*"
echo "results: wrote $report ($(( ($(date +%s) - start) / 60 )) min this time)" >&2
