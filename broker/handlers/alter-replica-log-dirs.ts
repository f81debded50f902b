// AlterReplicaLogDirs (KIP-113): Kafka moves a replica to another log dir of the same broker.
// Behavior, as Kafka 2.4's ReplicaManager.alterReplicaLogDirs where Zafka can follow it: a path
// that is not one of this broker's log.dirs gets LOG_DIR_NOT_FOUND; a partition without a
// replica here REPLICA_NOT_AVAILABLE (UNKNOWN_TOPIC_OR_PARTITION if the topic is unknown); a
// replica already in that dir NONE (nothing to move). Moving a replica to a different dir is
// not implemented in Zafka: those partitions get INVALID_REQUEST and one log line (see
// docs/DIFFERENCES.md).
// Version notes: v1 only changes semantics (throttling).
import * as path from 'path';
import { getLogger } from '../logging';
import { authorizeCluster } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { AlterReplicaLogDirs } from '../protocol/messages/alter-replica-log-dirs';
import { defineHandler, type RequestContext } from './api-handler';
import { groupByTopic } from './group-by-topic';

const logger = getLogger('kafka.server.ReplicaManager');

export const alterReplicaLogDirsHandler = defineHandler({
  api: AlterReplicaLogDirs,
  handle(request, _version, ctx) {
    // Kafka 2.4: Alter on the Cluster, else every partition CLUSTER_AUTHORIZATION_FAILED.
    const allowed = authorizeCluster(ctx, 'Alter');
    const results = request.dirs.flatMap((d) =>
      d.topics.flatMap((t) => t.partitions.map((p) => ({
        topic: t.name,
        partitionIndex: p,
        errorCode: allowed ? moveError(d.path, t.name, p, ctx) : ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
      }))),
    );
    return {
      throttleTimeMs: 0,
      results: [...groupByTopic(results)].map(([topicName, list]) => ({
        topicName,
        partitions: list.map(({ partitionIndex, errorCode }) => ({ partitionIndex, errorCode })),
      })),
    };
  },
});

function moveError(destination: string, topic: string, partition: number, ctx: RequestContext): ErrorCode {
  const { logManager, metadataCache } = ctx.broker;
  const dirs = logManager.logsByDir();
  if (!path.isAbsolute(destination) || !dirs.has(path.resolve(destination))) return ErrorCode.LOG_DIR_NOT_FOUND;
  const log = logManager.getLog(topic, partition);
  if (!log) return metadataCache.hasTopic(topic) ? ErrorCode.REPLICA_NOT_AVAILABLE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  if (path.dirname(log.dir) === path.resolve(destination)) return ErrorCode.NONE;
  logger.info(`Not moving ${topic}-${partition} from ${path.dirname(log.dir)} to ${destination}: moving replicas between log directories is not supported`);
  return ErrorCode.INVALID_REQUEST;
}
