// The broker's configuration as it is now: server.properties overlaid with the dynamic configs
// of /config/brokers/<default> (cluster-wide) and then /config/brokers/<id> (this broker), as
// Kafka's DynamicBrokerConfig. Zafka acts on the dynamic log configs (the defaults of topics
// without their own override); other dynamic configs are stored and described but take effect
// at the next restart only if also put in server.properties (see docs/DIFFERENCES.md).
import { getLogger } from '../logging';
import { isDynamicBrokerConfig, usableDynamicConfigs } from './dynamic-broker-config-rules';
import { parseKafkaConfig, type KafkaConfig } from './kafka-config';

export class DynamicBrokerConfig {
  private perBroker: Record<string, string> = {};
  private clusterDefault: Record<string, string> = {};
  private currentConfig: KafkaConfig;
  private readonly logger = getLogger('kafka.server.DynamicBrokerConfig');

  constructor(readonly staticConfig: KafkaConfig) {
    this.currentConfig = staticConfig;
  }

  /** The effective config: static, then cluster-wide dynamic, then per-broker dynamic. */
  get current(): KafkaConfig {
    return this.currentConfig;
  }

  get dynamicBrokerConfigs(): Readonly<Record<string, string>> {
    return this.perBroker;
  }

  get dynamicDefaultConfigs(): Readonly<Record<string, string>> {
    return this.clusterDefault;
  }

  /**
   * Takes the contents of /config/brokers/<id> and /config/brokers/<default>. Entries Kafka would
   * ignore (read-only configs, per-broker configs at the default level, undecodable passwords)
   * are dropped with one ERROR line, as Kafka's fromPersistentProps does; if the result does not
   * make a valid config the previous one stays.
   */
  update(perBroker: Record<string, string>, clusterDefault: Record<string, string>): void {
    const nextPerBroker = this.usable(perBroker, true);
    const nextDefault = this.usable(clusterDefault, false);
    try {
      const { config } = parseKafkaConfig({ ...this.staticConfig.originals, ...nextDefault, ...nextPerBroker });
      this.currentConfig = config;
      this.perBroker = nextPerBroker;
      this.clusterDefault = nextDefault;
    } catch (err) {
      this.logger.error(`Dynamic broker configs could not be applied, keeping the previous ones: ${(err as Error).message}`);
    }
  }

  private usable(configs: Record<string, string>, perBrokerLevel: boolean): Record<string, string> {
    const { usable, ignored } = usableDynamicConfigs(configs, perBrokerLevel);
    for (const { name, reason } of ignored) {
      const what = isDynamicBrokerConfig(name) ? 'Invalid dynamic config' : 'Non-dynamic config';
      this.logger.error(`${what} ${name} configured in ZooKeeper will be ignored: ${reason}`);
    }
    return usable;
  }
}
