// ACLs in ZooKeeper exactly as Kafka 2.4 keeps them (kafka.zk.ZkAclStore / ZkAclChangeStore /
// ResourceZNode in ZkData.scala, the ACL methods of KafkaZkClient, and AclAuthorizer's
// updateResourceAcls retry loop), so that real Kafka brokers, real kafka-acls.sh and Zafka can share
// one cluster's ACLs:
//   /kafka-acl/<ResourceType>/<name>                     LITERAL patterns
//   /kafka-acl-extended/prefixed/<ResourceType>/<name>   PREFIXED patterns
//   body {"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}
//   /kafka-acl-changes/acl_changes_<seq>                 "Topic:name" (literal change)
//   /kafka-acl-extended-changes/acl_changes_<seq>        {"version":1,"resourceType":"Topic","name":"x","patternType":"PREFIXED"}
// Every write is conditional on the znode's version (create-if-absent, setData/delete at the
// version read) and is followed by one change notification that makes every broker reload that
// resource.
//
// Exported for the authorizer and for kafka-acls (h/acl-tools):
//   AclZkStore                    class over a ZooKeeperClient: createAclPaths(), loadAll(),
//                                 getVersionedAcls(r), updateResourceAcls(r, transform),
//                                 getChangeNotifications(store, watcher), readChangeNotification(..),
//                                 purgeChangeNotifications(..), deleteAclChangeNotifications()
//   ACL_STORES, aclStoreFor(pt)   the two stores (paths per pattern type)
//   ResourceAclsZNode             path/encode/decode of one resource's ACL znode
//   AclChangeZNode                encode/decode of change notifications
//   VersionedAcls, NO_ACLS        entries + zkVersion (-1 = absent)
import { distinctEntries, parseOperation, parsePatternType, parsePermissionType, parsePrincipal, parseResourceType, sameEntry } from '../../broker/authorizer/acl';
import type { AclEntry, PatternType, ResourcePattern, ResourceType } from '../../broker/authorizer/acl';
import { RESOURCE_TYPES } from '../../broker/authorizer/acl';
import { jsonWithKeyOrder } from './jvm-map-order';
import { BadVersionError, NodeExistsError, NoNodeError } from './zk-errors';
import { InvalidZnodeError, isInvalidZnode, ZnodeJson } from './znode-json';
import { CreateMode, ZkWatcher, ZooKeeperClient } from './zookeeper-client';

export interface AclStorePaths {
  patternType: PatternType;
  /** Root of the resource znodes: /kafka-acl or /kafka-acl-extended/prefixed. */
  aclPath: string;
  /** Root of the change notifications (ZkAclChangeStore.aclChangePath). */
  changePath: string;
}

export const ACL_CHANGE_PREFIX = 'acl_changes_';
/** ExtendedAclZNode.path; ExtendedAclStore appends patternType.name.toLowerCase. */
export const EXTENDED_ACL_PATH = '/kafka-acl-extended';

export const LITERAL_ACL_STORE: AclStorePaths = { patternType: 'LITERAL', aclPath: '/kafka-acl', changePath: '/kafka-acl-changes' };
export const PREFIXED_ACL_STORE: AclStorePaths = {
  patternType: 'PREFIXED',
  aclPath: `${EXTENDED_ACL_PATH}/prefixed`,
  changePath: '/kafka-acl-extended-changes',
};
export const ACL_STORES: readonly AclStorePaths[] = [LITERAL_ACL_STORE, PREFIXED_ACL_STORE];

export function aclStoreFor(patternType: PatternType): AclStorePaths {
  return patternType === 'LITERAL' ? LITERAL_ACL_STORE : PREFIXED_ACL_STORE;
}

