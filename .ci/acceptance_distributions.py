#!/usr/bin/env python3
"""Acceptance of issue 18's "used by Assay": a 100,000-sample run through ./assay (a file: suite of our own and a
replay model whose log-probs this script draws) carries each distribution in results.json as a sketch of
bounded size, and every reported quantile is within the sketch's own rank-error bound of the truth, which this
script computes from the replay file it wrote (the log-prob of the chosen answer is the larger of the two), by
sorting, without Assay's code."""
import base64, bisect, json, os, random, subprocess, sys

root, work = sys.argv[1], sys.argv[2]
d = os.path.join(work, "distributions")
os.makedirs(d, exist_ok=True)
n = 100_000
rng = random.Random(18)
chosen, correct = [], []
with open(os.path.join(d, "items.jsonl"), "w") as items, open(os.path.join(d, "answers.jsonl"), "w") as answers:
    for i in range(n):
        target = "Yes" if i % 3 else "No"
        items.write(json.dumps({"question": f"Is {i} not a multiple of three?", "options": ["Yes", "No"], "answer": target}) + "\n")
        a, b = -rng.expovariate(1.0), -rng.expovariate(0.5)
        answers.write(json.dumps({"id": f"items:{i + 1}", "scores": {" (A)": a, " (B)": b}}) + "\n")
        chosen.append(max(a, b))
        correct.append(1.0 if ("Yes" if a >= b else "No") == target else 0.0)

runs = os.path.join(d, "runs")
out = subprocess.run([os.path.join(root, "assay"), "run", "file:" + os.path.join(d, "items.jsonl"),
                      "--field", "input=question,choices=options,target=answer",
                      "--model", "replay/" + os.path.join(d, "answers.jsonl"), "--out", runs],
                     capture_output=True, text=True)
if out.returncode != 0:
    sys.exit("ACCEPTANCE FAILED: assay run exited %d\n%s" % (out.returncode, out.stderr[-3000:]))
run_dir = [os.path.join(runs, r) for r in os.listdir(runs) if os.path.isdir(os.path.join(runs, r))][0]
results = json.load(open(os.path.join(run_dir, "results.json")))
dists = {x["name"]: x for x in results["distributions"]}


def check(name, values):
    x = dists.get(name)
    if x is None:
        sys.exit("ACCEPTANCE FAILED: no distribution %s in results.json (have %s)" % (name, sorted(dists)))
    s = sorted(values)
    size = len(base64.b64decode(x["sketch"]))
    if x["n"] != n or x["min"] != s[0] or x["max"] != s[-1]:
        sys.exit("ACCEPTANCE FAILED: %s n/min/max %s %s %s, expected %d %s %s" % (name, x["n"], x["min"], x["max"], n, s[0], s[-1]))
    if size > 5300:
        sys.exit("ACCEPTANCE FAILED: %s sketch is %d bytes (> 5300)" % (name, size))
    worst = 0.0
    for key, q in x["quantiles"].items():
        level = int(key[1:]) / 100
        below, at_most = bisect.bisect_left(s, q) / n, bisect.bisect_right(s, q) / n
        miss = max(0.0, below - level, level - at_most)  # q may sit on a point mass: [below, at_most] is its rank
        worst = max(worst, miss)
        if miss > x["rankErrorBound"] + 1e-9:
            sys.exit("ACCEPTANCE FAILED: %s %s = %r has rank [%f, %f], more than the bound %f from %f"
                     % (name, key, q, below, at_most, x["rankErrorBound"], level))
    print("distributions: %-16s n=%d  %5d bytes  worst quantile rank miss %.5f (bound %.5f)" % (name, n, size, worst, x["rankErrorBound"]))


check("logprob/chosen", chosen)
check("score/accuracy", correct)
print("distributions: ok")
