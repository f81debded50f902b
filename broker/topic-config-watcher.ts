// Applies topic config changes while the broker runs: kafka-configs / AlterConfigs write
// /config/topics/<t> and then a sequential /config/changes/config_change_<seq> notification
// ({"version":2,"entity_path":"topics/<t>"}); every broker watches the notifications and
// reloads that topic's config (Kafka's ZkConfigManager). Dynamic broker configs work the same
// way with "brokers/<id>" and "brokers/<default>" (Kafka's BrokerConfigHandler); a broker only
// cares for its own id and the default. Notifications that existed before this broker started
// need no replay: logs and the dynamic broker config read ZooKeeper when created.
import type { KafkaZkClient } from '../controller/zk/kafka-zk-client';
import { getLogger } from './logging';

export class TopicConfigWatcher {
  private lastSeen = '';
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private readonly logger = getLogger('kafka.server.DynamicConfigManager');

  constructor(
    private readonly zk: KafkaZkClient,
    private readonly onTopicChange: (topic: string) => Promise<void>,
    private readonly onBrokerChange: (entityName: string) => Promise<void> = async () => undefined,
  ) {}

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
      const [entityType, entityName] = n.entityPath.split('/');
      if (entityType === 'topics' && entityName) {
        this.logger.info(`Processing override for entityPath: ${n.entityPath}`);
        await this.onTopicChange(entityName);
      } else if (entityType === 'brokers' && entityName) {
        this.logger.info(`Processing override for entityPath: ${n.entityPath}`);
        await this.onBrokerChange(entityName);
      }
    }
  }
}
