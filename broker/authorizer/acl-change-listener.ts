// Follows one ACL change root (/kafka-acl-changes or /kafka-acl-extended-changes) as Kafka's
// ZkNodeChangeNotificationListener does: on every child change (one-shot watch, re-armed on each
// read) and after a new ZooKeeper session, handle the notifications newer than the last one handled,
// in sequence order, each by reloading the resource it names; then purge notifications older than
// 15 minutes. A damaged notification is logged once and skipped; processing is serial.
import type { AclStorePaths, AclZkStore } from '../../controller/zk/acl-store';
import type { ResourcePattern } from './acl';
import type { Logger } from '../logging';

const CHANGE_EXPIRATION_MS = 15 * 60 * 1000;

export class AclChangeListener {
  private lastSeen = '';
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: AclZkStore,
    private readonly paths: AclStorePaths,
    private readonly reload: (resource: ResourcePattern) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Arms the watch and remembers the newest existing notification (the caller loads the cache after this). */
  async start(): Promise<void> {
    const names = await this.store.getChangeNotifications(this.paths, () => this.schedule());
    this.lastSeen = names[names.length - 1] ?? '';
  }

  stop(): void {
    this.stopped = true;
  }

  /** Also called after a new ZooKeeper session: watches did not survive it. */
  schedule(): void {
    if (this.stopped) return;
    this.running = this.running.then(() => this.process()).catch((err) => {
      this.logger.error(`Error while processing notification change for path = ${this.paths.changePath}: ${(err as Error).message}`);
    });
  }

  private async process(): Promise<void> {
    if (this.stopped) return;
    const names = await this.store.getChangeNotifications(this.paths, () => this.schedule());
    const fresh = names.filter((n) => n > this.lastSeen);
    if (fresh.length > 0) this.logger.info(`Processing notification(s) to ${this.paths.changePath}`);
    for (const name of fresh) {
      try {
        const n = await this.store.readChangeNotification(this.paths, name);
        if (n) await this.reload(n.resource);
      } catch (e) {
        this.logger.error(`error processing change notification ${this.paths.changePath}/${name}: ${(e as Error).message}`);
      }
      this.lastSeen = name;
    }
    await this.store.purgeChangeNotifications(this.paths, names, Date.now(), CHANGE_EXPIRATION_MS);
  }
}
