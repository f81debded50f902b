// DescribeLogDirs sent to each asked broker (all of its replicas: topics = null), as Kafka 2.4's
// AdminClient.describeLogDirs. A broker absent from the cluster metadata fails the whole call,
// as DescribeLogDirsResult.all() does, with a message naming it.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { DescribeLogDirs } from '../../broker/protocol/messages/describe-log-dirs';
import type { ClusterClient } from './cluster-client';

export interface ReplicaInfo {
  topic: string;
  partition: number;
  size: number;
  offsetLag: number;
  isFuture: boolean;
}

export interface LogDirInfo {
  logDir: string;
  errorCode: ErrorCode;
  replicas: ReplicaInfo[];
}

export async function describeLogDirs(client: ClusterClient, brokerIds: number[], timeoutMs: number): Promise<Map<number, LogDirInfo[]>> {
  const unknown = brokerIds.filter((id) => !client.metadata.brokers.has(id));
  if (unknown.length > 0) await client.refreshMetadata([]);
  const stillUnknown = brokerIds.filter((id) => !client.metadata.brokers.has(id));
  if (stillUnknown.length > 0) {
    const known = [...client.metadata.brokers.keys()].sort((a, b) => a - b).join(',');
    throw new KafkaError(ErrorCode.BROKER_NOT_AVAILABLE, `Broker(s) ${stillUnknown.join(',')} not in the cluster (brokers: ${known})`);
  }
  const answers = await Promise.all(
    brokerIds.map(async (id) => {
      const { response } = await client.sendToNode(id, DescribeLogDirs, { topics: null }, { timeoutMs });
      const dirs: LogDirInfo[] = response.results.map((r) => ({
        logDir: r.logDir,
        errorCode: r.errorCode as ErrorCode,
        replicas: r.topics.flatMap((t) =>
          t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, size: p.partitionSize, offsetLag: p.offsetLag, isFuture: p.isFutureKey })),
        ),
      }));
      return [id, dirs] as const;
    }),
  );
  return new Map(answers);
}
