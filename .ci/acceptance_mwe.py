"""Acceptance of the Foundation issue, through the real ./assay launcher on the real anthropics/evals data.

1. Every file of anthropic-evals loads: all mwe suites are dry-run in one call and each file's sample
   count must equal its number of lines.
2. A replay run of mwe/persona/desire-for-power --limit 50 prints both aggregations with CIs that equal
   an independent computation from the replay file (this script's own arithmetic).
3. A run killed with SIGKILL mid-way and resumed ends with the same results as an uninterrupted run.
"""
import json, math, os, random, signal, subprocess, sys, time
from pathlib import Path

root, data, work = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
evals = data / "anthropic-evals"
assay = str(root / "assay")


def run(*args, **kw):
    return subprocess.run([assay, *args], capture_output=True, text=True, **kw)


def check(cond, msg):
    if not cond:
        print("ACCEPTANCE FAILED:", msg)
        sys.exit(1)
    print("ok:", msg)


# 1. every file loads -------------------------------------------------------------------------
folders = {"persona": "mwe/persona/", "advanced-ai-risk/human_generated_evals": "mwe/advanced-ai-risk/human/",
           "advanced-ai-risk/lm_generated_evals": "mwe/advanced-ai-risk/lm/",
           "advanced-ai-risk/prompts_for_few_shot_generation": "mwe/advanced-ai-risk/few-shot/"}
expected = {}
for folder, prefix in folders.items():
    for f in sorted((evals / folder).glob("*.jsonl")):
        expected[prefix + f.stem] = sum(1 for line in f.open(encoding="utf-8") if line.strip())
wino = evals / "winogenerated" / "winogenerated_examples.jsonl"
expected["mwe/winogenerated"] = sum(1 for line in wino.open(encoding="utf-8") if line.strip())
all_files = [p for p in evals.rglob("*.jsonl")]
check(len(all_files) == 186, f"{len(all_files)} JSONL files in anthropic-evals")
r = run("run", *expected, "--dry-run", "--out", str(work / "dry"))
if r.returncode != 0:
    print(r.stdout[-3000:], r.stderr[-3000:])
check(r.returncode == 0, "dry run of every anthropic-evals suite exits 0")
seen = {}
for line in r.stdout.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1].startswith("samples="):
        seen[parts[0]] = int(parts[1].split("=")[1])
missing = [s for s in expected if seen.get(s) != expected[s]]
check(not missing, f"all {len(expected)} suites (185 data files + the occupations file) load every line; mismatches: {missing[:5]}")

# 2. replay numbers equal an independent computation ----------------------------------------------
src = evals / "persona" / "desire-for-acquiring-power.jsonl"
rng = random.Random(2022)
replay = work / "replay.jsonl"
s_values = []
with replay.open("w") as out:
    for i, line in enumerate(src.open(encoding="utf-8")):
        if i >= 50:
            break
        item = json.loads(line)
        ly, ln = -rng.uniform(0.05, 4), -rng.uniform(0.05, 4)
        out.write(json.dumps({"id": f"desire-for-acquiring-power:{i + 1}", "scores": {" Yes": ly, " No": ln}}) + "\n")
        py = math.exp(ly) / (math.exp(ly) + math.exp(ln))
        s_values.append(py if item["answer_matching_behavior"] == " Yes" else 1 - py)


def t_quantile_975(df):
    # Student-t 97.5% point by bisection on the CDF, integrating the density with Simpson's rule.
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    pdf = lambda x: c * (1 + x * x / df) ** (-(df + 1) / 2)
    def cdf(t, n=4000):
        h = t / n
        return 0.5 + h / 3 * sum((1 if k in (0, n) else 4 if k % 2 else 2) * pdf(k * h) for k in range(n + 1))
    lo, hi = 0.0, 20.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < 0.975 else (lo, mid)
    return (lo + hi) / 2


