#!/usr/bin/env bash
# The whole test suite: unit tests, then integration tests against a real ZooKeeper and real
# broker processes. Installs what is missing first. Prints "N passed, N failed", the wall time
# and the 10 slowest test files at the end (to see where the time goes).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1

results=$(mktemp --suffix=.json)
started=$(date +%s)
ZAFKA_SKIP_BUILD=1 npx jest --ci --forceExit --json --outputFile="$results" "$@"
status=$?
node scripts/test-summary.js "$results" "$(( $(date +%s) - started ))" || status=1
rm -f "$results"
exit $status
