import { javaStringHashCode, kafkaAbs, partitionFor } from '../../../broker/group/partition-for';

describe('partitionFor (Utils.abs(groupId.hashCode) % partitions)', () => {
  it('matches Java String.hashCode', () => {
    // Values as java.lang.String#hashCode computes them.
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('a')).toBe(97);
    expect(javaStringHashCode('Aa')).toBe(2112);
    expect(javaStringHashCode('BB')).toBe(2112);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('Hello World')).toBe(-862545276);
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(javaStringHashCode('é')).toBe(233); // UTF-16 code units, not UTF-8 bytes
  });

  it('maps Integer.MIN_VALUE to 0 like Kafka Utils.abs', () => {
    expect(kafkaAbs(-2147483648)).toBe(0);
    expect(kafkaAbs(-5)).toBe(5);
    expect(partitionFor('polygenelubricants', 50)).toBe(0);
    expect(partitionFor('Hello World', 50)).toBe(862545276 % 50);
    expect(partitionFor('hello', 50)).toBe(99162322 % 50);
  });
});
