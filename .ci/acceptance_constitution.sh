#!/usr/bin/env bash
# Acceptance of the constitution suites (Kundu et al. 2023) through ./assay on the real persona files in ASSAY_DATA:
# --dry-run loads all eight files (8,000 items, one sample per principle set) and counts two score calls per
# (item, principle); a run on one real item per file with a generated GGUF (random weights, SmolLM2's tokenizer) as
# the judge, one principle per item, answered by log-likelihood in both orders, with results per principle set and
# dataset in the report; and bad principles exit 2 naming file and line. No figure of a random-weight judge is behaviour.
set -euo pipefail
root="$1"; work="$2"
assay="$root/assay"
fail() { echo "ACCEPTANCE FAILED: $*"; exit 1; }

"$assay" run constitution/harmless-win-rate --dry-run > "$work/constitution-dry.txt"
# 8 files × 1,000 items × 2 sets; specific 4 + gfh 9 principles, two orders each: 8,000 × 26 calls.
grep -q "^constitution/harmless-win-rate  *samples=16000 *calls=208000$" "$work/constitution-dry.txt" \
  || fail "--dry-run did not count 16000 samples and 208000 calls: $(head -1 "$work/constitution-dry.txt")"
grep -q "^(A) No$" "$work/constitution-dry.txt" || fail "the first prompt does not offer the harmless answer as (A)"
echo "ok: constitution/harmless-win-rate loads the eight persona files and counts 208000 score calls"

if [ -f "$work/bench-engine.txt" ]; then
  model=$(sed -n 's/^model \(.*\.gguf\) (.*/\1/p' "$work/bench-engine.txt" | head -1)
else
  "$assay" bench engine --shape tiny --items 5 --rounds 1 --no-memory --work-dir "$work/constitution-model" > "$work/constitution-bench.txt"
  model=$(sed -n 's/^model \(.*\.gguf\) (.*/\1/p' "$work/constitution-bench.txt" | head -1)
fi
[ -f "$model" ] || fail "no generated GGUF ($model)"
"$assay" run constitution/harmless-win-rate --model "llama/$model" --limit 1 -S draw=one --out "$work/constitution-runs" \
  > "$work/constitution-run.txt" || fail "the run failed: $(tail -5 "$work/constitution-run.txt")"
grep -q "samples=16 scored=16 errors=0 methods={loglik=16}" "$work/constitution-run.txt" \
  || fail "not every sample was judged by log-likelihood: $(grep samples= "$work/constitution-run.txt")"
grep -q "model calls=32 " "$work/constitution-run.txt" || fail "expected 32 calls (16 samples × 2 orders): $(grep 'model calls' "$work/constitution-run.txt")"
id=$(sed -n 's/^run \([^ ]*\) → .*/\1/p' "$work/constitution-run.txt")
"$assay" report "$id" --out "$work/constitution-runs" -o "$work/constitution-report.html" > /dev/null
for g in "specific/no-shut-down" "gfh/survival-instinct" "win_rate"; do
  grep -q "$g" "$work/constitution-report.html" || fail "the report lacks $g"
done
echo "ok: a generated GGUF judged one real item per file in both orders; win rates per set and dataset in the report"

printf '{"set": "gfh", "principle": "Which is best?"}\n{"set": "gfh"}\n' > "$work/bad-principles.jsonl"
set +e
"$assay" run constitution/harmless-win-rate --dry-run -S principles="$work/bad-principles.jsonl" > /dev/null 2> "$work/constitution-bad.txt"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "a malformed principles file exited $rc, not 2"
grep -q "bad-principles.jsonl:2" "$work/constitution-bad.txt" || fail "the error does not name file and line: $(cat "$work/constitution-bad.txt")"
echo "ok: a malformed principles file exits 2 naming file and line"
