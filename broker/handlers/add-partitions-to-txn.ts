// AddPartitionsToTxn: a transactional producer adds partitions to its transaction before writing.
// Behavior: sent to the transaction coordinator (NOT_COORDINATOR elsewhere). As Kafka 2.4's
// KafkaApis, any partition that does not exist fails the whole request: UNKNOWN_TOPIC_OR_PARTITION
// for it (TOPIC_AUTHORIZATION_FAILED for an internal topic), OPERATION_NOT_ATTEMPTED for the
// others, and nothing is written. Otherwise every
// partition gets the coordinator's answer (INVALID_PRODUCER_ID_MAPPING, INVALID_PRODUCER_EPOCH,
// CONCURRENT_TRANSACTIONS, ...). Topics the principal may not Write get TOPIC_AUTHORIZATION_FAILED.
// Version notes: v0-1 as Kafka 2.4; v1 only changes semantics.
import { ErrorCode } from '../protocol/errors';
import { AddPartitionsToTxn, type AddPartitionsToTxnRequest } from '../protocol/messages/add-partitions-to-txn';
import type { TopicPartition } from '../transaction/transaction-state';
import { defineHandler } from './api-handler';
import { authorize, filterAuthorized } from '../authorizer/request-authorization';

const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);

function answerEach(request: AddPartitionsToTxnRequest, errorOf: (tp: TopicPartition) => ErrorCode) {
  return {
    throttleTimeMs: 0,
    results: request.topics.map((t) => ({
      name: t.name,
      results: t.partitions.map((partition) => ({ partitionIndex: partition, errorCode: errorOf({ topic: t.name, partition }) })),
    })),
  };
}

export const addPartitionsToTxnHandler = defineHandler({
  api: AddPartitionsToTxn,
  async handle(request, _version, ctx) {
    if (!authorize(ctx, 'Write', 'TransactionalId', request.transactionalId)) return answerEach(request, () => ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    const { metadataCache, transactionCoordinator } = ctx.broker;
    const partitions = request.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
    // Kafka leaves internal topics out of the authorized set (Write on each topic): a producer may not write to them.
    const writable = filterAuthorized(ctx, 'Write', 'Topic', partitions.map((tp) => tp.topic).filter((t) => !INTERNAL_TOPICS.has(t)));
    const refusal = (tp: TopicPartition): ErrorCode | null =>
      !writable.has(tp.topic) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : !metadataCache.partitionState(tp.topic, tp.partition) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : null;
    if (partitions.some((tp) => refusal(tp) !== null)) return answerEach(request, (tp) => refusal(tp) ?? ErrorCode.OPERATION_NOT_ATTEMPTED);
    const error = await transactionCoordinator.handleAddPartitionsToTransaction(request.transactionalId, request.producerId, request.producerEpoch, partitions);
    return answerEach(request, () => error);
  },
});
