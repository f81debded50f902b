// kafka-consumer-groups' options and their checks (Kafka 2.4 ConsumerGroupCommandOptions.checkArgs),
// plus --zookeeper for groups whose offsets still live in ZooKeeper (the pre-0.9 consumer; Kafka
// removed it in 2.0, Zafka keeps --list and --describe for the migration).
import { Command } from 'commander';
import { collectList } from '../shared/options';
import { newProgram } from '../shared/run-tool';
import { UsageError } from '../shared/usage-error';
import { resetScenarioFrom, type ResetScenario } from './reset-offsets';

export function groupCommandProgram(): Command {
  return newProgram('kafka-consumer-groups', 'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.')
    .option('--bootstrap-server <servers>', 'REQUIRED (unless --zookeeper): The server(s) to connect to.')
    .option('--zookeeper <urls>', 'For groups of the old (ZooKeeper-coordinated) consumer: host:port[/chroot]. Only with --list and --describe.')
    .option('--list', 'List all consumer groups.')
    .option('--describe', 'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.')
    .option('--delete', 'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group.')
    .option('--reset-offsets', 'Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive.')
    .option('--delete-offsets', 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.')
    .option('--group <group>', 'The consumer group we wish to act on.', collectList)
    .option('--all-groups', 'Apply to all consumer groups.')
    .option('--topic <topic>', 'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`.', collectList)
    .option('--all-topics', 'Consider all topics assigned to a group in the `reset-offsets` process.')
    .option('--members', 'Describe members of the group. This option may be used with \'--describe\' and \'--bootstrap-server\' options only.')
    .option('--state', 'Describe the group state. This option may be used with \'--describe\' and \'--bootstrap-server\' options only.')
    .option('--offsets', 'Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action.')
    .option('--verbose', 'Provide additional information, if any, when describing the group.')
    .option('--dry-run', 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.')
    .option('--execute', 'Execute operation. Supported operations: reset-offsets.')
    .option('--to-offset <offset>', 'Reset offsets to a specific offset.')
    .option('--to-earliest', 'Reset offsets to earliest offset.')
    .option('--to-latest', 'Reset offsets to latest offset.')
    .option('--shift-by <n>', 'Reset offsets shifting current offset by \'n\', where \'n\' can be positive or negative.')
    .option('--to-datetime <datetime>', 'Reset offsets to offset from datetime. Format: \'YYYY-MM-DDTHH:mm:SS.sss\'')
    .option('--timeout <ms>', 'The timeout that can be set for some use cases.', '5000');
}

export type DescribeMode = 'offsets' | 'members' | 'state';

export type GroupCommand =
  | { action: 'list'; zookeeper?: string; bootstrapServer?: string }
  | { action: 'describe'; zookeeper?: string; bootstrapServer?: string; groups: string[]; allGroups: boolean; mode: DescribeMode; verbose: boolean }
  | { action: 'delete'; bootstrapServer: string; groups: string[]; allGroups: boolean }
  | { action: 'delete-offsets'; bootstrapServer: string; group: string; topics: string[] }
  | {
      action: 'reset-offsets';
      bootstrapServer: string;
      groups: string[];
      allGroups: boolean;
      topics: string[];
      allTopics: boolean;
      scenario: ResetScenario;
      execute: boolean;
      /** Neither --dry-run nor --execute: Kafka 2.4 warns and does a dry run. */
      warnNoAction: boolean;
    };

export function validateGroupCommand(o: Record<string, unknown>): GroupCommand {
  const actions = (['list', 'describe', 'delete', 'resetOffsets', 'deleteOffsets'] as const).filter((a) => o[a] === true);
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets');
  const zookeeper = o.zookeeper as string | undefined;
  const bootstrapServer = o.bootstrapServer as string | undefined;
  if (zookeeper !== undefined && bootstrapServer !== undefined) throw new UsageError('Option --bootstrap-server is not valid with --zookeeper.');
  if (zookeeper === undefined && bootstrapServer === undefined) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const groups = (o.group as string[] | undefined) ?? [];
  const allGroups = o.allGroups === true;
  const topics = (o.topic as string[] | undefined) ?? [];
  const action = actions[0];
  const needGroup = (what: string) => {
    if (groups.length === 0 && !allGroups) throw new UsageError(`Option ${what} takes one of these options: --all-groups, --group`);
    if (groups.length > 0 && allGroups) throw new UsageError('Option --all-groups is not valid with --group.');
  };
  for (const only of ['members', 'state', 'offsets'] as const) {
    if (o[only] === true && action !== 'describe') throw new UsageError(`Option --${only} may be used with --describe only.`);
  }
  if (o.verbose === true && action !== 'describe') throw new UsageError('Option --verbose may be used with --describe only.');
  if ((o.dryRun === true || o.execute === true) && action !== 'resetOffsets') throw new UsageError('Options --dry-run and --execute are only valid with --reset-offsets.');
  if (zookeeper !== undefined && action !== 'list' && action !== 'describe') {
    throw new UsageError('Option --zookeeper is only valid with --list and --describe; use --bootstrap-server (kafka-migrate-offsets moves ZooKeeper offsets to Kafka).');
  }
  switch (action) {
    case 'list':
      return { action: 'list', zookeeper, bootstrapServer };
    case 'describe': {
      needGroup('--describe');
      const modes = (['members', 'state', 'offsets'] as const).filter((m) => o[m] === true);
      if (modes.length > 1) throw new UsageError('Option --describe takes at most one of these options: --members, --offsets, --state');
      const mode: DescribeMode = modes[0] ?? 'offsets';
      if (zookeeper !== undefined && mode !== 'offsets') throw new UsageError(`Option --${mode} is only valid with --bootstrap-server.`);
      return { action: 'describe', zookeeper, bootstrapServer, groups, allGroups, mode, verbose: o.verbose === true };
    }
    case 'delete':
      needGroup('--delete');
      if (topics.length > 0) throw new UsageError('Option --topic is not valid with --delete and --bootstrap-server (use --delete-offsets).');
      return { action: 'delete', bootstrapServer: bootstrapServer!, groups, allGroups };
    case 'deleteOffsets':
      if (groups.length !== 1 || topics.length === 0) throw new UsageError('Option --delete-offsets takes the following options: --group, --topic');
      return { action: 'delete-offsets', bootstrapServer: bootstrapServer!, group: groups[0], topics };
    case 'resetOffsets': {
      needGroup('--reset-offsets');
      if (o.dryRun === true && o.execute === true) throw new UsageError('Option --dry-run is not valid with --execute.');
      if ((topics.length > 0) === (o.allTopics === true)) throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.');
      const scenario = resetScenarioFrom({
        toEarliest: o.toEarliest === true,
        toLatest: o.toLatest === true,
        toOffset: o.toOffset as string | undefined,
        shiftBy: o.shiftBy as string | undefined,
        toDatetime: o.toDatetime as string | undefined,
      });
      return {
        action: 'reset-offsets',
        bootstrapServer: bootstrapServer!,
        groups,
        allGroups,
        topics,
        allTopics: o.allTopics === true,
        scenario,
        execute: o.execute === true,
        warnNoAction: o.dryRun !== true && o.execute !== true,
      };
    }
  }
}
