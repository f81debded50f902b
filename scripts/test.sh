#!/usr/bin/env bash
# The whole test suite: unit tests, then integration tests against a real ZooKeeper and real
# broker processes. Installs what is missing first. Prints "N passed, N failed" at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1

results=$(mktemp --suffix=.json)
ZAFKA_SKIP_BUILD=1 npx jest --ci --forceExit --json --outputFile="$results" "$@"
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results" || status=1
rm -f "$results"
exit $status
