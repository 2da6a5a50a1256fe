#!/usr/bin/env python3
"""Agreement of `s1 grade`'s rules with graded answer pairs from elsewhere.

    python3 bench/grader_agreement.py PAIRS [--part dev|held-out|all] [--s1 build/bin/s1]
                                            [--show]

PAIRS is one of
  - a JSON list in the style of TinyV's HardVerify-Math (uw-nsl/TinyV,
    benchmarks/HardVerify-Math.json): each row has `question`, `ground_truth`, `fn_output`
    (an answer a rule grader refused though it is equivalent) and `tn_output` (an answer that
    is not equivalent); each row gives two pairs;
  - JSONL with `question` (optional), `gold`, `prediction` and `label` (true: equivalent);
  - OlympiadBench's `data.zip` (OpenBMB/OlympiadBench, in its first commit 61bf12a): each
    auto-scorable maths problem gives its reference solution, read as model text (the
    answer is extracted from it), against its own final answer (equivalent by construction)
    and against the final answer of the seventh problem after it (different, unless the two
    answers are equal).

The data is not part of the repository; fetch it yourself. Rows are split once, by the
SHA-256 of question and gold answer (odd first byte: held-out), so that rules can be written
against the dev part and judged on the held-out part. The pairs of the chosen part are graded
with `s1 grade --agreement --json` (final answers given as is, with their question; model
text for OlympiadBench) and the script prints, per label, how many pairs the rules accept and
refuse. --show lists the disagreements.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile


def held_out(question, gold):
    digest = hashlib.sha256((question + "\x1f" + gold).encode("utf-8")).digest()
    return digest[0] % 2 == 1


OLYMPIADBENCH_MATHS = ("English_Olympiad_Mathematics", "Chinese_Olympiad_Mathematics",
                       "Gaokao_Maths")


def read_olympiadbench(path):
    """Pairs (question, gold, solution text, label, True) from OlympiadBench's data.zip."""
    problems = []
    with zipfile.ZipFile(path) as z:
        for name in OLYMPIADBENCH_MATHS:
            for row in json.loads(z.read(f"data/{name}.json")):
                if row.get("support_auto_scoring") is not True:
                    continue
                answers, solution = row.get("final_answer") or [], row.get("solution") or []
                if not answers or not solution:
                    continue
                gold = ", ".join(a.strip().strip("$").strip() for a in answers)
                problems.append((row["question"], gold, solution[-1]))
    pairs = []
    for i, (q, gold, text) in enumerate(problems):
        pairs.append((q, gold, text, True, True))
        other = problems[(i + 7) % len(problems)][1]
        if "".join(other.split()) != "".join(gold.split()):
            pairs.append((q, other, text, False, True))
    return pairs


def read_pairs(path):
    if zipfile.is_zipfile(path):
        return read_olympiadbench(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    pairs = []
    if text.lstrip().startswith("["):
        for row in json.loads(text):
            q, gold = row.get("question", ""), row["ground_truth"]
            pairs.append((q, gold, row["fn_output"], True, False))
            pairs.append((q, gold, row["tn_output"], False, False))
    else:
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            label = row["label"]
            if isinstance(label, str):
                label = label.strip().lower() in ("true", "1", "yes", "correct")
            pairs.append((row.get("question", ""), row["gold"], row["prediction"], bool(label),
                          False))
    return pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pairs")
    ap.add_argument("--part", choices=["dev", "held-out", "all"], default="held-out")
    ap.add_argument("--s1", default=os.path.join(os.path.dirname(__file__), "..", "build", "bin", "s1"))
    ap.add_argument("--show", action="store_true", help="list the disagreements")
    args = ap.parse_args()

    try:
        pairs = read_pairs(args.pairs)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
        sys.exit(f"grader_agreement: cannot read {args.pairs}: {e}")
    chosen = [p for p in pairs
              if args.part == "all" or held_out(p[0], p[1]) == (args.part == "held-out")]
    if not chosen:
        sys.exit("grader_agreement: no pairs in that part")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tmp:
        for i, (q, gold, pred, label, model_text) in enumerate(chosen):
            field = "answer" if model_text else "prediction"
            tmp.write(json.dumps({"id": str(i), "question": q, "gold": gold,
                                  field: pred, "label": label}) + "\n")
    try:
        run = subprocess.run([args.s1, "grade", "--predictions", tmp.name, "--agreement", "--json"],
                             capture_output=True, text=True)
    finally:
        os.unlink(tmp.name)
    if run.returncode != 0:
        sys.exit(f"grader_agreement: s1 grade failed: {run.stderr.strip()}")
    out = json.loads(run.stdout)
    file = out["agreement"]["files"][0]
    equivalent = sum(1 for p in chosen if p[3])
    different = len(chosen) - equivalent
    refused, accepted = file["only_label_accepts"], file["only_we_accept"]
    print(f"part: {args.part}  pairs: {len(chosen)}  agreement: {100 * file['agreement']:.1f}%")
    print(f"equivalent pairs refused:     {refused} of {equivalent}")
    print(f"non-equivalent pairs accepted: {accepted} of {different}"
          f" ({100 * accepted / max(different, 1):.1f}%)")
    if args.show:
        for d in out["agreement"]["disagreements"]:
            q = chosen[int(d["id"])][0]
            kind = "refused" if d["label"] else "ACCEPTED"
            print(f"\n{kind}  predicted: {d['predicted']}\n         gold: {d['gold']}\n"
                  f"     question: {q[:300]!r}")


if __name__ == "__main__":
    main()
