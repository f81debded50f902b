// Where the quota managers get their configs: ZooKeeper's /config/clients/<client-id>,
// /config/users/<user> and /config/users/<user>/clients/<client-id>, read whole at start-up
// (Kafka's DynamicConfigManager.startup) and re-read one entity per change notification
// (its ClientIdConfigHandler / UserConfigHandler). A damaged znode keeps the quotas in force;
// an invalid value is refused with one log line.
import { isInvalidZnode, type KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { getLogger } from '../logging';
import type { QuotaManagers } from './quota-managers';

export type QuotaEntityType = 'clients' | 'users';

const logger = getLogger('kafka.server.DynamicConfigManager');

/** Applies every client, user and <user, client-id> quota found in ZooKeeper. */
export async function loadAllQuotas(zk: KafkaZkClient, quotas: QuotaManagers): Promise<void> {
  const apply = (entityType: QuotaEntityType, name: string, config: Record<string, string>) => {
    try {
      applyQuotaConfig(quotas, entityType, name, config);
    } catch (err) {
      logger.error(`Ignoring the quotas of ${entityType}/${name}: ${(err as Error).message}`);
    }
  };
  for (const [name, config] of await zk.getAllEntityConfigs('clients')) apply('clients', name, config);
  for (const [name, config] of await zk.getAllEntityConfigs('users')) apply('users', name, config);
  for (const [name, config] of await zk.getAllChildEntityConfigs('users', 'clients')) apply('users', name, config);
}

/** A clients/<name> or users/<name> change notification; throws on an invalid value. */
export async function reloadQuotas(zk: KafkaZkClient, quotas: QuotaManagers, entityType: QuotaEntityType, name: string): Promise<void> {
  let config: Record<string, string>;
  try {
    config = await zk.getEntityConfigs(entityType, name);
  } catch (err) {
    if (isInvalidZnode(err)) return; // logged once by the ZooKeeper client
    throw err;
  }
  applyQuotaConfig(quotas, entityType, name, config);
}

function applyQuotaConfig(quotas: QuotaManagers, entityType: QuotaEntityType, name: string, config: Record<string, string>): void {
  if (entityType === 'clients') quotas.processClientConfig(name, config);
  else quotas.processUserConfig(name, config);
}
