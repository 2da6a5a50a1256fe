#!/usr/bin/env python3
"""Writes RESULTS.md from the `s1 eval` runs of bench/results.sh: every figure is read from
a run's results.json or samples.jsonl (nothing typed by hand), and each run's scaling
plot is copied beside it. Python's standard library only."""
import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
from collections import defaultdict


def load(runs, name):
    path = os.path.join(runs, name, "results.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)["datasets"][0]


def samples(runs, name):
    path = os.path.join(runs, name, "samples.jsonl")
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    out.append(json.loads(line))
    return out


def pct(v):
    return "-" if v is None else f"{100 * v:.1f} %"


def num(v, fmt="{:.1f}"):
    return "-" if v is None else fmt.format(v)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def config_rows(d):
    return {c["name"]: c for c in d["configs"]} if d else {}


def method_table(ds, names):
    rows = []
    for run, d in ds:
        if not d:
            continue
        for m in d["methods"]:
            if names and m["family"] not in names:
                continue
            rows.append([m["family"], pct(m["control"]), num(m["scaling"], "{:.3g}"),
                         pct(m["performance"]), len(m["points"]), f"`{run}`"])
    return table(["method", "Control", "Scaling", "Performance", "points", "run"], rows)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--plots", required=True)
    p.add_argument("--threads", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--command", required=True)
    a = p.parse_args()

    steps = {}
    with open(a.data) as f:
        for line in f:
            r = json.loads(line)
            steps[r["id"]] = r.get("steps")
    root = os.path.dirname(os.path.abspath(a.out))
    rel_plots = os.path.relpath(a.plots, root)
    runs = ["caps", "conditional", "waits", "majority", "adaptive", "adaptive-confident", "adaptive-dynasor",
            "nowait", "pareto"]
    d = {r: load(a.runs, r) for r in runs}
    for r in ("caps", "conditional", "waits", "majority"):  # the plots RESULTS.md shows
        for ext in ("svg", "png"):
            src = os.path.join(a.runs, r, f"scaling_nano.{ext}")
            if os.path.exists(src):
                shutil.copy(src, os.path.join(a.plots, f"{r}.{ext}"))
    wall = {}
    wall_path = os.path.join(a.runs, "wall_seconds.txt")
    if os.path.exists(wall_path):
        for line in open(wall_path):
            k, v = line.split()
            wall[k] = wall.get(k, 0) + int(v)
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    md = ["# s1-nano results\n",
          f"Written by `{a.command.strip()}` on {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC in "
          f"{sum(wall.values()) // 60} min of run time ({cpu}, {os.cpu_count()} cores, {a.threads} threads, {platform.system()}).\n",
          f"Model: `models/s1-nano.gguf`, SHA-256 `{sha256(a.model)}`. Test set: "
          f"`data/s1-nano-test.jsonl` ({len(steps)} problems; each run's problem count is in its table). "
          "Greedy decoding unless a method samples (fixed seeds). The exact commands are at the end.\n"]

    md.extend(findings(a.runs, d, steps))

    # 1. Sequential control.
    caps = config_rows(d["caps"])
    if caps:
        rows = []
        for name, c in caps.items():
            rows.append([name.replace("budget-forcing ", ""), c["samples"], pct(c["accuracy"]),
                         num(c["mean_thinking_tokens"]), c.get("max_thinking_tokens", "-"),
                         pct(c.get("control"))])
        md.append("## 1. Budget forcing: accuracy against the thinking cap\n")
        md.append(f"![caps]({rel_plots}/caps.svg)\n")
        md.append(table(["cap", "problems", "accuracy", "mean thinking", "max thinking", "within budget"], rows))
    md.append("## 2. Sequential control, the paper's Table 3\n")
    md.append("Control (share of samples within their budget), Scaling (mean slope of accuracy over "
              "pairs of points, per thinking token) and Performance (best accuracy), as `s1 eval` "
              "computes them (the paper's section 3.2). The plot is the baselines' run.\n")
    if d["conditional"]:
        md.append(f"![conditional]({rel_plots}/conditional.svg)\n")
    md.append(method_table([("caps", d["caps"]), ("conditional", d["conditional"])], None))
    cond = config_rows(d["conditional"])
    if cond:
        rows = [[n, c["samples"], pct(c["accuracy"]), num(c["mean_thinking_tokens"]), pct(c.get("control"))]
                for n, c in cond.items()]
        md.append(table(["configuration", "samples", "accuracy", "mean thinking", "within budget"], rows))

    # 3. Extension.
    waits = config_rows(d["waits"])
    if waits:
        md.append("## 3. Extension: ignored ends (the paper's Figure 4 and Table 4)\n")
        md.append(f"![waits]({rel_plots}/waits.svg)\n")
        rows = [[n.replace("budget-forcing ", ""), c["samples"], pct(c["accuracy"]), num(c["mean_thinking_tokens"])]
                for n, c in waits.items()]
        md.append(table(["configuration", "problems", "accuracy", "mean thinking"], rows))
        # With no string the end is masked and the model goes on by itself; when that
        # matches the "Wait" row, the model wrote the same reflection itself.
        same = [n for n, c in waits.items() if "str=none" in n and
                (w := waits.get(n.replace("str=none", "str=Wait"))) is not None and
                w["accuracy"] == c["accuracy"] and w["mean_thinking_tokens"] == c["mean_thinking_tokens"]]
        if same:
            md.append("With no ignore string (`none`) the end of thinking is masked and the model goes on by "
                      f"itself; {len(same)} of the `none` rows have the accuracy and thinking length of their \"Wait\" row "
                      "(its own most likely continuation after a masked end is \"Wait, again:\", the "
                      "re-check it was trained on).\n")

    # 4. Parallel against sequential.
    maj = d["majority"]
    if maj and caps:
        md.append("## 4. Parallel (majority vote) against sequential (budget forcing) at equal compute\n")
        md.append("Compute is thinking tokens per problem: k samples × their mean thinking tokens for "
                  "majority vote, the mean thinking tokens for budget forcing. The plot is the run that holds "
                  "both: majority vote over k samples, and budget forcing at the natural length extended "
                  "by \"Wait\" (sequential scaling past the natural end); the table adds the caps below it "
                  f"(run `caps`, {d['caps']['configs'][0]['problems']} problems).\n")
        rows = []
        for m in maj["methods"]:
            for pt in m["points"]:
                if m["family"] == "majority":
                    rows.append(["majority", f"k={pt.get('k')}", num(pt["compute"]), pct(pt["accuracy"])])
                else:
                    rows.append(["budget forcing, extended", pt["config"].replace("budget-forcing ", ""),
                                 num(pt["compute"]), pct(pt["accuracy"])])
        for m in d["caps"]["methods"]:
            for pt in m["points"]:
                if "max=auto" in pt["config"]:
                    continue  # the natural length is in the run above
                rows.append(["budget forcing, capped", pt["config"].replace("budget-forcing ", ""),
                             num(pt["compute"]), pct(pt["accuracy"])])
        rows.sort(key=lambda r: float(r[2]) if r[2] != "-" else 0)
        md.append(f"![majority]({rel_plots}/majority.svg)\n")
        md.append(table(["method", "point", "thinking tokens per problem", "accuracy"], rows))

    # 5. Adaptive thinking.
    for run, title in (("adaptive", "the model's own probe suffix (`\\n</think>\\nFinal Answer: \\boxed{`)"),
                       ("adaptive-dynasor", "Dynasor's default probe suffix")):
        rows_d = adaptive_rows(d) if run == "adaptive" else config_rows(d[run])
        if not rows_d:
            continue
        md.append(f"## 5{'a' if run == 'adaptive' else 'b'}. Adaptive thinking with {title}\n")
        rows = []
        for n, c in rows_d.items():
            if "baseline" not in c:
                continue
            rows.append([n.replace("adaptive max=auto ", ""), pct(c["accuracy"]), num(c["mean_thinking_tokens"]),
                         pct(c.get("accuracy_change")), num(c.get("tokens_saved")),
                         pct(c.get("tokens_saved_fraction")), num(c.get("mean_probe_tokens")),
                         c.get("exits", {}).get("consistent", 0), c.get("exits", {}).get("confident", 0)])
        base = next((c for c in rows_d.values() if "baseline" not in c), None)
        if base:
            md.append(f"Baseline `{base['name']}`: accuracy {pct(base['accuracy'])}, mean thinking "
                      f"{num(base['mean_thinking_tokens'])} tokens, {base['samples']} problems.\n")
        md.append(table(["configuration", "accuracy", "mean thinking", "accuracy change", "tokens saved",
                         "saved share", "probe tokens", "consistent exits", "confident exits"], rows))
        if run == "adaptive" and base:
            md.extend(difficulty_section(a.runs, rows_d, base, steps))
            md.extend(probe_cost_section(a.runs, rows_d, base))
    if d["nowait"]:
        md.extend(nowait_section(a.runs, d))
    if d["pareto"]:
        md.append("## 6. Pareto front: adaptive exits against fixed caps\n")
        md.append("The plot holds every fixed cap and every adaptive rule run on these problems (the rules of "
                  "section 5a at the natural length, and consistency exits at each cap); the table lists the "
                  "caps and the exits at each cap.\n")
        md.append(f"![pareto]({rel_plots}/pareto-all.svg)\n")
        rows = [[n, pct(c["accuracy"]), num(c["mean_thinking_tokens"])] for n, c in config_rows(d["pareto"]).items()]
        md.append(table(["configuration", "accuracy", "mean thinking"], rows))

    ref_path = os.path.join(a.runs, "reference.json")
    if os.path.exists(ref_path):
        ref = json.load(open(ref_path))
        md.append("## 7. Reference equivalence over llama-server\n")
        md.append("`s1 generate` against the s1 reference loop run over llama-server (`bench/reference_equivalence.py`: "
                  "each round asks for the thinking tokens left; \"Wait\" counts toward the budget; \"\\n\" "
                  f"before the delimiter only when missing), greedy, on the first {ref['problems']} problems. "
                  "A *sampled* difference starts at a character the model chose (the two decode in different "
                  "batch shapes, so near-equal logits may flip); a *forced* one where a rule inserted text.\n")
        rows = [[r["cap"], r["ignores"], r["runs"], r["identical"], r["sampled"], r["forced"], r["waits"]]
                for r in ref["rows"]]
        md.append(table(["cap", "ignored ends", "runs", "identical", "sampled differences",
                         "forced differences", "Waits inserted"], rows))
        md.append("")
    md.append("## Commands\n")
    md.append("Each run is resumable and reads only its own files; a run's wall time is the sum over the script runs that worked on it, and the total above is their sum.\n")
    md.append("```\n" + open(os.path.join(a.runs, "commands.txt")).read() + "```\n")
    if wall:
        md.append(table(["run", "wall seconds"], [[k, v] for k, v in wall.items()]))
    with open(a.out, "w") as f:
        f.write("\n".join(md))


def adaptive_samples(runs):
    """The samples of the two adaptive runs with the model's suffix, the baseline's once."""
    first = samples(runs, "adaptive")
    names = {s["config"] for s in first}
    return first + [s for s in samples(runs, "adaptive-confident") if s["config"] not in names]


def adaptive_rows(d):
    """The rows of the two adaptive runs with the model's suffix by name: the consistency
    run's, its baseline included, and the confidence run's exits (same baseline)."""
    rows = config_rows(d["adaptive"])
    rows.update({n: c for n, c in config_rows(d["adaptive-confident"]).items() if "baseline" in c})
    return rows


def probes_only(rows_d):
    """The adaptive rows that probe with no exit rule: what probing alone costs."""
    return [c for c in rows_d.values() if "baseline" in c and not any(c.get("exits", {}).values())
            and "consistent=0 confidence=0" in c["name"]]


def best_adaptive(rows_d, base):
    """The adaptive configuration with the fewest thinking tokens whose accuracy is within
    1 point of its baseline; else the most accurate."""
    cands = [c for c in rows_d.values() if "baseline" in c and any(c.get("exits", {}).values())]
    close = [c for c in cands if c["accuracy"] >= base["accuracy"] - 0.01]
    if close:
        return min(close, key=lambda c: c["mean_thinking_tokens"])
    return max(cands, key=lambda c: c["accuracy"]) if cands else None


def difficulty_rows(runs, base, best, steps):
    """Per number of operations: problems, mean thinking of the baseline and of `best`,
    the share saved, both accuracies and the change."""
    by = defaultdict(lambda: {"base": [], "best": []})
    for s in adaptive_samples(runs):
        key = "base" if s["config"] == base["name"] else "best" if s["config"] == best["name"] else None
        if key:
            by[steps.get(s["problem"])][key].append(s)
    rows = []
    for k in sorted(x for x in by if x is not None):
        b, a = by[k]["base"], by[k]["best"]
        if not b or not a:
            continue
        bt = statistics.mean(s["thinking_tokens"] for s in b)
        at = statistics.mean(s["thinking_tokens"] for s in a)
        ba = sum(s["correct"] for s in b) / len(b)
        aa = sum(s["correct"] for s in a) / len(a)
        rows.append({"steps": k, "problems": len(b), "baseline": bt, "adaptive": at,
                     "saved": (bt - at) / bt if bt else None, "base_acc": ba, "acc": aa, "acc_change": aa - ba})
    return rows


def difficulty_section(runs, rows_d, base, steps):
    best = best_adaptive(rows_d, base)
    if not best:
        return []
    rows = [[r["steps"], r["problems"], num(r["baseline"]), num(r["adaptive"]), pct(r["saved"]),
             pct(r["base_acc"]), pct(r["acc"])] for r in difficulty_rows(runs, base, best, steps)]
    return [f"### By difficulty: `{best['name']}` against its baseline\n",
            "Difficulty is the number of operations in the chain. The configuration is the one with the fewest "
            "thinking tokens whose accuracy is within 1 point of the baseline (else the most accurate).\n",
            table(["steps", "problems", "baseline thinking", "adaptive thinking", "saved", "baseline accuracy",
                   "adaptive accuracy"], rows)]


def findings(runs, d, steps):
    """The findings, one bullet each, every figure read from the runs (the README links
    here and words them without numbers)."""
    out = ["## Findings\n", "Every figure below is read from the tables that follow.\n"]
    methods = {}
    for run in ("caps", "conditional"):
        for m in (d[run] or {}).get("methods", []):
            methods[m["family"]] = m
    bf = methods.get("budget-forcing")
    if bf:
        others = [f"{f} {pct(m['control'])}" for f, m in methods.items()
                  if f != "budget-forcing" and m.get("control") is not None]
        out.append(f"- **Control.** Budget forcing keeps {pct(bf['control'])} of its samples within their cap; "
                   f"the baselines keep {', '.join(others)} (the `+forcing` variants are capped by budget forcing).")
        def perf(fams):
            return ", ".join(f"{f} {pct(methods[f]['performance'])} (Scaling {num(methods[f]['scaling'], '{:.3g}')})"
                             for f in fams if f in methods)
        prompted = [f for f in methods if "conditional" in f]
        out.append(f"- **Scaling and Performance.** Budget forcing's accuracy rises with the cap (Scaling "
                   f"{num(bf['scaling'], '{:.3g}')} per thinking token) to {pct(bf['performance'])} at the natural "
                   f"length. The prompt-based methods reach {perf(prompted)}: s1-nano was never taught "
                   "length instructions, and a prompt it has not seen breaks its arithmetic. Rejection sampling "
                   f"reaches {perf(['rejection-sampling']).replace('rejection-sampling ', '')}: when none of its "
                   "tries fits, the last one is kept, cut one token past the budget and answered as under a "
                   "cap, so on this model it scales much like budget forcing.")
    waits = config_rows(d["waits"])
    nat = waits.get("budget-forcing max=auto ignore=0")
    one = waits.get("budget-forcing max=auto ignore=1 str=Wait")
    most = max((c for n, c in waits.items() if "str=Wait" in n), key=lambda c: c["num_ignore"], default=None)
    if nat and one and most:
        verdict = ("the opposite of the paper, where a few Waits raise accuracy"
                   if one["accuracy"] < nat["accuracy"] else "as in the paper")
        out.append(f"- **Extension.** One \"Wait\" takes accuracy from {pct(nat['accuracy'])} to "
                   f"{pct(one['accuracy'])}, {most['num_ignore']} Waits to {pct(most['accuracy'])}: {verdict}. "
                   "After a forced Wait s1-nano re-checks forwards, which it does badly (its card says why).")
    maj = d["majority"]
    if maj and nat:
        pts = [p for m in maj["methods"] if m["family"] == "majority" for p in m["points"]]
        if pts:
            first, last = pts[0], pts[-1]
            reach = next((p for p in pts if p["accuracy"] >= nat["accuracy"]), None)
            tail = (f"it first matches greedy thinking at k={reach['k']}, with {num(reach['compute'] / nat['mean_thinking_tokens'], '{:.0f}')}× "
                    "the thinking tokens" if reach else "it never matches greedy thinking at the natural length")
            out.append(f"- **Parallel against sequential.** Majority vote at temperature 0.8 goes from "
                       f"{pct(first['accuracy'])} (k=1) to {pct(last['accuracy'])} (k={last['k']}, "
                       f"{num(last['compute'], '{:.0f}')} thinking tokens per problem); {tail}. Sequential "
                       "scaling past the natural end (Wait) loses accuracy, so on this model parallel "
                       "scaling is the one that gains, unlike the paper.")
    rows_d = adaptive_rows(d)
    base = next((c for c in rows_d.values() if "baseline" not in c), None)
    best = best_adaptive(rows_d, base) if base else None
    if best:
        saved = best.get("tokens_saved_fraction") or 0
        goal = "meets" if saved >= 0.25 and best["accuracy"] >= base["accuracy"] - 0.01 else "misses"
        pareto = config_rows(d["pareto"])
        fixed = [c for n, c in pareto.items() if n.startswith("budget-forcing") and
                 c["accuracy"] >= best["accuracy"] - 0.01]
        cheapest = min(fixed, key=lambda c: c["mean_thinking_tokens"]) if fixed else None
        below = [c for n, c in pareto.items() if n.startswith("budget-forcing") and
                 c["mean_thinking_tokens"] <= best["mean_thinking_tokens"]]
        near = max(below, key=lambda c: c["mean_thinking_tokens"]) if below else None
        text = (f"- **The per-problem budget.** The best adaptive rule, `{best['name'].replace('adaptive max=auto ', '')}`, "
                f"answers {pct(best['accuracy'])} with {num(best['mean_thinking_tokens'])} thinking tokens, against "
                f"{pct(base['accuracy'])} with {num(base['mean_thinking_tokens'])} at the natural length: "
                f"{pct(saved)} fewer tokens, which {goal} the goal of 25 % within 1 point.")
        if cheapest:
            text += (f" The cheapest fixed cap within 1 point of it is `{cheapest['name']}` "
                     f"({num(cheapest['mean_thinking_tokens'])} tokens)")
            if near:
                text += (f"; the largest cap under its token count, `{near['name']}`, answers "
                         f"{pct(near['accuracy'])}")
            text += "."
        out.append(text)
        per = difficulty_rows(runs, base, best, steps)
        if per:
            lo, hi = per[0], per[-1]
            out.append(f"- **Hard problems keep their budget.** Exits save a similar share at every difficulty "
                       f"({pct(lo['saved'])} at {lo['steps']} operations, {pct(hi['saved'])} at {hi['steps']}), so a "
                       f"hard problem keeps {num(hi['adaptive'])} thinking tokens where an easy one stops at "
                       f"{num(lo['adaptive'])}; accuracy changes by at most "
                       f"{pct(max(abs(r['acc_change']) for r in per))} at any difficulty.")
        probes = probes_only(rows_d)
        if probes:
            cost = probe_costs(runs, probes, base)
            parts = [f"every {c['every']}: {num(c['probe_tokens'])} probe tokens per problem, "
                     f"{num(c['ratio'], '{:.1f}')}× the generation time" for c in cost]
            out.append(f"- **Probe overhead.** Probing without exiting costs {'; '.join(parts)} "
                       f"(the best rule spends {num(best.get('mean_probe_tokens'))} probe tokens per problem to "
                       f"save {num(best.get('tokens_saved'))} thinking tokens).")
    dyn = [c for c in config_rows(d["adaptive-dynasor"]).values() if "baseline" in c]
    if dyn:
        out.append(f"- **A suffix the model was not shown.** With Dynasor's default probe suffix the same exits save "
                   f"at most {pct(max(c.get('tokens_saved_fraction') or 0 for c in dyn))} and change accuracy by "
                   f"{', '.join(pct(c.get('accuracy_change')) for c in dyn)}.")
    nw = samples(runs, "nowait")
    if nw:
        log = os.path.join(runs, "nowait.log")
        unmatched = [line for line in open(log) if "note: --suppress-words" in line] if os.path.exists(log) else []
        waits_seen = sum("wait" in s["thinking"].lower() for s in nw)
        out.append(f"- **NoWait.** On s1-nano's one-token-per-byte vocabulary no token contains a reflection word "
                   f"({len(unmatched)} words named, each said to mask nothing), so NoWait changes nothing; "
                   f"greedy thinking wrote \"wait\" in {waits_seen} of {len(nw)} samples anyway.")
    ref_path = os.path.join(runs, "reference.json")
    if os.path.exists(ref_path):
        ref = json.load(open(ref_path))
        total = sum(r["runs"] for r in ref["rows"])
        same = sum(r["identical"] for r in ref["rows"])
        out.append(f"- **The s1 reference loop.** Over llama-server, {same} of {total} runs are token-identical "
                   "to `s1 generate`'s budget forcing.")
    out.append("")
    return out


def nowait_section(runs, d):
    """NoWait (suppressed reflection words) against the uncapped budget-forcing run on the
    same problems, with what `s1 eval` said of the words on this vocabulary."""
    ss = samples(runs, "nowait")
    if not ss:
        return []
    problems = {s["problem"] for s in ss}
    base = [s for s in samples(runs, "caps") if s["config"] == "budget-forcing max=auto ignore=0"
            and s["problem"] in problems]
    rows = []
    for name, group in (("budget-forcing max=auto ignore=0", base), (ss[0]["config"], ss)):
        if not group:
            continue
        rows.append([name, len(group), pct(sum(s["correct"] for s in group) / len(group)),
                     num(statistics.mean(s["thinking_tokens"] for s in group)),
                     sum("wait" in s["thinking"].lower() for s in group)])
    notes = []
    log = os.path.join(runs, "nowait.log")
    if os.path.exists(log):
        notes = [line.split("note: ", 1)[1].strip() for line in open(log) if "note: --suppress-words" in line]
    out = ["## 5c. NoWait: reflection words suppressed while thinking\n",
           "NoWait (arXiv 2506.08343) masks every vocabulary token whose text contains a reflection word. "
           "The uncapped run beside it is budget forcing's, on the same problems.\n",
           table(["configuration", "problems", "accuracy", "mean thinking", "thinkings with \"wait\""], rows)]
    if notes:
        out.append("What `s1 eval` said of the words on this vocabulary:\n")
        out.extend(f"- {n}" for n in notes)
        out.append("")
    return out


def probe_costs(runs, configs, base):
    """Of configurations that probe but never exit: probe tokens and probes per problem,
    and the mean generation time of a sample against the baseline's (probes run beside it)."""
    ss = adaptive_samples(runs)
    base_ms = [s["timing"]["generation_ms"] for s in ss if s["config"] == base["name"]]
    out = []
    for c in configs:
        ms = [s["timing"]["generation_ms"] for s in ss if s["config"] == c["name"]]
        if not ms or not base_ms:
            continue
        out.append({"name": c["name"], "every": c["name"].split("every=")[1].split()[0],
                    "probe_tokens": c.get("mean_probe_tokens"), "probes": c.get("mean_probes"),
                    "base_ms": statistics.mean(base_ms), "ms": statistics.mean(ms),
                    "ratio": statistics.mean(ms) / statistics.mean(base_ms)})
    return out


def probe_cost_section(runs, rows_d, base):
    rows = [[c["name"].replace("adaptive max=auto ", ""), num(c["probe_tokens"]), num(c["probes"]),
             num(c["base_ms"], "{:.0f}"), num(c["ms"], "{:.0f}"), num(c["ratio"], "{:.2f}x")]
            for c in probe_costs(runs, probes_only(rows_d), base)]
    if not rows:
        return []
    return ["### Probe cost\n",
            "Configurations that probe but never exit, against the baseline on the same problems: probe tokens "
            "per problem and the mean generation time of a sample (probes run beside it).\n",
            table(["configuration", "probe tokens", "probes", "baseline ms", "with probes ms", "ratio"], rows)]


if __name__ == "__main__":
    main()
