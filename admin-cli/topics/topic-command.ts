// kafka-topics' actions over a TopicService, with Kafka 2.4's messages. Failures of the
// operation throw TopicCommandError; the entry point prints
// "Error while executing topic command : <message>" and exits 1, as Kafka's TopicCommand does.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import type { TopicCommandOptions } from './topic-command-options';
import { collisionWarning, describeLines, topicMatcher } from './topic-output';
import { isInternalTopic, type TopicService } from './topic-service';

export class TopicCommandError extends Error {}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export async function runTopicCommand(opts: TopicCommandOptions, service: TopicService, output: Output): Promise<void> {
  switch (opts.action) {
    case 'create':
      return create(opts, service, output);
    case 'list':
      return list(opts, service, output);
    case 'describe':
      return describe(opts, service, output);
    case 'alter':
      return alter(opts, service, output);
    case 'delete':
      return remove(opts, service, output);
  }
}

async function create(opts: TopicCommandOptions, service: TopicService, output: Output): Promise<void> {
  const name = opts.topic!;
  const warning = collisionWarning(name);
  try {
    if (warning) output.out(warning);
    await service.createTopic({
      name,
      partitions: opts.partitions ?? -1,
      replicationFactor: opts.replicationFactor ?? -1,
      assignment: opts.replicaAssignment,
      configs: opts.configs,
    });
    output.out(`Created topic ${name}.`);
  } catch (err) {
    if (opts.ifNotExists && err instanceof KafkaError && err.code === ErrorCode.TOPIC_ALREADY_EXISTS) return;
    throw err;
  }
}

async function list(opts: TopicCommandOptions, service: TopicService, output: Output): Promise<void> {
  const match = topicMatcher(opts.topic);
  const topics = (await service.listTopics(opts.excludeInternal)).filter((t) => match(t.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const t of topics) output.out(t.markedForDeletion ? `${t.name} - marked for deletion` : t.name);
}

/** Topics matching --topic (sorted); Kafka's ensureTopicExists unless --if-exists. */
async function matchingTopics(opts: TopicCommandOptions, service: TopicService): Promise<string[]> {
  const match = topicMatcher(opts.topic);
  const names = (await service.listTopics(opts.excludeInternal)).map((t) => t.name).filter(match).sort();
  if (opts.topic !== undefined && names.length === 0 && !opts.ifExists) {
    throw new TopicCommandError(`Topic '${opts.topic}' does not exist as expected`);
  }
  return names;
}

async function describe(opts: TopicCommandOptions, service: TopicService, output: Output): Promise<void> {
  const names = await matchingTopics(opts, service);
  const topics = await service.describeTopics(names);
  const live = opts.unavailablePartitions ? await service.liveBrokers() : new Set<number>();
  for (const line of describeLines(topics, opts, live)) output.out(line);
}

async function alter(opts: TopicCommandOptions, service: TopicService, output: Output): Promise<void> {
  const names = await matchingTopics(opts, service);
  for (const t of await service.describeTopics(names)) {
    if (opts.configs.size > 0 || opts.deleteConfigs.length > 0) {
      output.out('WARNING: Altering topic configuration from this script has been deprecated and may be removed in future releases.');
      output.out('         Going forward, please use kafka-configs.sh for this functionality');
      await service.changeConfigs(t.name, opts.configs, opts.deleteConfigs);
      output.out(`Updated config for topic ${t.name}.`);
    }
    if (opts.partitions !== undefined || opts.replicaAssignment !== undefined) {
      if (isInternalTopic(t.name)) throw new TopicCommandError(`The number of partitions for the internal topic ${t.name} cannot be changed.`);
      const current = t.partitions.length;
      const count = opts.partitions ?? opts.replicaAssignment!.length;
      if (count <= current) {
        throw new TopicCommandError(
          `The number of partitions for a topic can only be increased. Topic ${t.name} currently has ${current} partitions, ${count} would not be an increase.`,
        );
      }
      // Kafka accepts an assignment for every partition (existing ones first) or for the new ones only.
      let added = opts.replicaAssignment;
      if (added !== undefined && added.length === count) added = added.slice(current);
      output.out('WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected');
      await service.addPartitions(t.name, t, count, added);
      output.out('Adding partitions succeeded!');
    }
  }
}

async function remove(opts: TopicCommandOptions, service: TopicService, output: Output): Promise<void> {
  const names = await matchingTopics(opts, service);
  for (const name of names) {
    if (isInternalTopic(name)) {
      throw new TopicCommandError(`Topic ${name} is a kafka internal topic and is not allowed to be marked for deletion.`);
    }
    if (await service.deleteTopic(name)) {
      output.out(`Topic ${name} is marked for deletion.`);
      output.out('Note: This will have no impact if delete.topic.enable is not set to true.');
    } else {
      output.out(`Topic ${name} is already marked for deletion.`);
    }
  }
}
