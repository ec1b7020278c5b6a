#!/usr/bin/env bash
# Acceptance of the agent loop through ./assay: a file: suite with --environment runs each task as an agent
# episode in a real bubblewrap sandbox copied from the fixture; the replay provider answers each turn in the
# text protocol (<bash>…</bash>). Checks the scores, the typed events in the log, and re-scoring from the log.
set -euo pipefail
root="$1"; work="$2/agent"
assay="$root/assay"
mkdir -p "$work/fixture"
printf 42 > "$work/fixture/answer.txt"
cat > "$work/tasks.jsonl" <<'JSONL'
{"id": "read", "task": "What number is in answer.txt?", "answer": "42"}
{"id": "write", "task": "Write 7 into seven.txt and say what it holds.", "answer": "7"}
JSONL
cat > "$work/answers.jsonl" <<'JSONL'
{"id": "read", "step": "agent.1", "completion": "<bash>cat answer.txt</bash>"}
{"id": "read", "step": "agent.2", "completion": "The number is 42."}
{"id": "write", "step": "agent.1", "completion": "<bash>echo 7 > seven.txt; cat seven.txt</bash>"}
{"id": "write", "step": "agent.2", "completion": "seven.txt holds 7"}
JSONL
cd "$work"
"$assay" run file:tasks.jsonl --field input=task,target=answer,id=id --environment fixture \
  --model replay/answers.jsonl --out runs | tee run.txt
grep -q "samples=2 scored=2 errors=0" run.txt || { echo "ACCEPTANCE FAILED: the agent run did not score both tasks"; exit 1; }
grep -Eq "^ +accuracy +1\.0000" run.txt || { echo "ACCEPTANCE FAILED: the agent run's accuracy is not 1"; exit 1; }
log=$(ls -d runs/*/ | head -1)samples.jsonl
for want in '"type":"tool_call"' '"type":"tool_result"' '"output":"42"' '"type":"sandbox_snapshot"' '"path":"seven.txt"' '"stop":"no tool calls"'; do
  grep -qF "$want" "$log" || { echo "ACCEPTANCE FAILED: the agent run's log has no $want"; exit 1; }
done
"$assay" score "$(dirname "$log")" --out runs | tee rescore.txt
grep -Eq "^ +accuracy +1\.0000" rescore.txt || { echo "ACCEPTANCE FAILED: re-scoring the agent run changed its accuracy"; exit 1; }
echo "ok: an agent run through ./assay acted in real sandboxes (tool calls, results, snapshots logged) and re-scored from its log"
