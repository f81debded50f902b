// The checks request handlers make, in the shape of KafkaApis' private helpers (authorize,
// filterAuthorized, authorizedOperations): without an authorizer (authorizer.class.name unset)
// everything is allowed and every supported operation is reported, as Kafka 2.4 does.
// Transactions handlers (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit,
// WriteTxnMarkers) use the same calls, e.g.:
//   if (!authorize(ctx, 'Write', 'TransactionalId', request.transactionalId)) -> TRANSACTIONAL_ID_AUTHORIZATION_FAILED
//   if (!authorizeCluster(ctx, 'ClusterAction')) -> CLUSTER_AUTHORIZATION_FAILED (WriteTxnMarkers)
import type { RequestContext } from '../handlers/api-handler';
import { ConfigResourceType } from '../config/config-admin';
import { ErrorCode } from '../protocol/errors';
import { apiByKey } from '../protocol/messages/index';
import type { AclOperation, ResourceType } from './acl';
import { CLUSTER_RESOURCE_NAME, OPERATION_CODE } from './acl';
import type { ActionOptions, AuthorizationRequest } from './acl-authorizer';

function requestOf(ctx: RequestContext): AuthorizationRequest {
  return {
    principal: `User:${ctx.principal}`,
    host: ctx.clientAddress,
    apiName: apiByKey(ctx.header.apiKey)?.name ?? String(ctx.header.apiKey),
  };
}

/** KafkaApis.authorize: one literal resource. */
export function authorize(ctx: RequestContext, operation: AclOperation, resourceType: ResourceType, name: string, options?: ActionOptions): boolean {
  const authorizer = ctx.broker.authorizer;
  return authorizer === null || authorizer.authorize(requestOf(ctx), operation, resourceType, name, options);
}

/** An operation on the one Cluster resource, kafka-cluster. */
export function authorizeCluster(ctx: RequestContext, operation: AclOperation, options?: ActionOptions): boolean {
  return authorize(ctx, operation, 'Cluster', CLUSTER_RESOURCE_NAME, options);
}

/** KafkaApis.filterAuthorized: the names allowed, each checked once with its reference count. */
export function filterAuthorized(ctx: RequestContext, operation: AclOperation, resourceType: ResourceType, names: Iterable<string>, options: ActionOptions = {}): Set<string> {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  const authorizer = ctx.broker.authorizer;
  if (authorizer === null) return new Set(counts.keys());
  const request = requestOf(ctx);
  return new Set([...counts].filter(([n, refCount]) => authorizer.authorize(request, operation, resourceType, n, { ...options, refCount })).map(([n]) => n));
}

/** ResourceType.supportedOperations in Kafka 2.4 (what KIP-430's authorized_operations can contain). */
const SUPPORTED_OPERATIONS: Record<ResourceType, readonly AclOperation[]> = {
  Topic: ['Read', 'Write', 'Create', 'Describe', 'Delete', 'Alter', 'DescribeConfigs', 'AlterConfigs'],
  Group: ['Read', 'Describe', 'Delete'],
  Cluster: ['Create', 'ClusterAction', 'DescribeConfigs', 'AlterConfigs', 'IdempotentWrite', 'Alter', 'Describe'],
  TransactionalId: ['Describe', 'Write'],
  DelegationToken: ['Describe'],
};

/** KafkaApis.authorizedOperations: a bit per allowed operation (1 << AclOperation code); nothing logged. */
export function authorizedOperations(ctx: RequestContext, resourceType: ResourceType, name: string): number {
  let bits = 0;
  for (const op of SUPPORTED_OPERATIONS[resourceType]) {
    if (authorize(ctx, op, resourceType, name, { logIfAllowed: false, logIfDenied: false })) bits |= 1 << OPERATION_CODE[op];
  }
  return bits;
}

/**
 * DescribeConfigs / AlterConfigs / IncrementalAlterConfigs (KafkaApis 2.4): `operation` on the
 * topic, or on the Cluster for broker and broker-logger resources. NONE when allowed (or when the
 * resource type is one the handler refuses anyway), else the error the resource is answered with.
 */
export function configResourceAuthorizationError(ctx: RequestContext, operation: 'DescribeConfigs' | 'AlterConfigs', resourceType: number, name: string): ErrorCode {
  if (resourceType === ConfigResourceType.TOPIC) return authorize(ctx, operation, 'Topic', name) ? ErrorCode.NONE : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
  if (resourceType === ConfigResourceType.BROKER || resourceType === ConfigResourceType.BROKER_LOGGER) {
    return authorizeCluster(ctx, operation) ? ErrorCode.NONE : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
  }
  return ErrorCode.NONE;
}
