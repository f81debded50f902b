// AddOffsetsToTxn: a transactional producer will commit offsets of a group in its transaction.
// Behavior: the coordinator adds the group's __consumer_offsets partition to the transaction
// (Kafka 2.4's KafkaApis), so the commit or abort marker reaches the group coordinator too.
// TRANSACTIONAL_ID_AUTHORIZATION_FAILED / GROUP_AUTHORIZATION_FAILED come from the authorizer.
// Version notes: v0-1 as Kafka 2.4; v1 only changes semantics.
import { ErrorCode } from '../protocol/errors';
import { AddOffsetsToTxn } from '../protocol/messages/add-offsets-to-txn';
import { GROUP_METADATA_TOPIC_NAME } from '../group/partition-for';
import { defineHandler } from './api-handler';
import { authorize } from '../authorizer/request-authorization';

export const addOffsetsToTxnHandler = defineHandler({
  api: AddOffsetsToTxn,
  async handle(request, _version, ctx) {
    // Kafka 2.4: Write on the transactional id, then Read on the group.
    if (!authorize(ctx, 'Write', 'TransactionalId', request.transactionalId)) return { throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
    if (!authorize(ctx, 'Read', 'Group', request.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
    const { groupCoordinator, transactionCoordinator } = ctx.broker;
    const offsetsPartition = { topic: GROUP_METADATA_TOPIC_NAME, partition: groupCoordinator.partitionFor(request.groupId) };
    const errorCode = await transactionCoordinator.handleAddPartitionsToTransaction(request.transactionalId, request.producerId, request.producerEpoch, [offsetsPartition]);
    return { throttleTimeMs: 0, errorCode };
  },
});
