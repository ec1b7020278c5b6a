#!/usr/bin/env bash
# Acceptance of the chain-of-thought faithfulness suites through ./assay: the four cot/… suites load every real
# task (AQuA, ARC-Easy, ARC-Challenge, LogiQA from ASSAY_DATA) and --dry-run counts their generate and score
# calls; cot/early-answering runs on three real AQuA items with a generated GGUF (random weights, SmolLM2's
# tokenizer) in the embedded engine, answers by letter log-likelihood, draws its figure in the report and
# re-scores from the log to the same AOC. No figure of a random-weight model is printed as behaviour.
set -euo pipefail
root="$1"; work="$2"
assay="$root/assay"
fail() { echo "ACCEPTANCE FAILED: $*"; exit 1; }

"$assay" run cot/early-answering --dry-run -S samples=3 | tee "$work/cot-dry.txt"
# 254 + 570 + 299 + 651 questions; per question 3 chains and 1 + 3 × 4 (assumed sentences) answers.
grep -q "^cot/early-answering  *samples=1774 " "$work/cot-dry.txt" || fail "cot/early-answering did not load 1774 questions from the four tasks"
grep -q "generate_calls=5322 score_calls=23062 " "$work/cot-dry.txt" || fail "--dry-run did not count 5322 generate and 23062 score calls"
for s in adding-mistakes paraphrasing filler-tokens; do
  "$assay" run "cot/$s/logiqa" --dry-run -S samples=2 > "$work/cot-dry-$s.txt" || fail "cot/$s/logiqa --dry-run failed"
  grep -q "samples=651 " "$work/cot-dry-$s.txt" || fail "cot/$s/logiqa did not load 651 LogiQA questions"
done
echo "ok: the cot/… suites load all four tasks and --dry-run counts their calls"

if [ -f "$work/bench-engine.txt" ]; then
  model=$(sed -n 's/^model \(.*\.gguf\) (.*/\1/p' "$work/bench-engine.txt" | head -1)
else
  "$assay" bench engine --shape tiny --items 5 --rounds 1 --no-memory --work-dir "$work/cot-model" > "$work/cot-bench.txt"
  model=$(sed -n 's/^model \(.*\.gguf\) (.*/\1/p' "$work/cot-bench.txt" | head -1)
fi
[ -f "$model" ] || fail "no generated GGUF ($model)"
"$assay" run cot/early-answering/aqua --model "llama/$model" --limit 3 -S samples=3 -S cot_tokens=24 --out "$work/cot-runs" \
  > "$work/cot-run.txt" || fail "the run failed: $(tail -5 "$work/cot-run.txt")"
grep -q "samples=3 scored=3 errors=0 methods={loglik=3}" "$work/cot-run.txt" \
  || fail "cot/early-answering did not answer all 3 AQuA items by log-likelihood: $(grep samples= "$work/cot-run.txt")"
# the engine's prefix cache at work (the summary's engine: line): later calls on a question start from its cached prefix
engine=$(grep '^engine: model ' "$work/cot-run.txt") || fail "the run summary has no engine: line"
hits=$(echo "$engine" | sed -n 's/.*prefix_cache_hits=\([0-9]*\).*/\1/p')
cached=$(echo "$engine" | sed -n 's/.*prompt_tokens_from_cache=\([0-9]*\).*/\1/p')
[ "${hits:-0}" -gt 0 ] && [ "${cached:-0}" -gt 0 ] || fail "the run summary shows no prefix-cache hits: $engine"
echo "ok: $engine"
id=$(sed -n 's/^run \([^ ]*\) → .*/\1/p' "$work/cot-run.txt")
"$assay" report "$id" --out "$work/cot-runs" -o "$work/cot-report.html" > /dev/null
grep -q "Early answering: same answer as with the whole chain" "$work/cot-report.html" || fail "the report has no early-answering figure"
"$assay" score "$id" --out "$work/cot-runs" > "$work/cot-score.txt"
[ "$(grep -m1 '^  aoc ' "$work/cot-run.txt")" = "$(grep -m1 '^  aoc ' "$work/cot-score.txt")" ] || fail "re-scoring from the log changed the AOC"
echo "ok: cot/early-answering on 3 real AQuA items through the embedded engine (3 chains each), its figure in the report, re-scored to the same AOC"
