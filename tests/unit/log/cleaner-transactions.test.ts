// The log cleaner's transactional rules (Kafka 2.4's Cleaner with CleanedTransactionMetadata):
// aborted records go, committed ones are compacted as usual, markers go only once their
// transaction's data is gone and past delete.retention.ms, a producer's last batch stays (empty
// if need be), and nothing at or after the first unstable offset is cleaned.
import * as path from 'path';
import { LogCleaner } from '../../../broker/log/cleaner/log-cleaner';
import { Log } from '../../../broker/log/log';
import type { LogConfig } from '../../../broker/log/log-config';
import { AppendOrigin } from '../../../broker/log/producer/producer-append-info';
import { ControlRecordType, endTransactionMarkerBatch } from '../../../broker/protocol/records/end-transaction-marker';
import { decodeRecordBatch, encodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { config, rmDir, tmpDir } from './batch-builder';

const A = 8001;
const B = 8002;

interface Stored {
  baseOffset: number;
  lastOffset: number;
  producerId: number;
  isControl: boolean;
  records: string[];
}

function readBatches(log: Log): Stored[] {
  const out: Stored[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records } = log.read(offset, 1 << 20, log.logEndOffset);
    if (records.length === 0) break;
    for (let pos = 0; pos < records.length; pos += 12 + records.readInt32BE(pos + 8)) {
      const b = decodeRecordBatch(records, pos);
      out.push({ baseOffset: b.baseOffset, lastOffset: b.baseOffset + b.lastOffsetDelta, producerId: b.producerId, isControl: b.isControl, records: b.isControl ? [] : b.records.map((r) => `${r.key}=${r.value}`) });
      offset = b.baseOffset + b.lastOffsetDelta + 1;
    }
  }
  return out;
}

describe('log cleaner and transactions', () => {
  let root: string;
  let log: Log;
  const seqs = new Map<number, number>();
  beforeEach(() => {
    root = tmpDir('zafka-txn-cleaner-');
    seqs.clear();
  });
  afterEach(() => {
    log?.close();
    rmDir(root);
  });

  function open(overrides: Partial<LogConfig> = {}): Log {
    log = Log.open(path.join(root, 't-0'), config({ cleanupPolicy: 'compact', segmentBytes: 300, deleteRetentionMs: 0, ...overrides }));
    return log;
  }

  /** One batch of key=value records; transactional when the producer id is given. */
  function put(producerId: number, kv: [string, string][]) {
    const seq = seqs.get(producerId) ?? 0;
    seqs.set(producerId, seq + kv.length);
    const buf = encodeRecordBatch({
      producerId,
      producerEpoch: producerId < 0 ? -1 : 0,
      baseSequence: producerId < 0 ? -1 : seq,
      isTransactional: producerId >= 0,
      timestamp: 1_700_000_000_000,
      records: kv.map(([key, value]) => ({ key, value })),
    });
    log.appendAsLeader(buf, 0);
    log.updateHighWatermark(log.logEndOffset);
  }

  function end(producerId: number, commit: boolean) {
    log.appendAsLeader(endTransactionMarkerBatch(producerId, 0, { type: commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch: 0 }), 0, AppendOrigin.Coordinator);
    log.updateHighWatermark(log.logEndOffset);
  }

  function roll() {
    // Plain filler records make the segment full so the next append rolls.
    while (log.numberOfSegments === 1 || log.activeSegment.size > 0) {
      const before = log.numberOfSegments;
      put(-1, [['filler', 'x']]);
      if (log.numberOfSegments > before) break;
    }
  }

  async function cleanOnce() {
    const cleaner = new LogCleaner({ logDirs: [root], logs: () => [log], stepBytes: 256 });
    return cleaner.cleanLog(cleaner.logToClean(log));
  }

  it('drops aborted records, keeps committed ones, and keeps the abort marker (indexed) while its data was still there', async () => {
    open();
    put(A, [['k1', 'a-aborted']]);
    put(B, [['k2', 'b-committed']]);
    end(A, false);
    end(B, true);
    roll();
    roll();
    await cleanOnce();
    const batches = readBatches(log);
    const data = batches.flatMap((b) => b.records);
    expect(data).toContain('k2=b-committed');
    expect(data).not.toContain('k1=a-aborted');
    // A's data batch was its last: kept empty, so A's sequence state survives.
    const aBatches = batches.filter((b) => b.producerId === A && !b.isControl);
    expect(aBatches).toEqual([expect.objectContaining({ records: [] })]);
    // The abort marker stays while a batch of its transaction is in the log, and stays indexed.
    expect(batches.some((b) => b.producerId === A && b.isControl)).toBe(true);
    expect(log.collectAbortedTransactions(0, log.logEndOffset).map((t) => t.producerId)).toEqual([A]);
  });

  it('an aborted transaction whose data is gone loses its marker once past delete.retention.ms; a committed one whose batches all went loses its marker too', async () => {
    open();
    put(A, [['k1', 'a-aborted']]);
    end(A, false);
    put(A, [['k1', 'a-next']]); // A's last batch is now this one
    end(A, true);
    put(B, [['k3', 'b-old']]);
    end(B, true);
    put(-1, [['k3', 'plain-new']]); // supersedes b-old
    put(B, [['k4', 'b-last']]);
    end(B, true);
    roll();
    roll();
    await cleanOnce();
    await cleanOnce();
    const batches = readBatches(log);
    const markers = batches.filter((b) => b.isControl);
    // A's abort: data removed entirely (not A's last batch), so the marker went too.
    expect(batches.flatMap((b) => b.records)).not.toContain('k1=a-aborted');
    expect(markers.some((m) => m.producerId === A && m.baseOffset === 1)).toBe(false);
    // B's first commit: its only batch (b-old) was compacted away, so its marker went.
    expect(markers.some((m) => m.producerId === B && m.baseOffset === 5)).toBe(false);
    // Markers of transactions whose data is still there stay.
    expect(markers.map((m) => m.baseOffset)).toEqual(expect.arrayContaining([3, 8]));
    expect(batches.flatMap((b) => b.records)).toEqual(expect.arrayContaining(['k1=a-next', 'k3=plain-new', 'k4=b-last']));
  });

  it('nothing from the first unstable offset on is cleaned: an open transaction keeps its records and everything after', async () => {
    open();
    put(-1, [['k1', 'old']]);
    put(-1, [['k1', 'new']]);
    put(A, [['k2', 'open-txn']]);
    roll();
    put(-1, [['k2', 'plain-after']]);
    roll();
    const firstUnstable = log.firstUnstableOffset;
    expect(firstUnstable).toBe(2);
    await cleanOnce();
    const data = readBatches(log).flatMap((b) => b.records);
    expect(data).toContain('k2=open-txn');
    expect(data).toContain('k2=plain-after');
    expect(log.lastStableOffset).toBe(2);
  });
});
