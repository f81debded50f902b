// kafka-acls --authorizer-properties zookeeper.connect=...: ACLs read and written in ZooKeeper
// through the shared ACL store (controller/zk/acl-store.ts), as Kafka 2.4's AclCommand does through
// SimpleAclAuthorizer: creates the ACL paths on start (AclAuthorizer.configure), adds and removes
// entries with conditional writes plus one change notification per changed resource, so running
// brokers reload them.
import { sameEntry, RESOURCE_TYPES, type AclEntry, type ResourcePattern } from '../../broker/authorizer/acl';
import { AclZkStore } from '../../controller/zk/acl-store';
import { ZooKeeperClient } from '../../controller/zk/zookeeper-client';
import { filterMatches, type ResourcePatternFilter } from './acl-filter';
import type { AclService, ResourceWithAcls } from './acl-service';
import { AUTHORIZER_STYLE } from './acl-text';

/** Kafka's zookeeper.session.timeout.ms default for the authorizer's client. */
const ZK_SESSION_TIMEOUT_MS = 6000;

/** A stable order for listings (Kafka's comes from hash maps and varies). */
function byResource(a: ResourceWithAcls, b: ResourceWithAcls): number {
  const ta = RESOURCE_TYPES.indexOf(a.pattern.resourceType) - RESOURCE_TYPES.indexOf(b.pattern.resourceType);
  if (ta !== 0) return ta;
  if (a.pattern.patternType !== b.pattern.patternType) return a.pattern.patternType === 'LITERAL' ? -1 : 1;
  return a.pattern.name < b.pattern.name ? -1 : a.pattern.name > b.pattern.name ? 1 : 0;
}

export class ZkAclService implements AclService {
  readonly style = AUTHORIZER_STYLE;

  private constructor(
    private readonly zk: ZooKeeperClient,
    private readonly store: AclZkStore,
  ) {}

  /** AclAuthorizer.configure: zookeeper.connect (authorizer.zookeeper.connect wins, as in Kafka). */
  static async connect(props: ReadonlyMap<string, string>, warn: (line: string) => void): Promise<ZkAclService> {
    const connect = props.get('authorizer.zookeeper.connect') ?? props.get('zookeeper.connect');
    if (!connect) throw new Error('Missing required configuration "zookeeper.connect" which has no default value.');
    const timeout = Number(props.get('authorizer.zookeeper.session.timeout.ms') ?? props.get('zookeeper.session.timeout.ms') ?? ZK_SESSION_TIMEOUT_MS);
    const zk = await ZooKeeperClient.connect(connect, timeout);
    const store = new AclZkStore(zk, warn);
    try {
      await store.createAclPaths();
    } catch (err) {
      await zk.close().catch(() => undefined);
      throw err;
    }
    return new ZkAclService(zk, store);
  }

  async addAcls(pattern: ResourcePattern, entries: readonly AclEntry[]): Promise<void> {
    await this.store.updateResourceAcls(pattern, (current) => [...current, ...entries]);
  }

  async removeAcls(filter: ResourcePatternFilter, entries: readonly AclEntry[]): Promise<void> {
    for (const { pattern } of await this.listAcls([filter])) {
      await this.store.updateResourceAcls(pattern, (current) => (entries.length === 0 ? [] : current.filter((e) => !entries.some((x) => sameEntry(x, e)))));
    }
  }

  async listAcls(filters: readonly ResourcePatternFilter[]): Promise<ResourceWithAcls[]> {
    const all = (await this.store.loadAll()).map((r) => ({ pattern: r.resource, entries: r.acls.entries }));
    const wanted = filters.length === 0 ? all : all.filter((r) => filters.some((f) => filterMatches(f, r.pattern)));
    return wanted.sort(byResource);
  }

  async close(): Promise<void> {
    await this.zk.close();
  }
}
