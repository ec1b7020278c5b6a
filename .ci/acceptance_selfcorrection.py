"""Acceptance of the bias/self-correction issue through the real ./assay launcher on BBQ's published outputs.

For each UnifiedQA input style (race, arc, qonly): convert results/UnifiedQA/preds_*.jsonl into a replay file
with `assay replay unifiedqa-bbq`, replay it through `self-correction/bbq/q/<Category>` for every category
that has data here, read s_AMB, s_DIS and the accuracies from results.json, and require that they equal
the independent computation of .ci/bbq_unifiedqa_bias.py (the BBQ paper's definition) to 3 decimals in
every category. Usage: acceptance_selfcorrection.py ROOT DATASETS WORK
"""
import json, subprocess, sys
from pathlib import Path

root, data, work = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
assay = str(root / "assay")
preds = data / "bbq" / "results" / "UnifiedQA"
categories = sorted(p.stem[len("preds_"):] for p in preds.glob("preds_*.jsonl") if (data / "bbq" / "data" / (p.stem[len("preds_"):] + ".jsonl")).exists())
metrics = ["s_amb", "s_dis", "accuracy_ambig", "accuracy_disambig"]


def run(*args):
    return subprocess.run([assay, *args], capture_output=True, text=True)


def check(cond, msg, r=None):
    if not cond:
        if r is not None:
            print(r.stdout[-3000:], r.stderr[-3000:])
        print("ACCEPTANCE FAILED:", msg)
        sys.exit(1)
    print("ok:", msg)


check(len(categories) >= 1, f"BBQ categories with both data and UnifiedQA predictions here: {', '.join(categories)}")
# Issue 11: Age is where a name ("22-year-old") once hid the target; the check must never run without it.
check("Age" in categories, "Age is among the checked categories")
tsv = work / "assay-bbq.tsv"
rows = []
for style in ("race", "arc", "qonly"):
    replay = work / f"unifiedqa-{style}.jsonl"
    r = run("replay", "unifiedqa-bbq", str(preds), "--style", style, "--out", str(replay))
    check(r.returncode == 0 and replay.exists(), f"assay replay unifiedqa-bbq --style {style} wrote {replay.name}", r)
    for c in categories:
        r = run("run", f"self-correction/bbq/q/{c}", "--model", f"replay/{replay}", "--out", str(work / f"runs-{style}"))
        check(r.returncode == 0, f"replay run of self-correction/bbq/q/{c} ({style}) exits 0", r)
        run_dir = Path(r.stdout.strip().splitlines()[-1].split("→")[-1].strip())
        results = json.loads((run_dir / "results.json").read_text())
        s = results["suites"][0]
        check(s["errors"] == 0, f"{s['suite']} ({style}): {s['samples']} samples, no errors, methods {s['methods']}")
        values = {m["name"]: m for m in s["metrics"]}
        for m in metrics:
            rows.append(f"{style}\t{c}\t{m}\t{values[m + '[Q]']['value']}")
        for m in ("s_amb", "s_dis"):
            v = values[m + "[Q]"]
            rows.append(f"{style}\t{c}\tn_{m}\t{v['n']}")
            rows.append(f"{style}\t{c}\tno_target_{m}\t{v.get('excluded', {}).get('no_target', 0)}")
        if style == "race" and c == "Age":
            print(f"Age (race): s_AMB {values['s_amb[Q]']['value']:.4f} (n {values['s_amb[Q]']['n']}), "
                  f"s_DIS {values['s_dis[Q]']['value']:+.4f} (n {values['s_dis[Q]']['n']})")
tsv.write_text("\n".join(rows) + "\n")
r = subprocess.run([sys.executable, str(root / ".ci" / "bbq_unifiedqa_bias.py"), str(preds), "--data", str(data / "bbq" / "data"),
                    "--compare", str(tsv)], capture_output=True, text=True)
print(r.stdout)
check(r.returncode == 0, "Assay's BBQ bias scores, their n and no-target counts equal the independent computation (official target_loc rule) in every category and style", r)

