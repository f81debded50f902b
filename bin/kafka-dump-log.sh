#!/usr/bin/env bash
# Zafka's kafka-dump-log (Kafka's DumpLogSegments): see dist/admin-cli/kafka-dump-log.js (source: admin-cli/kafka-dump-log.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-dump-log "$@"
