#!/usr/bin/env bash
# Zafka's kafka-topics: see dist/admin-cli/kafka-topics.js (source: admin-cli/kafka-topics.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-topics "$@"
