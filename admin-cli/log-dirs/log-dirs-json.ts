// The JSON line kafka-log-dirs prints (Kafka 2.4's LogDirsCommand.formatAsJson, written by
// Jackson with no spaces), keys in Kafka's order:
//   {"version":1,"brokers":[{"broker":0,"logDirs":[{"logDir":"/d","error":null,
//     "partitions":[{"partition":"t-0","size":0,"offsetLag":0,"isFuture":false}]}]}]}
// "error" is Errors.exceptionName(): null, or e.g. "org.apache.kafka.common.errors.KafkaStorageException".
// Kafka iterates Java HashMaps (an order nobody can rely on); here brokers keep the asked order,
// log dirs the broker's order, and partitions sort by topic then partition.
import type { LogDirInfo } from '../client/describe-log-dirs';
import { javaExceptionName } from '../shared/kafka-exceptions';

/** topics empty = every topic. */
export function formatLogDirsJson(byBroker: ReadonlyMap<number, LogDirInfo[]>, topics: ReadonlySet<string>): string {
  return JSON.stringify({
    version: 1,
    brokers: [...byBroker].map(([broker, dirs]) => ({
      broker,
      logDirs: dirs.map((d) => ({
        logDir: d.logDir,
        error: javaExceptionName(d.errorCode),
        partitions: d.replicas
          .filter((r) => topics.size === 0 || topics.has(r.topic))
          .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
          .map((r) => ({ partition: `${r.topic}-${r.partition}`, size: r.size, offsetLag: r.offsetLag, isFuture: r.isFuture })),
      })),
    })),
  });
}
