// The ACLs a broker holds in memory and Kafka 2.4's decision over them (AclAuthorizer.authorizeAction):
// the ACLs that apply to a literal resource are those of the wildcard resource "*", of the resource
// itself, and of every PREFIXED pattern its name starts with (matchingAcls); a matching Deny beats
// any Allow; an Allow for Read, Write, Delete or Alter implies Describe, one for AlterConfigs implies
// DescribeConfigs, and "All" matches every operation; principal "User:*" and host "*" match anyone.
// No ACLs at all for the resource: allow.everyone.if.no.acl.found decides. Super users bypass it all.
import type { AclEntry, AclOperation, PatternType, ResourcePattern, ResourceType } from './acl';
import { WILDCARD_HOST, WILDCARD_PRINCIPAL, WILDCARD_RESOURCE } from './acl';

const DESCRIBE_ALLOWED_BY: readonly AclOperation[] = ['Describe', 'Read', 'Write', 'Delete', 'Alter'];
const DESCRIBE_CONFIGS_ALLOWED_BY: readonly AclOperation[] = ['DescribeConfigs', 'AlterConfigs'];

/** Whether an Allow for `granted` allows `operation` (AclAuthorizer.allowAclExists; "All" allows everything). */
function allowsOperation(granted: AclOperation, operation: AclOperation): boolean {
  if (granted === operation || granted === 'All') return true;
  if (operation === 'Describe') return DESCRIBE_ALLOWED_BY.includes(granted);
  if (operation === 'DescribeConfigs') return DESCRIBE_CONFIGS_ALLOWED_BY.includes(granted);
  return false;
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
  decide(principal: string, host: string, operation: AclOperation, resourceType: ResourceType, name: string): boolean {
    if (this.isSuperUser(principal)) return true;
    const lists = this.matchingAcls(resourceType, name);
    if (lists.length === 0) return this.allowEveryoneIfNoAclFound;
    let allowed = false;
    for (const list of lists) {
      for (const a of list) {
        if ((a.principal !== principal && a.principal !== WILDCARD_PRINCIPAL) || (a.host !== host && a.host !== WILDCARD_HOST)) continue;
        if (a.permissionType === 'Deny') {
          if (a.operation === operation || a.operation === 'All') return false; // deny beats allow
        } else if (!allowed && allowsOperation(a.operation, operation)) {
          allowed = true;
        }
      }
    }
    return allowed;
  }

  /**
   * AclAuthorizer.matchingAcls: the non-empty ACL lists of the wildcard, the literal name and every
   * prefix of the name. Prefixes are looked up by the name's own prefixes or by scanning, whichever
   * is fewer steps (Kafka walks a sorted map for the same purpose).
   */
  private matchingAcls(resourceType: ResourceType, name: string): AclEntry[][] {
    const out: AclEntry[][] = [];
    const wildcard = this.byResource.get(key(resourceType, 'LITERAL', WILDCARD_RESOURCE));
    if (wildcard) out.push(wildcard.entries);
    if (name !== WILDCARD_RESOURCE) {
      const literal = this.byResource.get(key(resourceType, 'LITERAL', name));
      if (literal) out.push(literal.entries);
    }
    const prefixed = this.prefixed.get(resourceType);
    if (prefixed && prefixed.size > 0) {
      if (prefixed.size <= name.length) {
        for (const [prefix, entries] of prefixed) if (name.startsWith(prefix)) out.push(entries);
      } else {
        for (let i = 1; i <= name.length; i++) {
          const entries = prefixed.get(name.slice(0, i));
          if (entries) out.push(entries);
        }
      }
    }
    return out;
  }
}
