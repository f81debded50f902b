// EndTxn: a transactional producer commits or aborts its transaction.
// Behavior: the coordinator writes PrepareCommit/PrepareAbort to __transaction_state (acks=all)
// and answers; the markers and the CompleteCommit/CompleteAbort record follow (see
// transaction-coordinator.ts). Errors as Kafka 2.4: INVALID_PRODUCER_ID_MAPPING (unknown id or
// producer id), INVALID_PRODUCER_EPOCH (older epoch), INVALID_TXN_STATE (nothing to end, or the
// opposite result already chosen), CONCURRENT_TRANSACTIONS (still completing), NOT_COORDINATOR,
// COORDINATOR_LOAD_IN_PROGRESS. Version notes: v0-1 as Kafka 2.4; v1 only changes semantics.
import { ErrorCode } from '../protocol/errors';
import { EndTxn } from '../protocol/messages/end-txn';
import { defineHandler } from './api-handler';
import { authorize } from '../authorizer/request-authorization';

export const endTxnHandler = defineHandler({
  api: EndTxn,
  async handle(request, _version, ctx) {
    if (!authorize(ctx, 'Write', 'TransactionalId', request.transactionalId)) return { throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
    const errorCode = await ctx.broker.transactionCoordinator.handleEndTransaction(request.transactionalId, request.producerId, request.producerEpoch, request.committed);
    return { throttleTimeMs: 0, errorCode };
  },
});
