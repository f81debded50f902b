// The resource filters kafka-acls builds from its options (Kafka's ResourcePatternFilter: a
// resource type, a name, and a pattern type that may also be ANY or MATCH), as the broker's
// AclBindingFilter (broker/authorizer/acl-filter.ts, which holds Kafka's matching rules) and in the
// wire codes DescribeAcls / DeleteAcls carry (the inverse of broker/authorizer/acl-wire.ts).
import { CODE_ANY, OPERATION_CODE, PATTERN_CODE_MATCH, PATTERN_TYPE_CODE, PERMISSION_TYPE_CODE, RESOURCE_TYPE_CODE, type AclEntry, type PatternType, type ResourcePattern, type ResourceType } from '../../broker/authorizer/acl';
import { patternMatches, type AclBindingFilter } from '../../broker/authorizer/acl-filter';
import type { WireFilter } from '../../broker/authorizer/acl-wire';

/** PatternType values a filter may carry: the specific ones, ANY (any pattern type, same name) and MATCH. */
export type PatternTypeFilter = AclBindingFilter['patternType'];
export const PATTERN_TYPE_FILTERS: readonly PatternTypeFilter[] = ['ANY', 'MATCH', 'LITERAL', 'PREFIXED'];

export interface ResourcePatternFilter {
  resourceType: ResourceType;
  name: string;
  patternType: PatternTypeFilter;
}

export function isSpecific(p: PatternTypeFilter): p is PatternType {
  return p === 'LITERAL' || p === 'PREFIXED';
}

/** AclBindingFilter(resource filter or ANY, an entry's exact filter or AccessControlEntryFilter.ANY). */
export function bindingFilter(filter: ResourcePatternFilter | null, entry: AclEntry | null): AclBindingFilter {
  return {
    resourceType: filter?.resourceType ?? null,
    name: filter?.name ?? null,
    patternType: filter?.patternType ?? 'ANY',
    principal: entry?.principal ?? null,
    host: entry?.host ?? null,
    operation: entry?.operation ?? null,
    permissionType: entry?.permissionType ?? null,
  };
}

export function filterMatches(filter: ResourcePatternFilter, pattern: ResourcePattern): boolean {
  return patternMatches(bindingFilter(filter, null), pattern);
}

/** The DescribeAcls / DeleteAcls (v1) fields of a filter. */
export function filterToWire(f: AclBindingFilter): WireFilter {
  return {
    resourceTypeFilter: f.resourceType === null ? CODE_ANY : RESOURCE_TYPE_CODE[f.resourceType],
    resourceNameFilter: f.name,
    patternTypeFilter: f.patternType === 'ANY' ? CODE_ANY : f.patternType === 'MATCH' ? PATTERN_CODE_MATCH : PATTERN_TYPE_CODE[f.patternType],
    principalFilter: f.principal,
    hostFilter: f.host,
    operation: f.operation === null ? CODE_ANY : OPERATION_CODE[f.operation],
    permissionType: f.permissionType === null ? CODE_ANY : PERMISSION_TYPE_CODE[f.permissionType],
  };
}
