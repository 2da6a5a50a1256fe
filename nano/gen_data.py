#!/usr/bin/env python3
"""s1-nano's tasks and reasoning traces: chains of additions and subtractions.

A problem is a chain of 2-3-digit numbers joined by + and -, e.g. "What is 345+278-41?";
its difficulty is the number of operations (--min-steps to --max-steps). The running
total stays between 10 and 999.

A trace thinks one operation per line, column by column from the units, with the carry
or borrow written out, then assembles the result:

    345+278: 5+8=13, 4+7+1=12, 3+2+1=6. So 623.
    623-41: 3-1=2, 12-4=8, 6-0-1=5. So 582.
    Check: 582+41=623, 623-278=345. Correct.

In subtraction a column that must borrow writes its digit with a leading 1 ("12-4=8") and
the next column subtracts the borrow ("6-0-1=5"). The last line verifies the result by
undoing the operations from the end back to the first number. Some traces slip on a
column or on the assembled result and catch it with "Wait," and the right value; the
trainer masks the loss on the slipped value (the digits just before " Wait,"), so the
model learns to correct, not to slip. Some traces check a second time ("Wait, again:"),
forwards. The answer phase writes "Final Answer: \\boxed{N}".

Some pool records are cut, as a thinking budget cuts a trace: the trace stops at a random
character and the answer follows at once. Their answer is the total when the trace got
as far as the last operation's result ("So N."), and an empty box, "\\boxed{}", when it
did not: the model learns to answer under a cap, and to leave the box empty rather than
guess while its sum is unfinished, so adaptive probes agree only on a settled result. The
trainer learns only their answer (see train.py).

Output (JSONL, deterministic for a seed):
  --test FILE   problems in the schema of the evaluation sets (id, problem, answer, plus
                steps and solution); `s1 eval --dataset FILE` reads it.
  --pool FILE   training records for `s1 curate` (id, question, trace, answer, gold,
                domain, steps).
Test and pool are disjoint by construction: a problem belongs to the test side when the
hash of its text falls in the test bucket, and the pool never draws from that bucket.
"""
import argparse
import hashlib
import json
import random
import sys

QUESTION = "What is {}?"
ANSWER = "Final Answer: \\boxed{{{}}}"
UNFINISHED = "Final Answer: \\boxed{}"


def is_test_problem(expr):
    """The test bucket: 1 in 16 of all problem texts, fixed by the text alone."""
    return hashlib.sha256(expr.encode()).digest()[0] < 16


def draw_problem(rng, steps):
    """A chain of `steps` operations; returns (first, [(op, operand), ...], results)."""
    while True:
        first = rng.randint(10, 999)
        total, ops, results = first, [], []
        for _ in range(steps):
            b = rng.randint(10, 99) if rng.random() < 0.35 else rng.randint(100, 999)
            can_add, can_sub = total + b <= 999, total - b >= 10
            if not can_add and not can_sub:
                break
            op = "-" if can_sub and (not can_add or rng.random() < 0.5) else "+"
            total = total + b if op == "+" else total - b
            ops.append((op, b))
            results.append(total)
        if len(ops) == steps:
            return first, ops, results


def expression(first, ops):
    return str(first) + "".join(f"{op}{b}" for op, b in ops)


def columns(a, op, b):
    """Column texts for a op b from the units, and each column's result digit(s)."""
    n = max(len(str(a)), len(str(b)))
    da = [int(c) for c in str(a).zfill(n)][::-1]
    db = [int(c) for c in str(b).zfill(n)][::-1]
    cols, carry = [], 0
    for i in range(n):
        x, y = da[i], db[i]
        if op == "+":
            s = x + y + carry
            lhs = f"{x}+{y}" + ("+1" if carry else "")
            value = s if i == n - 1 else s % 10
            text_value = str(s)
            carry = s // 10
        else:
            s = x - y - carry
            borrow = s < 0
            lhs = ("1" if borrow else "") + f"{x}-{y}" + ("-1" if carry else "")
            s = s + 10 if borrow else s
            text_value = str(s)
            value = s
            carry = 1 if borrow else 0
        cols.append((lhs, text_value, value))
    return cols


def slip_value(rng, right):
    """A wrong value of the same length as `right` (a slipped column or result)."""
    while True:
        if len(right) == 1:
            wrong = str((int(right) + rng.choice([1, 2, 8, 9])) % 10)
        else:
            digits = list(right)
            i = rng.randrange(len(digits))
            digits[i] = str((int(digits[i]) + rng.choice([1, 2, 8, 9])) % 10)
            if digits[0] == "0" and len(digits) > 1:
                continue
            wrong = "".join(digits)
        if wrong != right:
            return wrong


