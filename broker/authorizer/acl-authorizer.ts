// Kafka 2.4's kafka.security.authorizer.AclAuthorizer: ACLs kept in ZooKeeper (controller/zk/acl-store.ts),
// cached in memory (acl-cache.ts decides), the cache loaded at start after the change listeners are
// armed (so that no change falls in between) and reloaded per resource on every change notification,
// by whichever broker or tool wrote it. createAcls / deleteAcls write through ZooKeeper with
// conditional updates, serialised on this broker (Kafka's write lock). Every decision that a request
// asked for is written to kafka-authorizer.log in Kafka's words: denials at INFO, allows at DEBUG.
import { AclZkStore, ACL_STORES } from '../../controller/zk/acl-store';
import type { ZooKeeperClient } from '../../controller/zk/zookeeper-client';
import { getLogger, type Logger } from '../logging';
import type { AclBinding, AclEntry, AclOperation, ResourcePattern, ResourceType } from './acl';
import { distinctEntries, resourceToString, sameEntry } from './acl';
import { AclCache } from './acl-cache';
import { AclChangeListener } from './acl-change-listener';
import { bindingMatches, entryMatches, patternMatches, type AclBindingFilter } from './acl-filter';
import type { AuthorizerSettings } from './authorizer-config';

/** Who asks, from where, in which request (AuthorizableRequestContext). */
export interface AuthorizationRequest {
  /** "User:alice". */
  principal: string;
  /** The client's IP address. */
  host: string;
  /** The API's name for the log line ("Produce"). */
  apiName: string;
}

/** One Action: Kafka logs denials only when the resource was explicitly asked for (logIfDenied). */
export interface ActionOptions {
  /** How many times the request names the resource (resourceRefCount in the log line). */
  refCount?: number;
  logIfAllowed?: boolean;
  logIfDenied?: boolean;
}

/** What the broker's request handlers use (the one place every check goes through). */
export interface Authorizer {
  authorize(request: AuthorizationRequest, operation: AclOperation, resourceType: ResourceType, name: string, options?: ActionOptions): boolean;
}

export interface AclCreateResult {
  error: string | null;
}

export interface AclDeleteResult {
  deleted: { binding: AclBinding; error: string | null }[];
}

export class AclAuthorizer implements Authorizer {
  private readonly cache: AclCache;
  private readonly store: AclZkStore;
  private readonly listeners: AclChangeListener[];
  private readonly auditLog = getLogger('kafka.authorizer.logger', '', 'kafka-authorizer');
  private readonly logger: Logger;
  /** Serialises this broker's ACL writes (AclAuthorizer's write lock). */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(settings: AuthorizerSettings, zk: ZooKeeperClient, brokerId: number) {
    this.logger = getLogger('kafka.security.authorizer.AclAuthorizer', `[AclAuthorizer brokerId=${brokerId}] `);
    this.cache = new AclCache(settings.superUsers, settings.allowEveryoneIfNoAclFound);
    this.store = new AclZkStore(zk, (m) => this.logger.warn(m));
    this.listeners = ACL_STORES.map((paths) => new AclChangeListener(this.store, paths, (r) => this.reload(r), getLogger('kafka.common.ZkNodeChangeNotificationListener')));
  }

  /** AclAuthorizer.configure: paths, listeners, then the cache. */
  async start(): Promise<void> {
    await this.store.createAclPaths();
    for (const l of this.listeners) await l.start();
    for (const { resource, acls } of await this.store.loadAll()) this.cache.set(resource, acls.entries);
    this.logger.info(`Loaded ACLs of ${this.cache.all().length} resource(s)`);
  }

  stop(): void {
    for (const l of this.listeners) l.stop();
  }

  /** After a new ZooKeeper session: watches are gone, and changes may have been missed. */
  onNewSession(): void {
    for (const l of this.listeners) l.schedule();
  }

