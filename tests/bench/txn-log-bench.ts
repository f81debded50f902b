// Benchmark (prints figures; not a test): what transactions cost on one partition's log, in
// process, on a temp dir. Appends of plain, idempotent and transactional batches (with a marker
// every --txn-batches batches, every other one an ABORT), then full scans as a read_uncommitted and
// a read_committed consumer would do them (up to the HW / the LSO, with the aborted transactions
// of each chunk collected from the .txnindex files).
//
//   node dist/tests/bench/txn-log-bench.js [--batches 20000] [--records 10] [--txn-batches 5] [--fetch-bytes 1048576]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Log } from '../../broker/log/log';
import { DEFAULT_LOG_CONFIG } from '../../broker/log/log-config';
import { AppendOrigin } from '../../broker/log/producer/producer-append-info';
import { BATCH_HEADER_SIZE, entrySize, lastOffsetOf } from '../../broker/protocol/records/batch-header';
import { ControlRecordType, endTransactionMarkerBatch } from '../../broker/protocol/records/end-transaction-marker';
import { encodeRecordBatch } from '../../broker/protocol/records/record-batch';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const batches = option('--batches', 20000);
const recordsPerBatch = option('--records', 10);
const txnBatches = option('--txn-batches', 5);
const fetchBytes = option('--fetch-bytes', 1048576);
const records = Array.from({ length: recordsPerBatch }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(100) }));

type Kind = 'plain' | 'idempotent' | 'transactional';

function appendAll(kind: Kind): { log: Log; dir: string; ms: number } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'txn-bench-'));
  const dir = path.join(root, `bench-0`);
  const log = Log.open(dir, { ...DEFAULT_LOG_CONFIG, segmentBytes: 64 * 1024 * 1024 });
  const started = process.hrtime.bigint();
  let seq = 0;
  let txns = 0;
  for (let i = 0; i < batches; i++) {
    const producerId = kind === 'plain' ? -1 : 1000;
    const batch = encodeRecordBatch({ producerId, producerEpoch: kind === 'plain' ? -1 : 0, baseSequence: kind === 'plain' ? -1 : seq, isTransactional: kind === 'transactional', timestamp: 1_700_000_000_000, records });
    seq += recordsPerBatch;
    log.appendAsLeader(batch, 0);
    if (kind === 'transactional' && (i + 1) % txnBatches === 0) {
      const type = txns++ % 2 === 0 ? ControlRecordType.COMMIT : ControlRecordType.ABORT;
      log.appendAsLeader(endTransactionMarkerBatch(1000, 0, { type, coordinatorEpoch: 0 }), 0, AppendOrigin.Coordinator);
    }
    log.updateHighWatermark(log.logEndOffset);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { log, dir: root, ms };
}

function scan(log: Log, readCommitted: boolean): { ms: number; bytes: number; aborted: number } {
  const started = process.hrtime.bigint();
  let offset = log.logStartOffset;
  let bytes = 0;
  let aborted = 0;
  const limit = readCommitted ? log.lastStableOffset : log.highWatermark;
  while (offset < limit) {
    const read = log.read(offset, fetchBytes, limit, true);
    if (read.records.length === 0) break;
    let last = offset;
    for (let pos = 0; pos + BATCH_HEADER_SIZE <= read.records.length; pos += entrySize(read.records, pos)) last = lastOffsetOf(read.records, pos);
    if (readCommitted) aborted += log.collectAbortedTransactions(offset, last + 1).length;
    bytes += read.records.length;
    offset = last + 1;
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes, aborted };
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en-US');
for (const kind of ['plain', 'idempotent', 'transactional'] as Kind[]) {
  const { log, dir, ms } = appendAll(kind);
  console.log(`${kind.padEnd(14)} append: ${batches} batches of ${recordsPerBatch} in ${ms.toFixed(0)} ms (${rate(batches, ms)} batches/s)`);
  if (kind === 'transactional') {
    const txnIndexes = fs.readdirSync(path.join(dir, 'bench-0')).filter((f) => f.endsWith('.txnindex'));
    console.log(`${''.padEnd(14)} LSO ${log.lastStableOffset} = HW ${log.highWatermark}; ${txnIndexes.length} .txnindex file(s), ${log.collectAbortedTransactions(0, log.logEndOffset).length} aborted transactions`);
  }
  for (const readCommitted of [false, true]) {
    const s = scan(log, readCommitted);
    console.log(`${''.padEnd(14)} ${readCommitted ? 'read_committed  ' : 'read_uncommitted'} scan: ${(s.bytes / 1048576).toFixed(1)} MiB in ${s.ms.toFixed(0)} ms${readCommitted ? `, ${s.aborted} aborted transactions listed` : ''}`);
  }
  log.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