/** A resource's ACLs and the dataVersion they were read at (-1: no znode, Kafka's ZkVersion.UnknownVersion). */
export interface VersionedAcls {
  entries: AclEntry[];
  zkVersion: number;
}
export const NO_ACLS: VersionedAcls = Object.freeze({ entries: [], zkVersion: -1 }) as VersionedAcls;

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** ResourceZNode + Acl.fromBytes / toJsonCompatibleMap. */
export const ResourceAclsZNode = {
  path: (r: ResourcePattern): string => `${aclStoreFor(r.patternType).aclPath}/${r.resourceType}/${r.name}`,

  /** Key order as Kafka's Scala Map literals: version, acls; principal, permissionType, operation, host. */
  encode(entries: readonly AclEntry[]): Buffer {
    const acls = entries.map((e) => JSON.parse(jsonWithKeyOrder([
      ['principal', e.principal], ['permissionType', e.permissionType], ['operation', e.operation], ['host', e.host],
    ])) as unknown);
    return utf8(jsonWithKeyOrder([['version', 1], ['acls', acls]]));
  },

  /** Empty data is no ACLs (Acl.fromBytes); names are read case-insensitively, as Kafka's fromString. */
  decode(path: string, bytes: Buffer | null): AclEntry[] {
    if (!bytes || bytes.length === 0) return [];
    const j = ZnodeJson.parse(path, bytes);
    const version = j.int('version');
    if (version !== 1) j.fail('version', `unsupported version ${version}`);
    return distinctEntries(j.objects('acls', (a) => ({
      principal: named(a, 'principal', parsePrincipal),
      permissionType: named(a, 'permissionType', parsePermissionType),
      operation: named(a, 'operation', parseOperation),
      host: a.string('host'),
    })));
  },
};

function named<T>(j: ZnodeJson, field: string, parse: (s: string) => T): T {
  const s = j.string(field);
  try {
    return parse(s);
  } catch (e) {
    return j.fail(field, (e as Error).message);
  }
}

/** LiteralAclChangeStore / ExtendedAclChangeStore encode and decode. */
export const AclChangeZNode = {
  encode(r: ResourcePattern): Buffer {
    if (r.patternType === 'LITERAL') return utf8(`${r.resourceType}:${r.name}`);
    return utf8(jsonWithKeyOrder([['version', 1], ['resourceType', r.resourceType], ['name', r.name], ['patternType', r.patternType]]));
  },

  decode(store: AclStorePaths, path: string, bytes: Buffer | null): ResourcePattern {
    if (store.patternType === 'LITERAL') {
      const s = bytes ? bytes.toString('utf8') : '';
      const i = s.indexOf(':');
      if (i < 0) throw new InvalidZnodeError(path, '', `expected a string in format ResourceType:ResourceName but got ${JSON.stringify(s)}`);
      let resourceType: ResourceType;
      try {
        resourceType = parseResourceType(s.slice(0, i));
      } catch (e) {
        throw new InvalidZnodeError(path, '', (e as Error).message);
      }
      return { resourceType, name: s.slice(i + 1), patternType: 'LITERAL' };
    }
    const j = ZnodeJson.parse(path, bytes);
    const version = j.int('version');
    if (version > 1) j.fail('version', `Acl change event received for unsupported version: ${version}`);
    return {
      resourceType: named(j, 'resourceType', parseResourceType),
      name: j.string('name'),
      patternType: named(j, 'patternType', parsePatternType),
    };
  },
};

export interface AclChangeNotification {
  /** acl_changes_<seq>: names sort in creation order. */
  name: string;
  /** Creation time, ms (ZkNodeChangeNotificationListener purges those older than 15 minutes). */
  ctime: number;
}

/** A resource with its ACLs, as loadAll() returns them. */
export interface ResourceAcls {
  resource: ResourcePattern;
  acls: VersionedAcls;
}

export interface AclUpdateResult {
  /** The ACLs now stored (after the transform), with their version. */
  acls: VersionedAcls;
  /** False when the transform changed nothing (then no notification is written, as Kafka). */
  changed: boolean;
}

/** Problems that are skipped rather than thrown (a damaged znode, an unknown resource type). */
export type AclStoreWarning = (message: string) => void;

