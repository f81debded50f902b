// AclBindingFilter as DescribeAcls and DeleteAcls carry it (org.apache.kafka.common.acl.AclBindingFilter,
// ResourcePatternFilter, AccessControlEntryFilter): null name / principal / host match anything, ANY
// matches any resource type, operation, permission or pattern type, and pattern type MATCH matches
// the patterns that would apply to the named resource: the literal name, the wildcard "*", and every
// PREFIXED pattern the name starts with.
import type { AclBinding, AclEntry, AclOperation, PatternType, PermissionType, ResourcePattern, ResourceType } from './acl';
import { WILDCARD_RESOURCE } from './acl';

export interface AclBindingFilter {
  /** null: ANY. */
  resourceType: ResourceType | null;
  name: string | null;
  /** 'ANY' and 'MATCH' as in Kafka's PatternType. */
  patternType: PatternType | 'ANY' | 'MATCH';
  principal: string | null;
  host: string | null;
  /** null: ANY. */
  operation: AclOperation | null;
  /** null: ANY. */
  permissionType: PermissionType | null;
}

/** ResourcePatternFilter.matches. */
export function patternMatches(f: AclBindingFilter, p: ResourcePattern): boolean {
  if (f.resourceType !== null && f.resourceType !== p.resourceType) return false;
  if (f.patternType !== 'ANY' && f.patternType !== 'MATCH' && f.patternType !== p.patternType) return false;
  if (f.name === null) return true;
  if (f.patternType === 'ANY' || f.patternType === p.patternType) return f.name === p.name;
  // MATCH
  return p.patternType === 'LITERAL' ? f.name === p.name || p.name === WILDCARD_RESOURCE : f.name.startsWith(p.name);
}

/** AccessControlEntryFilter.matches. */
export function entryMatches(f: AclBindingFilter, e: AclEntry): boolean {
  return (f.principal === null || f.principal === e.principal) &&
    (f.host === null || f.host === e.host) &&
    (f.operation === null || f.operation === e.operation) &&
    (f.permissionType === null || f.permissionType === e.permissionType);
}

export function bindingMatches(f: AclBindingFilter, b: AclBinding): boolean {
  return patternMatches(f, b.pattern) && entryMatches(f, b.entry);
}
