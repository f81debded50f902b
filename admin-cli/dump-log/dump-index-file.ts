// DumpLogSegments.dumpIndex / dumpTimeIndex: the entries of a segment's .index ("offset: O
// position: P") and .timeindex ("timestamp: T offset: O"), each checked against the .log beside
// it; --verify-index-only prints only the problems, --index-sanity-check runs the check a broker
// runs at startup (OffsetIndex/TimeIndex.sanityCheck) and prints "<file> passed sanity check.".
// Files are read, never opened for writing. A sparse (preallocated) index ends at the first
// zero entry after the first, as Kafka stops there.
import * as fs from 'fs';
import * as path from 'path';
import { readInt64 } from '../../broker/protocol/primitives';
import { toDumpBatch } from './dump-batch';
import { SegmentReader } from './segment-reader';

type Out = (text: string) => void;

export class CorruptIndexError extends Error {}

export interface IndexDumpOptions {
  sanityOnly: boolean;
  verifyOnly: boolean;
}

/** Problems found, for the summary DumpLogSegments prints on stderr after every file. */
export interface IndexProblems {
  /** absolute index path -> (index offset, log offset) */
  offsetMismatches: Map<string, Array<[number, number]>>;
  timestampMismatches: Map<string, Array<[number, number]>>;
  outOfOrder: Map<string, Array<[number, number]>>;
  notFound: Map<string, Array<[number, number]>>;
}

export function emptyIndexProblems(): IndexProblems {
  return { offsetMismatches: new Map(), timestampMismatches: new Map(), outOfOrder: new Map(), notFound: new Map() };
}

function push(map: Map<string, Array<[number, number]>>, key: string, pair: [number, number]): void {
  const list = map.get(key) ?? [];
  list.push(pair);
  map.set(key, list);
}

function siblingPath(file: string, suffix: string): string {
  const name = path.basename(file);
  return path.join(path.dirname(path.resolve(file)), name.split('.')[0] + suffix);
}

interface OffsetEntry {
  offset: number;
  position: number;
}

function readOffsetIndex(file: string, baseOffset: number): { entries: OffsetEntry[]; length: number } {
  const bytes = fs.readFileSync(file);
  const entries: OffsetEntry[] = [];
  for (let i = 0; i + 8 <= bytes.length; i += 8) entries.push({ offset: baseOffset + bytes.readInt32BE(i), position: bytes.readInt32BE(i + 4) });
  return { entries, length: bytes.length };
}

function readTimeIndex(file: string, baseOffset: number): { entries: Array<{ timestamp: number; offset: number }>; length: number } {
  const bytes = fs.readFileSync(file);
  const entries = [];
  for (let i = 0; i + 12 <= bytes.length; i += 12) entries.push({ timestamp: readInt64(bytes, i), offset: baseOffset + bytes.readInt32BE(i + 8) });
  return { entries, length: bytes.length };
}

/** OffsetIndex.lookup: the position of the largest entry at or below `offset` (0 when none). */
function lookup(entries: OffsetEntry[], baseOffset: number, offset: number): number {
  let position = 0;
  for (const [i, e] of entries.entries()) {
    if (i > 0 && e.offset === baseOffset) break;
    if (e.offset > offset) break;
    position = e.position;
  }
  return position;
}

export function dumpOffsetIndex(file: string, baseOffset: number, options: IndexDumpOptions, problems: IndexProblems, out: Out): void {
  const { entries, length } = readOffsetIndex(file, baseOffset);
  if (options.sanityOnly) {
    const lastOffset = entries.length === 0 ? baseOffset : entries[entries.length - 1].offset;
    if (entries.length !== 0 && lastOffset < baseOffset) {
      throw new CorruptIndexError(`Corrupt index found, index file (${path.resolve(file)}) has non-zero size but the last offset is ${lastOffset} which is less than the base offset ${baseOffset}.`);
    }
    if (length % 8 !== 0) throw new CorruptIndexError(`Index file ${path.resolve(file)} is corrupt, found ${length} bytes which is neither positive nor a multiple of 8.`);
    out(`${file} passed sanity check.\n`);
    return;
  }
  const log = new SegmentReader(siblingPath(file, '.log'));
  try {
    for (const [i, entry] of entries.entries()) {
      if (entry.offset === baseOffset && i > 0) return;
      const raw = log.batchAt(entry.position);
      const firstBatchLastOffset = raw ? toDumpBatch(raw).lastOffset : -1;
      if (firstBatchLastOffset !== entry.offset) push(problems.offsetMismatches, path.resolve(file), [entry.offset, firstBatchLastOffset]);
      if (!options.verifyOnly) out(`offset: ${entry.offset} position: ${entry.position}\n`);
    }
  } finally {
    log.close();
  }
}

