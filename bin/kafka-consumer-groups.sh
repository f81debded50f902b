#!/usr/bin/env bash
# Zafka's kafka-consumer-groups: see dist/admin-cli/kafka-consumer-groups.js (source: admin-cli/kafka-consumer-groups.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-consumer-groups "$@"
