#!/usr/bin/env bash
# Zafka's kafka-preferred-replica-election: see dist/admin-cli/kafka-preferred-replica-election.js (source: admin-cli/kafka-preferred-replica-election.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-preferred-replica-election "$@"
