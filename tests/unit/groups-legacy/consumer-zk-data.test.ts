// The old consumer's znodes, byte for byte as Kafka 0.8.2 writes them.
import { ConsumerIdZNode, ConsumerOwnerZNode, consumerThreadId } from '../../../controller/zk/consumer-zk-data';
import { ConsumerOffset } from '../../../controller/zk/zk-data';
import { consumerIdString, zkConsumerConfig } from '../../../admin-cli/zk-consumer/zk-consumer-config';

describe('legacy consumer znodes', () => {
  it('registration JSON keeps Kafka key order with a string timestamp', () => {
    const bytes = ConsumerIdZNode.encode({ subscription: { t: 1 }, pattern: 'static', timestamp: 1700000000123 });
    expect(bytes.toString()).toBe('{"version":1,"subscription":{"t":1},"pattern":"static","timestamp":"1700000000123"}');
    expect(ConsumerIdZNode.decode(bytes)).toEqual({ subscription: { t: 1 }, pattern: 'static', timestamp: 1700000000123 });
    expect(ConsumerIdZNode.path('g', 'g_h-1-abcd')).toBe('/consumers/g/ids/g_h-1-abcd');
  });

  it('decodes registrations written by Kafka 0.8 (wildcards, numeric timestamps)', () => {
    const r = ConsumerIdZNode.decode(Buffer.from('{"version":1,"subscription":{"foo.*":2},"pattern":"white_list","timestamp":1}'));
    expect(r).toEqual({ subscription: { 'foo.*': 2 }, pattern: 'white_list', timestamp: 1 });
  });

  it('owner znodes hold the consumer thread id; offsets a decimal number', () => {
    expect(ConsumerOwnerZNode.path('g', 't', 3)).toBe('/consumers/g/owners/t/3');
    expect(ConsumerOwnerZNode.encode(consumerThreadId('g_c', 0)).toString()).toBe('g_c-0');
    expect(ConsumerOffset.path('g', 't', 3)).toBe('/consumers/g/offsets/t/3');
    expect(ConsumerOffset.encode(400).toString()).toBe('400');
    expect(ConsumerOffset.decode(Buffer.from('400'))).toBe(400);
  });

  it('consumer ids are "<group>_<host>-<ms>-<8 hex>" or "<group>_<consumer.id>"', () => {
    expect(consumerIdString(zkConsumerConfig('g'), 1234)).toMatch(/^g_.+-1234-[0-9a-f]{8}$/);
    expect(consumerIdString(zkConsumerConfig('g', new Map([['consumer.id', 'me']])))).toBe('g_me');
  });

  it('reads 0.8.2 consumer properties with their defaults', () => {
    const c = zkConsumerConfig('g');
    expect(c).toMatchObject({ offsetsStorage: 'zookeeper', dualCommitEnabled: true, autoCommitEnable: true, autoCommitIntervalMs: 60000, autoOffsetReset: 'largest', rebalanceMaxRetries: 4, rebalanceBackoffMs: 2000 });
    expect(zkConsumerConfig('g', new Map([['auto.offset.reset', 'earliest'], ['offsets.storage', 'kafka']]))).toMatchObject({ autoOffsetReset: 'smallest', offsetsStorage: 'kafka' });
    expect(() => zkConsumerConfig('g', new Map([['offsets.storage', 'disk']]))).toThrow('offsets.storage');
    expect(() => zkConsumerConfig('g', new Map([['dual.commit.enabled', 'yes']]))).toThrow('dual.commit.enabled');
  });
});
