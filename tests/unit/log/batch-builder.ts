// Test helper: uncompressed v2 record batches built byte by byte (checked against kafkajs's
// encoder in batch-builder.test.ts), so the log tests do not depend on the records module.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeInt64 } from '../../../broker/protocol/primitives';
import { crc32c } from '../../../broker/protocol/records/crc32c';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../broker/log/log-config';

function varint(value: number): number[] {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  const out: number[] = [];
  while (v >= 128) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

export interface BatchOptions {
  count?: number;
  valueSize?: number;
  baseTimestamp?: number;
  /** Timestamp step between records (ms). */
  timestampStep?: number;
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  producerId?: number;
  baseSequence?: number;
  /** Byte used to fill values, to tell batches apart. */
  fill?: number;
}

export function buildBatch(o: BatchOptions = {}): Buffer {
  const count = o.count ?? 1;
  const valueSize = o.valueSize ?? 10;
  const baseTimestamp = o.baseTimestamp ?? 1_700_000_000_000;
  const step = o.timestampStep ?? 0;
  const records: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const body = Buffer.from([
      0, // attributes
      ...varint(i * step),
      ...varint(i),
      ...varint(-1), // null key
      ...varint(valueSize),
      ...Buffer.alloc(valueSize, o.fill ?? 0x61),
      ...varint(0), // no headers
    ]);
    records.push(Buffer.concat([Buffer.from(varint(body.length)), body]));
  }
  const recordBytes = Buffer.concat(records);
  const buf = Buffer.alloc(61 + recordBytes.length);
  writeInt64(buf, o.baseOffset ?? 0, 0);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(o.partitionLeaderEpoch ?? 0, 12);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(0, 21);
  buf.writeInt32BE(count - 1, 23);
  writeInt64(buf, baseTimestamp, 27);
  writeInt64(buf, baseTimestamp + (count - 1) * step, 35);
  writeInt64(buf, o.producerId ?? -1, 43);
  buf.writeInt16BE(o.producerId !== undefined ? 0 : -1, 51);
  buf.writeInt32BE(o.baseSequence ?? (o.producerId !== undefined ? 0 : -1), 53);
  buf.writeInt32BE(count, 57);
  recordBytes.copy(buf, 61);
  buf.writeUInt32BE(crc32c(buf, 21), 17);
  return buf;
}

export function tmpDir(prefix = 'zafka-log-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function rmDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function config(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...DEFAULT_LOG_CONFIG, ...overrides };
}

/** Offsets [base, last] of every batch in a buffer of v2 batches. */
export function batchOffsets(buf: Buffer): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let pos = 0; pos < buf.length; pos += 12 + buf.readInt32BE(pos + 8)) {
    const base = Number(buf.readBigInt64BE(pos));
    out.push([base, base + buf.readInt32BE(pos + 23)]);
  }
  return out;
}
