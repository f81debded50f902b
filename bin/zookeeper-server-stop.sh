#!/usr/bin/env bash
# Stops the ZooKeeper started by this installation's bin/zookeeper-server-start.sh (SIGTERM) and
# waits until it has exited. Prints "No zookeeper server to stop" and exits 1 when there is none.
set -uo pipefail

base_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
timeout_s=${ZAFKA_STOP_TIMEOUT_SECONDS:-30}

pids=$(ps ax -o pid= -o args= | awk -v mark="-Dzafka.home=$base_dir " \
  '$2 ~ /(^|\/)java$/ && index($0, "QuorumPeerMain") && index($0 " ", mark) { print $1 }')

if [ -z "$pids" ]; then
  echo "No zookeeper server to stop"
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
echo "ZooKeeper process(es)$alive still running after ${timeout_s}s" >&2
exit 1
