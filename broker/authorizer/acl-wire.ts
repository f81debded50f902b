// CreateAcls / DescribeAcls / DeleteAcls fields to and from the authorizer's types: wire codes
// (AclOperation, AclPermissionType, ResourceType, PatternType) to names, with Kafka's refusals of
// filters and bindings that hold UNKNOWN elements, or ANY / MATCH where a binding needs a value.
import type { AclBinding } from './acl';
import {
  CODE_ANY,
  OPERATION_BY_CODE,
  OPERATION_CODE,
  parsePrincipal,
  PATTERN_CODE_MATCH,
  PATTERN_TYPE_BY_CODE,
  PATTERN_TYPE_CODE,
  PERMISSION_TYPE_BY_CODE,
  PERMISSION_TYPE_CODE,
  RESOURCE_TYPE_BY_CODE,
  RESOURCE_TYPE_CODE,
} from './acl';
import type { AclBindingFilter } from './acl-filter';

export interface WireFilter {
  resourceTypeFilter: number;
  resourceNameFilter: string | null;
  patternTypeFilter: number;
  principalFilter: string | null;
  hostFilter: string | null;
  operation: number;
  permissionType: number;
}

export interface WireBinding {
  resourceType: number;
  resourceName: string;
  resourcePatternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

/** A filter, or the reason it is refused (Kafka: "Filter contain UNKNOWN elements"). */
export function filterFromWire(w: WireFilter): AclBindingFilter | string {
  const anyOr = <T>(code: number, byCode: Map<number, T>): T | null | undefined => (code === CODE_ANY ? null : byCode.get(code));
  const resourceType = anyOr(w.resourceTypeFilter, RESOURCE_TYPE_BY_CODE);
  const operation = anyOr(w.operation, OPERATION_BY_CODE);
  const permissionType = anyOr(w.permissionType, PERMISSION_TYPE_BY_CODE);
  const patternType = w.patternTypeFilter === CODE_ANY ? 'ANY' : w.patternTypeFilter === PATTERN_CODE_MATCH ? 'MATCH' : PATTERN_TYPE_BY_CODE.get(w.patternTypeFilter);
  if (resourceType === undefined || operation === undefined || permissionType === undefined || patternType === undefined) {
    return 'Filter contain UNKNOWN elements';
  }
  return { resourceType, name: w.resourceNameFilter, patternType, principal: w.principalFilter, host: w.hostFilter, operation, permissionType };
}

/** A binding to create, or the reason it is refused (KafkaApis.handleCreateAcls / AuthorizerUtils.validateAclBinding). */
export function bindingFromWire(w: WireBinding): AclBinding | string {
  const resourceType = RESOURCE_TYPE_BY_CODE.get(w.resourceType);
  const patternType = PATTERN_TYPE_BY_CODE.get(w.resourcePatternType);
  const operation = OPERATION_BY_CODE.get(w.operation);
  const permissionType = PERMISSION_TYPE_BY_CODE.get(w.permissionType);
  if (!resourceType || !patternType || !operation || !permissionType) return 'ACL binding contains unknown elements';
  try {
    parsePrincipal(w.principal);
  } catch (e) {
    return (e as Error).message;
  }
  if (resourceType === 'Cluster' && w.resourceName !== 'kafka-cluster') return 'The only valid name for the CLUSTER resource is kafka-cluster';
  if (w.resourceName === '') return 'Invalid empty resource name';
  return { pattern: { resourceType, name: w.resourceName, patternType }, entry: { principal: w.principal, host: w.host, operation, permissionType } };
}

export function bindingToWire(b: AclBinding) {
  return {
    resourceType: RESOURCE_TYPE_CODE[b.pattern.resourceType],
    resourceName: b.pattern.name,
    patternType: PATTERN_TYPE_CODE[b.pattern.patternType],
    principal: b.entry.principal,
    host: b.entry.host,
    operation: OPERATION_CODE[b.entry.operation],
    permissionType: PERMISSION_TYPE_CODE[b.entry.permissionType],
  };
}