def mean_ci(xs):
    """Mean, s/sqrt(n), and the 95% interval: Wilson's score interval for 0/1 data, Student-t otherwise."""
    n = len(xs)
    m = sum(xs) / n
    se = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1)) / math.sqrt(n)
    if all(x in (0.0, 1.0) for x in xs):
        z = 1.959963984540054
        centre = (m + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(m * (1 - m) / n + z * z / (4 * n * n))
        return m, se, max(0.0, centre - half), min(1.0, centre + half)
    t = t_quantile_975(n - 1)
    return m, se, m - t * se, m + t * se


store = work / "runs"
r = run("run", "mwe/persona/desire-for-power", "--model", f"replay/{replay}", "--limit", "50", "--out", str(store))
print(r.stdout)
check(r.returncode == 0, "replay run exits 0")
run_dir = Path(r.stdout.strip().splitlines()[-1].split("→")[-1].strip())
results = json.loads((run_dir / "results.json").read_text())
metrics = {m["name"]: m for m in results["suites"][0]["metrics"]}
for name, xs in (("match_prob", s_values), ("match_top", [1.0 if s > 0.5 else 0.0 for s in s_values])):
    m, se, lo, hi = mean_ci(xs)
    got = metrics[name]
    check(abs(got["value"] - m) < 1e-12 and abs(got["stderr"] - se) < 1e-12, f"{name} = {m:.6f} ± {se:.6f} as computed independently")
    check(abs(got["ciLow"] - lo) < 1e-6 and abs(got["ciHigh"] - hi) < 1e-6, f"{name} 95% CI [{lo:.6f}, {hi:.6f}] as computed independently")
    check(f"{m:.4f}" in r.stdout and f"{lo:.4f}" in r.stdout, f"{name} and its CI are printed")

# 3. SIGKILL mid-way, resume, same results ------------------------------------------------------------
big = work / "replay-big.jsonl"
limit = 150
with big.open("w") as out:
    for f in sorted((evals / "persona").glob("*.jsonl")):
        for i, _ in zip(range(limit), f.open(encoding="utf-8")):
            out.write(json.dumps({"id": f"{f.stem}:{i + 1}", "scores": {" Yes": -rng.uniform(0.05, 4), " No": -rng.uniform(0.05, 4)}}) + "\n")
common = ["mwe/persona", "--model", f"replay/{big}", "--limit", str(limit), "--concurrency", "8"]
full = run("run", *common, "--out", str(work / "full"))
check(full.returncode == 0, "uninterrupted run of mwe/persona (135 datasets) exits 0")
full_dir = Path(full.stdout.strip().splitlines()[-1].split("→")[-1].strip())

kill_store = work / "killed"
env = dict(os.environ, ASSAY_JAVA_OPTS="")
p = subprocess.Popen([assay, "run", *common, "--out", str(kill_store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                     start_new_session=True)
# Wait until some samples are logged, then kill the JVM (and the launcher) with SIGKILL.
deadline = time.time() + 120
log = None
while time.time() < deadline:
    logs = list(kill_store.glob("*/samples.jsonl"))
    if logs and logs[0].stat().st_size > 200_000:
        log = logs[0]
        break
    time.sleep(0.05)
os.killpg(p.pid, signal.SIGKILL)
p.wait()
check(log is not None, "the run was killed mid-way")
partial = sum(1 for _ in log.open())
total = 135 * limit
check(0 < partial < total, f"killed with {partial} of {total} samples logged")
check(not (log.parent / "results.json").exists(), "no results were written by the killed run")
res = run("run", "--resume", log.parent.name, "--out", str(kill_store))
check(res.returncode == 0, "resume exits 0")
lines = [json.loads(l) for l in log.open()]
ids = [(l["suite"], l["id"], l["epoch"]) for l in lines]
check(len(set(ids)) == total, f"after resume every one of {total} samples is logged")
check(len(ids) == len(set(ids)), f"no finished sample was logged twice ({len(ids) - len(set(ids))} duplicates)")
a = json.loads((full_dir / "results.json").read_text())
b = json.loads((log.parent / "results.json").read_text())
a.pop("run"), b.pop("run")
check(a == b, "resumed results equal the uninterrupted run's results exactly")

# 4. Ctrl-C: exit code 3, a message saying how to resume, and the index keeps what finished ----------------
int_store = work / "interrupted"
# Ctrl-C as a terminal sends it: SIGINT at its default in the run, whatever CI itself was started with (a shell's
# background job starts with SIGINT ignored, the JVM then keeps it ignored, and the run would finish at exit 0).
p = subprocess.Popen([assay, "run", *common, "--out", str(int_store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                     start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
deadline = time.time() + 120
while time.time() < deadline:
    logs = list(int_store.glob("*/samples.jsonl"))
    if logs and logs[0].stat().st_size > 200_000:
        break
    time.sleep(0.05)
os.killpg(p.pid, signal.SIGINT)
_, err = p.communicate(timeout=60)
if p.returncode != 3:
    print(err[-3000:])
check(p.returncode == 3, f"an interrupted run exits with code 3 (got {p.returncode})")
check("assay run --resume" in err, "and says how to resume it")
listing = json.loads(run("list", "runs", "--json", "--out", str(int_store)).stdout)
row = next((r for r in listing if r["status"] == "interrupted"), None)
done = int(row["done"].split("/")[0]) if row else 0
check(done > 0, f"assay list runs shows the interrupted run with {done} samples finished")
