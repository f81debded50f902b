// The ACLs a broker holds in memory and Kafka 2.4's decision over them (AclAuthorizer.authorizeAction):
// the ACLs that apply to a literal resource are those of the wildcard resource "*", of the resource
// itself, and of every PREFIXED pattern its name starts with (matchingAcls); a matching Deny beats
// any Allow; an Allow for Read, Write, Delete or Alter implies Describe, one for AlterConfigs implies
// DescribeConfigs, and "All" matches every operation; principal "User:*" and host "*" match anyone.
// No ACLs at all for the resource: allow.everyone.if.no.acl.found decides. Super users bypass it all.
import type { AclEntry, AclOperation, PatternType, ResourcePattern, ResourceType } from './acl';
import { WILDCARD_HOST, WILDCARD_PRINCIPAL, WILDCARD_RESOURCE } from './acl';

/** Operations whose Allow also allows `operation` (AclAuthorizer.allowAclExists). */
function allowingOperations(operation: AclOperation): readonly AclOperation[] {
  if (operation === 'Describe') return ['Describe', 'Read', 'Write', 'Delete', 'Alter'];
  if (operation === 'DescribeConfigs') return ['DescribeConfigs', 'AlterConfigs'];
  return [operation];
}

export interface AuthorizationDecision {
  allowed: boolean;
  /** Why, for the debug line: "super user", "no ACLs", or the deciding ACL. */
  reason: string;
}

const key = (resourceType: ResourceType, patternType: PatternType, name: string) => `${resourceType}:${patternType}:${name}`;

export class AclCache {
  /** "Type:PATTERN:name" -> entries (never empty: a resource without ACLs is removed). */
  private readonly byResource = new Map<string, { resource: ResourcePattern; entries: AclEntry[] }>();
  /** Prefixed patterns per resource type, for the startsWith scan (few in practice). */
  private readonly prefixed = new Map<ResourceType, Map<string, AclEntry[]>>();

  constructor(
    private readonly superUsers: ReadonlySet<string>,
    private readonly allowEveryoneIfNoAclFound: boolean,
  ) {}

  /** Replaces one resource's ACLs (empty: forgets it). */
  set(resource: ResourcePattern, entries: readonly AclEntry[]): void {
    const k = key(resource.resourceType, resource.patternType, resource.name);
    if (entries.length === 0) this.byResource.delete(k);
    else this.byResource.set(k, { resource, entries: [...entries] });
    if (resource.patternType === 'PREFIXED') {
      let m = this.prefixed.get(resource.resourceType);
      if (!m) this.prefixed.set(resource.resourceType, (m = new Map()));
      if (entries.length === 0) m.delete(resource.name);
      else m.set(resource.name, [...entries]);
    }
  }

  get(resource: ResourcePattern): AclEntry[] {
    return this.byResource.get(key(resource.resourceType, resource.patternType, resource.name))?.entries ?? [];
  }

  /** Every resource with its ACLs. */
  all(): { resource: ResourcePattern; entries: AclEntry[] }[] {
    return [...this.byResource.values()];
  }

  isSuperUser(principal: string): boolean {
    return this.superUsers.has(principal);
  }

  /** AclAuthorizer.authorizeAction for a literal resource (requests only ever name literal resources). */
  decide(principal: string, host: string, operation: AclOperation, resourceType: ResourceType, name: string): AuthorizationDecision {
    if (this.isSuperUser(principal)) return { allowed: true, reason: `principal = ${principal} is a super user` };
    const acls = this.matchingAcls(resourceType, name);
    if (acls.length === 0) return { allowed: this.allowEveryoneIfNoAclFound, reason: `No acl found for resource ${resourceType}:LITERAL:${name}` };
    const matches = (a: AclEntry, permission: 'Allow' | 'Deny', op: AclOperation) =>
      a.permissionType === permission &&
      (a.principal === principal || a.principal === WILDCARD_PRINCIPAL) &&
      (a.operation === op || a.operation === 'All') &&
      (a.host === host || a.host === WILDCARD_HOST);
    const deny = acls.find((a) => matches(a, 'Deny', operation));
    if (deny) return { allowed: false, reason: aclReason(deny) };
    for (const op of allowingOperations(operation)) {
      const allow = acls.find((a) => matches(a, 'Allow', op));
      if (allow) return { allowed: true, reason: aclReason(allow) };
    }
    return { allowed: false, reason: 'no matching Allow acl' };
  }

  /** AclAuthorizer.matchingAcls: wildcard + literal + every prefix of the name. */
  private matchingAcls(resourceType: ResourceType, name: string): AclEntry[] {
    const out = [
      ...this.get({ resourceType, name: WILDCARD_RESOURCE, patternType: 'LITERAL' }),
      ...(name === WILDCARD_RESOURCE ? [] : this.get({ resourceType, name, patternType: 'LITERAL' })),
    ];
    for (const [prefix, entries] of this.prefixed.get(resourceType) ?? []) if (name.startsWith(prefix)) out.push(...entries);
    return out;
  }
}

function aclReason(a: AclEntry): string {
  return `acl = ${a.principal} has ${a.permissionType} permission for operations: ${a.operation} from hosts: ${a.host}`;
}
