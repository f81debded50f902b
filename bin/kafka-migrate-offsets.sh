#!/usr/bin/env bash
# Zafka's kafka-migrate-offsets (ZooKeeper consumer offsets -> Kafka): see dist/admin-cli/kafka-migrate-offsets.js (source: admin-cli/kafka-migrate-offsets.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-migrate-offsets "$@"
