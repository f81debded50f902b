// The broker's SCRAM credentials (Kafka's CredentialCache + CredentialProvider): every user's
// SCRAM-SHA-256 / SCRAM-SHA-512 entry of /config/users/<user>, loaded whole at start-up and
// re-read per users/<user> change notification (Kafka's UserConfigHandler), so a user added or
// whose password changed with kafka-configs can log in at once, and a removed one cannot.
// The znode names users as Kafka's Sanitizer wrote them; the cache is keyed by the real name.
import { isInvalidZnode, type KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { getLogger } from '../logging';
import { desanitize } from '../quota/sanitizer';
import { parseScramCredential, SCRAM_MECHANISMS, type ScramCredential, type ScramMechanism } from './scram-credential';

const logger = getLogger('kafka.server.DynamicConfigManager');

export class ScramCredentialCache {
  private readonly credentials = new Map<string, Map<ScramMechanism, ScramCredential>>();

  get(user: string, mechanism: ScramMechanism): ScramCredential | undefined {
    return this.credentials.get(user)?.get(mechanism);
  }

  /** Replaces a user's credentials by those in its config (absent mechanisms are removed). */
  update(sanitizedUser: string, config: Readonly<Record<string, string>>): void {
    const user = desanitize(sanitizedUser);
    const entry = new Map<ScramMechanism, ScramCredential>();
    for (const mechanism of SCRAM_MECHANISMS) {
      const value = config[mechanism];
      if (value === undefined) continue;
      try {
        entry.set(mechanism, parseScramCredential(value));
      } catch (err) {
        logger.error(`Ignoring the ${mechanism} credential of user ${user}: ${(err as Error).message}`);
      }
    }
    if (entry.size === 0) this.credentials.delete(user);
    else this.credentials.set(user, entry);
  }

  async loadAll(zk: KafkaZkClient): Promise<void> {
    for (const [name, config] of await zk.getAllEntityConfigs('users')) this.update(name, config);
  }

  /** A users/<entity> notification; <user>/clients/<client-id> entities hold quotas only. */
  async reload(zk: KafkaZkClient, entityName: string): Promise<void> {
    if (entityName.includes('/')) return;
    try {
      this.update(entityName, await zk.getEntityConfigs('users', entityName));
    } catch (err) {
      if (isInvalidZnode(err)) return; // logged once by the ZooKeeper client
      throw err;
    }
  }
}
