#!/usr/bin/env bash
# Demo of the upgrade path off ZooKeeper offsets (docs/MIGRATION.md), against a running cluster
# (start one with scripts/quickstart.sh):
#   1. produce 1,000 records;
#   2. an old ZooKeeper-coordinated consumer reads 400 and commits to /consumers/<g>/offsets;
#   3. kafka-consumer-groups --zookeeper shows the group with lag 600;
#   4. kafka-migrate-offsets copies the offsets into Kafka (and removes them from ZooKeeper);
#   5. a kafkajs consumer of the same group resumes at record 400 and reads exactly 600.
# ZK and BOOTSTRAP override the addresses (default localhost:2181 and 127.0.0.1:9092).
set -euo pipefail
cd "$(dirname "$0")/.."
ZK=${ZK:-localhost:2181}
BOOTSTRAP=${BOOTSTRAP:-127.0.0.1:9092}
suffix=$(date +%s)
topic="migration-demo-$suffix"
group="legacy-app-$suffix"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n=== %s\n' "$*"; }

if [ ! -f dist/admin-cli/kafka-migrate-offsets.js ] || [ ! -f dist/tests/tools/kafkajs-group-consume.js ]; then
  echo "dist/ is missing or stale: run 'npx tsc -p tsconfig.json' (or scripts/install-deps.sh)" >&2
  exit 1
fi

step "Create topic $topic (1 partition) and produce 1,000 records"
bin/kafka-topics.sh --zookeeper "$ZK" --create --topic "$topic" --partitions 1 --replication-factor 1
seq 0 999 | sed 's/^/record-/' | bin/kafka-console-producer.sh --broker-list "$BOOTSTRAP" --topic "$topic"

step "An old ZooKeeper-coordinated consumer (group $group) reads 400 records"
bin/kafka-console-consumer.sh --zookeeper "$ZK" --topic "$topic" --group "$group" --from-beginning --max-messages 400 >"$tmp/legacy.out"
echo "first: $(head -1 "$tmp/legacy.out"), last: $(tail -1 "$tmp/legacy.out"), count: $(wc -l <"$tmp/legacy.out")"

step "kafka-consumer-groups --zookeeper: the group's offsets live in ZooKeeper"
bin/kafka-consumer-groups.sh --zookeeper "$ZK" --describe --group "$group" | tee "$tmp/zk-describe.out"
grep -Eq "^$group +$topic +0 +400 +1000 +600 " "$tmp/zk-describe.out" || { echo "expected CURRENT-OFFSET 400, LAG 600" >&2; exit 1; }

step "Migrate the offsets to Kafka and delete them from ZooKeeper"
bin/kafka-migrate-offsets.sh --zookeeper "$ZK" --bootstrap-server "$BOOTSTRAP" --group "$group" --delete-zk-offsets

step "kafka-consumer-groups --bootstrap-server: the same offsets, now in Kafka"
bin/kafka-consumer-groups.sh --bootstrap-server "$BOOTSTRAP" --describe --group "$group"

step "A kafkajs consumer in group $group resumes where the old consumer stopped"
node dist/tests/tools/kafkajs-group-consume.js "$BOOTSTRAP" "$group" "$topic" 600

step "Done: the kafkajs consumer read records 400..999 and nothing else"
