#!/usr/bin/env bash
# Zafka's kafka-acls: see dist/admin-cli/kafka-acls.js (source: admin-cli/kafka-acls.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-acls "$@"
