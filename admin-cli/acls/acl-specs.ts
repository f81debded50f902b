// Which ACLs a kafka-acls command means, as Kafka 2.4's AclCommand builds them: resource filters
// from --topic/--cluster/--group/--transactional-id/--delegation-token and --resource-pattern-type
// (getResourceFilter), entries from principals x operations x hosts (getAcl; hosts default to '*'
// when principals are given), the --producer / --consumer / --idempotent conveniences, and the
// check that each resource type supports the operations (validateOperation).
import {
  CLUSTER_RESOURCE_NAME, WILDCARD_HOST, distinctEntries, parseOperation, parsePrincipal,
  type AclEntry, type AclOperation, type PermissionType, type ResourcePattern, type ResourceType,
} from '../../broker/authorizer/acl';
import { UsageError } from '../shared/usage-error';
import { isSpecific, type ResourcePatternFilter } from './acl-filter';
import type { AclCommandOptions } from './acl-command-options';

/** A resource filter (or, for --add, pattern) with the entries the command names for it. */
export interface FilterAcls {
  filter: ResourcePatternFilter;
  entries: AclEntry[];
}

/**
 * ResourceType.supportedOperations + All, in the order Kafka's message prints them (Scala sets:
 * up to four keep insertion order; Topic and Cluster are hash sets, their order as Kafka 2.4 prints it).
 */
const VALID_OPERATIONS: Record<ResourceType, readonly AclOperation[]> = {
  Topic: ['Read', 'All', 'AlterConfigs', 'DescribeConfigs', 'Delete', 'Write', 'Alter', 'Create', 'Describe'],
  Group: ['Read', 'Describe', 'Delete', 'All'],
  Cluster: ['All', 'AlterConfigs', 'DescribeConfigs', 'IdempotentWrite', 'Alter', 'ClusterAction', 'Create', 'Describe'],
  TransactionalId: ['Describe', 'Write', 'All'],
  DelegationToken: ['Describe', 'All'],
};

/** Java enum names for the validateOperation message ("ResourceType GROUP only supports ..."). */
const JAVA_RESOURCE_TYPE: Record<ResourceType, string> = { Topic: 'TOPIC', Group: 'GROUP', Cluster: 'CLUSTER', TransactionalId: 'TRANSACTIONAL_ID', DelegationToken: 'DELEGATION_TOKEN' };

const filterKey = (f: ResourcePatternFilter) => `${f.resourceType}\u0000${f.patternType}\u0000${f.name}`;

/** An insertion-ordered map of filter -> entries (Kafka's small Scala maps keep insertion order). */
class FilterMap {
  private readonly map = new Map<string, FilterAcls>();

  set(filter: ResourcePatternFilter, entries: AclEntry[]): void {
    const existing = this.map.get(filterKey(filter));
    if (existing) existing.entries = entries;
    else this.map.set(filterKey(filter), { filter, entries });
  }

  get(filter: ResourcePatternFilter): AclEntry[] {
    return this.map.get(filterKey(filter))?.entries ?? [];
  }

  values(): FilterAcls[] {
    return [...this.map.values()];
  }
}

/** getResourceFilter: one filter per named resource; none is a usage error unless listing. */
export function resourceFilters(opts: AclCommandOptions, dieIfNoResourceFound = true): ResourcePatternFilter[] {
  const patternType = opts.patternType;
  const filters: ResourcePatternFilter[] = [];
  const add = (resourceType: ResourceType, name: string) => {
    if (!filters.some((f) => f.resourceType === resourceType && f.name === name)) filters.push({ resourceType, name, patternType });
  };
  for (const t of opts.topics) add('Topic', t.trim());
  // The cluster is one literal resource: no cluster filter under another pattern type.
  if (patternType === 'LITERAL' && (opts.cluster || opts.idempotent)) add('Cluster', CLUSTER_RESOURCE_NAME);
  for (const g of opts.groups) add('Group', g.trim());
  for (const id of opts.transactionalIds) add('TransactionalId', id); // Kafka does not trim these
  for (const t of opts.delegationTokens) add('DelegationToken', t.trim());
  if (filters.length === 0 && dieIfNoResourceFound) {
    throw new UsageError('You must provide at least one resource: --topic <topic> or --cluster or --group <group> or --delegation-token <Delegation Token ID>');
  }
  return filters;
}

/** Operation.values as Kafka 2.4 lists them (in its --operation help and its unknown-name message). */
export const OPERATION_NAMES = ['Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'ClusterAction', 'AlterConfigs', 'DescribeConfigs', 'IdempotentWrite', 'All'];

/** A failure Kafka raises while building the ACLs: printed with its Java exception class. */
export class AclSpecError extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super(message);
  }
}

