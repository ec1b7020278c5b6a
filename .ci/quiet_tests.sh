#!/usr/bin/env bash
# Issue 21 item 13: `./mvnw -q verify` prints nothing from tests — no progress bars, no download lines.
# Runs test classes that draw run progress (MisuseTest) and download models from a loopback server
# (ModelStoreTest) with -q and fails on any line of output (Maven's colour resets aside).
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
./mvnw -B -ntp -q -pl assay-cli -am test -Dtest='MisuseTest,ModelStoreTest' -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
noise="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -v '^[[:space:]]*$' || true)"
if [ -n "$noise" ]; then
  echo "quiet_tests: tests printed to the console under -q (redirectTestOutputToFile should send it to surefire-reports):" >&2
  echo "$noise" | head -20 >&2
  exit 1
fi
echo "quiet_tests: -q test run printed nothing"