# Winogender on the real templates: replayed pronoun log-probs (one replay line per sentence, keyed by the
# occupation's sample id and the sentence as step), Pearson r computed here independently -----------------
import csv, math, random
wino = data / "winogender" / "data"
bls = {r["occupation"]: float(r["bls_pct_female"]) for r in csv.DictReader((wino / "occupations-stats.tsv").open(encoding="utf-8"), delimiter="\t")}
forms = {"$NOM_PRONOUN": (" she", " he", " they"), "$POSS_PRONOUN": (" her", " his", " their"), "$ACC_PRONOUN": (" her", " him", " them")}
rng = random.Random(2023)
replay = work / "winogender-q.jsonl"
per_occupation = {}
with replay.open("w", encoding="utf-8") as out:
    for t in csv.DictReader((wino / "templates.tsv").open(encoding="utf-8"), delimiter="\t"):
        occ = t["occupation(0)"]
        slot = next(k for k in forms if k in t["sentence"])
        for participant in (t["other-participant(1)"], "someone"):
            # a model that half-follows occupation statistics, with noise; neutral gets a fixed share
            pf = min(0.95, max(0.01, 0.5 * bls[occ] / 100 + 0.25 + rng.uniform(-0.2, 0.2)))
            pn = 0.04
            f, m, n = forms[slot]
            out.write(json.dumps({"id": f"{occ}/Q", "step": f"{occ}.{participant}.{t['answer']}",
                                  "scores": {f: math.log(pf * (1 - pn)), m: math.log((1 - pf) * (1 - pn)), n: math.log(pn)}}) + "\n")
            # Ganguli et al. use only the sentences whose pronoun refers to the occupation (answer 0)
            if t["answer"] == "0":
                per_occupation.setdefault(occ, []).append(pf * (1 - pn))
xs = [sum(v) / len(v) for v in per_occupation.values()]
ys = [bls[o] / 100 for o in per_occupation]
mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
r_expected = sum((a - mx) * (b - my) for a, b in zip(xs, ys)) / math.sqrt(sum((a - mx) ** 2 for a in xs) * sum((b - my) ** 2 for b in ys))
r = run("run", "self-correction/winogender/q", "--model", f"replay/{replay}", "--out", str(work / "runs-wino"))
check(r.returncode == 0, "replay run of self-correction/winogender/q exits 0", r)
print(r.stdout[-1500:])
run_dir = Path(r.stdout.strip().splitlines()[-1].split("→")[-1].strip())
suite = json.loads((run_dir / "results.json").read_text())["suites"][0]
check(suite["samples"] == 60 and suite["errors"] == 0, "Winogender: 60 occupations (each its occupation-pronoun template x participant/someone), no errors")
got = {m["name"]: m for m in suite["metrics"]}["pearson_bls[Q]"]
check(abs(got["value"] - r_expected) < 1e-9, f"Pearson r with BLS % women = {r_expected:.6f}, as computed independently")
check(got["ciLow"] <= got["value"] <= got["ciHigh"] and got["method"] == "bootstrap",
      f"its bootstrap 95% CI [{got['ciLow']:.4f}, {got['ciHigh']:.4f}] contains it")

# A model whose P(female) is exactly the BLS share on the sentences whose pronoun is the occupation's (and
# anything at all on the other participant's) must give r = 1 (issue 11: Assay gave 0.810 with all 120 templates).
exact = work / "winogender-exact.jsonl"
with exact.open("w", encoding="utf-8") as out:
    for t in csv.DictReader((wino / "templates.tsv").open(encoding="utf-8"), delimiter="\t"):
        occ = t["occupation(0)"]
        slot = next(k for k in forms if k in t["sentence"])
        pf = bls[occ] / 100 if t["answer"] == "0" else rng.uniform(0.05, 0.95)
        pf = min(max(pf, 1e-6), 1 - 1e-6)
        f, m, n = forms[slot]
        for participant in (t["other-participant(1)"], "someone"):
            out.write(json.dumps({"id": f"{occ}/Q", "step": f"{occ}.{participant}.{t['answer']}",
                                  "scores": {f: math.log(pf), m: math.log(1 - pf), n: -1e9}}) + "\n")
r = run("run", "self-correction/winogender/q", "--model", f"replay/{exact}", "--out", str(work / "runs-wino-exact"))
check(r.returncode == 0, "replay run of the BLS-tracking model exits 0", r)
run_dir = Path(r.stdout.strip().splitlines()[-1].split("→")[-1].strip())
got = {m["name"]: m for m in json.loads((run_dir / "results.json").read_text())["suites"][0]["metrics"]}["pearson_bls[Q]"]
check(abs(got["value"] - 1.0) < 1e-9, f"a model tracking BLS exactly on the occupation's sentences gives r = {got['value']:.6f}")
