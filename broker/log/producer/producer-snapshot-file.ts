// Kafka's producer snapshot file, <offset>.snapshot in the partition directory, byte for byte
// (ProducerStateManager.writeSnapshot/readSnapshot, 2.4): a Kafka broker can load Zafka's and the
// other way round. Layout, big-endian:
//   version int16 (1) | crc uint32 (CRC32C of everything after it) | entry count int32 |
//   entries: producer_id int64, epoch int16, last_sequence int32, last_offset int64,
//            offset_delta int32, timestamp int64, coordinator_epoch int32,
//            current_txn_first_offset int64 (-1: no open transaction)
// The offset in the name is the log offset the state is valid up to (exclusive).
import * as fs from 'fs';
import * as path from 'path';
import { readInt64, writeInt64 } from '../../protocol/primitives';
import { crc32c } from '../../protocol/records/crc32c';
import { filenamePrefixFromOffset, offsetFromFileName } from '../log-file-names';
import { BatchMetadata, ProducerStateEntry } from './producer-state-entry';

export const PRODUCER_SNAPSHOT_FILE_SUFFIX = '.snapshot';
export const PRODUCER_SNAPSHOT_VERSION = 1;
const CRC_OFFSET = 2;
const ENTRIES_OFFSET = 6;
const ENTRY_SIZE = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

/** A snapshot that cannot be trusted (Kafka's CorruptSnapshotException): it is deleted and an older one used. */
export class CorruptSnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptSnapshotError';
  }
}

export function producerSnapshotFile(dir: string, offset: number): string {
  return path.join(dir, filenamePrefixFromOffset(offset) + PRODUCER_SNAPSHOT_FILE_SUFFIX);
}

export function encodeProducerSnapshot(entries: Iterable<ProducerStateEntry>): Buffer {
  const list = [...entries];
  const buf = Buffer.allocUnsafe(ENTRIES_OFFSET + 4 + list.length * ENTRY_SIZE);
  buf.writeInt16BE(PRODUCER_SNAPSHOT_VERSION, 0);
  buf.writeInt32BE(list.length, ENTRIES_OFFSET);
  let pos = ENTRIES_OFFSET + 4;
  for (const e of list) {
    writeInt64(buf, e.producerId, pos);
    buf.writeInt16BE(e.producerEpoch, pos + 8);
    buf.writeInt32BE(e.lastSeq, pos + 10);
    writeInt64(buf, e.lastDataOffset, pos + 14);
    buf.writeInt32BE(e.lastOffsetDelta, pos + 22);
    writeInt64(buf, e.lastTimestamp, pos + 26);
    buf.writeInt32BE(e.coordinatorEpoch, pos + 34);
    writeInt64(buf, e.currentTxnFirstOffset ?? -1, pos + 38);
    pos += ENTRY_SIZE;
  }
  buf.writeUInt32BE(crc32c(buf, ENTRIES_OFFSET), CRC_OFFSET);
  return buf;
}

/** The entries of a snapshot; throws CorruptSnapshotError for a bad version, size or CRC. */
export function decodeProducerSnapshot(buf: Buffer): ProducerStateEntry[] {
  if (buf.length < ENTRIES_OFFSET + 4) throw new CorruptSnapshotError(`Snapshot failed schema validation: ${buf.length} bytes is too short`);
  const version = buf.readInt16BE(0);
  if (version !== PRODUCER_SNAPSHOT_VERSION) throw new CorruptSnapshotError(`Snapshot contained an unknown file version ${version}`);
  const count = buf.readInt32BE(ENTRIES_OFFSET);
  if (count < 0 || buf.length !== ENTRIES_OFFSET + 4 + count * ENTRY_SIZE) {
    throw new CorruptSnapshotError(`Snapshot failed schema validation: ${count} entries do not fit ${buf.length} bytes`);
  }
  const stored = buf.readUInt32BE(CRC_OFFSET);
  const computed = crc32c(buf, ENTRIES_OFFSET);
  if (stored !== computed) throw new CorruptSnapshotError(`Snapshot is corrupt (CRC is no longer valid). Stored crc: ${stored}. Computed crc: ${computed}`);
  const entries: ProducerStateEntry[] = new Array(count);
  let pos = ENTRIES_OFFSET + 4;
  for (let i = 0; i < count; i++) {
    const txnFirstOffset = readInt64(buf, pos + 38);
    // As Kafka: the last batch is all a snapshot keeps, so only it can be answered as a duplicate.
    const batch = new BatchMetadata(buf.readInt32BE(pos + 10), readInt64(buf, pos + 14), buf.readInt32BE(pos + 22), readInt64(buf, pos + 26));
    entries[i] = new ProducerStateEntry(readInt64(buf, pos), [batch], buf.readInt16BE(pos + 8), buf.readInt32BE(pos + 34), txnFirstOffset >= 0 ? txnFirstOffset : null);
    pos += ENTRY_SIZE;
  }
  return entries;
}

export function writeProducerSnapshot(file: string, entries: Iterable<ProducerStateEntry>): void {
  fs.writeFileSync(file, encodeProducerSnapshot(entries));
}

export function readProducerSnapshot(file: string): ProducerStateEntry[] {
  return decodeProducerSnapshot(fs.readFileSync(file));
}

/** The offsets of the snapshot files in dir, ascending. */
export function listProducerSnapshotOffsets(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const offsets: number[] = [];
  for (const name of names) {
    if (!name.endsWith(PRODUCER_SNAPSHOT_FILE_SUFFIX)) continue;
    const offset = offsetFromFileName(name);
    if (offset !== null) offsets.push(offset);
  }
  return offsets.sort((a, b) => a - b);
}

export function deleteProducerSnapshots(dir: string, predicate: (offset: number) => boolean = () => true): void {
  for (const offset of listProducerSnapshotOffsets(dir)) {
    if (predicate(offset)) fs.rmSync(producerSnapshotFile(dir, offset), { force: true });
  }
}
