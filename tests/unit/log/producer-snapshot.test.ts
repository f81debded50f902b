import * as fs from 'fs';
import * as path from 'path';
import { BatchMetadata, ProducerStateEntry } from '../../../broker/log/producer/producer-state-entry';
import { CorruptSnapshotError, decodeProducerSnapshot, encodeProducerSnapshot, producerSnapshotFile } from '../../../broker/log/producer/producer-snapshot-file';
import { ProducerStateManager } from '../../../broker/log/producer/producer-state-manager';
import { crc32c } from '../../../broker/protocol/records/crc32c';
import { Log } from '../../../broker/log/log';
import { DEFAULT_LOG_CONFIG } from '../../../broker/log/log-config';
import { producerBatch } from './producer-batches';
import { rmDir, tmpDir } from './batch-builder';

function entry(pid: number, epoch: number, lastSeq: number, lastOffset: number, delta: number, ts: number, txn: number | null = null): ProducerStateEntry {
  return new ProducerStateEntry(pid, [new BatchMetadata(lastSeq, lastOffset, delta, ts)], epoch, 7, txn);
}

describe('producer snapshot files (Kafka 2.4 format)', () => {
  it('lays out version, CRC32C of the rest, and the 46-byte entries as Kafka\'s PidSnapshotMapSchema', () => {
    const buf = encodeProducerSnapshot([entry(1000, 2, 41, 500, 9, 1_700_000_000_123, 480)]);
    const expected = Buffer.concat([
      Buffer.from('0001', 'hex'), // version 1
      Buffer.alloc(4), // crc, filled below
      Buffer.from('00000001', 'hex'), // one entry
      Buffer.from('00000000000003e8', 'hex'), // producer_id 1000
      Buffer.from('0002', 'hex'), // epoch
      Buffer.from('00000029', 'hex'), // last_sequence 41
      Buffer.from('00000000000001f4', 'hex'), // last_offset 500
      Buffer.from('00000009', 'hex'), // offset_delta
      Buffer.from('0000018bcfe5687b', 'hex'), // timestamp
      Buffer.from('00000007', 'hex'), // coordinator_epoch
      Buffer.from('00000000000001e0', 'hex'), // current_txn_first_offset 480
    ]);
    expected.writeUInt32BE(crc32c(expected, 6), 2);
    expect(buf.toString('hex')).toBe(expected.toString('hex'));
    const [decoded] = decodeProducerSnapshot(buf);
    expect([decoded.producerId, decoded.producerEpoch, decoded.lastSeq, decoded.lastDataOffset, decoded.lastOffsetDelta, decoded.lastTimestamp, decoded.coordinatorEpoch, decoded.currentTxnFirstOffset]).toEqual([
      1000, 2, 41, 500, 9, 1_700_000_000_123, 7, 480,
    ]);
    expect(decoded.batchMetadata[0].firstSeq).toBe(32);
  });

  it('refuses a bad version, a wrong size and a broken CRC', () => {
    const good = encodeProducerSnapshot([entry(1, 0, 0, 0, 0, 0)]);
    const badVersion = Buffer.from(good);
    badVersion.writeInt16BE(2, 0);
    expect(() => decodeProducerSnapshot(badVersion)).toThrow(CorruptSnapshotError);
    expect(() => decodeProducerSnapshot(good.subarray(0, good.length - 1))).toThrow(CorruptSnapshotError);
    const flipped = Buffer.from(good);
    flipped[20] ^= 1;
    expect(() => decodeProducerSnapshot(flipped)).toThrow(/CRC/);
  });

  describe('ProducerStateManager', () => {
    let dir: string;
    beforeEach(() => (dir = tmpDir()));
    afterEach(() => rmDir(dir));

    it('a corrupt latest snapshot is deleted and the previous one loaded', () => {
      fs.writeFileSync(producerSnapshotFile(dir, 10), encodeProducerSnapshot([entry(1, 0, 4, 9, 0, Date.now())]));
      fs.writeFileSync(producerSnapshotFile(dir, 20), Buffer.from('garbage garbage'));
      const m = new ProducerStateManager('t', 0, dir, 3_600_000);
      m.truncateAndReload(0, 30, Date.now());
      expect(m.mapEndOffset).toBe(10);
      expect(m.lastEntry(1)?.lastSeq).toBe(4);
      expect(fs.existsSync(producerSnapshotFile(dir, 20))).toBe(false);
    });

    it('snapshots outside (logStartOffset, logEndOffset] are dropped on reload; expired producers are not loaded', () => {
      const now = Date.now();
      for (const o of [5, 10, 40]) fs.writeFileSync(producerSnapshotFile(dir, o), encodeProducerSnapshot([entry(1, 0, 0, o - 1, 0, now), entry(2, 0, 0, o - 1, 0, now - 7_200_000)]));
      const m = new ProducerStateManager('t', 0, dir, 3_600_000);
      m.truncateAndReload(5, 30, now);
      expect(fs.readdirSync(dir).sort()).toEqual([path.basename(producerSnapshotFile(dir, 10))]);
      expect([...m.activeProducers.keys()]).toEqual([1]);
    });
  });
});

describe('a snapshot that cannot be written', () => {
  it('is skipped with a warning: the state in memory stays, appends go on, the next load replays the log', () => {
    const root = tmpDir();
    try {
      const dir = path.join(root, 'ro-0');
      const log = Log.open(dir, DEFAULT_LOG_CONFIG);
      log.appendAsLeader(producerBatch({ producerId: 9, seq: 0 }), 0);
      // A directory squatting on the snapshot's name makes the write fail (EISDIR).
      fs.mkdirSync(producerSnapshotFile(dir, 1));
      log.producerStateManager.takeSnapshot();
      expect(log.producerStateManager.lastEntry(9)?.lastSeq).toBe(0);
      expect(log.appendAsLeader(producerBatch({ producerId: 9, seq: 1 }), 0).firstOffset).toBe(1);
      fs.rmSync(producerSnapshotFile(dir, 1), { recursive: true });
      log.flush();
      const reopened = Log.open(dir, DEFAULT_LOG_CONFIG, { hadCleanShutdown: false, recoveryPoint: 0 });
      expect(reopened.producerStateManager.lastEntry(9)?.lastSeq).toBe(1);
      reopened.close();
    } finally {
      rmDir(root);
    }
  });
});
