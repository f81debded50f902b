// Partition-level DeleteRecords (Kafka's Partition.deleteRecordsOnLeader / lowWatermarkIfLeader)
// and the delayed answer that waits for followers' log start offsets (DelayedDeleteRecords).
import * as path from 'path';
import { Log } from '../../../broker/log/log';
import { ErrorCode } from '../../../broker/protocol/errors';
import { DelayedDeleteRecords } from '../../../broker/replica/delayed-delete-records';
import { Partition } from '../../../broker/replica/partition';
import { KafkaError } from '../../../broker/protocol/kafka-error';
import { buildBatch, config, rmDir, tmpDir } from '../log/batch-builder';

const codeOf = (fn: () => unknown): number => {
  try {
    fn();
    return ErrorCode.NONE;
  } catch (err) {
    return (err as KafkaError).code;
  }
};

describe('DeleteRecords on a partition', () => {
  let root: string;
  let log: Log;
  let partition: Partition;
  const alive = new Set([1, 2, 3]);

  beforeEach(() => {
    root = tmpDir();
    log = Log.open(path.join(root, 't-0'), config());
    for (let i = 0; i < 5; i++) log.appendAsLeader(buildBatch({ count: 2 }), 0);
    partition = new Partition('t', 0, 1, log, 0);
    partition.applyState({ controllerEpoch: 1, leader: 1, leaderEpoch: 0, isr: [1, 2, 3], zkVersion: 0, replicas: [1, 2, 3], isNew: false });
    for (const f of [2, 3]) partition.updateFollowerFetchState(f, 8); // HW 8 of LEO 10
  });
  afterEach(() => {
    log.close();
    rmDir(root);
  });

  it('moves the log start offset up to the high watermark; -1 means the high watermark', () => {
    expect(partition.highWatermark).toBe(8);
    expect(partition.deleteRecordsOnLeader(4)).toBe(4);
    expect(log.logStartOffset).toBe(4);
    expect(partition.deleteRecordsOnLeader(-1)).toBe(8);
    expect(log.logStartOffset).toBe(8);
    expect(partition.deleteRecordsOnLeader(2)).toBe(2); // lower: nothing moves
    expect(log.logStartOffset).toBe(8);
  });

  it('refuses offsets beyond the high watermark or negative, compacted topics and non-leaders', () => {
    expect(codeOf(() => partition.deleteRecordsOnLeader(9))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(codeOf(() => partition.deleteRecordsOnLeader(-2))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    log.updateConfig({ ...log.config, cleanupPolicy: 'compact' });
    expect(codeOf(() => partition.deleteRecordsOnLeader(1))).toBe(ErrorCode.POLICY_VIOLATION);
    partition.applyState({ controllerEpoch: 1, leader: 2, leaderEpoch: 1, isr: [1, 2, 3], zkVersion: 1, replicas: [1, 2, 3], isNew: false });
    expect(codeOf(() => partition.deleteRecordsOnLeader(1))).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(log.logStartOffset).toBe(0);
  });

  it('answers once every live follower reports a log start offset at least the requested one', () => {
    partition.deleteRecordsOnLeader(6);
    const result = { topic: 't', partition: 0, lowWatermark: -1, errorCode: ErrorCode.NONE };
    let answered = 0;
    const op = new DelayedDeleteRecords([{ result, requestedOffset: 6, partition }], (id) => alive.has(id), () => answered++);
    expect(op.tryComplete()).toBe(false); // followers have not reported (-1)
    partition.updateFollowerLogStartOffset(2, 6);
    expect(op.tryComplete()).toBe(false);
    alive.delete(3); // broker 3 is gone: it no longer holds the answer back
    expect(op.tryComplete()).toBe(true);
    expect(result).toMatchObject({ lowWatermark: 6, errorCode: ErrorCode.NONE });
    expect(answered).toBe(1);
    alive.add(3);
  });

  it('expires with REQUEST_TIMED_OUT for the partitions still waiting', () => {
    partition.deleteRecordsOnLeader(6);
    const result = { topic: 't', partition: 0, lowWatermark: 0, errorCode: ErrorCode.NONE };
    const op = new DelayedDeleteRecords([{ result, requestedOffset: 6, partition }], () => true, () => undefined);
    expect(op.tryComplete()).toBe(false);
    op.onExpire();
    expect(result.errorCode).toBe(ErrorCode.REQUEST_TIMED_OUT);
  });
});
