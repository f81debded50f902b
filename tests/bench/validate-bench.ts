// Benchmark (prints figures; not a test): what the produce path's batch validation costs per
// codec, in process, without sockets or disk. For each codec it times validateRecords as a
// producer's append (shallow checks + decompress-and-walk for compressed batches), the codec's
// decompression alone, and the shallow checks alone, on batches like a Java producer sends.
//
//   node dist/tests/bench/validate-bench.js [--batch-bytes 131072] [--record-size 100] [--seconds 1]
import { validateRecords } from '../../broker/log/log-validator';
import { CompressionType, RECORDS } from '../../broker/protocol/records/batch-header';
import { decompress } from '../../broker/protocol/records/compression';
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

/** Mean microseconds per call over `seconds`. */
function time(fn: () => void): number {
  for (let i = 0; i < 20; i++) fn();
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let calls = 0;
  const start = process.hrtime.bigint();
  let now = start;
  while (now < deadline) {
    fn();
    calls++;
    if ((calls & 7) === 0) now = process.hrtime.bigint();
  }
  now = process.hrtime.bigint();
  return Number(now - start) / 1000 / calls;
}

console.log(`batches of ~${batchBytes} uncompressed bytes, ${recordSize}-byte values; microseconds per batch`);
console.log('codec   records  wire-bytes  validate  decompress-only  walk(=validate-decompress)  MB/s(uncompressed)');
for (const codec of [CompressionType.NONE, CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD]) {
  const { batch, records } = makeBatch(codec);
  const copy = Buffer.from(batch);
  const validate = time(() => validateRecords(copy, 1 << 30, 1 << 30, true));
  const payload = batch.subarray(RECORDS);
  const decompressOnly = codec === CompressionType.NONE ? 0 : time(() => decompress(codec, payload));
  const mbps = batchBytes / validate;
  console.log(
    `${CompressionType[codec].toLowerCase().padEnd(7)} ${String(records).padStart(7)} ${String(batch.length).padStart(11)} ${validate.toFixed(1).padStart(9)} ${decompressOnly.toFixed(1).padStart(16)} ${(validate - decompressOnly).toFixed(1).padStart(27)} ${mbps.toFixed(0).padStart(19)}`,
  );
}
