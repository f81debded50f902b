#!/usr/bin/env bash
# Starts one Zafka broker, as Kafka's script does:
#   bin/kafka-server-start.sh [-daemon] server.properties [--override property=value]*
# -daemon detaches (nohup) with stdout/stderr in $LOG_DIR/kafkaServer.out and the broker's own
# logs in $LOG_DIR/server.log, controller.log and state-change.log (LOG_DIR defaults to
# <zafka>/logs). In the foreground the broker logs to the console unless LOG_DIR is set.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*"
  exit 1
fi

base_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
main="$base_dir/dist/broker/main.js"
if [ ! -f "$main" ]; then
  echo "Zafka is not built ($main is missing): run 'npm run build' in $base_dir" >&2
  exit 1
fi

daemon=false
if [ "$1" = "-daemon" ]; then
  daemon=true
  shift
fi

if [ "$daemon" = true ]; then
  export LOG_DIR="${LOG_DIR:-$base_dir/logs}"
  mkdir -p "$LOG_DIR"
  # The config path stays relative to the caller's directory, as with Kafka.
  nohup node "$main" "$@" > "$LOG_DIR/kafkaServer.out" 2>&1 < /dev/null &
else
  exec node "$main" "$@"
fi
