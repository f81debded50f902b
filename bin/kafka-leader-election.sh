#!/usr/bin/env bash
# Zafka's kafka-leader-election: see dist/admin-cli/kafka-leader-election.js (source: admin-cli/kafka-leader-election.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-leader-election "$@"