export function dumpTimeIndex(file: string, baseOffset: number, options: IndexDumpOptions, problems: IndexProblems, out: Out): void {
  const { entries, length } = readTimeIndex(file, baseOffset);
  const abs = path.resolve(file);
  if (options.sanityOnly) {
    const last = entries.length === 0 ? { timestamp: -1, offset: baseOffset } : entries[entries.length - 1];
    if (entries.length !== 0 && last.timestamp < entries[0].timestamp) {
      throw new CorruptIndexError(`Corrupt time index found, time index file (${abs}) has non-zero size but the last timestamp is ${last.timestamp} which is less than the first timestamp ${entries[0].timestamp}`);
    }
    if (entries.length !== 0 && last.offset < baseOffset) {
      throw new CorruptIndexError(`Corrupt time index found, time index file (${abs}) has non-zero size but the last offset is ${last.offset} which is less than the first offset ${baseOffset}`);
    }
    if (length % 12 !== 0) throw new CorruptIndexError(`Time index file ${abs} is corrupt, found ${length} bytes which is neither positive nor a multiple of 12.`);
    out(`${file} passed sanity check.\n`);
    return;
  }
  const offsetIndexFile = siblingPath(file, '.index');
  const offsetEntries = fs.existsSync(offsetIndexFile) ? readOffsetIndex(offsetIndexFile, baseOffset).entries : [];
  const log = new SegmentReader(siblingPath(file, '.log'));
  try {
    let prevTimestamp = -1;
    for (const [i, entry] of entries.entries()) {
      if (entry.offset === baseOffset && i > 0) return;
      let found = null;
      for (const raw of log.batches(lookup(offsetEntries, baseOffset, entry.offset))) {
        const batch = toDumpBatch(raw);
        if (batch.lastOffset >= entry.offset) {
          found = batch;
          break;
        }
      }
      if (found === null) push(problems.notFound, abs, [entry.offset, -1]);
      else if (found.lastOffset !== entry.offset) push(problems.notFound, abs, [entry.offset, found.lastOffset]);
      else {
        let maxTimestamp = -1;
        for (const r of found.records()) maxTimestamp = Math.max(maxTimestamp, r.timestamp);
        if (maxTimestamp !== entry.timestamp) push(problems.timestampMismatches, abs, [entry.timestamp, maxTimestamp]);
        if (prevTimestamp >= entry.timestamp) push(problems.outOfOrder, abs, [entry.timestamp, prevTimestamp]);
      }
      if (!options.verifyOnly) out(`timestamp: ${entry.timestamp} offset: ${entry.offset}\n`);
      prevTimestamp = entry.timestamp;
    }
  } finally {
    log.close();
  }
}

/** TimeIndexDumpErrors.printErrors and the offset-index mismatch summary, in Kafka's words. */
export function printIndexProblems(problems: IndexProblems, err: Out): void {
  for (const [file, list] of problems.offsetMismatches) {
    err(`Mismatches in :${file}\n`);
    // Kafka prepends to an immutable List: the latest mismatch comes first.
    for (const [indexOffset, logOffset] of [...list].reverse()) err(`  Index offset: ${indexOffset}, log offset: ${logOffset}\n`);
  }
  for (const [file, list] of problems.timestampMismatches) {
    err(`Found timestamp mismatch in :${file}\n`);
    for (const [a, b] of list) err(`  Index timestamp: ${a}, log timestamp: ${b}\n`);
  }
  for (const [file, list] of problems.outOfOrder) {
    err(`Found out of order timestamp in :${file}\n`);
    for (const [a, b] of list) err(`  Index timestamp: ${a}, Previously indexed timestamp: ${b}\n`);
  }
  for (const list of problems.notFound.values()) {
    err('The following indexed offsets are not found in the log.\n');
    for (const [a, b] of list) err(`Indexed offset: ${a}, found log offset: ${b}\n`);
  }
}
