// kafka-configs --zookeeper: Kafka 2.4's ConfigCommand.alterConfig / describeConfig, reading and
// writing /config/<type>/<name> through AdminZkConfig (which also writes the change notification).
import { AdminZkConfig, CONFIG_ENTITY_DEFAULT, parseBrokerEntity, scalaSet } from '../../controller/zk/admin-zk-config';
import { javaPropertiesOrder } from '../../controller/zk/jvm-map-order';
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { NoNodeError } from '../../controller/zk/zk-errors';
import { ConfigArgumentError, type ConfigCommandOptions } from './config-command-options';
import { ConfigEntity, Entity } from './config-entity';
import { preProcessScramCredentials } from './scram-credentials';
import { isPasswordConfig, nonDynamicBrokerConfigs, perBrokerOnlyConfigs, ZK_UPDATABLE_WHILE_RUNNING } from './dynamic-broker-configs';

type Out = (line: string) => void;

/** A broker config ZooKeeper may not hold (Kafka's ConfigException from DynamicBrokerConfig.validateConfigs). */
export class BrokerConfigRefusal extends Error {}

/** A Properties map in the order Java iterates it (what Kafka's "k=v,k=v" and the znode show). */
function inPropertiesOrder(configs: Record<string, string>): Array<[string, string]> {
  return javaPropertiesOrder(Object.keys(configs)).map((k) => [k, configs[k]]);
}

export async function runZkConfigCommand(opts: ConfigCommandOptions, zk: KafkaZkClient, out: Out): Promise<void> {
  const admin = new AdminZkConfig(zk);
  if (opts.action === 'alter') await alterConfig(opts, opts.entity!, zk, admin, out);
  else await describeConfig(opts.entity!, admin, out);
}

async function alterConfig(opts: ConfigCommandOptions, entity: ConfigEntity, zk: KafkaZkClient, admin: AdminZkConfig, out: Out): Promise<void> {
  if (opts.toAdd.has('message.format.version')) {
    out(
      `WARNING: The configuration message.format.version=${opts.toAdd.get('message.format.version')} is specified. ` +
        'This configuration will be ignored if the version is newer than the inter.broker.protocol.version specified in the broker.',
    );
  }
  const entityType = entity.root.entityType;
  const name = entity.fullSanitizedName;
  if (entityType === 'users') {
    preProcessScramCredentials(opts.toAdd);
  } else if (entityType === 'brokers') {
    await checkBrokerAlter(opts, name, zk);
  }
  const configs = await admin.fetchEntityConfig(entityType, name);
  const invalid = opts.toDelete.filter((k) => !(k in configs));
  if (invalid.length > 0) throw new ConfigArgumentError(`Invalid config(s): ${invalid.join(',')}`);
  // Properties ++= Properties: the added keys go in in their own map's order.
  for (const k of javaPropertiesOrder([...opts.toAdd.keys()])) configs[k] = opts.toAdd.get(k)!;
  for (const k of opts.toDelete) delete configs[k];
  await admin.changeConfigs(entityType, name, configs);
  out(`Completed Updating config for entity: ${entity.toString()}.`);
}

/**
 * ConfigCommand's rules for broker configs over ZooKeeper: only the replication throttles while the
 * broker (or, for <default>, any broker) runs; otherwise just for bootstrapping, and only dynamic ones.
 */
async function checkBrokerAlter(opts: ConfigCommandOptions, name: string, zk: KafkaZkClient): Promise<void> {
  const dynamic = [...opts.toAdd.keys()].filter((k) => !ZK_UPDATABLE_WHILE_RUNNING.has(k));
  if (dynamic.length === 0) return;
  const perBroker = name !== CONFIG_ENTITY_DEFAULT;
  const error = `--bootstrap-server option must be specified to update broker configs ${scalaSet(dynamic)}`;
  const info = 'Broker configuration updates using ZooKeeper are supported for bootstrapping before brokers are started to enable encrypted password configs to be stored in ZooKeeper.';
  if (perBroker) {
    const id = parseBrokerEntity(name)!;
    if ((await zk.getBroker(id)) !== null) throw new ConfigArgumentError(`requirement failed: ${error} when broker ${name} is running. ${info}`);
  } else if ((await zk.getBrokerIds().catch(noBrokers)).length > 0) {
    throw new ConfigArgumentError(`requirement failed: ${error} for default cluster if any broker is running. ${info}`);
  }
  // Kafka raises these as ConfigException: printed after the "Error while executing" line.
  const nonDynamic = nonDynamicBrokerConfigs(opts.toAdd.keys());
  if (nonDynamic.length > 0) throw new BrokerConfigRefusal(`Cannot update these configs dynamically: ${scalaSet(nonDynamic)}`);
  const perBrokerOnly = perBroker ? [] : perBrokerOnlyConfigs(opts.toAdd.keys());
  if (perBrokerOnly.length > 0) throw new BrokerConfigRefusal(`Cannot update these configs at default cluster level, broker id must be specified: ${scalaSet(perBrokerOnly)}`);
  const passwords = [...opts.toAdd.keys()].filter(isPasswordConfig);
  if (passwords.length > 0) throw new BrokerConfigRefusal(`Password configs ${scalaSet(passwords)} need encrypting with password.encoder.secret, which Zafka's kafka-configs does not support yet`);
}

/** Before any broker ever started, /brokers/ids does not exist: no broker runs. */
function noBrokers(e: unknown): number[] {
  if (e instanceof NoNodeError) return [];
  throw e;
}

async function describeConfig(entity: ConfigEntity, admin: AdminZkConfig, out: Out): Promise<void> {
  const describeAllUsers = entity.root.entityType === 'users' && entity.root.sanitizedName === null && entity.child === null;
  for (const e of await allEntities(entity, admin)) {
    const configs = await admin.fetchEntityConfig(e.root.entityType, e.fullSanitizedName);
    // Describing all users skips user znodes that only hold <user, client> quotas.
    if (Object.keys(configs).length > 0 || !describeAllUsers) {
      out(`Configs for ${e.toString()} are ${inPropertiesOrder(configs).map(([k, v]) => `${k}=${v}`).join(',')}`);
    }
  }
}

/** ConfigEntity.getAllEntities: expands a missing name into every entity with a config znode. */
async function allEntities(entity: ConfigEntity, admin: AdminZkConfig): Promise<ConfigEntity[]> {
  const { root, child } = entity;
  if (root.sanitizedName === null) {
    const names = await admin.getAllEntitiesWithConfig(root.entityType);
    const roots = names.map((n) => new ConfigEntity(new Entity(root.entityType, n), child));
    if (!child) return roots;
    const nested = await Promise.all(roots.map((r) => allEntities(new ConfigEntity(r.root, new Entity(child.entityType, null)), admin)));
    return nested.flat();
  }
  if (child && child.sanitizedName === null) {
    const names = await admin.getAllEntitiesWithConfig(root.entityType, `${root.sanitizedName}/${child.entityType}`);
    return names.map((n) => new ConfigEntity(root, new Entity(child.entityType, n)));
  }
  return [entity];
}
