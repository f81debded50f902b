// Kafka's Utils.murmur2 must match the Java client bit for bit, or keyed records land on other
// partitions than Java producers put them. Expected values are from Kafka's UtilsTest.testMurmur2.
import { murmur2, toPositive } from '../../../admin-cli/client/murmur2';
import { DefaultPartitioner, partitionForKey } from '../../../admin-cli/client/partitioner';

describe('murmur2', () => {
  const cases: Array<[string | number[], number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    [[0x61, 0x62, 0x63], 479470107],
  ];
  it.each(cases)('murmur2(%j) = %d', (input, expected) => {
    const bytes = typeof input === 'string' ? Buffer.from(input) : Buffer.from(input);
    expect(murmur2(bytes)).toBe(expected);
  });

  it('toPositive clears the sign bit like Utils.toPositive', () => {
    expect(toPositive(-973932308)).toBe(-973932308 & 0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });

  it('agrees with kafkajs (a Java-compatible peer) on random keys', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const peer = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;
    for (let i = 0; i < 200; i++) {
      const key = Buffer.from(`key-${i}-${'x'.repeat(i % 7)}`);
      expect(murmur2(key)).toBe(peer(key));
    }
  });
});

describe('DefaultPartitioner', () => {
  it('hashes keys: toPositive(murmur2(key)) % numPartitions', () => {
    expect(partitionForKey(Buffer.from('21'), 3)).toBe((-973932308 & 0x7fffffff) % 3);
    const p = new DefaultPartitioner();
    expect(p.partition('t', Buffer.from('foobar'), { numPartitions: 7, availablePartitions: [0, 1] })).toBe((-790332482 & 0x7fffffff) % 7);
  });

  it('sticks to one partition for unkeyed records until its batch closes', () => {
    const p = new DefaultPartitioner();
    const info = { numPartitions: 4, availablePartitions: [0, 1, 2, 3] };
    const first = p.partition('t', null, info);
    for (let i = 0; i < 10; i++) expect(p.partition('t', null, info)).toBe(first);
    p.onNewBatch('t', info, first);
    expect(p.partition('t', null, info)).not.toBe(first);
  });

  it('only picks partitions with a leader for unkeyed records', () => {
    const p = new DefaultPartitioner();
    for (let i = 0; i < 20; i++) {
      const info = { numPartitions: 4, availablePartitions: [2] };
      expect(p.partition(`t${i}`, null, info)).toBe(2);
    }
  });
});
