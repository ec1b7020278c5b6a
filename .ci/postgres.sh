#!/usr/bin/env bash
# The store tests start a real throwaway PostgreSQL cluster (assay-fakes PostgresCluster) with Debian's
# server binaries: install the postgresql package when they are missing. Sourced or run by .ci/run.
set -euo pipefail
if [ ! -x /usr/lib/postgresql/15/bin/initdb ] && [ -z "${ASSAY_PG_BIN:-}" ]; then
  echo "ci: installing Debian's postgresql (server binaries for the store tests)" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2
fi