const MAX_UPDATE_RETRIES = 10;
const RETRY_BACKOFF_MS = 100;
const RETRY_BACKOFF_JITTER_MS = 50;

export class AclZkStore {
  constructor(
    readonly zk: ZooKeeperClient,
    private readonly warn: AclStoreWarning = () => {},
  ) {}

  /** KafkaZkClient.createAclPaths: both stores with a child per resource type, and both change roots. */
  async createAclPaths(): Promise<void> {
    for (const store of ACL_STORES) {
      await this.zk.createRecursive(store.aclPath, null, CreateMode.PERSISTENT, true);
      for (const t of RESOURCE_TYPES) await this.zk.createRecursive(`${store.aclPath}/${t}`, null, CreateMode.PERSISTENT, true);
      await this.zk.createRecursive(store.changePath, null, CreateMode.PERSISTENT, true);
    }
  }

  /** The current ACLs of one resource; NO_ACLS when its znode is absent. A damaged znode throws InvalidZnodeError. */
  async getVersionedAcls(r: ResourcePattern): Promise<VersionedAcls> {
    const path = ResourceAclsZNode.path(r);
    try {
      const { data, stat } = await this.zk.getData(path);
      return { entries: ResourceAclsZNode.decode(path, data), zkVersion: stat.version };
    } catch (e) {
      if (e instanceof NoNodeError) return NO_ACLS;
      throw e;
    }
  }

  /**
   * AclAuthorizer.loadCache: every resource under both stores. Unknown resource types are skipped
   * with a warning ("Ignoring unknown ResourceType"), as are damaged znodes (Kafka would fail to start).
   */
  async loadAll(): Promise<ResourceAcls[]> {
    const out: ResourceAcls[] = [];
    for (const store of ACL_STORES) {
      for (const typeName of await this.children(store.aclPath)) {
        let resourceType: ResourceType;
        try {
          resourceType = parseResourceType(typeName);
        } catch {
          this.warn(`Ignoring unknown ResourceType: ${typeName}`);
          continue;
        }
        const names = await this.children(`${store.aclPath}/${typeName}`);
        const reads = await Promise.all(names.map(async (name) => {
          const resource: ResourcePattern = { resourceType, name, patternType: store.patternType };
          try {
            return { resource, acls: await this.getVersionedAcls(resource) };
          } catch (e) {
            if (!isInvalidZnode(e)) throw e;
            this.warn(`${e.message}; ignoring the ACLs of ${resource.resourceType}:${resource.patternType}:${name} until it is repaired`);
            return null;
          }
        }));
        for (const r of reads) if (r && r.acls.entries.length > 0) out.push(r);
      }
    }
    return out;
  }

