// kafka-topics' command line: Kafka 2.4's options and its checkArgs rules (exactly one action,
// exactly one of --zookeeper / --bootstrap-server, --topic where needed, options that do not
// belong to the chosen action), with Kafka's messages. Parsing errors throw UsageError.
import { Command, Option } from 'commander';
import { collectKeyValue, collectList, parseIntOption } from '../shared/options';
import { newProgram } from '../shared/run-tool';
import { UsageError } from '../shared/usage-error';
import { parseReplicaAssignment } from './replica-assignment';

export type TopicAction = 'create' | 'list' | 'describe' | 'alter' | 'delete';

export interface TopicCommandOptions {
  action: TopicAction;
  zookeeper?: string;
  bootstrapServer?: string;
  topic?: string;
  partitions?: number;
  replicationFactor?: number;
  replicaAssignment?: number[][];
  configs: Map<string, string>;
  deleteConfigs: string[];
  ifNotExists: boolean;
  ifExists: boolean;
  excludeInternal: boolean;
  underReplicatedPartitions: boolean;
  unavailablePartitions: boolean;
  topicsWithOverrides: boolean;
}

export function topicsProgram(): Command {
  return newProgram('kafka-topics', 'Create, delete, describe, or change a topic.')
    .option('--zookeeper <hosts>', 'The connection string for the zookeeper connection in the form host:port. Multiple hosts can be given to allow fail-over.')
    .option('--bootstrap-server <servers>', 'The Kafka server to connect to. In the form host:port[,host:port]')
    .option('--command-config <file>', 'Property file containing configs to be passed to Admin Client (accepted, not used).')
    .option('--create', 'Create a new topic.')
    .option('--list', 'List all available topics.')
    .option('--describe', 'List details for the given topics.')
    .option('--alter', 'Alter the number of partitions, replica assignment, and/or configuration for the topic.')
    .option('--delete', 'Delete a topic')
    .option('--topic <topic>', 'The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option.')
    .option('--partitions <n>', 'The number of partitions for the topic being created or altered.', parseIntOption('partitions'))
    .option('--replication-factor <n>', 'The replication factor for each partition in the topic being created.', parseIntOption('replication-factor', -32768, 32767))
    .option('--replica-assignment <list>', 'A list of manual partition-to-broker assignments: broker_id_for_part1_replica1:broker_id_for_part1_replica2, broker_id_for_part2_replica1:...')
    .option('--config <name=value>', 'A topic configuration override for the topic being created or altered (repeatable).', collectKeyValue('config'))
    .option('--delete-config <name>', 'A topic configuration override to be removed for an existing topic (repeatable).', collectList)
    .option('--if-not-exists', 'if set when creating topics, the action will only execute if the topic does not already exist')
    .option('--if-exists', 'if set when altering or deleting or describing topics, the action will only execute if the topic exists')
    .option('--exclude-internal', 'exclude internal topics when running list or describe command')
    .option('--under-replicated-partitions', 'if set when describing topics, only show under replicated partitions')
    .option('--unavailable-partitions', 'if set when describing topics, only show partitions whose leader is not available')
    .option('--topics-with-overrides', 'if set when describing topics, only show topics that have overridden configs')
    .addOption(new Option('--force', 'Suppress console prompts (accepted, not needed)').hideHelp())
    .addOption(new Option('--disable-rack-aware', 'Disable rack aware replica assignment (accepted, not used)'));
}

const ACTIONS: TopicAction[] = ['create', 'list', 'describe', 'alter', 'delete'];

/** Which actions each option may be combined with (Kafka's checkInvalidArgs). */
const ALLOWED: Record<string, TopicAction[]> = {
  config: ['create', 'alter'],
  deleteConfig: ['alter'],
  partitions: ['create', 'alter'],
  replicationFactor: ['create'],
  replicaAssignment: ['create', 'alter'],
  ifNotExists: ['create'],
  ifExists: ['alter', 'delete', 'describe'],
  underReplicatedPartitions: ['describe'],
  unavailablePartitions: ['describe'],
  topicsWithOverrides: ['describe'],
  excludeInternal: ['list', 'describe'],
};

