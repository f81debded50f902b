// FindCoordinator: the group coordinator is the leader of the group's __consumer_offsets
// partition. The first request creates __consumer_offsets (Kafka's getOrCreateInternalTopic)
// with offsets.topic.num.partitions / offsets.topic.replication.factor and the compacted-topic
// configs Kafka gives it; COORDINATOR_NOT_AVAILABLE until it exists and the partition has a leader.
// Behavior: fewer live brokers than offsets.topic.replication.factor -> COORDINATOR_NOT_AVAILABLE
// (no topic is created). Version notes: v1 keyType, errorMessage, throttle time; v2 same as v1.
// Key type 1 (transaction): the leader of the id's __transaction_state partition, created the same
// way on first need with the transaction.state.log.* settings (Kafka 2.4's getOrCreateInternalTopic).
import { GROUP_METADATA_TOPIC_NAME } from '../group/partition-for';
import { getLogger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { FindCoordinator } from '../protocol/messages/find-coordinator';
import { TRANSACTION_STATE_TOPIC_NAME } from '../transaction/transaction-log';
import { defineHandler, type RequestContext } from './api-handler';
import { transactionalIdAuthorized } from './txn-authorization';

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

interface InternalTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** The broker setting of the replication factor, for the log line Kafka writes. */
  replicationFactorSetting: string;
  configs: Record<string, string>;
}

/** The two coordinators' topics as Kafka's getOrCreateInternalTopic creates them. */
function internalTopicFor(keyType: number, ctx: RequestContext): InternalTopic {
  const { config } = ctx.broker;
  if (keyType === COORDINATOR_TYPE_GROUP) {
    return {
      name: GROUP_METADATA_TOPIC_NAME,
      partitions: config.offsetsTopicNumPartitions,
      replicationFactor: config.offsetsTopicReplicationFactor,
      replicationFactorSetting: 'offsets.topic.replication.factor',
      configs: { 'cleanup.policy': 'compact', 'compression.type': 'producer', 'segment.bytes': String(config.offsetsTopicSegmentBytes) },
    };
  }
  const setting = (key: string) => config.values.get(key) as number;
  // Kafka's TransactionStateManager.transactionTopicConfigs.
  return {
    name: TRANSACTION_STATE_TOPIC_NAME,
    partitions: setting('transaction.state.log.num.partitions'),
    replicationFactor: setting('transaction.state.log.replication.factor'),
    replicationFactorSetting: 'transaction.state.log.replication.factor',
    configs: {
      'unclean.leader.election.enable': 'false',
      'compression.type': 'uncompressed',
      'cleanup.policy': 'compact',
      'min.insync.replicas': String(setting('transaction.state.log.min.isr')),
      'segment.bytes': String(setting('transaction.state.log.segment.bytes')),
    },
  };
}

/**
 * Creates the coordinator's topic unless it exists; false while it is not usable yet. As Kafka
 * 2.4, fewer live brokers than the configured replication factor create nothing (no capping).
 */
async function ensureInternalTopic(ctx: RequestContext, topic: InternalTopic): Promise<boolean> {
  const { metadataCache, adminZkClient } = ctx.broker;
  if (metadataCache.hasTopic(topic.name)) return true;
  const alive = metadataCache.aliveBrokers().length;
  if (alive < topic.replicationFactor) {
    logger.info(`Number of alive brokers '${alive}' does not meet the required replication factor '${topic.replicationFactor}' for the ${topic.name === GROUP_METADATA_TOPIC_NAME ? 'offsets' : 'transactions state'} topic (configured via '${topic.replicationFactorSetting}'). This error can be ignored if the cluster is starting up and not all brokers are up yet.`);
    return false;
  }
  try {
    await adminZkClient.createTopic(topic.name, topic.partitions, topic.replicationFactor, topic.configs);
    logger.info(`Topic creation of ${topic.name} with ${topic.partitions} partitions and replication factor ${topic.replicationFactor} is successful`);
  } catch (err) {
    if (errorCodeOf(err) !== ErrorCode.TOPIC_ALREADY_EXISTS) logger.warn(`Creation of ${topic.name} failed: ${(err as Error).message}`);
  }
  return false;
}

export const findCoordinatorHandler = defineHandler({
  api: FindCoordinator,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, _version, ctx) {
    if (request.keyType !== COORDINATOR_TYPE_GROUP && request.keyType !== COORDINATOR_TYPE_TRANSACTION) return answer(ErrorCode.INVALID_REQUEST);
    // TRANSACTIONAL_ID_AUTHORIZATION_FAILED (DESCRIBE on the transactional id) belongs here, see txn-authorization.ts.
    if (request.keyType === COORDINATOR_TYPE_TRANSACTION && !transactionalIdAuthorized(ctx, 'DESCRIBE', request.key)) return answer(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    const topic = internalTopicFor(request.keyType, ctx);
    if (!(await ensureInternalTopic(ctx, topic))) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const { metadataCache, groupCoordinator, transactionCoordinator } = ctx.broker;
    const partition = request.keyType === COORDINATOR_TYPE_GROUP ? groupCoordinator.partitionFor(request.key) : transactionCoordinator.partitionFor(request.key);
    const state = metadataCache.partitionState(topic.name, partition);
    const endpoint = state && state.leader >= 0 ? metadataCache.endpointFor(state.leader, ctx.listenerName) : undefined;
    if (!state || !endpoint) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    return answer(ErrorCode.NONE, { nodeId: state.leader, host: endpoint.host, port: endpoint.port });
  },
});
