// Mutation operators over a request frame (size prefix excluded). Each returns a new buffer and
// a short description, so a failing frame can be told in words as well as by seed and index.
// Operators follow the usual structure-aware fuzzing repertoire (AFL's "interesting values",
// libFuzzer's splice/duplicate/truncate), aimed at what Kafka frames are made of: big-endian
// int16/int32/int64 fields, int16/int32 lengths and counts, and zigzag varints in compact
// (flexible) fields and in records.
import { crc32c } from '../../broker/protocol/records/crc32c';
import * as H from '../../broker/protocol/records/batch-header';
import type { CorpusFrame } from './corpus';
import type { Field } from './field-map';
import { Prng } from './prng';

export interface Mutation {
  bytes: Buffer;
  what: string;
  /** The frame kept its length and layout: batch CRCs may be recomputed. */
  inPlace: boolean;
}

type Operator = (rng: Prng, frame: Buffer, base: CorpusFrame, corpus: readonly CorpusFrame[]) => Mutation;

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];
const INTERESTING_INT16 = [0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, -0x8000, 0x7ffe];
const INTERESTING_INT32 = [0, 1, -1, 0x7f, 0xff, 0xffff, 0x10000, 0x7fffffff, -0x80000000, 0x7ffffffe, 1 << 24];

function writeInt(buf: Buffer, f: Field, v: number): void {
  switch (f.kind) {
    case 'int8': buf.writeInt8(((v << 24) >> 24), f.offset); break;
    case 'int16': buf.writeInt16BE(((v << 16) >> 16), f.offset); break;
    case 'int32': buf.writeInt32BE(v | 0, f.offset); break;
    case 'int64':
      // High and low words: -1 and 0 cover the sign; 0x7fffffff/0x80000000 the extremes.
      buf.writeInt32BE(v < 0 ? -1 : v > 0x7fffffff ? 0x7fffffff : 0, f.offset);
      buf.writeInt32BE(v | 0, f.offset + 4);
      break;
    default: break;
  }
}

function readInt(buf: Buffer, f: Field): number {
  switch (f.kind) {
    case 'int8': return buf.readInt8(f.offset);
    case 'int16': return buf.readInt16BE(f.offset);
    case 'int32': return buf.readInt32BE(f.offset);
    case 'int64': return buf.readInt32BE(f.offset + 4);
    default: return 0;
  }
}

