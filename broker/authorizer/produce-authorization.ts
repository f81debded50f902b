// The request-wide checks of Kafka 2.4's handleProduceRequest, made before any topic is looked at:
// records of a transaction need Write on the request's TransactionalId (else
// TRANSACTIONAL_ID_AUTHORIZATION_FAILED), idempotent records need IdempotentWrite on the Cluster
// (else CLUSTER_AUTHORIZATION_FAILED); either failure answers every partition with that error
// (ProduceRequest.getErrorResponse). Like Kafka's ProduceRequest, only the first batch of each
// partition's records is inspected: a producer id makes it idempotent, the transactional bit
// transactional. Message format v0/v1 carries neither.
import type { RequestContext } from '../handlers/api-handler';
import { ErrorCode } from '../protocol/errors';
import { readInt64 } from '../protocol/primitives';
import { ATTRIBUTES, BATCH_HEADER_SIZE, MAGIC, PRODUCER_ID, TRANSACTIONAL_FLAG_MASK } from '../protocol/records/batch-header';
import { authorize, authorizeCluster } from './request-authorization';

export function produceAuthorizationError(ctx: RequestContext, transactionalId: string | null, records: readonly (Buffer | null)[]): ErrorCode {
  let transactional = false;
  let idempotent = false;
  for (const r of records) {
    if (!r || r.length < BATCH_HEADER_SIZE || r[MAGIC] !== 2 || readInt64(r, PRODUCER_ID) < 0) continue;
    if ((r.readInt16BE(ATTRIBUTES) & TRANSACTIONAL_FLAG_MASK) !== 0) transactional = true;
    else idempotent = true;
  }
  if (transactional) {
    return transactionalId !== null && authorize(ctx, 'Write', 'TransactionalId', transactionalId) ? ErrorCode.NONE : ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
  }
  if (idempotent && !authorizeCluster(ctx, 'IdempotentWrite')) return ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
  return ErrorCode.NONE;
}

/**
 * Whether this client may have `topic` auto-created (KafkaApis' Metadata rule: Create on the
 * Cluster, else Create on the topic). Zafka also auto-creates on Produce, under the same rule.
 */
export function mayAutoCreate(ctx: RequestContext, topic: string): boolean {
  return authorizeCluster(ctx, 'Create', { logIfDenied: false }) || authorize(ctx, 'Create', 'Topic', topic);
}
