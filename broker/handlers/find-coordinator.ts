// FindCoordinator: the group coordinator is the leader of the group's __consumer_offsets
// partition. The first request creates __consumer_offsets (Kafka's getOrCreateInternalTopic)
// with offsets.topic.num.partitions / offsets.topic.replication.factor and the compacted-topic
// configs Kafka gives it; COORDINATOR_NOT_AVAILABLE until it exists and the partition has a leader.
// Behavior: fewer live brokers than offsets.topic.replication.factor -> COORDINATOR_NOT_AVAILABLE
// (no topic is created). Version notes: v1 keyType, errorMessage, throttle time; v2 same as v1.
// Key type 1 (transaction) gets COORDINATOR_NOT_AVAILABLE: Zafka has no transaction coordinator.
import { authorize } from '../authorizer/request-authorization';
import { GROUP_METADATA_TOPIC_NAME } from '../group/partition-for';
import { getLogger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { FindCoordinator } from '../protocol/messages/find-coordinator';
import { defineHandler, type RequestContext } from './api-handler';

const COORDINATOR_TYPE_GROUP = 0;
const COORDINATOR_TYPE_TRANSACTION = 1;

// Kafka puts Errors.message() in error_message: the exception's text, or the name for NONE.
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.NONE]: 'NONE',
  [ErrorCode.COORDINATOR_NOT_AVAILABLE]: 'The coordinator is not available.',
  [ErrorCode.INVALID_REQUEST]: 'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.',
};

const logger = getLogger('kafka.server.KafkaApis', '');

function answer(errorCode: ErrorCode, node?: { nodeId: number; host: string; port: number }) {
  return { throttleTimeMs: 0, errorCode, errorMessage: MESSAGES[errorCode] ?? ErrorCode[errorCode], nodeId: node?.nodeId ?? -1, host: node?.host ?? '', port: node?.port ?? -1 };
}

/** Creates __consumer_offsets unless it exists; false while it is not usable yet. */
async function ensureOffsetsTopic(ctx: RequestContext): Promise<boolean> {
  const { metadataCache, config, adminZkClient } = ctx.broker;
  if (metadataCache.hasTopic(GROUP_METADATA_TOPIC_NAME)) return true;
  const alive = metadataCache.aliveBrokers().length;
  if (alive < config.offsetsTopicReplicationFactor) {
    logger.info(`Number of alive brokers '${alive}' does not meet the required replication factor '${config.offsetsTopicReplicationFactor}' for the offsets topic (configured via 'offsets.topic.replication.factor'). This error can be ignored if the cluster is starting up and not all brokers are up yet.`);
    return false;
  }
  try {
    await adminZkClient.createTopic(GROUP_METADATA_TOPIC_NAME, config.offsetsTopicNumPartitions, config.offsetsTopicReplicationFactor, {
      'cleanup.policy': 'compact',
      'compression.type': 'producer',
      'segment.bytes': String(config.offsetsTopicSegmentBytes),
    });
    logger.info(`Topic creation of ${GROUP_METADATA_TOPIC_NAME} with ${config.offsetsTopicNumPartitions} partitions and replication factor ${config.offsetsTopicReplicationFactor} is successful`);
  } catch (err) {
    if (errorCodeOf(err) !== ErrorCode.TOPIC_ALREADY_EXISTS) logger.warn(`Creation of ${GROUP_METADATA_TOPIC_NAME} failed: ${(err as Error).message}`);
  }
  return false;
}

export const findCoordinatorHandler = defineHandler({
  api: FindCoordinator,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, _version, ctx) {
    // Kafka 2.4: Describe on the group / transactional id the key names.
    if (request.keyType === COORDINATOR_TYPE_GROUP && !authorize(ctx, 'Describe', 'Group', request.key)) return answer(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    if (request.keyType === COORDINATOR_TYPE_TRANSACTION && !authorize(ctx, 'Describe', 'TransactionalId', request.key)) return answer(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    if (request.keyType === COORDINATOR_TYPE_TRANSACTION) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (request.keyType !== COORDINATOR_TYPE_GROUP) return answer(ErrorCode.INVALID_REQUEST);
    if (!(await ensureOffsetsTopic(ctx))) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const { metadataCache, groupCoordinator } = ctx.broker;
    const state = metadataCache.partitionState(GROUP_METADATA_TOPIC_NAME, groupCoordinator.partitionFor(request.key));
    const endpoint = state && state.leader >= 0 ? metadataCache.endpointFor(state.leader, ctx.listenerName) : undefined;
    if (!state || !endpoint) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    return answer(ErrorCode.NONE, { nodeId: state.leader, host: endpoint.host, port: endpoint.port });
  },
});