function encodeUnsignedVarint(v: number): Buffer {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

function replaceRange(buf: Buffer, start: number, end: number, data: Buffer): Buffer {
  return Buffer.concat([buf.subarray(0, start), data, buf.subarray(end)]);
}

/** Fields that still lie inside the frame (earlier operators may have shortened it). */
function fieldsIn(frame: Buffer, base: CorpusFrame, filter: (f: Field) => boolean = () => true): Field[] {
  return base.map.fields.filter((f) => f.offset + f.width <= frame.length && filter(f));
}

const bitFlips: Operator = (rng, frame) => {
  const out = Buffer.from(frame);
  const n = rng.range(1, 4);
  const at: number[] = [];
  for (let i = 0; i < n && out.length > 0; i++) {
    const bit = rng.int(out.length * 8);
    out[bit >> 3] ^= 0x80 >> (bit & 7);
    at.push(bit);
  }
  return { bytes: out, what: `flip bits ${at.join(',')}`, inPlace: true };
};

const interestingBytes: Operator = (rng, frame) => {
  const out = Buffer.from(frame);
  if (out.length === 0) return { bytes: out, what: 'interesting byte (empty frame)', inPlace: true };
  const pos = rng.int(out.length);
  const v = rng.pick(INTERESTING_BYTES);
  const n = rng.chance(0.3) ? rng.range(2, 8) : 1;
  out.fill(v, pos, Math.min(out.length, pos + n));
  return { bytes: out, what: `bytes ${pos}+${n} = 0x${v.toString(16)}`, inPlace: true };
};

const boundaryField: Operator = (rng, frame, base) => {
  const fields = fieldsIn(frame, base, (f) => f.kind !== 'varint');
  if (fields.length === 0) return interestingBytes(rng, frame, base, []);
  const f = rng.pick(fields);
  const out = Buffer.from(frame);
  const v = f.kind === 'int16' || f.kind === 'int8' ? rng.pick(INTERESTING_INT16) : rng.pick(INTERESTING_INT32);
  writeInt(out, f, v);
  return { bytes: out, what: `${f.kind} at ${f.offset} = ${v}`, inPlace: true };
};

const lengthField: Operator = (rng, frame, base) => {
  const fields = fieldsIn(frame, base, (f) => f.isLength);
  if (fields.length === 0) return boundaryField(rng, frame, base, []);
  const f = rng.pick(fields);
  if (f.kind === 'varint') return varintField(rng, frame, { ...base, map: { ...base.map, fields: [f] } }, []);
  const out = Buffer.from(frame);
  const old = readInt(out, f);
  const v = rng.pick([old + 1, old - 1, old + rng.range(2, 300), old - rng.range(2, 300), old * 2, -1, -2, 0, frame.length, 0x7fffffff, -0x80000000]);
  writeInt(out, f, v);
  return { bytes: out, what: `length ${f.kind} at ${f.offset}: ${old} -> ${v}`, inPlace: true };
};

const varintField: Operator = (rng, frame, base) => {
  const fields = fieldsIn(frame, base, (f) => f.kind === 'varint');
  if (fields.length === 0) return lengthField(rng, frame, { ...base, map: { ...base.map, fields: fieldsIn(frame, base, (f) => f.kind !== 'varint') } }, []);
  const f = rng.pick(fields);
  const choices: Array<[string, Buffer]> = [
    ['unterminated', Buffer.alloc(rng.range(1, 10), 0xff)],
    ['overlong zero', Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x00])],
    ['max 32-bit', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])],
    ['above 32 bits', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f])],
    ['zigzag -1', Buffer.from([0x01])],
    ['zero', Buffer.from([0x00])],
    ['large', encodeUnsignedVarint(rng.range(0x80, 0x7fffffff))],
    ['off by one', encodeUnsignedVarint(Math.max(0, (frame[f.offset] & 0x7f) + rng.pick([-1, 1, 2])))],
  ];
  const [name, data] = rng.pick(choices);
  const bytes = replaceRange(frame, f.offset, f.offset + f.width, data);
  return { bytes, what: `varint at ${f.offset} -> ${name} (${data.toString('hex')})`, inPlace: data.length === f.width };
};

/**
 * Strings that handlers must refuse or survive (topic and group names, member ids). Never the
 * name of a topic a run relies on: a mutated DeleteTopics that still parses would legitimately
 * delete it (Kafka 2.4 deletes even __consumer_offsets for a client without an authorizer).
 */
const INTERESTING_STRINGS = ['', '.', '..', 'a'.repeat(249), 'b'.repeat(250), 'c'.repeat(2000), 'x\u0000y', 'caf\u00e9', '\ufffd', 'with space', 'a/b'];

const stringField: Operator = (rng, frame, base) => {
  // An int16 length followed by that many bytes is a (non-compact) string.
  const fields = fieldsIn(frame, base, (f) => f.isLength && f.kind === 'int16').filter((f) => {
    const len = frame.readInt16BE(f.offset);
    return len >= 0 && f.offset + 2 + len <= frame.length;
  });
  if (fields.length === 0) return lengthField(rng, frame, base, []);
  const f = rng.pick(fields);
  const old = frame.readInt16BE(f.offset);
  const text = Buffer.from(rng.pick(INTERESTING_STRINGS), 'utf8');
  const head = Buffer.alloc(2);
  head.writeInt16BE(text.length, 0);
  const bytes = replaceRange(frame, f.offset, f.offset + 2 + old, Buffer.concat([head, text]));
  return { bytes, what: `string at ${f.offset} (${old} bytes) -> ${JSON.stringify(text.toString('utf8').slice(0, 12))} (${text.length} bytes)`, inPlace: text.length === old };
};

const truncate: Operator = (rng, frame) => {
  const at = rng.int(frame.length + 1);
  return { bytes: frame.subarray(0, at), what: `truncate to ${at}`, inPlace: false };
};

