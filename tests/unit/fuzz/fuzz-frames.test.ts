// The fuzzer's promises: frames are a pure function of (seed, index), nearby seeds are unrelated,
// the field map finds real fields of captured frames, and CRC repair yields batches that pass
// the CRC check (so record validation is reached).
import { decodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { loadCorpus } from '../../fuzz/corpus';
import { fuzzFrame } from '../../fuzz/fuzz-frames';
import { fixBatchCrcs } from '../../fuzz/mutators';
import { Prng } from '../../fuzz/prng';

const MAX = 104857600;

describe('fuzz frames', () => {
  const corpus = loadCorpus();

  test('the corpus holds captured group and admin requests as well as produce/fetch/metadata', () => {
    const keys = new Set(corpus.map((c) => c.apiKey));
    for (const k of [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 18, 19]) expect(keys).toContain(k);
  });

  test('frame i of seed s is the same bytes every time', () => {
    for (const i of [0, 1, 17, 999]) {
      expect(fuzzFrame(42, i, corpus, MAX).wire.equals(fuzzFrame(42, i, corpus, MAX).wire)).toBe(true);
    }
  });

  test('nearby seeds and indexes give unrelated frames (no seed+index aliasing)', () => {
    const a = Array.from({ length: 50 }, (_, i) => fuzzFrame(1, i + 1, corpus, MAX).wire.toString('hex'));
    const b = Array.from({ length: 50 }, (_, i) => fuzzFrame(2, i, corpus, MAX).wire.toString('hex'));
    expect(a.filter((x, i) => x === b[i]).length).toBeLessThan(5);
    const r1 = new Prng(1, 2);
    const r2 = new Prng(2, 1);
    expect(r1.next()).not.toBe(r2.next());
  });

  test('most frames are mutated, some are sent valid, and the correlation id carries the index', () => {
    const frames = Array.from({ length: 400 }, (_, i) => fuzzFrame(7, i, corpus, MAX));
    const valid = frames.filter((f) => f.valid);
    expect(valid.length).toBeGreaterThan(20);
    expect(valid.length).toBeLessThan(120);
    for (const f of valid) expect(f.wire.readInt32BE(8)).toBe(f.index);
    expect(new Set(frames.map((f) => f.ops[0]?.split(':')[0])).size).toBeGreaterThan(8);
  });

  test('the field map finds the record batch of a captured Produce and CRC repair makes it pass the CRC check', () => {
    const produce = corpus.find((c) => c.apiKey === 0 && c.map.batches.length > 0)!;
    expect(produce.map.fields.some((f) => f.kind === 'varint')).toBe(true);
    const span = produce.map.batches[0];
    const frame = Buffer.from(produce.frame);
    frame.writeInt32BE(0x7fffffff, span.start + 23); // lastOffsetDelta
    expect(() => decodeRecordBatch(frame, span.start)).toThrow(/CRC/);
    fixBatchCrcs(frame, produce);
    expect(() => decodeRecordBatch(frame, span.start)).not.toThrow(/CRC/);
  });
});
