#!/usr/bin/env bash
# Zafka's kafka-console-producer: see dist/admin-cli/kafka-console-producer.js (source: admin-cli/kafka-console-producer.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-console-producer "$@"
