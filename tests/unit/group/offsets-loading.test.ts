// Loading a __consumer_offsets partition that holds records the coordinator cannot decode: each
// is skipped (a log line, a count) and every other group's offsets and metadata still load, so
// the partition is served (Kafka 2.4 lost the whole partition on the first such record).
import { GroupState } from '../../../broker/group/group-metadata';
import {
  groupMetadataKey,
  groupMetadataValue,
  offsetCommitKey,
  offsetCommitValue,
  type OffsetAndMetadata,
} from '../../../broker/group/group-records';
import { MAX_LOGGED_SKIPS, readOffsetsPartition } from '../../../broker/group/offsets-partition-reader';
import type { GroupCoordinator } from '../../../broker/group/group-coordinator';
import type { Logger } from '../../../broker/logging';
import { ErrorCode } from '../../../broker/protocol/errors';
import { CRC } from '../../../broker/protocol/records/batch-header';
import { encodeMessageSet } from '../../../broker/protocol/records/legacy-message-set';
import { encodeRecordBatch, type RecordInput } from '../../../broker/protocol/records/record-batch';
import type { Log } from '../../../broker/log/log';
import { coordinatorOver, FakeOffsetsLog } from './fake-offsets-log';

const commit = (offset: number): OffsetAndMetadata => ({ offset, leaderEpoch: -1, metadata: 'm', commitTimestamp: 1000, expireTimestamp: null });
const offsetRecord = (group: string, offset: number, topic = 't', partition = 0): RecordInput => ({
  key: offsetCommitKey(group, topic, partition),
  value: offsetCommitValue(commit(offset)),
});
/** A key of a schema version no 2.x broker writes: int16 version, then anything. */
const unknownKeyRecord = (version: number): RecordInput => ({ key: Buffer.from([0, version, 0, 1, 0x67]), value: Buffer.from('whatever') });

const until = async (check: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('loading __consumer_offsets with records that cannot be decoded', () => {
  let log: FakeOffsetsLog;
  let c: GroupCoordinator;

  /** Appends one v2 batch at the log end. */
  const append = (...records: RecordInput[]) => log.appendRaw(0, encodeRecordBatch({ baseOffset: log.logEndOffset(0), timestamp: 1000, records }));

  const load = async () => {
    c = coordinatorOver(log);
    c.onElection(0);
    await until(() => c.manager.isPartitionOwned(0) || !c.manager.isPartitionLoading(0));
    expect(c.manager.isPartitionOwned(0)).toBe(true);
  };

  const fetched = (group: string, topic = 't', partition = 0) => {
    const r = c.handleFetchOffsets(group, [{ topic, partition }]);
    expect(r.errorCode).toBe(ErrorCode.NONE);
    return r.offsets[0].offset;
  };

  beforeEach(() => {
    log = new FakeOffsetsLog();
  });

  afterEach(() => c?.shutdown());

  it('skips a record with an unknown key version and serves the offsets around it', async () => {
    append(offsetRecord('before', 10));
    append(unknownKeyRecord(7), offsetRecord('same-batch', 11));
    append(offsetRecord('after', 12));
    await load();
    expect(fetched('before')).toBe(10);
    expect(fetched('same-batch')).toBe(11);
    expect(fetched('after')).toBe(12);
  });

  it('keeps the previous commit when a later commit has a garbage value', async () => {
    append(offsetRecord('g', 10));
    append({ key: offsetCommitKey('g', 't', 0), value: Buffer.from('not an offset commit value at all') });
    append(offsetRecord('other', 3));
    await load();
    expect(fetched('g')).toBe(10);
    expect(fetched('other')).toBe(3);
  });

  it('skips truncated offset and group values; the group keeps its offsets as an Empty group', async () => {
    const member = { memberId: 'm1', groupInstanceId: null, clientId: 'c', clientHost: '/h', rebalanceTimeout: 300, sessionTimeout: 100, subscription: Buffer.alloc(0), assignment: Buffer.alloc(0) };
    const groupValue = groupMetadataValue({ protocolType: 'consumer', generation: 4, protocol: 'range', leader: 'm1', currentStateTimestamp: 1000, members: [member] });
    append(offsetRecord('g', 20));
    append({ key: offsetCommitKey('g', 't', 0), value: offsetCommitValue(commit(21)).subarray(0, 9) });
    append({ key: groupMetadataKey('g'), value: groupValue.subarray(0, groupValue.length - 5) });
    append({ key: groupMetadataKey('whole'), value: groupValue }, offsetRecord('whole', 5));
    await load();
    expect(fetched('g')).toBe(20);
    expect(c.manager.getGroup('g')!.currentState).toBe(GroupState.Empty);
    expect(fetched('whole')).toBe(5);
    expect(c.manager.getGroup('whole')!.generationId).toBe(4);
  });

  it('skips a record without key and a key that does not parse', async () => {
    append({ key: null, value: Buffer.from('x') }, { key: Buffer.from([0, 1, 0x7f]), value: Buffer.from('x') }, offsetRecord('g', 7));
    await load();
    expect(fetched('g')).toBe(7);
  });

  it('skips a damaged batch (CRC mismatch) in the middle and loads the batches after it', async () => {
    append(offsetRecord('g', 1));
    const damaged = encodeRecordBatch({ baseOffset: log.logEndOffset(0), timestamp: 1000, records: [offsetRecord('g', 999), offsetRecord('lost', 1)] });
    damaged.writeUInt32BE((damaged.readUInt32BE(CRC) ^ 0xffff) >>> 0, CRC);
    log.appendRaw(0, damaged);
    append(offsetRecord('after', 2));
    await load();
    expect(fetched('g')).toBe(1);
    expect(fetched('lost')).toBe(-1);
    expect(fetched('after')).toBe(2);
  });

  it('reads commits that brokers before 0.11 wrote as legacy v1 message sets', async () => {
    log.appendRaw(0, encodeMessageSet({ magic: 1, baseOffset: 0, timestamp: 1000, messages: [{ key: offsetCommitKey('old', 't', 0), value: offsetCommitValue(commit(33)) }] }));
    append(offsetRecord('new', 34));
    await load();
    expect(fetched('old')).toBe(33);
    expect(fetched('new')).toBe(34);
  });

  it('logs the first skipped records one line each and then one summary line', () => {
    append(...Array.from({ length: 25 }, () => unknownKeyRecord(9)), offsetRecord('g', 1));
    const lines: string[] = [];
    const logger: Logger = { error: (m) => lines.push(m), warn: (m) => lines.push(m), info: () => undefined, debug: () => undefined };
    const partition = log.getPartition('__consumer_offsets', 0)!;
    const loaded = readOffsetsPartition(partition.log as Log, '__consumer_offsets-0', 1 << 20, () => true, logger);
    expect(loaded.skipped).toBe(25);
    expect(loaded.offsets.get('g')?.size).toBe(1);
    expect(lines).toHaveLength(MAX_LOGGED_SKIPS + 1);
    expect(lines[0]).toMatch(/unknown key version 9/);
    expect(lines[MAX_LOGGED_SKIPS]).toMatch(/Skipped 25 /);
  });
});
