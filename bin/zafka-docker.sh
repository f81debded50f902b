#!/usr/bin/env bash
# A local Zafka cluster in Docker (ZooKeeper + N brokers, host networking on loopback ports) and
# fault injection: see dist/admin-cli/zafka-docker.js (source: admin-cli/zafka-docker.ts) or --help.
#   bin/zafka-docker.sh up --brokers 3; bin/zafka-docker.sh ps; bin/zafka-docker.sh kill 2; bin/zafka-docker.sh down
exec "$(dirname "${BASH_SOURCE[0]}")/zafka-run-tool.sh" zafka-docker "$@"