  /**
   * AclAuthorizer.updateResourceAcls: apply `transform` to the current ACLs and write the result
   * conditionally (create if absent, setData at the version read, delete when nothing remains);
   * on a lost race re-read and retry (up to 10 times, 100-150 ms apart). A real change writes one
   * change notification. `current` is the caller's cached copy, if it has one.
   */
  async updateResourceAcls(r: ResourcePattern, transform: (current: AclEntry[]) => AclEntry[], current?: VersionedAcls): Promise<AclUpdateResult> {
    let read = current ?? (await this.getVersionedAcls(r));
    for (let retries = 0; retries <= MAX_UPDATE_RETRIES; retries++) {
      const next = distinctEntries(transform(read.entries));
      const version = await this.tryWrite(r, next, read.zkVersion);
      if (version !== null) {
        const written: VersionedAcls = { entries: next, zkVersion: version };
        const changed = !sameEntries(next, read.entries);
        if (changed) await this.createChangeNotification(r);
        return { acls: written, changed };
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_BACKOFF_MS + Math.floor(Math.random() * RETRY_BACKOFF_JITTER_MS)));
      read = await this.getVersionedAcls(r);
    }
    throw new Error(`Failed to update ACLs for ${r.resourceType}:${r.patternType}:${r.name} after trying a maximum of ${MAX_UPDATE_RETRIES} times`);
  }

  /** KafkaZkClient.createAclChangeNotification. */
  async createChangeNotification(r: ResourcePattern): Promise<void> {
    const store = aclStoreFor(r.patternType);
    await this.zk.create(`${store.changePath}/${ACL_CHANGE_PREFIX}`, AclChangeZNode.encode(r), CreateMode.PERSISTENT_SEQUENTIAL);
  }

  /** The notifications under one change root, sorted; `watcher` fires once on the next child change. */
  async getChangeNotifications(store: AclStorePaths, watcher?: ZkWatcher): Promise<string[]> {
    return (await this.children(store.changePath, watcher)).filter((n) => n.startsWith(ACL_CHANGE_PREFIX)).sort();
  }

  /** The resource a notification names, or null when it vanished (purged) meanwhile. Damaged: InvalidZnodeError. */
  async readChangeNotification(store: AclStorePaths, name: string): Promise<(AclChangeNotification & { resource: ResourcePattern }) | null> {
    const path = `${store.changePath}/${name}`;
    try {
      const { data, stat } = await this.zk.getData(path);
      return { name, ctime: stat.ctime, resource: AclChangeZNode.decode(store, path, data) };
    } catch (e) {
      if (e instanceof NoNodeError) return null;
      throw e;
    }
  }

  /** ZkNodeChangeNotificationListener.purgeObsoleteNotifications: deletes notifications created more than `expirationMs` ago. */
  async purgeChangeNotifications(store: AclStorePaths, names: readonly string[], now: number, expirationMs = 15 * 60 * 1000): Promise<void> {
    for (const name of names) {
      const path = `${store.changePath}/${name}`;
      try {
        const stat = await this.zk.exists(path);
        if (stat && now - stat.ctime > expirationMs) await this.zk.delete(path);
      } catch (e) {
        if (!(e instanceof NoNodeError)) throw e;
      }
    }
  }

  /** KafkaZkClient.deleteAclChangeNotifications: removes every notification of both stores. */
  async deleteAclChangeNotifications(): Promise<void> {
    for (const store of ACL_STORES) {
      for (const name of await this.children(store.changePath)) {
        try {
          await this.zk.delete(`${store.changePath}/${name}`);
        } catch (e) {
          if (!(e instanceof NoNodeError)) throw e;
        }
      }
    }
  }

  /** One conditional write; the new dataVersion, or null when another writer got there first. */
  private async tryWrite(r: ResourcePattern, entries: AclEntry[], expectedVersion: number): Promise<number | null> {
    const path = ResourceAclsZNode.path(r);
    try {
      if (entries.length === 0) {
        // Nothing stored and nothing to store. (Kafka deletes at version -1, i.e. any version, which
        // could remove ACLs another writer has just created.)
        if (expectedVersion < 0) return -1;
        // KafkaZkClient.conditionalDelete: an already absent znode is success.
        try {
          await this.zk.delete(path, expectedVersion);
        } catch (e) {
          if (!(e instanceof NoNodeError)) throw e;
        }
        return -1;
      }
      if (expectedVersion < 0) {
        await this.zk.createRecursive(path, ResourceAclsZNode.encode(entries), CreateMode.PERSISTENT);
        return 0;
      }
      return (await this.zk.setData(path, ResourceAclsZNode.encode(entries), expectedVersion)).version;
    } catch (e) {
      if (e instanceof NodeExistsError || e instanceof BadVersionError || (e instanceof NoNodeError && expectedVersion >= 0)) return null;
      throw e;
    }
  }

  private async children(path: string, watcher?: ZkWatcher): Promise<string[]> {
    try {
      return await this.zk.getChildren(path, watcher);
    } catch (e) {
      if (e instanceof NoNodeError) {
        // Watch for the root's creation too, so a watcher is never silently lost.
        if (watcher) await this.zk.exists(path, watcher);
        return [];
      }
      throw e;
    }
  }
}

function sameEntries(a: readonly AclEntry[], b: readonly AclEntry[]): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => sameEntry(x, y)));
}
