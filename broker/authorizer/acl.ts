// The vocabulary of Kafka's ACLs, shared by the authorizer, the ACL APIs, the ZooKeeper ACL store
// and kafka-acls: resource types, operations, permission and pattern types by Kafka's names
// (kafka.security.auth.{ResourceType,Operation,PermissionType}, as written in /kafka-acl znodes),
// their wire codes (org.apache.kafka.common.acl.AclOperation, resource.ResourceType/PatternType,
// used by CreateAcls/DescribeAcls/DeleteAcls), and principals ("User:alice", KafkaPrincipal).
// Kafka's fromString is case-insensitive (equalsIgnoreCase); toString is the canonical name.

/** Kafka 2.4's ResourceType.values, in that order. */
export const RESOURCE_TYPES = ['Topic', 'Group', 'Cluster', 'TransactionalId', 'DelegationToken'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Operation.values (All last). */
export const OPERATIONS = [
  'Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'ClusterAction', 'DescribeConfigs', 'AlterConfigs', 'IdempotentWrite', 'All',
] as const;
export type AclOperation = (typeof OPERATIONS)[number];

export const PERMISSION_TYPES = ['Allow', 'Deny'] as const;
export type PermissionType = (typeof PERMISSION_TYPES)[number];

/** The "specific" pattern types that ACLs are stored under (PatternType.isSpecific). */
export const PATTERN_TYPES = ['LITERAL', 'PREFIXED'] as const;
export type PatternType = (typeof PATTERN_TYPES)[number];

/** Resource.ClusterResourceName: the one Cluster resource. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';
/** Acl.WildCardResource / WildCardHost / WildCardPrincipal. */
export const WILDCARD_RESOURCE = '*';
export const WILDCARD_HOST = '*';
export const WILDCARD_PRINCIPAL = 'User:*';

/** A resource pattern (kafka.security.auth.Resource): pattern type LITERAL or PREFIXED. */
export interface ResourcePattern {
  resourceType: ResourceType;
  name: string;
  patternType: PatternType;
}

/** One ACL entry (kafka.security.auth.Acl): principal as "Type:name", host "*" or an IP. */
export interface AclEntry {
  principal: string;
  permissionType: PermissionType;
  operation: AclOperation;
  host: string;
}

export interface AclBinding {
  pattern: ResourcePattern;
  entry: AclEntry;
}

function byName<T extends string>(values: readonly T[], what: string) {
  return (s: string): T => {
    const found = values.find((v) => v.toLowerCase() === s.toLowerCase());
    if (!found) throw new Error(`${s} not a valid ${what} name. The valid names are ${values.join(',')}`);
    return found;
  };
}

export const parseResourceType = byName(RESOURCE_TYPES, 'resourceType');
export const parseOperation = byName(OPERATIONS, 'operation');
export const parsePermissionType = byName(PERMISSION_TYPES, 'permissionType');
export const parsePatternType = byName(PATTERN_TYPES, 'patternType');

/** SecurityUtils.parseKafkaPrincipal: "Type:name", split at the first ':'; both parts non-empty. */
export function parsePrincipal(s: string): string {
  const i = s.indexOf(':');
  if (i <= 0 || i === s.length - 1) {
    throw new Error(`expected a string in format principalType:principalName but got ${s}`);
  }
  return s;
}

/** Resource.toString as the authorizer log prints it: "Topic:LITERAL:t1". */
export function resourceToString(r: ResourcePattern): string {
  return `${r.resourceType}:${r.patternType}:${r.name}`;
}

export function sameEntry(a: AclEntry, b: AclEntry): boolean {
  return a.principal === b.principal && a.permissionType === b.permissionType && a.operation === b.operation && a.host === b.host;
}

/** A set of entries (Kafka keeps Set[Acl]): `entries` without duplicates, first occurrence kept. */
export function distinctEntries(entries: readonly AclEntry[]): AclEntry[] {
  const out: AclEntry[] = [];
  for (const e of entries) if (!out.some((o) => sameEntry(o, e))) out.push(e);
  return out;
}

// ---- wire codes (CreateAcls / DescribeAcls / DeleteAcls) ----

/** org.apache.kafka.common.resource.ResourceType codes: 0 UNKNOWN, 1 ANY, then these. */
export const RESOURCE_TYPE_CODE: Record<ResourceType, number> = { Topic: 2, Group: 3, Cluster: 4, TransactionalId: 5, DelegationToken: 6 };
/** AclOperation codes: 0 UNKNOWN, 1 ANY, then these. */
export const OPERATION_CODE: Record<AclOperation, number> = {
  All: 2, Read: 3, Write: 4, Create: 5, Delete: 6, Alter: 7, Describe: 8, ClusterAction: 9, DescribeConfigs: 10, AlterConfigs: 11, IdempotentWrite: 12,
};
/** AclPermissionType codes: 0 UNKNOWN, 1 ANY, 2 DENY, 3 ALLOW. */
export const PERMISSION_TYPE_CODE: Record<PermissionType, number> = { Deny: 2, Allow: 3 };
/** PatternType codes: 0 UNKNOWN, 1 ANY, 2 MATCH, 3 LITERAL, 4 PREFIXED. */
export const PATTERN_TYPE_CODE: Record<PatternType, number> = { LITERAL: 3, PREFIXED: 4 };
export const CODE_UNKNOWN = 0;
export const CODE_ANY = 1;
export const PATTERN_CODE_MATCH = 2;

function invert<T extends string>(m: Record<T, number>): Map<number, T> {
  return new Map(Object.entries(m).map(([k, v]) => [v as number, k as T]));
}
export const RESOURCE_TYPE_BY_CODE = invert(RESOURCE_TYPE_CODE);
export const OPERATION_BY_CODE = invert(OPERATION_CODE);
export const PERMISSION_TYPE_BY_CODE = invert(PERMISSION_TYPE_CODE);
export const PATTERN_TYPE_BY_CODE = invert(PATTERN_TYPE_CODE);
