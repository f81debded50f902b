#!/usr/bin/env bash
# Zafka's kafka-delete-records: see dist/admin-cli/kafka-delete-records.js (source: admin-cli/kafka-delete-records.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-delete-records "$@"
