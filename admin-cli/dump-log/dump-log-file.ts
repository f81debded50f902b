// DumpLogSegments.dumpLog: "Starting offset: N", one line per batch (printBatchLevel), with
// --deep-iteration one "| offset: ..." line per record (control records as their marker, data
// records' key/payload with --print-data-log), then "Found N invalid bytes at the end of <file>"
// for a torn tail. Non-consecutive offsets are collected for the summary on stderr.
import { type DumpBatch, type DumpRecord, toDumpBatch } from './dump-batch';
import type { MessageParser } from './message-parsers';
import type { Progress } from './progress';
import { SegmentReader } from './segment-reader';

export interface DumpLogOptions {
  printDataLog: boolean;
  deepIteration: boolean;
  parser: MessageParser;
}

type Out = (text: string) => void;

const CONTROL_TYPES: Record<number, string> = { 0: 'ABORT', 1: 'COMMIT' };

export function batchLine(batch: DumpBatch): string {
  const head = batch.v2
    ? `baseOffset: ${batch.v2.baseOffset} lastOffset: ${batch.lastOffset} count: ${batch.v2.recordCount}` +
      ` baseSequence: ${batch.v2.baseSequence} lastSequence: ${batch.v2.lastSequence}` +
      ` producerId: ${batch.v2.producerId} producerEpoch: ${batch.v2.producerEpoch}` +
      ` partitionLeaderEpoch: ${batch.v2.partitionLeaderEpoch} isTransactional: ${batch.v2.isTransactional}` +
      ` isControl: ${batch.v2.isControl}`
    : `offset: ${batch.lastOffset}`;
  return (
    `${head} position: ${batch.position} ${batch.timestampType}: ${batch.maxTimestamp}` +
    ` size: ${batch.size} magic: ${batch.magic} compresscodec: ${batch.compression} crc: ${batch.crc} isvalid: ${batch.isValid}`
  );
}

function recordLine(batch: DumpBatch, r: DumpRecord, options: DumpLogOptions): string {
  let line = `| offset: ${r.offset} ${batch.timestampType}: ${r.timestamp} keysize: ${r.key ? r.key.length : -1} valuesize: ${r.value ? r.value.length : -1}`;
  if (batch.v2) line += ` sequence: ${r.sequence} headerKeys: [${r.headers.map((h) => h.key).join(',')}]`;
  else line += ` crc: ${r.crc} isvalid: ${r.isValid}`;
  if (batch.v2?.isControl) {
    const typeId = r.key && r.key.length >= 4 ? r.key.readInt16BE(2) : -1;
    const type = CONTROL_TYPES[typeId];
    if (type && r.value && r.value.length >= 6) line += ` endTxnMarker: ${type} coordinatorEpoch: ${r.value.readInt32BE(2)}`;
    else line += ` controlType: UNKNOWN(${typeId})`;
  } else if (options.printDataLog) {
    const parsed = options.parser(r.key, r.value);
    if (parsed.key !== undefined) line += ` key: ${parsed.key}`;
    if (parsed.payload !== undefined) line += ` payload: ${parsed.payload}`;
  }
  return line;
}

/** Returns the (previous, next) offset pairs that were not consecutive. */
export function dumpLogFile(file: string, baseOffset: number, options: DumpLogOptions, out: Out, err: Out, progress: Progress): Array<[number, number]> {
  out(`Starting offset: ${baseOffset}\n`);
  const reader = new SegmentReader(file);
  const gaps: Array<[number, number]> = [];
  try {
    let validBytes = 0;
    let lastOffset = -1;
    for (const raw of reader.batches()) {
      const batch = toDumpBatch(raw);
      out(`${batchLine(batch)}\n`);
      if (options.deepIteration) {
        let records: DumpRecord[];
        try {
          records = batch.records();
        } catch (e) {
          // Kafka's dump dies here; going on shows what follows the damaged batch.
          err(`Could not decode the records of the batch at position ${batch.position}: ${(e as Error).message}\n`);
          records = [];
        }
        for (const r of records) {
          if (lastOffset !== -1 && r.offset !== lastOffset + 1) gaps.push([lastOffset, r.offset]);
          lastOffset = r.offset;
          out(`${recordLine(batch, r, options)}\n`);
        }
      }
      validBytes += batch.size;
      progress.update(validBytes, reader.size);
    }
    const trailing = reader.size - validBytes;
    if (trailing > 0) out(`Found ${trailing} invalid bytes at the end of ${file.split('/').pop()}\n`);
  } finally {
    reader.close();
    progress.done();
  }
  return gaps;
}
