#!/usr/bin/env bash
# Zafka's kafka-verifiable-producer (Kafka's VerifiableProducer): see dist/admin-cli/kafka-verifiable-producer.js (source: admin-cli/kafka-verifiable-producer.ts) or run with --help.
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" kafka-verifiable-producer "$@"