def trace_for(rng, first, ops, results, slip_rate, recheck_rate):
    lines = []
    total = first
    slip_at = rng.randrange(len(ops)) if rng.random() < slip_rate else -1
    for k, ((op, b), result) in enumerate(zip(ops, results)):
        cols = columns(total, op, b)
        parts = [f"{lhs}={v}" for lhs, v, _ in cols]
        result_text = f"So {result}."
        if k == slip_at:
            if rng.random() < 0.7:
                c = rng.randrange(len(cols))
                lhs, v, _ = cols[c]
                parts[c] = f"{lhs}={slip_value(rng, v)} Wait, {lhs}={v}"
            else:
                result_text = f"So {slip_value(rng, str(result))} Wait, so {result}."
        lines.append(f"{total}{op}{b}: " + ", ".join(parts) + ". " + result_text)
        total = result
    # Verify backwards: undo each operation from the last to the first.
    checks, totals = [], [first] + results
    for k in range(len(ops) - 1, -1, -1):
        op, b = ops[k]
        inv = "-" if op == "+" else "+"
        checks.append(f"{totals[k + 1]}{inv}{b}={totals[k]}")
    lines.append("Check: " + ", ".join(checks) + ". Correct.")
    if rng.random() < recheck_rate:
        forward = [f"{totals[k]}{op}{b}={totals[k + 1]}" for k, (op, b) in enumerate(ops)]
        lines.append("Wait, again: " + ", ".join(forward) + ". Correct.")
    return "\n".join(lines)


def settled_at(trace, steps):
    """Where the last operation's result is written: the end of line `steps` of the trace."""
    return len("\n".join(trace.split("\n")[:steps]))


def cut_trace(rng, trace, steps, result):
    """A trace cut at a random character (as a cap cuts it), and the answer that follows."""
    cut = rng.randint(1, len(trace) - 1)
    text = trace[:cut]
    if text.endswith("\n"):
        text = text[:-1]  # the chat format adds the newline before </think>, as a cap does
    return text, (ANSWER.format(result) if cut >= settled_at(trace, steps) else UNFINISHED)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--pool", help="training pool JSONL to write")
    p.add_argument("--pool-size", type=int, default=60000)
    p.add_argument("--test", help="test set JSONL to write")
    p.add_argument("--test-size", type=int, default=500)
    p.add_argument("--min-steps", type=int, default=2)
    p.add_argument("--max-steps", type=int, default=8)
    p.add_argument("--pool-min-steps", type=int, default=1,
                   help="the pool's shortest chains (training starts easier than the test)")
    p.add_argument("--slip-rate", type=float, default=0.15)
    p.add_argument("--recheck-rate", type=float, default=0.1)
    p.add_argument("--cut-rate", type=float, default=0.15,
                   help="the share of pool traces cut short, answered as under a cap")
    a = p.parse_args()
    if not a.pool and not a.test:
        p.error("give --pool and/or --test")
    if not 1 <= a.min_steps <= a.max_steps:
        p.error("need 1 <= --min-steps <= --max-steps")
    span = a.max_steps - a.min_steps + 1

    if a.test:
        rng = random.Random(f"s1-nano-test-{a.seed}")
        seen = set()
        with open(a.test, "w") as f:
            i = 0
            while i < a.test_size:
                steps = a.min_steps + i % span  # every difficulty equally often
                first, ops, results = draw_problem(rng, steps)
                expr = expression(first, ops)
                if not is_test_problem(expr) or expr in seen:
                    continue
                seen.add(expr)
                quiet = random.Random(expr)  # the reference trace has no slip
                solution = trace_for(quiet, first, ops, results, 0.0, 0.0)
                f.write(json.dumps({"id": f"nano-{i:04d}", "problem": QUESTION.format(expr),
                                    "answer": str(results[-1]), "steps": steps,
                                    "solution": solution + "\n" + ANSWER.format(results[-1])}) + "\n")
                i += 1

    if a.pool:
        rng = random.Random(f"s1-nano-pool-{a.seed}")
        # Shorter chains more often (weight 1/sqrt(steps)): they cost less and teach the
        # same column rules; every length up to --max-steps is still well represented.
        lengths = list(range(min(a.pool_min_steps, a.min_steps), a.max_steps + 1))
        weights = [k ** -0.5 for k in lengths]
        with open(a.pool, "w") as f:
            i = 0
            while i < a.pool_size:
                steps = rng.choices(lengths, weights)[0]
                first, ops, results = draw_problem(rng, steps)
                expr = expression(first, ops)
                if is_test_problem(expr):
                    continue
                trace = trace_for(rng, first, ops, results, a.slip_rate, a.recheck_rate)
                answer = ANSWER.format(results[-1])
                cut = rng.random() < a.cut_rate
                if cut:
                    trace, answer = cut_trace(rng, trace, steps, results[-1])
                f.write(json.dumps({"id": f"pool-{i:06d}", "question": QUESTION.format(expr),
                                    "trace": trace, "answer": answer, "gold": str(results[-1]),
                                    "domain": "arithmetic", "steps": steps, "cut": cut}) + "\n")
                i += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