const splice: Operator = (rng, frame, base, corpus) => {
  const other = rng.pick(corpus);
  // Cut at field boundaries when there are fields, so both halves are whole fields.
  const cutA = fieldsIn(frame, base).length > 0 && rng.chance(0.7) ? rng.pick(fieldsIn(frame, base)).offset : rng.int(frame.length + 1);
  const cutB = other.map.fields.length > 0 && rng.chance(0.7) ? rng.pick(other.map.fields).offset : rng.int(other.frame.length + 1);
  const bytes = Buffer.concat([frame.subarray(0, cutA), other.frame.subarray(cutB)]);
  return { bytes, what: `splice [0,${cutA}) + ${other.name}[${cutB},)`, inPlace: false };
};

const duplicateRegion: Operator = (rng, frame) => {
  if (frame.length === 0) return { bytes: frame, what: 'duplicate (empty frame)', inPlace: false };
  const start = rng.int(frame.length);
  const len = rng.range(1, Math.min(64, frame.length - start));
  const at = rng.int(frame.length + 1);
  const copies = rng.chance(0.1) ? rng.range(2, 50) : 1;
  const region = Buffer.concat(Array.from({ length: copies }, () => frame.subarray(start, start + len)));
  return { bytes: replaceRange(frame, at, at, region), what: `duplicate [${start},+${len}) x${copies} at ${at}`, inPlace: false };
};

const deleteRegion: Operator = (rng, frame) => {
  if (frame.length === 0) return { bytes: frame, what: 'delete (empty frame)', inPlace: false };
  const start = rng.int(frame.length);
  const len = rng.range(1, Math.min(32, frame.length - start));
  return { bytes: replaceRange(frame, start, start + len, Buffer.alloc(0)), what: `delete [${start},+${len})`, inPlace: false };
};

const changeVersion: Operator = (rng, frame) => {
  const out = Buffer.from(frame);
  if (out.length < 4) return { bytes: out, what: 'version (frame too short)', inPlace: true };
  const old = out.readInt16BE(2);
  const v = rng.pick([0, 1, old - 1, old + 1, rng.int(13), rng.int(13)]);
  out.writeInt16BE((v << 16) >> 16, 2);
  return { bytes: out, what: `apiVersion ${old} -> ${v}`, inPlace: true };
};

const OPERATORS: ReadonlyArray<readonly [number, readonly [string, Operator]]> = [
  [3, ['bitflip', bitFlips]],
  [3, ['byte', interestingBytes]],
  [4, ['field', boundaryField]],
  [5, ['length', lengthField]],
  [3, ['varint', varintField]],
  [3, ['string', stringField]],
  [2, ['truncate', truncate]],
  [2, ['splice', splice]],
  [2, ['duplicate', duplicateRegion]],
  [1, ['delete', deleteRegion]],
  [2, ['version', changeVersion]],
];

/**
 * Recomputes the CRC32C of each v2 batch of the base frame that still fits, so mutations inside
 * a batch reach record validation instead of stopping at the CRC check.
 */
export function fixBatchCrcs(frame: Buffer, base: CorpusFrame): void {
  for (const span of base.map.batches) {
    if (span.start + H.BATCH_HEADER_SIZE > frame.length) continue;
    const end = span.start + H.LOG_OVERHEAD + frame.readInt32BE(span.start + H.BATCH_LENGTH);
    if (end > frame.length || end < span.start + H.BATCH_HEADER_SIZE) continue;
    frame.writeUInt32BE(crc32c(frame, span.start + H.ATTRIBUTES, end), span.start + H.CRC);
  }
}

/** Applies 1-3 operators; returns the mutated frame and what was done. */
export function mutate(rng: Prng, base: CorpusFrame, corpus: readonly CorpusFrame[]): { bytes: Buffer; ops: string[] } {
  let bytes: Buffer = Buffer.from(base.frame);
  const ops: string[] = [];
  let inPlace = true;
  const count = rng.weighted([[6, 1], [3, 2], [1, 3]] as const);
  for (let i = 0; i < count; i++) {
    const [name, op] = rng.weighted(OPERATORS);
    const m = op(rng, bytes, base, corpus);
    bytes = m.bytes;
    inPlace &&= m.inPlace;
    ops.push(`${name}: ${m.what}`);
  }
  if (inPlace && base.map.batches.length > 0 && rng.chance(0.7)) {
    fixBatchCrcs(bytes, base);
    ops.push('batch CRCs recomputed');
  }
  return { bytes, ops };
}
