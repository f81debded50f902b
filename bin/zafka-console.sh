#!/usr/bin/env bash
# Starts the Zafka Console, a web page to see and run the cluster:
#   bin/zafka-console.sh [-daemon] --zookeeper localhost:2181 [--bootstrap-server host:port]
#                        [--port 9021] [--bind 127.0.0.1] [--read-only] [--basic-auth user:password]
# -daemon detaches (nohup) with its output in $LOG_DIR/zafka-console.out (LOG_DIR defaults to
# <zafka>/logs), as kafka-server-start.sh -daemon does.
set -euo pipefail

base_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
main="$base_dir/dist/console/server/console-main.js"
if [ ! -f "$main" ]; then
  echo "Zafka is not built ($main is missing): run 'npm run build' in $base_dir" >&2
  exit 1
fi

if [ "${1:-}" = "-daemon" ]; then
  shift
  export LOG_DIR="${LOG_DIR:-$base_dir/logs}"
  mkdir -p "$LOG_DIR"
  nohup node "$main" "$@" > "$LOG_DIR/zafka-console.out" 2>&1 < /dev/null &
  echo "Zafka Console started (pid $!), output in $LOG_DIR/zafka-console.out"
else
  exec node "$main" "$@"
fi
