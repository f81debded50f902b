#!/usr/bin/env bash
# Zafka's kafka-log-dirs: see dist/admin-cli/kafka-log-dirs.js (source: admin-cli/kafka-log-dirs.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-log-dirs "$@"
