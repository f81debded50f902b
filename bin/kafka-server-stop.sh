#!/usr/bin/env bash
# Stops the Zafka brokers started from this installation (bin/kafka-server-start.sh): SIGTERM,
# which makes each broker shut down in a controlled way (leadership moves first, then a clean
# log shutdown), then waits until they have exited. Like Kafka's script it prints
# "No kafka server to stop" and exits 1 when there is none.
set -uo pipefail

base_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
main="$base_dir/dist/broker/main.js"
timeout_s=${ZAFKA_STOP_TIMEOUT_SECONDS:-120}

# Match the node processes whose command line runs this installation's broker entry point.
pids=$(ps ax -o pid= -o args= | awk -v main="$main" '$2 ~ /(^|\/)node$/ && index($0, main) { print $1 }')

if [ -z "$pids" ]; then
  echo "No kafka server to stop"
  exit 1
fi

kill -s TERM $pids 2>/dev/null

for _ in $(seq 1 $((timeout_s * 10))); do
  alive=""
  for pid in $pids; do
    if kill -0 "$pid" 2>/dev/null; then alive="$alive $pid"; fi
  done
  [ -z "$alive" ] && exit 0
  sleep 0.1
done
echo "Kafka server process(es)$alive still running after ${timeout_s}s" >&2
exit 1
