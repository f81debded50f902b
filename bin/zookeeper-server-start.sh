#!/usr/bin/env bash
# Starts a ZooKeeper server from Debian's `zookeeper` package, as Kafka's script does:
#   bin/zookeeper-server-start.sh [-daemon] config/zookeeper.properties
# -daemon detaches (nohup) with its output in $LOG_DIR/zookeeper.out (LOG_DIR defaults to
# <zafka>/logs). Logging goes through log4j 1.x with config/log4j.properties (console only).
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] zookeeper.properties"
  exit 1
fi

base_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

daemon=false
if [ "$1" = "-daemon" ]; then
  daemon=true
  shift
fi

if [ ! -f /usr/share/java/zookeeper.jar ]; then
  echo "ZooKeeper is not installed: run 'bash scripts/install-deps.sh' (apt-get install zookeeper)" >&2
  exit 1
fi
if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi

# zookeeper.jar's manifest pulls in its dependencies (netty, jute, slf4j-api, ...); the slf4j
# binding and log4j 1.2 are added so the server's log lines are not silently dropped.
classpath="/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-log4j12.jar:/usr/share/java/log4j-1.2.jar"
heap_opts=${KAFKA_HEAP_OPTS:-"-Xmx512M -Xms512M"}

# -Dzafka.home marks the process so zookeeper-server-stop.sh stops only the ZooKeeper started
# from this installation (not one that other software on the machine runs).
# shellcheck disable=SC2086
cmd=("$java" $heap_opts -Djava.awt.headless=true "-Dzafka.home=$base_dir"
  "-Dlog4j.configuration=file:$base_dir/config/log4j.properties"
  -cp "$classpath" org.apache.zookeeper.server.quorum.QuorumPeerMain "$@")

if [ "$daemon" = true ]; then
  LOG_DIR="${LOG_DIR:-$base_dir/logs}"
  mkdir -p "$LOG_DIR"
  nohup "${cmd[@]}" > "$LOG_DIR/zookeeper.out" 2>&1 < /dev/null &
else
  exec "${cmd[@]}"
fi
