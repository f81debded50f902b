// A promise wrapper of node-zookeeper-client, in the role of Kafka's kafka.zookeeper.ZooKeeperClient:
// - requests are pipelined (issue many, await them together: ZooKeeper answers one session's
//   requests in order, so a batch costs one round trip, not one per znode);
// - errors are typed (zk-errors.ts);
// - watches are one-shot, exactly as ZooKeeper's: a method that takes a watcher registers it on that
//   read, and the owner must read again (with the watcher) to keep watching;
// - a chroot in the connect string (host:port/zafka-1) is created first if missing, as Kafka does,
//   over a connection without the chroot (ZooKeeper refuses every request under a missing chroot);
// - when the session EXPIRES the node-zookeeper-client object is dead for good: ephemeral nodes and
//   watches are gone. The wrapper then builds a new session and calls the onNewSession listeners so
//   their owners re-register ephemeral znodes and watches (Kafka's StateChangeHandler
//   afterInitializingSession). Requests issued meanwhile wait for the new session.
import * as zookeeper from 'node-zookeeper-client';
import { getLogger, Logger } from '../../broker/logging';
import { ConnectionLossError, zkErrorForCode, zkErrorFrom, ZkCode, ZkError } from './zk-errors';

export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
} as const;
export type CreateMode = (typeof CreateMode)[keyof typeof CreateMode];

/** "Any version" for setData / delete / check (ZooKeeper's -1). */
export const MATCH_ANY_VERSION = -1;

/** A znode's Stat. zxids and times as numbers; ephemeralOwner as 16 hex digits ('0000000000000000' = persistent). */
export interface ZkStat {
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: string;
  dataLength: number;
  numChildren: number;
}

export type WatchedEventType = 'NodeCreated' | 'NodeDeleted' | 'NodeDataChanged' | 'NodeChildrenChanged';
export interface WatchedEvent {
  type: WatchedEventType;
  /** Relative to the chroot. */
  path: string;
}
export type ZkWatcher = (event: WatchedEvent) => void;

export type ZkOp =
  | { type: 'check'; path: string; version: number }
  | { type: 'create'; path: string; data: Buffer | null; mode: CreateMode }
  | { type: 'setData'; path: string; data: Buffer | null; version: number }
  | { type: 'delete'; path: string; version: number };

export type ZkOpResult =
  | { type: 'check' }
  | { type: 'create'; path: string }
  | { type: 'setData'; stat: ZkStat }
  | { type: 'delete' };

/** Thrown by multi(): the failing op's typed error, plus which op failed and every op's result code. */
export interface MultiFailure {
  failedOpIndex: number;
  codes: number[];
}
export type ZkMultiError = ZkError & { multi: MultiFailure };

export interface ZooKeeperClientOptions {
  /** How long connect() waits for the first session (Kafka's zookeeper.connection.timeout.ms). */
  connectionTimeoutMs?: number;
  /** Shown in log lines: "[ZooKeeperClient Kafka server] Connected." */
  name?: string;
}

interface LibClientOptions extends Partial<zookeeper.Option> {
  sessionId?: Buffer;
  sessionPassword?: Buffer;
}

const EVENT_TYPES: Record<number, WatchedEventType> = {
  1: 'NodeCreated',
  2: 'NodeDeleted',
  3: 'NodeDataChanged',
  4: 'NodeChildrenChanged',
};

function zxid(buf: Buffer | undefined): number {
  return buf && buf.length === 8 ? Number(buf.readBigInt64BE(0)) : 0;
}

export function toZkStat(s: zookeeper.Stat): ZkStat {
  return {
    czxid: zxid(s.czxid),
    mzxid: zxid(s.mzxid),
    pzxid: zxid(s.pzxid),
    ctime: zxid(s.ctime),
    mtime: zxid(s.mtime),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: s.ephemeralOwner ? s.ephemeralOwner.toString('hex') : '0000000000000000',
    dataLength: s.dataLength,
    numChildren: s.numChildren,
  };
}

