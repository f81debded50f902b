// The hook where the authorizer decides on transactional ids (Kafka's TRANSACTIONAL_ID resource):
// WRITE for InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn and EndTxn, DESCRIBE for
// FindCoordinator key_type 1; a refusal answers TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53).
// Zafka has no authorizer on this branch, so every principal is allowed, as Kafka without
// authorizer.class.name. The ACL work (h/acl-authorizer) replaces this body.
import type { RequestContext } from './api-handler';

export type TransactionalIdOperation = 'WRITE' | 'DESCRIBE';

export function transactionalIdAuthorized(_ctx: RequestContext, _operation: TransactionalIdOperation, _transactionalId: string): boolean {
  return true;
}
