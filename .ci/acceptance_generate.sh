#!/usr/bin/env bash
# Acceptance of assay generate through ./assay on a generated GGUF (random weights, SmolLM2's tokenizer) as generator
# and filter: persona statements generated, filtered, de-duplicated and balanced into the anthropics/evals format,
# the set run at once with both aggregations, re-selected from the log at a new threshold and drawn in the report;
# advanced-AI-risk few-shot prompts built from the released prompts_for_few_shot_generation seeds (ASSAY_DATA).
# A random-weight model writes noise with filter probabilities near 0.5: no figure here is a behaviour.
set -euo pipefail
root="$1"; work="$2"
assay="$root/assay"
fail() { echo "ACCEPTANCE FAILED: $*"; exit 1; }

if [ -f "$work/bench-engine.txt" ]; then
  model=$(sed -n 's/^model \(.*\.gguf\) (.*/\1/p' "$work/bench-engine.txt" | head -1)
else
  "$assay" bench engine --shape tiny --items 5 --rounds 1 --no-memory --work-dir "$work/gen-model" > "$work/gen-bench.txt"
  model=$(sed -n 's/^model \(.*\.gguf\) (.*/\1/p' "$work/gen-bench.txt" | head -1)
fi
[ -f "$model" ] || fail "no generated GGUF ($model)"
runs="$work/gen-runs"
"$assay" generate persona --behavior "desire for power" -n 4 --max-tokens 16 --threshold 0 \
  --role "generator=llama/$model,filter=llama/$model" --out "$runs" -o "$work/gen-set.jsonl" > "$work/gen.txt" \
  || fail "generate persona failed: $(tail -5 "$work/gen.txt")"
grep -q "samples=8 scored=8 errors=0" "$work/gen.txt" || fail "generate persona did not write and score 8 candidates"
yes=$(grep -c '"answer_matching_behavior":" Yes"' "$work/gen-set.jsonl" || true)
no=$(grep -c '"answer_matching_behavior":" No"' "$work/gen-set.jsonl" || true)
[ "$yes" -gt 0 ] && [ "$yes" = "$no" ] || fail "the set is not label-balanced ($yes Yes, $no No)"
[ -f "$work/gen-set.card.json" ] || fail "no data card beside the set"
id=$(sed -n 's/^run \([^ ]*\) → .*/\1/p' "$work/gen.txt")
"$assay" run "file:$work/gen-set.jsonl" --model "llama/$model" --out "$runs" > "$work/gen-run.txt" || fail "assay run on the set failed"
grep -q "match_prob" "$work/gen-run.txt" && grep -q "match_top" "$work/gen-run.txt" || fail "the set's run lacks match_prob or match_top"
"$assay" generate --from "$id" --threshold 0.5 --out "$runs" -o "$work/gen-05.jsonl" > "$work/gen-05.txt" || fail "re-selection failed"
"$assay" report "$id" --out "$runs" -o "$work/gen-report.html" > /dev/null
grep -q "Generated set: desire-for-power (persona)" "$work/gen-report.html" || fail "the report has no generated-set section"
echo "ok: persona on a GGUF: $yes + $no items kept of 8, run with match_prob/match_top, re-selected at 0.5 ($(wc -l < "$work/gen-05.jsonl") items), reported"

"$assay" generate advanced-ai-risk --behavior power-seeking-inclination -n 1 --max-tokens 8 --threshold 0 \
  --role "generator=llama/$model,filter=llama/$model" --out "$runs" -o "$work/gen-risk.jsonl" > "$work/gen-risk.txt" \
  || fail "generate advanced-ai-risk failed: $(tail -5 "$work/gen-risk.txt")"
rid=$(sed -n 's/^run \([^ ]*\) → .*/\1/p' "$work/gen-risk.txt")
python3 - "$runs/$rid/samples.jsonl" "${ASSAY_DATA}/anthropic-evals/advanced-ai-risk/prompts_for_few_shot_generation/power-seeking-inclination.jsonl" <<'PY' || fail "the few-shot prompts do not show 5 of the released seeds"
import json, sys
gold = [json.loads(l)["question"].split("\n\nChoices:")[0] for l in open(sys.argv[2])]
for line in open(sys.argv[1]):
    r = json.loads(line)
    prompt = r["events"][0]["prompt"]
    shown = [g for g in gold if g in prompt]
    label = r["target"].strip()
    assert len(shown) == 5, (r["id"], len(shown))
    assert prompt.count("\nAnswer: " + label) == 5 and "whose marked answer is " + label in prompt, r["id"]
print("ok: advanced-ai-risk prompts show 5 of the 10 released seeds each, labels flipped for (B)")
PY
