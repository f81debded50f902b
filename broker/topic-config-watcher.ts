// Applies entity config changes while the broker runs: kafka-configs / AlterConfigs write
// /config/<type>/<name> and then a sequential /config/changes/config_change_<seq> notification
// ({"version":2,"entity_path":"topics/<t>"}, "brokers/<id>", "brokers/<default>", "clients/<c>",
// "users/<u>" or "users/<u>/clients/<c>"); every broker watches the notifications and hands each
// to the handler of its entity type (Kafka's DynamicConfigManager with its TopicConfigHandler,
// BrokerConfigHandler, ClientIdConfigHandler and UserConfigHandler). Notifications that existed
// before this broker started need no replay: logs and the dynamic broker config read ZooKeeper
// when created, and quotas are loaded whole at start-up (after start(), so that no change is
// missed in between).
import type { KafkaZkClient } from '../controller/zk/kafka-zk-client';
import { getLogger } from './logging';

/** Entity name as in the notification: "<topic>", "<client-id>", "<user>" or "<user>/clients/<client-id>". */
export type EntityChangeHandler = (entityName: string) => Promise<void>;

export class TopicConfigWatcher {
  private lastSeen = '';
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private readonly logger = getLogger('kafka.server.DynamicConfigManager');
  private readonly handlers: Map<string, EntityChangeHandler>;

  constructor(
    private readonly zk: KafkaZkClient,
    onTopicChange: EntityChangeHandler,
    otherHandlers: Readonly<Record<string, EntityChangeHandler>> = {},
  ) {
    this.handlers = new Map(Object.entries({ ...otherHandlers, topics: onTopicChange }));
  }

  async start(): Promise<void> {
    const existing = await this.zk.getConfigChangeNotifications(() => this.schedule());
    this.lastSeen = existing.map((n) => n.name).sort().pop() ?? '';
  }

  stop(): void {
    this.stopped = true;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.running = this.running.then(() => this.process()).catch((err) => {
      this.logger.warn(`Error processing config change notifications: ${(err as Error).message}`);
    });
  }

  private async process(): Promise<void> {
    if (this.stopped) return;
    const notifications = await this.zk.getConfigChangeNotifications(() => this.schedule());
    const fresh = notifications.filter((n) => n.name > this.lastSeen).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const n of fresh) {
      this.lastSeen = n.name;
      const slash = n.entityPath.indexOf('/');
      const handler = this.handlers.get(n.entityPath.slice(0, slash));
      if (!handler) continue;
      this.logger.info(`Processing override for entityPath: ${n.entityPath}`);
      // One bad notification (an invalid quota value) is logged and skipped; the rest still apply.
      try {
        await handler(n.entityPath.slice(slash + 1));
      } catch (err) {
        this.logger.error(`Error processing config change notification ${n.name} for ${n.entityPath}: ${(err as Error).message}`);
      }
    }
  }
}
