// InitProducerId: a producer id for an idempotent producer (KIP-98).
// Behavior: transactionalId null -> a new id from this broker's block (producer-id-manager.ts),
// epoch 0, as Kafka's TransactionCoordinator.handleInitProducerId; any broker answers (Kafka's
// non-transactional path needs no coordinator). An empty transactionalId -> INVALID_REQUEST.
// A transactional id -> COORDINATOR_NOT_AVAILABLE: Zafka has no transaction coordinator yet
// (FindCoordinator key_type 1 answers the same). ZooKeeper unreachable -> COORDINATOR_NOT_AVAILABLE,
// which clients retry.
// Version notes: v0-1 as Kafka 2.4 (v1 only changes quota semantics); v2 (flexible) came with 2.5.
import { getLogger } from '../logging';
import { authorize, authorizeCluster } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { InitProducerId } from '../protocol/messages/init-producer-id';
import { defineHandler } from './api-handler';

const NO_PRODUCER_ID = -1;
const NO_PRODUCER_EPOCH = -1;

const logger = getLogger('kafka.server.KafkaApis', '');

function answer(errorCode: ErrorCode, producerId = NO_PRODUCER_ID, producerEpoch = NO_PRODUCER_EPOCH) {
  return { throttleTimeMs: 0, errorCode, producerId, producerEpoch };
}

export const initProducerIdHandler = defineHandler({
  api: InitProducerId,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, _version, ctx) {
    if (request.transactionalId === '') return answer(ErrorCode.INVALID_REQUEST);
    // Kafka 2.4: Write on the TransactionalId for a transactional producer, IdempotentWrite on the Cluster otherwise.
    if (request.transactionalId !== null && !authorize(ctx, 'Write', 'TransactionalId', request.transactionalId)) return answer(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    if (request.transactionalId === null && !authorizeCluster(ctx, 'IdempotentWrite')) return answer(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    if (request.transactionalId !== null) return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    try {
      return answer(ErrorCode.NONE, await ctx.broker.producerIdManager.generateProducerId(), 0);
    } catch (err) {
      logger.warn(`InitProducerId failed to allocate a producer id: ${(err as Error).message}`);
      return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
  },
});