  authorize(request: AuthorizationRequest, operation: AclOperation, resourceType: ResourceType, name: string, options: ActionOptions = {}): boolean {
    const allowed = this.cache.decide(request.principal, request.host, operation, resourceType, name);
    const logIfAllowed = options.logIfAllowed ?? true;
    const logIfDenied = options.logIfDenied ?? true;
    if (allowed ? logIfAllowed : logIfDenied) {
      const line = `Principal = ${request.principal} is ${allowed ? 'Allowed' : 'Denied'} Operation = ${operation} from host = ${request.host} ` +
        `on resource = ${resourceType}:LITERAL:${name} for request = ${request.apiName} with resourceRefCount = ${options.refCount ?? 1}`;
      if (allowed) this.auditLog.debug(line);
      else this.auditLog.info(line);
    }
    return allowed;
  }

  /** AclAuthorizer.acls(filter): every stored binding the filter matches. */
  acls(filter: AclBindingFilter): AclBinding[] {
    const out: AclBinding[] = [];
    for (const { resource, entries } of this.cache.all()) {
      for (const entry of entries) {
        const binding = { pattern: resource, entry };
        if (bindingMatches(filter, binding)) out.push(binding);
      }
    }
    return out;
  }

  /** AclAuthorizer.createAcls: bindings grouped by resource, one conditional update per resource. */
  createAcls(bindings: readonly AclBinding[]): Promise<AclCreateResult[]> {
    return this.serially(async () => {
      const results: AclCreateResult[] = bindings.map(() => ({ error: null }));
      const byResource = new Map<string, { resource: ResourcePattern; entries: AclEntry[]; indexes: number[] }>();
      bindings.forEach((b, i) => {
        const k = resourceToString(b.pattern);
        const group = byResource.get(k) ?? { resource: b.pattern, entries: [], indexes: [] };
        group.entries.push(b.entry);
        group.indexes.push(i);
        byResource.set(k, group);
      });
      for (const { resource, entries, indexes } of byResource.values()) {
        try {
          await this.update(resource, (current) => distinctEntries([...current, ...entries]));
        } catch (e) {
          for (const i of indexes) results[i] = { error: (e as Error).message };
        }
      }
      return results;
    });
  }

  /** AclAuthorizer.deleteAcls: per filter, the bindings it removed (each binding reported once, under its first filter). */
  deleteAcls(filters: readonly AclBindingFilter[]): Promise<AclDeleteResult[]> {
    return this.serially(async () => {
      const results: AclDeleteResult[] = filters.map(() => ({ deleted: [] }));
      for (const { resource } of this.cache.all()) {
        const matching = filters.map((f, i) => ({ f, i })).filter(({ f }) => patternMatches(f, resource));
        if (matching.length === 0) continue;
        const removed: { binding: AclBinding; index: number }[] = [];
        const pick = (current: AclEntry[]) => {
          removed.length = 0;
          for (const entry of current) {
            const first = matching.find(({ f }) => entryMatches(f, entry));
            if (first) removed.push({ binding: { pattern: resource, entry }, index: first.i });
          }
          return current.filter((e) => !removed.some((r) => sameEntry(r.binding.entry, e)));
        };
        let error: string | null = null;
        try {
          await this.update(resource, pick);
        } catch (e) {
          error = (e as Error).message;
        }
        for (const r of removed) results[r.index].deleted.push({ binding: r.binding, error });
      }
      return results;
    });
  }

  private async update(resource: ResourcePattern, transform: (current: AclEntry[]) => AclEntry[]): Promise<void> {
    // Read from ZooKeeper rather than the cache: the write must be conditional on what is stored.
    const { acls } = await this.store.updateResourceAcls(resource, transform);
    this.cache.set(resource, acls.entries);
  }

  /** AclChangedNotificationHandler: re-read one resource. A damaged znode keeps the ACLs last read (logged by the store's reader). */
  private async reload(resource: ResourcePattern): Promise<void> {
    try {
      const acls = await this.store.getVersionedAcls(resource);
      this.cache.set(resource, acls.entries);
    } catch (e) {
      this.logger.error(`Cannot reload the ACLs of ${resourceToString(resource)}: ${(e as Error).message}; keeping the ACLs last read`);
    }
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.writes.then(fn, fn);
    this.writes = next.catch(() => undefined);
    return next;
  }
}
