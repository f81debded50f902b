// The pure parts of kafka-delete-records and kafka-log-dirs: the offset JSON file with Kafka's
// messages for bad input, the log-dirs JSON line in Kafka's key order, and the Java exception
// names and texts Kafka's AdminClient tools print for error codes.
import { parseOffsetJson } from '../../../admin-cli/delete-records/offset-json';
import { formatLogDirsJson } from '../../../admin-cli/log-dirs/log-dirs-json';
import { javaExceptionName, javaExceptionText } from '../../../admin-cli/shared/kafka-exceptions';
import { ErrorCode } from '../../../broker/protocol/errors';

describe('offset json', () => {
  test('version defaults to 1; offsets are longs, -1 allowed; the file order is kept', () => {
    expect(parseOffsetJson('{"partitions":[{"topic":"b","partition":1,"offset":-1},{"topic":"a","partition":0,"offset":9007199254740991}]}')).toEqual([
      { topic: 'b', partition: 1, offset: -1 },
      { topic: 'a', partition: 0, offset: 9007199254740991 },
    ]);
    expect(parseOffsetJson('{"partitions":[],"version":1}')).toEqual([]);
  });

  test.each([
    ['not JSON', '{', 'The input string is not a valid JSON'],
    ['version 2', '{"version":2,"partitions":[]}', 'Not supported version field value 2'],
    ['no partitions', '{"version":1}', 'Missing partitions field'],
    ['no offset', '{"partitions":[{"topic":"t","partition":0}]}', 'No such field exists: `offset`'],
    ['a fractional partition', '{"partitions":[{"topic":"t","partition":0.5,"offset":1}]}', 'partitions[0].partition must be an int'],
    ['a partition past int32', '{"partitions":[{"topic":"t","partition":2147483648,"offset":1}]}', 'partitions[0].partition must be an int'],
    ['a numeric topic', '{"partitions":[{"topic":7,"partition":0,"offset":1}]}', 'partitions[0].topic must be a string'],
    ['duplicates', '{"partitions":[{"topic":"t","partition":0,"offset":1},{"topic":"t","partition":0,"offset":2},{"topic":"u","partition":1,"offset":1},{"topic":"u","partition":1,"offset":1}]}', 'Offset json file contains duplicate topic partitions: t-0,u-1'],
  ])('%s gets "%s"', (_name, text, message) => {
    expect(() => parseOffsetJson(text)).toThrow(message);
  });
});

describe('log dirs json', () => {
  test('Kafka\'s keys and order, error null or the Java exception name, partitions filtered by topic', () => {
    const byBroker = new Map([
      [2, [
        { logDir: '/d/b', errorCode: ErrorCode.NONE, replicas: [
          { topic: 'y', partition: 1, size: 10, offsetLag: 0, isFuture: false },
          { topic: 'x', partition: 10, size: 5, offsetLag: 2, isFuture: true },
          { topic: 'x', partition: 2, size: 7, offsetLag: 0, isFuture: false },
        ] },
        { logDir: '/d/bad', errorCode: ErrorCode.KAFKA_STORAGE_ERROR, replicas: [] },
      ]],
      [0, []],
    ]);
    expect(formatLogDirsJson(byBroker, new Set(['x']))).toBe(
      '{"version":1,"brokers":[{"broker":2,"logDirs":[{"logDir":"/d/b","error":null,"partitions":[' +
        '{"partition":"x-2","size":7,"offsetLag":0,"isFuture":false},{"partition":"x-10","size":5,"offsetLag":2,"isFuture":true}]},' +
        '{"logDir":"/d/bad","error":"org.apache.kafka.common.errors.KafkaStorageException","partitions":[]}]},{"broker":0,"logDirs":[]}]}',
    );
    expect(JSON.parse(formatLogDirsJson(byBroker, new Set())).brokers[0].logDirs[0].partitions).toHaveLength(3);
  });
});

describe('Kafka exception names', () => {
  test('as Errors.exceptionName() and Throwable.toString()', () => {
    expect(javaExceptionName(ErrorCode.NONE)).toBeNull();
    expect(javaExceptionName(ErrorCode.KAFKA_STORAGE_ERROR)).toBe('org.apache.kafka.common.errors.KafkaStorageException');
    expect(javaExceptionText(ErrorCode.POLICY_VIOLATION)).toBe('org.apache.kafka.common.errors.PolicyViolationException: Request parameters do not satisfy the configured policy.');
    expect(javaExceptionText(ErrorCode.NOT_LEADER_OR_FOLLOWER)).toBe('org.apache.kafka.common.errors.NotLeaderForPartitionException: This server is not the leader for that topic-partition.');
    expect(javaExceptionText(9999)).toMatch(/^org\.apache\.kafka\.common\.errors\.UnknownServerException: /);
  });
});
