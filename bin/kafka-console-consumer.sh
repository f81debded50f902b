#!/usr/bin/env bash
# Zafka's kafka-console-consumer: see dist/admin-cli/kafka-console-consumer.js (source: admin-cli/kafka-console-consumer.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-console-consumer "$@"
