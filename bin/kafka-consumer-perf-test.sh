#!/usr/bin/env bash
# Zafka's kafka-consumer-perf-test: see dist/admin-cli/kafka-consumer-perf-test.js (source: admin-cli/kafka-consumer-perf-test.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-consumer-perf-test "$@"