/** Splits "h1:p1,h2:p2/chroot" into hosts and chroot ('' when none). */
export function parseConnectString(connectString: string): { hosts: string; chroot: string } {
  const slash = connectString.indexOf('/');
  if (slash < 0) return { hosts: connectString, chroot: '' };
  const chroot = connectString.slice(slash).replace(/\/+$/, '');
  return { hosts: connectString.slice(0, slash), chroot };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ZooKeeperClient {
  private client!: zookeeper.Client;
  private closed = false;
  private reinitializing = false;
  private ready: Promise<void> = Promise.resolve();
  private readonly expiredListeners: Array<() => void> = [];
  private readonly newSessionListeners: Array<() => void | Promise<void>> = [];
  /** One lib-level function per user watcher, so re-registering the same watcher on a path is a no-op. */
  private readonly wrappedWatchers = new WeakMap<ZkWatcher, (event: zookeeper.Event) => void>();
  private readonly log: Logger;

  private constructor(
    readonly connectString: string,
    readonly sessionTimeoutMs: number,
    private readonly connectionTimeoutMs: number,
    name: string,
  ) {
    this.log = getLogger('kafka.zookeeper.ZooKeeperClient', `[ZooKeeperClient${name ? ' ' + name : ''}] `);
  }

  /** Connects (creating the chroot first if the connect string has one) and waits for a session. */
  static async connect(connectString: string, sessionTimeoutMs: number, options: ZooKeeperClientOptions = {}): Promise<ZooKeeperClient> {
    const zk = new ZooKeeperClient(connectString, sessionTimeoutMs, options.connectionTimeoutMs ?? Math.max(sessionTimeoutMs, 6000), options.name ?? '');
    const { hosts, chroot } = parseConnectString(connectString);
    if (chroot) await zk.ensureChroot(hosts, chroot);
    zk.log.info(`Initializing a new session to ${connectString}.`);
    zk.client = await zk.openClient(connectString);
    return zk;
  }

  /** Called once the session expired (before a new one is built): ephemerals and watches are gone. */
  onSessionExpired(cb: () => void): void {
    this.expiredListeners.push(cb);
  }

  /** Called after a replacement session was established: re-create ephemeral znodes and watches here. */
  onNewSession(cb: () => void | Promise<void>): void {
    this.newSessionListeners.push(cb);
  }

  /** The current session id as 16 hex digits (comparable with ZkStat.ephemeralOwner). */
  get sessionId(): string {
    return this.client.getSessionId().toString('hex');
  }

  /** Session id and password; tests use them to force an expiry from a second connection. */
  sessionCredentials(): { sessionId: Buffer; sessionPassword: Buffer } {
    return { sessionId: this.client.getSessionId(), sessionPassword: this.client.getSessionPassword() };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async create(path: string, data: Buffer | null, mode: CreateMode = CreateMode.PERSISTENT): Promise<string> {
    const client = await this.live();
    return new Promise((resolve, reject) => {
      const cb = (err: unknown, created: string) => (err ? reject(zkErrorFrom(err, path)) : resolve(created));
      if (data) client.create(path, data, mode, cb);
      else client.create(path, mode, cb);
    });
  }

  /**
   * Kafka's createRecursive: create, and on NoNode create the missing parents (persistent, null data)
   * and try again. With ignoreExisting, NodeExists on `path` itself is not an error.
   */
  async createRecursive(path: string, data: Buffer | null = null, mode: CreateMode = CreateMode.PERSISTENT, ignoreExisting = false): Promise<void> {
    try {
      await this.create(path, data, mode);
    } catch (e) {
      if (e instanceof ZkError && e.code === ZkCode.NODE_EXISTS && ignoreExisting) return;
      if (!(e instanceof ZkError) || e.code !== ZkCode.NO_NODE) throw e;
      const parent = path.slice(0, path.lastIndexOf('/'));
      if (parent) await this.createRecursive(parent, null, CreateMode.PERSISTENT, true);
      try {
        await this.create(path, data, mode);
      } catch (e2) {
        if (!(e2 instanceof ZkError && e2.code === ZkCode.NODE_EXISTS && ignoreExisting)) throw e2;
      }
    }
  }

  async getData(path: string, watcher?: ZkWatcher): Promise<{ data: Buffer | null; stat: ZkStat }> {
    const client = await this.live();
    return new Promise((resolve, reject) => {
      const cb = (err: unknown, data: Buffer | null | undefined, stat: zookeeper.Stat) =>
        err ? reject(zkErrorFrom(err, path)) : resolve({ data: data ?? null, stat: toZkStat(stat) });
      if (watcher) client.getData(path, this.wrap(watcher), cb);
      else client.getData(path, cb);
    });
  }

  async getChildren(path: string, watcher?: ZkWatcher): Promise<string[]> {
    const client = await this.live();
    return new Promise((resolve, reject) => {
      const cb = (err: unknown, children: string[]) => (err ? reject(zkErrorFrom(err, path)) : resolve(children));
      if (watcher) client.getChildren(path, this.wrap(watcher), cb);
      else client.getChildren(path, cb);
    });
  }

  /** The Stat, or null when absent. A watcher is registered either way (fires on create, delete, data change). */
  async exists(path: string, watcher?: ZkWatcher): Promise<ZkStat | null> {
    const client = await this.live();
    return new Promise((resolve, reject) => {
      const cb = (err: unknown, stat: zookeeper.Stat | null) => (err ? reject(zkErrorFrom(err, path)) : resolve(stat ? toZkStat(stat) : null));
      if (watcher) client.exists(path, this.wrap(watcher), cb);
      else client.exists(path, cb);
    });
  }

  async setData(path: string, data: Buffer | null, version = MATCH_ANY_VERSION): Promise<ZkStat> {
    const client = await this.live();
    return new Promise((resolve, reject) => {
      client.setData(path, data, version, (err, stat) => (err ? reject(zkErrorFrom(err, path)) : resolve(toZkStat(stat))));
    });
  }

  async delete(path: string, version = MATCH_ANY_VERSION): Promise<void> {
    const client = await this.live();
    return new Promise((resolve, reject) => {
      client.remove(path, version, (err) => (err ? reject(zkErrorFrom(err, path)) : resolve()));
    });
  }

  /**
   * One atomic transaction. On failure throws the failing op's typed error with `.multi`
   * ({failedOpIndex, codes}): ZooKeeper reports OK for ops before the failing one and
   * RUNTIME_INCONSISTENCY for those after it.
   */
  async multi(ops: ZkOp[]): Promise<ZkOpResult[]> {
    const client = await this.live();
    const tx = client.transaction();
    for (const op of ops) {
      switch (op.type) {
        case 'check':
          tx.check(op.path, op.version);
          break;
        case 'create':
          if (op.data) tx.create(op.path, op.data, op.mode);
          else tx.create(op.path, op.mode);
          break;
        case 'setData':
          tx.setData(op.path, op.data, op.version);
          break;
        case 'delete':
          tx.remove(op.path, op.version);
          break;
      }
    }
    type LibResult = { type: number; err?: number; path?: string; stat?: zookeeper.Stat };
    return new Promise((resolve, reject) => {
      tx.commit((err, results: LibResult[] | undefined) => {
        if (err) {
          if (!Array.isArray(results)) return reject(zkErrorFrom(err));
          const codes = results.map((r) => (r.type === -1 ? (r.err ?? 0) : 0));
          let failedOpIndex = codes.findIndex((c) => c !== 0 && c !== ZkCode.RUNTIME_INCONSISTENCY);
          if (failedOpIndex < 0) failedOpIndex = codes.findIndex((c) => c !== 0);
          const failed = zkErrorForCode(codes[failedOpIndex] ?? ZkCode.SYSTEM_ERROR, ops[failedOpIndex]?.path) as ZkMultiError;
          failed.multi = { failedOpIndex, codes };
          return reject(failed);
        }
        resolve(
          ops.map((op, i): ZkOpResult => {
            const r = results?.[i];
            switch (op.type) {
              case 'create':
                return { type: 'create', path: r?.path ?? op.path };
              case 'setData':
                return { type: 'setData', stat: toZkStat(r!.stat!) };
              default:
                return { type: op.type };
            }
          }),
        );
      });
    });
  }

  /** Closes the session (its ephemeral znodes go at once) and waits briefly for the socket to close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.client;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      client.once('disconnected', () => {
        clearTimeout(timer);
        resolve();
      });
      client.close();
    });
    this.log.info('Closed.');
  }

  // ---- internals ----

  private wrap(watcher: ZkWatcher): (event: zookeeper.Event) => void {
    let wrapped = this.wrappedWatchers.get(watcher);
    if (!wrapped) {
      wrapped = (event: zookeeper.Event) => {
        const type = EVENT_TYPES[event.getType()];
        if (!type) return;
        try {
          watcher({ type, path: event.getPath() });
        } catch (e) {
          this.log.error(`Watcher for ${event.getPath()} failed: ${(e as Error).stack ?? e}`);
        }
      };
      this.wrappedWatchers.set(watcher, wrapped);
    }
    return wrapped;
  }

  /** The live client, waiting out a session re-initialisation. */
  private async live(): Promise<zookeeper.Client> {
    if (this.closed) throw new ConnectionLossError(undefined, 'ZooKeeper client is closed');
    await this.ready;
    if (this.closed) throw new ConnectionLossError(undefined, 'ZooKeeper client is closed');
    return this.client;
  }

  private async ensureChroot(hosts: string, chroot: string): Promise<void> {
    const bootstrap = await this.openClient(hosts, false);
    try {
      await new Promise<void>((resolve, reject) => {
        bootstrap.mkdirp(chroot, (err) => (err ? reject(zkErrorFrom(err, chroot)) : resolve()));
      });
    } finally {
      bootstrap.close();
    }
  }

  /** A connected lib client, or ConnectionLossError after connectionTimeoutMs. */
  private openClient(connectString: string, track = true, extra: LibClientOptions = {}): Promise<zookeeper.Client> {
    const options: LibClientOptions = { sessionTimeout: this.sessionTimeoutMs, spinDelay: 1000, retries: 3, ...extra };
    const client = zookeeper.createClient(connectString, options as Partial<zookeeper.Option>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new ConnectionLossError(undefined, `Timed out waiting for connection to ${connectString} while in state: ${client.getState().name}`));
      }, this.connectionTimeoutMs);
      client.once('connected', () => {
        clearTimeout(timer);
        if (track) {
          this.log.info(`Connected (session 0x${client.getSessionId().toString('hex').replace(/^0+/, '')}, timeout ${client.getSessionTimeout()} ms).`);
          client.on('state', (state: zookeeper.State) => this.onState(client, state));
        }
        resolve(client);
      });
      client.connect();
    });
  }

  private onState(client: zookeeper.Client, state: zookeeper.State): void {
    // Events of a client being replaced (expired session) are not news.
    if (client !== this.client || this.closed || this.reinitializing) return;
    if (state === zookeeper.State.DISCONNECTED) {
      this.log.warn('Disconnected from ZooKeeper; node-zookeeper-client reconnects within the session timeout.');
    } else if (state === zookeeper.State.SYNC_CONNECTED) {
      this.log.info('Reconnected to ZooKeeper with the same session.');
    } else if (state === zookeeper.State.AUTH_FAILED) {
      this.log.error('Authentication with ZooKeeper failed.');
    } else if (state === zookeeper.State.EXPIRED) {
      this.log.warn('Session expired.');
      void this.reinitialize();
    }
  }

  /** Kafka's ZooKeeperClient.reinitialize(): a new session, then the afterInitializingSession callbacks. */
  private async reinitialize(): Promise<void> {
    if (this.closed || this.reinitializing) return;
    this.reinitializing = true;
    let markReady!: () => void;
    this.ready = new Promise<void>((resolve) => (markReady = resolve));
    for (const cb of this.expiredListeners) {
      try {
        cb();
      } catch (e) {
        this.log.error(`Session-expired listener failed: ${(e as Error).stack ?? e}`);
      }
    }
    try {
      this.client.close();
    } catch {
      /* already dead */
    }
    while (!this.closed) {
      try {
        this.log.info(`Initializing a new session to ${this.connectString}.`);
        this.client = await this.openClient(this.connectString);
        break;
      } catch (e) {
        this.log.warn(`Could not create a new session: ${(e as Error).message}; retrying.`);
        await sleep(1000);
      }
    }
    this.reinitializing = false;
    markReady();
    if (this.closed) return;
    for (const cb of this.newSessionListeners) {
      try {
        await cb();
      } catch (e) {
        this.log.error(`New-session listener failed: ${(e as Error).stack ?? e}`);
      }
    }
  }
}
