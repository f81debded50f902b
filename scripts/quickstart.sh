#!/usr/bin/env bash
# Quickstart: install what is missing, start a local ZooKeeper (port 2181) and one Zafka broker
# (127.0.0.1:9092) in the background, then show how to produce and consume.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 150); do port_open "$1" && return 0; sleep 0.2; done
  echo "Nothing listening on port $1; see logs/ for details" >&2; return 1
}

if port_open 2181; then
  echo "ZooKeeper already running on 127.0.0.1:2181"
else
  echo "Starting ZooKeeper (logs/zookeeper.out)"
  bin/zookeeper-server-start.sh -daemon config/zookeeper.properties
  wait_port 2181
fi

if port_open 9092; then
  echo "A broker is already listening on 127.0.0.1:9092"
else
  echo "Starting Zafka broker 0 (logs/server.log)"
  bin/kafka-server-start.sh -daemon config/server.properties
  wait_port 9092
fi

cat <<'MSG'

Zafka is running: ZooKeeper on 127.0.0.1:2181, broker 0 on 127.0.0.1:9092.

  Create a topic:   bin/kafka-topics.sh --zookeeper localhost:2181 --create --topic quickstart --partitions 3 --replication-factor 1
  Produce:          echo hello | bin/kafka-console-producer.sh --broker-list 127.0.0.1:9092 --topic quickstart
  Consume:          bin/kafka-console-consumer.sh --bootstrap-server 127.0.0.1:9092 --topic quickstart --from-beginning --max-messages 1
  With kcat:        echo hi | kcat -P -b 127.0.0.1:9092 -t quickstart && kcat -C -b 127.0.0.1:9092 -t quickstart -e
  Stop:             bin/kafka-server-stop.sh && bin/zookeeper-server-stop.sh
MSG
