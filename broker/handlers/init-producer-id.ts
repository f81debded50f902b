// InitProducerId: a producer id for an idempotent or transactional producer (KIP-98).
// Behavior: transactionalId null -> a new id from this broker's block (producer-id-manager.ts),
// epoch 0; any broker answers (Kafka's non-transactional path needs no coordinator). An empty
// transactionalId -> INVALID_REQUEST. A transactional id goes to its transaction coordinator:
// INVALID_TRANSACTION_TIMEOUT above transaction.max.timeout.ms, NOT_COORDINATOR /
// COORDINATOR_LOAD_IN_PROGRESS when this broker is not (yet) it, CONCURRENT_TRANSACTIONS while
// the previous producer's transaction is completed or aborted, else the id with a bumped epoch
// (transaction-coordinator.ts). ZooKeeper unreachable -> COORDINATOR_NOT_AVAILABLE, which clients retry.
// Version notes: v1 only changes quota semantics; v2 is flexible (KIP-482). v0-2 as Kafka 2.4.
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
  async handle(request, _version, ctx) {
    const { transactionalId } = request;
    // Kafka 2.4: Write on the TransactionalId for a transactional producer, IdempotentWrite on the Cluster otherwise.
    if (transactionalId !== null && !authorize(ctx, 'Write', 'TransactionalId', transactionalId)) return answer(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    if (transactionalId === null && !authorizeCluster(ctx, 'IdempotentWrite')) return answer(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    try {
      const result = await ctx.broker.transactionCoordinator.handleInitProducerId(transactionalId, request.transactionTimeoutMs);
      return answer(result.errorCode, result.producerId, result.producerEpoch);
    } catch (err) {
      logger.warn(`InitProducerId failed to allocate a producer id: ${(err as Error).message}`);
      return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
  },
});
