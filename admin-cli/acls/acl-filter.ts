// What kafka-acls selects ACLs with: Kafka's ResourcePatternFilter (a resource type, a name and a
// pattern type that may also be ANY or MATCH) and AccessControlEntryFilter (an entry, or any entry),
// with Kafka 2.4's matching rules, and their wire codes for DescribeAcls / DeleteAcls.
import {
  CODE_ANY, OPERATION_CODE, PATTERN_CODE_MATCH, PATTERN_TYPE_CODE, PERMISSION_TYPE_CODE, RESOURCE_TYPE_CODE, sameEntry,
  type AclEntry, type PatternType, type ResourcePattern, type ResourceType,
} from '../../broker/authorizer/acl';

/** PatternType values a filter may carry: the specific ones, ANY (any pattern type, same name) and MATCH. */
export type PatternTypeFilter = PatternType | 'ANY' | 'MATCH';
export const PATTERN_TYPE_FILTERS: readonly PatternTypeFilter[] = ['ANY', 'MATCH', 'LITERAL', 'PREFIXED'];

export interface ResourcePatternFilter {
  resourceType: ResourceType;
  name: string;
  patternType: PatternTypeFilter;
}

/** Null: AccessControlEntryFilter.ANY. */
export type EntryFilter = AclEntry | null;

export function isSpecific(p: PatternTypeFilter): p is PatternType {
  return p === 'LITERAL' || p === 'PREFIXED';
}

/**
 * ResourcePatternFilter.matches: a specific pattern type matches itself with the same name; ANY
 * matches the name under any pattern type; MATCH matches every pattern that applies to the name:
 * the literal name, the literal wildcard '*', and every prefix of it.
 */
export function filterMatches(filter: ResourcePatternFilter, pattern: ResourcePattern): boolean {
  if (filter.resourceType !== pattern.resourceType) return false;
  if (isSpecific(filter.patternType) && filter.patternType !== pattern.patternType) return false;
  if (filter.patternType !== 'MATCH') return filter.name === pattern.name;
  if (pattern.patternType === 'LITERAL') return filter.name === pattern.name || pattern.name === '*';
  return filter.name.startsWith(pattern.name);
}

export function entryMatches(filter: EntryFilter, entry: AclEntry): boolean {
  return filter === null || sameEntry(filter, entry);
}

/** The fields DescribeAcls and DeleteAcls filters share (v1), for one resource filter and entry filter. */
export function wireFilter(filter: ResourcePatternFilter | null, entry: EntryFilter) {
  const patternTypeFilter = filter === null || filter.patternType === 'ANY' ? CODE_ANY : filter.patternType === 'MATCH' ? PATTERN_CODE_MATCH : PATTERN_TYPE_CODE[filter.patternType];
  return {
    resourceTypeFilter: filter === null ? CODE_ANY : RESOURCE_TYPE_CODE[filter.resourceType],
    resourceNameFilter: filter === null ? null : filter.name,
    patternTypeFilter,
    principalFilter: entry?.principal ?? null,
    hostFilter: entry?.host ?? null,
    operation: entry ? OPERATION_CODE[entry.operation] : CODE_ANY,
    permissionType: entry ? PERMISSION_TYPE_CODE[entry.permissionType] : CODE_ANY,
  };
}
