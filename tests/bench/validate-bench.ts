// Benchmark (prints figures; not a test): what the produce path's batch validation costs per
// codec, in process, without sockets or disk. For each codec it times validateRecords as a
// producer's append (shallow checks + decompress-and-walk for compressed batches), the codec's
// decompression alone, and the shallow checks alone, on batches like a Java producer sends.
//
//   node dist/tests/bench/validate-bench.js [--batch-bytes 131072] [--record-size 100] [--seconds 1]
import { validateRecords } from '../../broker/log/log-validator';
import { CompressionType, RECORDS } from '../../broker/protocol/records/batch-header';
import { decompressRecords } from '../../broker/protocol/records/batch-validation';
import { encodeRecordBatch } from '../../broker/protocol/records/record-batch';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const batchBytes = option('--batch-bytes', 131072);
const recordSize = option('--record-size', 100);
const seconds = option('--seconds', 1);

/** Values with some repetition, like JSON-ish payloads, so that codecs have work to do. */
function makeBatch(codec: CompressionType): { batch: Buffer; records: number } {
  const count = Math.max(1, Math.floor(batchBytes / (recordSize + 10)));
  const records = Array.from({ length: count }, (_, i) => ({
    key: `key-${i % 97}`,
    value: Buffer.from(`{"id":${i},"name":"user-${i % 1000}","pad":"${'x'.repeat(Math.max(0, recordSize - 40))}"}`.slice(0, recordSize)),
  }));
  return { batch: encodeRecordBatch({ timestamp: 1_700_000_000_000, compression: codec, records }), records: count };
}

/**
 * Microseconds per call: the best of many short rounds spread over `seconds`. The minimum is
 * what the code costs when it is not preempted; on a shared machine means mostly measure the
 * neighbours.
 */
function time(fn: () => void): number {
  for (let i = 0; i < 20; i++) fn();
  const deadline = Date.now() + seconds * 1000;
  let best = Infinity;
  while (Date.now() < deadline) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 5; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1000 / 5);
  }
  return best;
}

console.log(`batches of ~${batchBytes} uncompressed bytes, ${recordSize}-byte values; microseconds per batch (best of short rounds)`);
console.log('codec   records  wire-bytes  validate  decompress-only  walk(=validate-decompress)  MB/s(uncompressed)');
for (const codec of [CompressionType.NONE, CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD]) {
  const { batch, records } = makeBatch(codec);
  const copy = Buffer.from(batch);
  const validate = time(() => validateRecords(copy, 1 << 30, 1 << 30, true));
  const payload = batch.subarray(RECORDS);
  const decompressOnly = codec === CompressionType.NONE ? 0 : time(() => decompressRecords(codec, payload));
  const mbps = batchBytes / validate;
  console.log(
    `${CompressionType[codec].toLowerCase().padEnd(7)} ${String(records).padStart(7)} ${String(batch.length).padStart(11)} ${validate.toFixed(1).padStart(9)} ${decompressOnly.toFixed(1).padStart(16)} ${(validate - decompressOnly).toFixed(1).padStart(27)} ${mbps.toFixed(0).padStart(19)}`,
  );
}
