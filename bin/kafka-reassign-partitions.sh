#!/usr/bin/env bash
# Zafka's kafka-reassign-partitions: see dist/admin-cli/kafka-reassign-partitions.js (source: admin-cli/kafka-reassign-partitions.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-reassign-partitions "$@"
