// The fuzzer's frame sequence: frame i of seed S is a pure function of (S, i) and the corpus, so
// any single frame is rebuilt from its seed and index without replaying the others.
import type { CorpusFrame } from './corpus';
import { mutate } from './mutators';
import { Prng } from './prng';

/** A valid frame now and then keeps connections alive and checks the broker still answers them. */
const VALID_FRAME_RATE = 0.15;
/** How often the size prefix lies about the frame's length. */
const WRONG_PREFIX_RATE = 0.06;

export interface FuzzFrame {
  index: number;
  /** The corpus frame it was made from. */
  base: string;
  apiKey: number;
  /** Sent as captured (only the correlation id changed). */
  valid: boolean;
  ops: string[];
  /** The bytes written to the socket, size prefix included. */
  wire: Buffer;
}

function sizePrefix(rng: Prng, length: number, maxRequestBytes: number): { size: number; note: string | null } {
  if (!rng.chance(WRONG_PREFIX_RATE)) return { size: length, note: null };
  const size = rng.pick([length + 1, length - 1, length + rng.range(2, 200), Math.max(0, length - rng.range(2, 200)), 0, -1, maxRequestBytes + 1, 0x7fffffff]);
  return { size, note: `size prefix ${size} for ${length} bytes` };
}

export function fuzzFrame(seed: number, index: number, corpus: readonly CorpusFrame[], maxRequestBytes: number): FuzzFrame {
  const rng = new Prng(seed, index);
  const base = rng.pick(corpus);
  const valid = rng.chance(VALID_FRAME_RATE);
  const start = Buffer.from(base.frame);
  // The correlation id carries the frame index, so answers and log lines point back to it.
  if (start.length >= 8) start.writeInt32BE(index | 0, 4);
  const { bytes, ops } = valid ? { bytes: start, ops: [] as string[] } : mutate(rng, { ...base, frame: start }, corpus);
  const prefix = valid ? { size: bytes.length, note: null } : sizePrefix(rng, bytes.length, maxRequestBytes);
  if (prefix.note !== null) ops.push(prefix.note);
  const head = Buffer.alloc(4);
  head.writeInt32BE(prefix.size | 0, 0);
  return { index, base: base.name, apiKey: base.apiKey, valid, ops, wire: Buffer.concat([head, bytes]) };
}

export function describeFrame(f: FuzzFrame): string {
  return `frame ${f.index} from ${f.base}${f.valid ? ' (valid)' : `: ${f.ops.join('; ')}`}`;
}
