#!/usr/bin/env bash
# Zafka's kafka-producer-perf-test: see dist/admin-cli/kafka-producer-perf-test.js (source: admin-cli/kafka-producer-perf-test.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-producer-perf-test "$@"
