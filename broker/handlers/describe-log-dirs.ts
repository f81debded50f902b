// DescribeLogDirs: for each log dir of this broker, the partitions it holds with their size in
// bytes and offset lag (the high watermark minus the LEO, never negative, as Kafka's
// getLogEndOffsetLag; -1 for a log no partition is hosting yet).
// Behavior: answers for this broker only (clients send it to every broker); topics null means
// every partition. Zafka has no future (moving) replicas, so isFutureKey is always false. An
// offline log dir answers KAFKA_STORAGE_ERROR with no partitions, as Kafka's describeLogDirs.
// Version notes: v1 only changes semantics (throttling).
import * as path from 'path';
import { authorizeCluster } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { DescribeLogDirs } from '../protocol/messages/describe-log-dirs';
import { defineHandler } from './api-handler';
import { groupByTopic } from './group-by-topic';

const INVALID_OFFSET_LAG = -1;

export const describeLogDirsHandler = defineHandler({
  api: DescribeLogDirs,
  handle(request, _version, ctx) {
    // Kafka 2.4: Describe on the Cluster, else an empty answer.
    if (!authorizeCluster(ctx, 'Describe')) return { throttleTimeMs: 0, results: [] };
    const { logManager, replicaManager } = ctx.broker;
    const wanted = request.topics === null ? null : new Set(request.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}-${p}`)));
    const online = new Set(logManager.onlineLogDirs());
    const results = [...logManager.logsByDir(true)].map(([dir, logs]) => {
      if (!online.has(dir)) return { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, logDir: path.resolve(dir), topics: [] };
      const described = logs
        .filter((log) => wanted === null || wanted.has(`${log.topic}-${log.partition}`))
        .map((log) => {
          const partition = replicaManager.getPartition(log.topic, log.partition);
          const offsetLag = partition ? Math.max(partition.highWatermark - log.logEndOffset, 0) : INVALID_OFFSET_LAG;
          return { topic: log.topic, partitionIndex: log.partition, partitionSize: log.size, offsetLag, isFutureKey: false };
        });
      return {
        errorCode: ErrorCode.NONE,
        logDir: path.resolve(dir),
        topics: [...groupByTopic(described)].map(([name, list]) => ({
          name,
          partitions: list.map(({ partitionIndex, partitionSize, offsetLag, isFutureKey }) => ({ partitionIndex, partitionSize, offsetLag, isFutureKey })),
        })),
      };
    });
    return { throttleTimeMs: 0, results };
  },
});
