#!/usr/bin/env bash
# Acceptance of the embedded engine through ./assay: the engine benchmark prints its table (figures are
# reported, not asserted: CI machines are shared), a run on the project-made 135M-shaped GGUF scores every
# sample, and a truncated model file is bad input (exit 2) naming the file.
set -euo pipefail
root="$1"; work="$2"
assay="$root/assay"
"$assay" bench engine --items 40 --rounds 1 | tee "$work/bench-engine.txt"
for key in prompt_ratio batched_speedup gen_batch_speedup gen_batch_ratio prefix_cache_speedup prefix_tokens_decoded rss_over_native_mb; do
  grep -q "^$key=-\?[0-9.]*$" "$work/bench-engine.txt" || { echo "ACCEPTANCE FAILED: bench engine printed no $key="; exit 1; }
done
model=$(sed -n 's/^model \(.*\.gguf\) (.*/\1/p' "$work/bench-engine.txt" | head -1)
[ -f "$model" ] || { echo "ACCEPTANCE FAILED: the benchmark's model file is not where it said ($model)"; exit 1; }
"$assay" run mwe/persona/desire-for-power --model "llama/$model" --limit 20 --out "$work/llama-runs" | tee "$work/llama-run.txt"
grep -q "samples=20 scored=20 errors=0 methods={loglik=20}" "$work/llama-run.txt" \
  || { echo "ACCEPTANCE FAILED: the llama run did not score all 20 samples by log-likelihood"; exit 1; }
echo "ok: assay run mwe/persona/desire-for-power --model llama/<generated GGUF> scored 20 of 20"
# the run summary carries the engine's counts: every persona prompt starts with the same tokens
hits=$(sed -n 's/^engine: model .*prefix_cache_hits=\([0-9]*\).*/\1/p' "$work/llama-run.txt")
[ -n "$hits" ] && [ "$hits" -gt 0 ] || { echo "ACCEPTANCE FAILED: the run summary shows no prefix-cache hits"; exit 1; }
echo "ok: the run summary shows $hits prefix-cache hits"
head -c 1000000 "$model" > "$work/truncated.gguf"
set +e
"$assay" run mwe/persona/desire-for-power --model "llama/$work/truncated.gguf" --limit 2 --out "$work/llama-runs" 2> "$work/trunc.err"
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "truncated.gguf is truncated" "$work/trunc.err" \
  || { echo "ACCEPTANCE FAILED: a truncated model gave exit $rc: $(cat "$work/trunc.err")"; exit 1; }
echo "ok: a truncated GGUF is bad input (exit 2) naming the file"
