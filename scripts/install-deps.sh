#!/usr/bin/env bash
# Installs what Zafka needs on a fresh Debian machine with Node 20 (run as root): ZooKeeper, kcat
# and chromium (the console's browser tests drive it headless through puppeteer-core, which never
# downloads a browser) from Debian's packages, the npm dependencies, and the compiled build in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -f /usr/share/java/zookeeper.jar ] || missing+=(zookeeper)
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Only when node_modules is missing or older than the lock file. `npm install` rather than
# `npm ci`: the registry reachable here serves only this platform's builds of packages with
# per-platform optional dependencies (@swc/core-*), so the lock file cannot list the others and
# `npm ci` refuses it; `npm install` follows the lock file and skips what it cannot have.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm dependencies"
  npm install --no-audit --no-fund --loglevel=error
fi

echo "Building"
npx tsc -p tsconfig.json
