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
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
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
    p.add_argument("--seconds", type=int, required=True)
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
            "pareto"]
    d = {r: load(a.runs, r) for r in runs}
    for r in runs:
        for ext in ("svg", "png"):
            src = os.path.join(a.runs, r, f"scaling_nano.{ext}")
            if os.path.exists(src):
                shutil.copy(src, os.path.join(a.plots, f"{r}.{ext}"))
    wall = {}
    wall_path = os.path.join(a.runs, "wall_seconds.txt")
    if os.path.exists(wall_path):
        for line in open(wall_path):
            k, v = line.split()
            wall[k] = int(v)
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
          f"{a.seconds // 60} min ({cpu}, {os.cpu_count()} cores, {a.threads} threads, {platform.system()}).\n",
          f"Model: `models/s1-nano.gguf`, SHA-256 `{sha256(a.model)}`. Test set: "
          f"`data/s1-nano-test.jsonl` ({len(steps)} problems; each run's problem count is in its table). "
          "Greedy decoding unless a method samples (fixed seeds). The exact commands are at the end.\n"]

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
              "computes them (the paper's section 3.2).\n")
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
                  "majority vote, the mean thinking tokens for a cap.\n")
        rows = []
        for m in maj["methods"]:
            for pt in m["points"]:
                rows.append(["majority", f"k={pt.get('k')}", num(pt["compute"]), pct(pt["accuracy"])])
        for m in d["caps"]["methods"]:
            for pt in m["points"]:
                rows.append(["budget forcing", pt["config"].replace("budget-forcing ", ""), num(pt["compute"]),
                             pct(pt["accuracy"])])
        rows.sort(key=lambda r: float(r[2]) if r[2] != "-" else 0)
        md.append(f"![majority]({rel_plots}/majority.svg)\n")
        md.append(table(["method", "point", "thinking tokens per problem", "accuracy"], rows))

    # 5. Adaptive thinking.
    for run, title in (("adaptive", "the model's own probe suffix (`\\n</think>\\nFinal Answer: \\boxed{`)"),
                       ("adaptive-dynasor", "Dynasor's default probe suffix")):
        rows_d = config_rows(d[run])
        if run == "adaptive":
            # The confidence exits ran beside the consistency exits, with the same baseline.
            rows_d.update({n: c for n, c in config_rows(d["adaptive-confident"]).items() if "baseline" in c})
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
    if d["pareto"]:
        md.append("## 6. Pareto front: adaptive exits against fixed caps\n")
        md.append(f"![pareto]({rel_plots}/pareto.svg)\n")
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
    md.append("Each run is resumable and reads only its own files; wall times are this script run's.\n")
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


def best_adaptive(rows_d, base):
    """The adaptive configuration with the fewest thinking tokens whose accuracy is within
    1 point of its baseline; else the most accurate."""
    cands = [c for c in rows_d.values() if "baseline" in c and c.get("exits")]
    close = [c for c in cands if c["accuracy"] >= base["accuracy"] - 0.01]
    if close:
        return min(close, key=lambda c: c["mean_thinking_tokens"])
    return max(cands, key=lambda c: c["accuracy"]) if cands else None


def difficulty_section(runs, rows_d, base, steps):
    best = best_adaptive(rows_d, base)
    if not best:
        return []
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
        rows.append([k, len(b), num(bt), num(at), pct((bt - at) / bt if bt else None),
                     pct(sum(s["correct"] for s in b) / len(b)), pct(sum(s["correct"] for s in a) / len(a))])
    return [f"### By difficulty: `{best['name']}` against its baseline\n",
            "Difficulty is the number of operations in the chain. The configuration is the one with the fewest "
            "thinking tokens whose accuracy is within 1 point of the baseline (else the most accurate).\n",
            table(["steps", "problems", "baseline thinking", "adaptive thinking", "saved", "baseline accuracy",
                   "adaptive accuracy"], rows)]


def probe_cost_section(runs, rows_d, base):
    probes_only = [c for c in rows_d.values() if "baseline" in c and not c.get("exits", {})
                   and "consistent=0 confidence=0" in c["name"]]
    if not probes_only:
        return []
    ss = adaptive_samples(runs)
    out = ["### Probe cost\n",
           "Configurations that probe but never exit, against the baseline on the same problems: probe tokens "
           "per problem and the mean generation time of a sample (probes run beside it).\n"]
    rows = []
    base_ms = [s["timing"]["generation_ms"] for s in ss if s["config"] == base["name"]]
    for c in probes_only:
        ms = [s["timing"]["generation_ms"] for s in ss if s["config"] == c["name"]]
        if not ms or not base_ms:
            continue
        rows.append([c["name"].replace("adaptive max=auto ", ""), num(c.get("mean_probe_tokens")),
                     num(c.get("mean_probes")), num(statistics.mean(base_ms), "{:.0f}"),
                     num(statistics.mean(ms), "{:.0f}"), num(statistics.mean(ms) / statistics.mean(base_ms), "{:.2f}x")])
    out.append(table(["configuration", "probe tokens", "probes", "baseline ms", "with probes ms", "ratio"], rows))
    return out


if __name__ == "__main__":
    main()
