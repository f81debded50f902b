#!/usr/bin/env bash
# Zafka's kafka-broker-api-versions: see dist/admin-cli/kafka-broker-api-versions.js (source: admin-cli/kafka-broker-api-versions.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-broker-api-versions "$@"
