// kafka-topics argument rules and output format, without a cluster.
import { parseHostPortList, unescapeJava } from '../../../admin-cli/shared/options';
import { UsageError } from '../../../admin-cli/shared/usage-error';
import { parseReplicaAssignment } from '../../../admin-cli/topics/replica-assignment';
import { topicsProgram, validateTopicOptions } from '../../../admin-cli/topics/topic-command-options';
import { describeLines, formatPartitionLine, formatTopicLine, topicMatcher } from '../../../admin-cli/topics/topic-output';
import type { TopicDescription } from '../../../admin-cli/topics/topic-service';

function parse(args: string[]) {
  const program = topicsProgram().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  program.parse(args, { from: 'user' });
  return validateTopicOptions(program.opts());
}

describe('kafka-topics options', () => {
  it('parses a create with configs and defaults', () => {
    const o = parse(['--zookeeper', 'h:2181/c', '--create', '--topic', 't', '--partitions', '3', '--replication-factor', '1', '--config', 'a=1', '--config', 'b=x=y']);
    expect(o.action).toBe('create');
    expect(o.partitions).toBe(3);
    expect([...o.configs]).toEqual([['a', '1'], ['b', 'x=y']]);
  });

  it.each([
    [['--zookeeper', 'h:1', '--create', '--partitions', '1', '--replication-factor', '1'], 'Missing required argument "[topic]"'],
    [['--zookeeper', 'h:1', '--bootstrap-server', 'h:2', '--list'], 'Only one of --bootstrap-server or --zookeeper must be specified'],
    [['--list'], 'Only one of --bootstrap-server or --zookeeper must be specified'],
    [['--zookeeper', 'h:1', '--list', '--describe'], 'Command must include exactly one action'],
    [['--zookeeper', 'h:1'], 'Command must include exactly one action'],
    [['--zookeeper', 'h:1', '--create', '--topic', 't', '--replication-factor', '1'], 'Missing required argument "[partitions]"'],
    [['--zookeeper', 'h:1', '--create', '--topic', 't', '--partitions', '-2', '--replication-factor', '1'], 'The partitions must be greater than 0'],
    [['--zookeeper', 'h:1', '--describe', '--partitions', '2'], 'Option "[partitions]" can\'t be used with option "[describe]"'],
    [['--bootstrap-server', 'h:1', '--alter', '--topic', 't'], 'Missing required argument "[partitions]"'],
  ])('rejects %j', (args, message) => {
    expect(() => parse(args)).toThrow(UsageError);
    expect(() => parse(args)).toThrow(message);
  });

  it('rejects a non-numeric --partitions', () => {
    expect(() => parse(['--zookeeper', 'h:1', '--create', '--topic', 't', '--partitions', 'x', '--replication-factor', '1'])).toThrow('expects an integer');
  });

  it('parses Kafka replica assignments', () => {
    expect(parseReplicaAssignment('1:2,2:3')).toEqual([[1, 2], [2, 3]]);
    expect(parseReplicaAssignment('0')).toEqual([[0]]);
    expect(() => parseReplicaAssignment('1:1')).toThrow('duplicate entries: 1');
    expect(() => parseReplicaAssignment('1:2,3')).toThrow('Partition 1 has different replication factor');
    expect(() => parseReplicaAssignment('a:b')).toThrow(UsageError);
  });

  it('parses host:port lists', () => {
    expect(parseHostPortList('a:1,127.0.0.1:9092')).toEqual([{ host: 'a', port: 1 }, { host: '127.0.0.1', port: 9092 }]);
    expect(() => parseHostPortList('nohost')).toThrow(UsageError);
    expect(unescapeJava('\\t|\\n')).toBe('\t|\n');
  });
});

describe('kafka-topics describe output', () => {
  const topic: TopicDescription = {
    name: 't',
    isInternal: false,
    markedForDeletion: false,
    configs: [['segment.bytes', '1073741824'], ['retention.ms', '1000']],
    partitions: [
      { partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2] },
      { partition: 1, leader: -1, replicas: [2, 3], isr: [2] },
    ],
  };

  it('prints Kafka 2.4 lines', () => {
    expect(formatTopicLine(topic)).toBe('Topic: t\tPartitionCount: 2\tReplicationFactor: 2\tConfigs: segment.bytes=1073741824,retention.ms=1000');
    expect(formatPartitionLine(topic, topic.partitions[0])).toBe('\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2');
    expect(formatPartitionLine(topic, topic.partitions[1])).toBe('\tTopic: t\tPartition: 1\tLeader: none\tReplicas: 2,3\tIsr: 2');
    expect(formatTopicLine({ ...topic, configs: [], markedForDeletion: true })).toBe(
      'Topic: t\tPartitionCount: 2\tReplicationFactor: 2\tConfigs: \tMarkedForDeletion: true',
    );
  });

  it('filters under-replicated and unavailable partitions without the topic line', () => {
    const none = { underReplicatedPartitions: false, unavailablePartitions: false, topicsWithOverrides: false };
    expect(describeLines([topic], none, new Set())).toHaveLength(3);
    expect(describeLines([topic], { ...none, underReplicatedPartitions: true }, new Set())).toEqual([formatPartitionLine(topic, topic.partitions[1])]);
    expect(describeLines([{ ...topic, partitions: [{ ...topic.partitions[0], leader: 9 }] }], { ...none, unavailablePartitions: true }, new Set([1, 2]))).toHaveLength(1);
    expect(describeLines([topic], { ...none, unavailablePartitions: true }, new Set([1, 2]))).toEqual([formatPartitionLine(topic, topic.partitions[1])]);
  });

  it('matches --topic as a whole-name regular expression', () => {
    const m = topicMatcher('foo.*');
    expect(m('foobar')).toBe(true);
    expect(m('xfoo')).toBe(false);
    expect(topicMatcher('a')('ab')).toBe(false);
  });
});
