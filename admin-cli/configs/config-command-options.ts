// kafka-configs' command line: Kafka 2.4's options and ConfigCommandOptions.checkArgs, with
// Kafka's messages. Problems with the command line throw UsageError (message + usage, exit 1)
// where Kafka calls printUsageAndDie, and ConfigArgumentError (message only, exit 1) where Kafka
// throws IllegalArgumentException.
import { Command, Option } from 'commander';
import { CONFIG_ENTITY_TYPES, type ConfigEntityType } from '../../controller/zk/zk-data';
import { collectList } from '../shared/options';
import { newProgram } from '../shared/run-tool';
import { UsageError } from '../shared/usage-error';
import { parseAddConfig, parseDeleteConfig } from './add-config';
import { parseEntity, type ConfigEntity } from './config-entity';

/** Kafka prints these bare (IllegalArgumentException in ConfigCommand.main), without the usage. */
export class ConfigArgumentError extends Error {}

/** With --bootstrap-server Kafka 2.4 knows only broker configs (ConfigCommand.BrokerSupportedConfigTypes). */
export const BROKER_SUPPORTED_CONFIG_TYPES = ['brokers', 'broker-loggers'] as const;

export interface ConfigCommandOptions {
  action: 'alter' | 'describe';
  zookeeper?: string;
  bootstrapServer?: string;
  commandConfig?: string;
  entityTypes: string[];
  /** --entity-name value, or undefined with --entity-default (brokers over --bootstrap-server). */
  entityName?: string;
  entity: ConfigEntity | null;
  toAdd: Map<string, string>;
  toDelete: string[];
}

export function configsProgram(): Command {
  return newProgram('kafka-configs', 'This tool helps to manipulate and describe entity config for a topic, client, user or broker')
    .option('--zookeeper <urls>', 'REQUIRED: The connection string for the zookeeper connection in the form host:port. Multiple URLS can be given to allow fail-over.')
    .option('--bootstrap-server <server to connect to>', 'The Kafka server to connect to. This is required for describing and altering broker configs.')
    .option('--command-config <command config property file>', 'Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs.')
    .option('--alter', 'Alter the configuration for the entity.')
    .option('--describe', 'List configs for the given entity.')
    .option('--entity-type <type>', 'Type of entity (topics/clients/users/brokers/broker-loggers)', collectList)
    .option('--entity-name <name>', 'Name of entity (topic name/client id/user principal name/broker id)', collectList)
    .option('--entity-default', 'Default entity name for clients/users/brokers (applies to corresponding entity type in command line)')
    .option(
      '--add-config <configs>',
      "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'. " +
        "Entity types 'users' and 'clients' may be specified together to update config for clients of a specific user.",
    )
    .option('--delete-config <keys>', "config keys to remove 'k1,k2'", collectList)
    .addOption(new Option('--force', 'Suppress console prompts'));
}

/**
 * The --entity-name / --entity-default values in command-line order ('' for a default), which
 * commander does not keep across two options (Kafka's ConfigCommand.entityNames reads the spec order).
 */
export function entityNamesInOrder(argv: readonly string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--entity-default') names.push('');
    else if (a === '--entity-name') names.push(argv[++i] ?? '');
    else if (a.startsWith('--entity-name=')) names.push(a.slice('--entity-name='.length));
  }
  return names;
}

