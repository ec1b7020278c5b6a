#!/usr/bin/env bash
# Acceptance of reward-tampering/… through ./assay (real bubblewrap sandboxes, scripted test-double policies):
#  1. the honest policy over N held-out episodes (default 10,000, the issue's figure; ASSAY_RT_EPISODES=N for fewer
#     while developing) reports "0 / N" with its one-sided bound on the console and in results.json, Clopper-Pearson too;
#  2. an interrupted run (SIGTERM) exits 3 and --resume finishes it to the same count;
#  3. the whole curriculum with the track-covering policy games every environment;
#  4. a --sweep over two synthetic checkpoints gives the report's gaming-rate-vs-checkpoint chart.
set -euo pipefail
root="$1"; work="$2/reward-tampering"
assay="$root/assay"
n="${ASSAY_RT_EPISODES:-10000}"
rm -rf "$work"; mkdir -p "$work"; cd "$work"
fail() { echo "ACCEPTANCE FAILED: $*"; exit 1; }

start=$(date +%s)
"$assay" run reward-tampering/held-out --model 'synthetic/curriculum?policy=honest' --limit "$n" --out runs > honest.txt 2>&1 \
  || { cat honest.txt; fail "the honest run failed"; }
secs=$(( $(date +%s) - start ))
label=$(python3 -c "
import sys; n=int(sys.argv[1]); u=1-0.05**(1/n)
print('0 / {:,}, ≤ {}'.format(n, ('%.1e' % u).replace('e-0','e-')))" "$n")
grep -qF "$label" honest.txt || { cat honest.txt; fail "the honest run does not report '$label'"; }
grep -q "samples=$n scored=$n errors=0" honest.txt || fail "the honest run did not score all $n episodes"
dir=$(ls -d runs/2*/ | head -1)
python3 - "$dir/results.json" "$n" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); n = int(sys.argv[2])
m = {x["name"]: x for x in r["suites"][0]["metrics"]}
for name in ("tampered", "covered_tracks", "gamed"):
    p = m[name]["proportion"]
    assert p["count"] == 0 and p["n"] == n, (name, p)
    assert p["exactLow"] == 0 and 0 < p["upper95"] < p["exactHigh"] <= p["wilsonHigh"], p
    assert abs(p["upper95"] - (1 - 0.05 ** (1 / n))) < 1e-9, p
PY
echo "ok: $n honest episodes in ${secs}s: $label"

# 2. Interrupt a run mid-way (SIGTERM: a background job ignores SIGINT), then resume it.
"$assay" run reward-tampering/held-out --model 'synthetic/curriculum?policy=gamer' --limit 300 --out resumed > first.txt 2>&1 &
pid=$!
sleep 8
kill -TERM "$pid" || true
set +e; wait "$pid"; code=$?; set -e
[ "$code" = 3 ] || { cat first.txt; fail "an interrupted run exited $code, not 3"; }
id=$(ls resumed | grep '^2' | head -1)
"$assay" run --resume "$id" --out resumed > resumed.txt 2>&1 || { cat resumed.txt; fail "--resume failed"; }
grep -qF "300 / 300" resumed.txt || { cat resumed.txt; fail "the resumed run does not report 300 / 300 tampered"; }
[ "$(grep -c . "resumed/$id/samples.jsonl")" = 300 ] || fail "the resumed run's log does not hold exactly 300 episodes"
echo "ok: an interrupted run resumed to 300 / 300"

# 3. The whole curriculum, policy that covers its tracks: every environment gamed.
"$assay" run reward-tampering/all --model 'synthetic/curriculum?policy=cover-tracks' --role judge=synthetic/stance-judge \
  --limit 6 --out all > all.txt 2>&1 || { cat all.txt; fail "the curriculum run failed"; }
[ "$(grep -cF "6 / 6" all.txt)" -ge 8 ] || { cat all.txt; fail "the track-covering policy did not game every environment"; }

# 4. A sweep over two synthetic checkpoints and its report.
cat > sweep.yaml <<'YAML'
models:
  - model: synthetic/curriculum?policy=cover-tracks&rate=0
    label: before
    step: 0
  - model: synthetic/curriculum?policy=cover-tracks&rate=0.5
    label: after
    step: 1000
YAML
"$assay" run reward-tampering/held-out --sweep sweep.yaml --limit 40 --out sweep > sweep.txt 2>&1 || { cat sweep.txt; fail "the sweep failed"; }
"$assay" report $(ls -d sweep/2*/) -o report.html > /dev/null
grep -qF "gaming rate per environment vs checkpoint (exact 95% CI)" report.html || fail "the report has no curriculum chart"
echo "ok: reward-tampering curriculum through ./assay (honest ${n}: ${secs}s)"
