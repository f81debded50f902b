#!/bin/sh
# The Zafka image's entrypoint. With no arguments, or only broker arguments (--override k=v ...),
# it writes server.properties from the environment (KAFKA_BROKER_ID, KAFKA_ZOOKEEPER_CONNECT,
# KAFKA_LISTENERS, KAFKA_ADVERTISED_LISTENERS, ... KAFKA_FOO_BAR -> foo.bar; see
# docker/server-properties-from-env.ts) and execs the broker, so the broker is PID 1 and gets
# docker stop's SIGTERM (controlled shutdown). Any other command runs instead, e.g.
#   docker run --rm zafka bin/kafka-topics.sh --zookeeper zk:2181 --list
set -e
ZAFKA_HOME=${ZAFKA_HOME:-/opt/zafka}
ZAFKA_SERVER_PROPERTIES=${ZAFKA_SERVER_PROPERTIES:-/tmp/zafka/server.properties}
export ZAFKA_SERVER_PROPERTIES

case "${1:-}" in
  ""|--*) ;;
  *) exec "$@" ;;
esac

# A missing KAFKA_ZOOKEEPER_CONNECT / KAFKA_BROKER_ID stops here with a line naming it.
node "$ZAFKA_HOME/dist/docker/server-properties-from-env.js" "$ZAFKA_SERVER_PROPERTIES"
exec node "$ZAFKA_HOME/dist/broker/main.js" "$ZAFKA_SERVER_PROPERTIES" "$@"
