// Kafka 0.8's range assignment, with the cases its PartitionAssignorTest walks through.
import { compareThreadIds, parseThreadId, partitionsOwnedBy, rangeAssign } from '../../../admin-cli/zk-consumer/range-assignor';

const assign = (partitions: number[], threads: string[]) => rangeAssign(new Map([['t', partitions]]), new Map([['t', threads]])).get('t');

describe('range assignment', () => {
  it('cuts sorted partitions into contiguous ranges over sorted threads, extras first', () => {
    const a = assign([4, 0, 3, 1, 2], ['c2-0', 'c1-0']);
    expect([...a!].sort((x, y) => x[0] - y[0])).toEqual([[0, 'c1-0'], [1, 'c1-0'], [2, 'c1-0'], [3, 'c2-0'], [4, 'c2-0']]);
  });

  it('leaves threads beyond the partition count without partitions', () => {
    const a = assign([0, 1], ['a-0', 'b-0', 'c-0']);
    expect(a).toEqual(new Map([[0, 'a-0'], [1, 'b-0']]));
  });

  it('orders thread ids by consumer id, then thread number (not as plain strings)', () => {
    expect(['g_c-1-10', 'g_c-1-2', 'g_b-0'].sort(compareThreadIds)).toEqual(['g_b-0', 'g_c-1-2', 'g_c-1-10']);
    expect(parseThreadId('g_host-1700000000000-abcd1234-0')).toEqual({ consumer: 'g_host-1700000000000-abcd1234', thread: 0 });
  });

  it('assigns every partition exactly once, in balanced ranges', () => {
    for (let n = 1; n <= 12; n++) {
      for (let m = 1; m <= 5; m++) {
        const threads = Array.from({ length: m }, (_, i) => `c${i}-0`);
        const a = assign(Array.from({ length: n }, (_, i) => i), threads)!;
        expect(a.size).toBe(n);
        const counts = threads.map((t) => [...a.values()].filter((v) => v === t).length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('lists what one consumer owns across topics', () => {
    const a = rangeAssign(new Map([['x', [0, 1]], ['y', [0]]]), new Map([['x', ['c1-0', 'c2-0']], ['y', ['c1-0', 'c2-0']]]));
    expect(partitionsOwnedBy(a, 'c1')).toEqual([{ topic: 'x', partition: 0, threadId: 'c1-0' }, { topic: 'y', partition: 0, threadId: 'c1-0' }]);
    expect(partitionsOwnedBy(a, 'c2')).toEqual([{ topic: 'x', partition: 1, threadId: 'c2-0' }]);
  });

  it('skips topics with no partitions or no subscribers', () => {
    expect(rangeAssign(new Map([['t', []]]), new Map([['t', ['a-0']]])).size).toBe(0);
    expect(rangeAssign(new Map([['t', [0]]]), new Map()).size).toBe(0);
  });
});
