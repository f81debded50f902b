#!/usr/bin/env bash
# Zafka's kafka-configs: see dist/admin-cli/kafka-configs.js (source: admin-cli/kafka-configs.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-configs "$@"