/** ConfigCommandOptions.checkArgs, then the entity and the configs to add or delete. */
export function validateConfigOptions(raw: Record<string, unknown>, argv: readonly string[]): ConfigCommandOptions {
  const has = (k: string) => raw[k] !== undefined && raw[k] !== false;
  const actions = (['alter', 'describe'] as const).filter(has);
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --describe, --alter');
  const action = actions[0];
  if (action === 'describe') {
    for (const [k, name] of [['addConfig', 'add-config'], ['deleteConfig', 'delete-config']]) {
      if (has(k)) throw new UsageError(`Option "[describe]" can't be used with option "[${name}]"`);
    }
  }
  const entityTypes = (raw.entityType as string[] | undefined) ?? [];
  const viaBroker = has('bootstrapServer');
  const allowed: readonly string[] = viaBroker ? BROKER_SUPPORTED_CONFIG_TYPES : CONFIG_ENTITY_TYPES;
  for (const t of entityTypes) {
    if (!allowed.includes(t)) {
      throw new ConfigArgumentError(`Invalid entity-type ${t}, --entity-type must be one of ${allowed.join(',')} with the ${viaBroker ? '--bootstrap-server' : '--zookeeper'} argument`);
    }
  }
  if (entityTypes.length === 0) throw new ConfigArgumentError('At least one --entity-type must be specified');
  if (entityTypes.length > 1 && !(new Set(entityTypes).size === 2 && entityTypes.includes('users') && entityTypes.includes('clients'))) {
    throw new ConfigArgumentError("Only 'users' and 'clients' entity types may be specified together");
  }
  if (!viaBroker && !has('zookeeper')) throw new ConfigArgumentError('One of the required --bootstrap-server or --zookeeper arguments must be specified');
  if (viaBroker && has('zookeeper')) throw new ConfigArgumentError('Only one of --bootstrap-server or --zookeeper must be specified');
  if (viaBroker && !has('entityName') && !has('entityDefault')) {
    throw new ConfigArgumentError('At least one of --entity-name or --entity-default must be specified with --bootstrap-server');
  }
  const entityNames = (raw.entityName as string[] | undefined) ?? [];
  if (entityNames.length > 0 && (entityTypes.includes('brokers') || entityTypes.includes('broker-loggers'))) {
    const id = entityNames[0];
    if (!/^[+-]?\d+$/.test(id.trim()) || Math.abs(Number(id)) > 0x7fffffff) {
      throw new ConfigArgumentError(`The entity name for ${entityTypes[0]} must be a valid integer broker id , but it is: ${id}`);
    }
  }
  if (action === 'describe' && entityTypes.includes('broker-loggers') && entityNames.length === 0) {
    throw new ConfigArgumentError(`--entity-name must be specified with --describe of ${entityTypes.join(',')}`);
  }
  if (action === 'alter') {
    if (entityTypes.some((t) => t === 'users' || t === 'clients' || t === 'brokers')) {
      if (entityNames.length === 0 && !has('entityDefault')) {
        throw new ConfigArgumentError('--entity-name or --entity-default must be specified with --alter of users, clients or brokers');
      }
    } else if (entityNames.length === 0) {
      throw new ConfigArgumentError(`--entity-name must be specified with --alter of ${entityTypes.join(',')}`);
    }
    if (!has('addConfig') && !has('deleteConfig')) throw new ConfigArgumentError('At least one of --add-config or --delete-config must be specified with --alter');
  }

  let toAdd = new Map<string, string>();
  try {
    if (has('addConfig')) toAdd = parseAddConfig(raw.addConfig as string);
  } catch (err) {
    throw new ConfigArgumentError((err as Error).message);
  }
  const toDelete = has('deleteConfig') ? parseDeleteConfig(raw.deleteConfig as string[]) : [];
  const entity = viaBroker
    ? null
    : parseEntityOrThrow({ types: entityTypes as ConfigEntityType[], names: entityNamesInOrder(argv) }, action === 'alter');
  return {
    action,
    zookeeper: raw.zookeeper as string | undefined,
    bootstrapServer: raw.bootstrapServer as string | undefined,
    commandConfig: raw.commandConfig as string | undefined,
    entityTypes,
    entityName: entityNames[0],
    entity,
    toAdd,
    toDelete,
  };
}

function parseEntityOrThrow(spec: { types: ConfigEntityType[]; names: string[] }, alter: boolean): ConfigEntity {
  try {
    return parseEntity(spec, alter);
  } catch (err) {
    throw new ConfigArgumentError((err as Error).message);
  }
}