const KAFKA_NAMES: Record<string, string> = {
  config: 'config',
  deleteConfig: 'delete-config',
  partitions: 'partitions',
  replicationFactor: 'replication-factor',
  replicaAssignment: 'replica-assignment',
  ifNotExists: 'if-not-exists',
  ifExists: 'if-exists',
  underReplicatedPartitions: 'under-replicated-partitions',
  unavailablePartitions: 'unavailable-partitions',
  topicsWithOverrides: 'topics-with-overrides',
  excludeInternal: 'exclude-internal',
};

export function validateTopicOptions(raw: Record<string, unknown>): TopicCommandOptions {
  const has = (k: string) => raw[k] !== undefined && raw[k] !== false;
  const actions = ACTIONS.filter(has);
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
  const action = actions[0];
  if (has('zookeeper') === has('bootstrapServer')) throw new UsageError('Only one of --bootstrap-server or --zookeeper must be specified');
  if (action !== 'list' && action !== 'describe' && !has('topic')) throw new UsageError('Missing required argument "[topic]"');
  for (const [opt, allowed] of Object.entries(ALLOWED)) {
    if (has(opt) && !allowed.includes(action)) throw new UsageError(`Option "[${KAFKA_NAMES[opt]}]" can't be used with option "[${action}]"`);
  }
  if (action === 'create' && has('replicaAssignment') && (has('partitions') || has('replicationFactor'))) {
    throw new UsageError(`Option "[replica-assignment]" can't be used with option "[${has('partitions') ? 'partitions' : 'replication-factor'}]"`);
  }
  if (action === 'create' && has('zookeeper') && !has('replicaAssignment')) {
    if (!has('partitions')) throw new UsageError('Missing required argument "[partitions]"');
    if (!has('replicationFactor')) throw new UsageError('Missing required argument "[replication-factor]"');
  }
  if (action === 'alter') {
    if (has('bootstrapServer') && (has('config') || has('deleteConfig'))) {
      throw new UsageError('Option "[config]" can\'t be used with option "[alter]" and "[bootstrap-server]": use kafka-configs.sh to change topic configs');
    }
    if (has('bootstrapServer') && !has('partitions')) throw new UsageError('Missing required argument "[partitions]"');
    if (!has('partitions') && !has('config') && !has('deleteConfig') && !has('replicaAssignment')) {
      throw new UsageError('--alter needs --partitions, --replica-assignment, --config or --delete-config');
    }
  }
  const partitions = raw.partitions as number | undefined;
  if (partitions !== undefined && partitions < 1) throw new UsageError(`The partitions must be greater than 0, got ${partitions}`);
  const rf = raw.replicationFactor as number | undefined;
  if (rf !== undefined && rf < 1) throw new UsageError(`The replication factor must be greater than 0, got ${rf}`);
  const topic = raw.topic as string | undefined;
  if (action === 'create' && topic !== undefined && topic.length === 0) throw new UsageError('Topic name is illegal, it can\'t be empty');
  return {
    action,
    zookeeper: raw.zookeeper as string | undefined,
    bootstrapServer: raw.bootstrapServer as string | undefined,
    topic,
    partitions,
    replicationFactor: rf,
    replicaAssignment: has('replicaAssignment') ? parseReplicaAssignment(raw.replicaAssignment as string) : undefined,
    configs: (raw.config as Map<string, string> | undefined) ?? new Map(),
    deleteConfigs: (raw.deleteConfig as string[] | undefined) ?? [],
    ifNotExists: has('ifNotExists'),
    ifExists: has('ifExists'),
    excludeInternal: has('excludeInternal'),
    underReplicatedPartitions: has('underReplicatedPartitions'),
    unavailablePartitions: has('unavailablePartitions'),
    topicsWithOverrides: has('topicsWithOverrides'),
  };
}
