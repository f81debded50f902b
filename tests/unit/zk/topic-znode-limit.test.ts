// The per-topic partition limit follows from what one ZooKeeper znode can hold: the cheap lower
// bound must equal the real encoding of the smallest assignment, and anything bigger is refused.
import { ErrorCode } from '../../../broker/protocol/errors';
import { KafkaError } from '../../../broker/protocol/kafka-error';
import {
  checkAssignmentFits,
  checkPartitionCountFits,
  MAX_PARTITIONS_PER_TOPIC,
  minTopicZNodeBytes,
  TOPIC_ZNODE_MAX_BYTES,
  topicZNodeBytes,
} from '../../../controller/zk/topic-znode-limit';
import { TopicZNode } from '../../../controller/zk/zk-data';

const rf1 = (n: number, broker = 1) => new Map(Array.from({ length: n }, (_, p) => [p, [broker]]));

function codeOf(f: () => void): ErrorCode | null {
  try {
    f();
    return null;
  } catch (e) {
    return (e as KafkaError).code;
  }
}

describe('topic znode limit', () => {
  test.each([0, 1, 9, 10, 11, 100, 12345])('the lower bound for %d partitions is the encoding with one-digit broker ids', (n) => {
    expect(minTopicZNodeBytes(n)).toBe(TopicZNode.encode('t', rf1(n)).length);
  });

  test.each([
    ['one partition, rf 1', new Map([[0, [1]]])],
    ['rf 3 with multi-digit ids', new Map([[0, [10, 2, 300]], [1, [2, 300, 10]], [12, [300, 10, 2]]])],
    ['rf 0 lists', new Map([[0, []], [1, []]])],
    ['many partitions', new Map(Array.from({ length: 1234 }, (_, p) => [p, [p % 7, (p + 1) % 7]]))],
  ])('the computed size equals the encoded size: %s', (_what, assignment) => {
    expect(topicZNodeBytes(assignment)).toBe(TopicZNode.encode('t', assignment).length);
  });

  test('the largest count is where the smallest assignment just fits', () => {
    expect(MAX_PARTITIONS_PER_TOPIC).toBeGreaterThan(80000);
    expect(MAX_PARTITIONS_PER_TOPIC).toBeLessThan(100000);
    expect(TopicZNode.encode('t', rf1(MAX_PARTITIONS_PER_TOPIC)).length).toBeLessThanOrEqual(TOPIC_ZNODE_MAX_BYTES);
    expect(TopicZNode.encode('t', rf1(MAX_PARTITIONS_PER_TOPIC + 1)).length).toBeGreaterThan(TOPIC_ZNODE_MAX_BYTES);
  });

  test('2^24 partitions is refused with INVALID_PARTITIONS without building anything', () => {
    expect(codeOf(() => checkPartitionCountFits('t', 2 ** 24))).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(codeOf(() => checkPartitionCountFits('t', MAX_PARTITIONS_PER_TOPIC))).toBeNull();
  });

  test('an assignment that passes the count bound but not the exact size is refused (replication factor 3)', () => {
    const n = MAX_PARTITIONS_PER_TOPIC - 10;
    expect(codeOf(() => checkAssignmentFits('t', rf1(n)))).toBeNull();
    const rf3 = new Map(Array.from({ length: n }, (_, p) => [p, [1, 2, 3]]));
    expect(codeOf(() => checkAssignmentFits('t', rf3))).toBe(ErrorCode.INVALID_PARTITIONS);
  });
});
