#!/usr/bin/env bash
# Runs one of Zafka's command-line tools (dist/admin-cli/<tool>.js) with the caller's arguments;
# the kafka-*.sh wrappers call it, as Kafka's call kafka-run-class.sh.
#   bin/zafka-run-tool.sh kafka-topics --list --zookeeper localhost:2181
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "USAGE: $0 tool-name [options]" >&2
  exit 1
fi
base_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tool="$base_dir/dist/admin-cli/$1.js"
shift
if [ ! -f "$tool" ]; then
  echo "$tool is missing: run 'npm run build' in $base_dir" >&2
  exit 1
fi
exec node "$tool" "$@"