/** getPrincipals: SecurityUtils.parseKafkaPrincipal of each trimmed value, without duplicates. */
export function principals(values: readonly string[]): string[] {
  return [
    ...new Set(
      values.map((v) => {
        try {
          return parsePrincipal(v.trim());
        } catch (err) {
          throw new AclSpecError('java.lang.IllegalArgumentException', (err as Error).message);
        }
      }),
    ),
  ];
}

function hosts(hostValues: readonly string[], principalValues: readonly string[]): string[] {
  if (hostValues.length > 0) return [...new Set(hostValues.map((h) => h.trim()))];
  return principalValues.length > 0 ? [WILDCARD_HOST] : [];
}

/** getAcl: every allowed principal x operation x allowed host, then the same for denials. */
function entriesFor(opts: AclCommandOptions, operations: readonly AclOperation[]): AclEntry[] {
  const out: AclEntry[] = [];
  const add = (principalValues: readonly string[], hostValues: readonly string[], permissionType: PermissionType) => {
    const ps = principals(principalValues);
    const hs = hosts(hostValues, principalValues);
    for (const principal of ps) for (const operation of operations) for (const host of hs) out.push({ principal, permissionType, operation, host });
  };
  add(opts.allowPrincipals, opts.allowHosts, 'Allow');
  add(opts.denyPrincipals, opts.denyHosts, 'Deny');
  return out;
}

/** Operation.fromString of each trimmed --operation value (an unknown name fails the command). */
function cliOperations(opts: AclCommandOptions): AclOperation[] {
  return [
    ...new Set(
      opts.operations.map((o) => {
        try {
          return parseOperation(o.trim());
        } catch {
          throw new AclSpecError('kafka.common.KafkaException', `${o.trim()} not a valid operation name. The valid names are ${OPERATION_NAMES.join(',')}`);
        }
      }),
    ),
  ];
}

/** getResourceFilterToAcls: the CLI's own filters and entries, or those of --producer and/or --consumer. */
export function resourceFilterToAcls(opts: AclCommandOptions): FilterAcls[] {
  const result = new FilterMap();
  if (!opts.producer && !opts.consumer) {
    const entries = entriesFor(opts, cliOperations(opts));
    for (const f of resourceFilters(opts)) result.set(f, entries);
  }
  if (opts.producer) {
    // Write, Describe, Create on topics; Write, Describe on transactional ids; IdempotentWrite on the cluster.
    const filters = resourceFilters(opts);
    for (const f of filters.filter((x) => x.resourceType === 'Topic')) result.set(f, entriesFor(opts, ['Write', 'Describe', 'Create']));
    for (const f of filters.filter((x) => x.resourceType === 'TransactionalId')) result.set(f, entriesFor(opts, ['Write', 'Describe']));
    if (opts.idempotent) result.set({ resourceType: 'Cluster', name: CLUSTER_RESOURCE_NAME, patternType: 'LITERAL' }, entriesFor(opts, ['IdempotentWrite']));
  }
  if (opts.consumer) {
    // Read, Describe on topics and Read on groups, added to what --producer gave the same topic.
    const filters = resourceFilters(opts);
    for (const f of filters.filter((x) => x.resourceType === 'Topic')) result.set(f, distinctEntries([...entriesFor(opts, ['Read', 'Describe']), ...result.get(f)]));
    for (const f of filters.filter((x) => x.resourceType === 'Group')) result.set(f, distinctEntries([...entriesFor(opts, ['Read']), ...result.get(f)]));
  }
  const all = result.values();
  for (const { filter, entries } of all) {
    const valid = VALID_OPERATIONS[filter.resourceType];
    if (entries.some((e) => !valid.includes(e.operation))) {
      throw new UsageError(`ResourceType ${JAVA_RESOURCE_TYPE[filter.resourceType]} only supports operations ${valid.join(',')}`);
    }
  }
  return all;
}

/** getResourceToAcls for --add: specific patterns, each with at least one entry. */
export function resourceToAcls(opts: AclCommandOptions): Array<{ pattern: ResourcePattern; entries: AclEntry[] }> {
  const patternType = opts.patternType;
  if (!isSpecific(patternType)) throw new UsageError(`A '--resource-pattern-type' value of '${patternType}' is not valid when adding acls.`);
  const specs = resourceFilterToAcls(opts);
  if (specs.some((s) => s.entries.length === 0)) throw new UsageError('You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.');
  return specs.map(({ filter, entries }) => ({ pattern: { resourceType: filter.resourceType, name: filter.name, patternType: filter.patternType as ResourcePattern['patternType'] }, entries }));
}
