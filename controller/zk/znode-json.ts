// The one vocabulary every znode decoder in zk-data.ts uses to read JSON: typed field readers that
// throw a single InvalidZnodeError naming the znode's path and the field. ZooKeeper is writable by
// anyone with access (an operator's zkCli.sh, a broken tool), so a decoder must never turn garbage
// into NaN, undefined or a string where a number belongs: one damaged znode must be refused as a
// whole, so callers can skip that one topic, partition or notification and serve the rest.
// Kafka's own decoders (ZkData.scala over kafka.utils.json) throw JsonMappingException on a wrong
// type and, for several znodes, quietly read invalid JSON as "empty"; Zafka refuses both, loudly.

/** A znode whose data cannot be decoded. `field` is the JSON path of the bad field, '' for the whole body. */
export class InvalidZnodeError extends Error {
  /** dataVersion of the damaged znode when known (-1 otherwise): a later version may be the repair. */
  zkVersion = -1;

  constructor(
    readonly path: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Invalid znode ${path}${field ? ` (field ${field})` : ''}: ${reason}`);
    this.name = 'InvalidZnodeError';
  }
}

export function isInvalidZnode(err: unknown): err is InvalidZnodeError {
  return err instanceof InvalidZnodeError;
}

/** A decode that either produced a value or refused the znode (per-item results of batched reads). */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: InvalidZnodeError };

/** Runs `decode`, turning an InvalidZnodeError into a refused result; any other error propagates. */
export function tryDecode<T>(decode: () => T): Decoded<T> {
  try {
    return { ok: true, value: decode() };
  } catch (e) {
    if (e instanceof InvalidZnodeError) return { ok: false, error: e };
    throw e;
  }
}

/**
 * The results of a batched read of several znodes, keyed: the decoded values, plus in `invalid` the
 * znodes that exist but could not be decoded (absent znodes are in neither). A Map, so callers that
 * only need the good values need not know.
 */
export class ZnodeMap<K, V> extends Map<K, V> {
  readonly #invalid = new Map<K, InvalidZnodeError>();

  get invalid(): Map<K, InvalidZnodeError> {
    return this.#invalid;
  }
}

const MAX_INT32 = 2147483647;
const MIN_INT32 = -2147483648;

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

export interface IntRules {
  /** Smallest accepted value (inclusive); Kafka's int fields are int32 whatever the minimum. */
  min?: number;
}

export interface IntListRules extends IntRules {
  /** Refuse a list that names the same id twice (replica lists, ISR). */
  distinct?: boolean;
}

/**
 * A JSON object of a znode, read field by field. Each reader checks its field's type and throws
 * InvalidZnodeError naming the znode and the field. Nested objects and array items get readers of
 * their own whose field names carry the path ("partitions[2].topic").
 */
export class ZnodeJson {
  private constructor(
    readonly path: string,
    private readonly o: Record<string, unknown>,
    private readonly prefix: string,
  ) {}

  /** Parses the znode's bytes: empty, invalid UTF-8 JSON or a non-object body is refused. */
  static parse(path: string, bytes: Buffer | null): ZnodeJson {
    if (!bytes || bytes.length === 0) throw new InvalidZnodeError(path, '', 'empty znode');
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      throw new InvalidZnodeError(path, '', `not valid JSON (${(e as Error).message})`);
    }
    if (!isObject(value)) throw new InvalidZnodeError(path, '', `expected a JSON object, got ${describe(value)}`);
    return new ZnodeJson(path, value, '');
  }

  /** A plain decimal int znode (/controller_epoch, legacy consumer offsets): digits only. */
  static decimal(path: string, bytes: Buffer | null, rules: IntRules = {}): number {
    const s = bytes ? bytes.toString('utf8').trim() : '';
    if (!/^-?\d+$/.test(s)) throw new InvalidZnodeError(path, '', `expected a decimal integer, got ${describe(s)}`);
    const n = Number(s);
    if (!Number.isSafeInteger(n) || (rules.min !== undefined && n < rules.min)) {
      throw new InvalidZnodeError(path, '', `integer out of range: ${s}`);
    }
    return n;
  }

  has(field: string): boolean {
    return this.o[field] !== undefined && this.o[field] !== null;
  }

  /** The raw value (for fields whose type varies between versions). */
  raw(field: string): unknown {
    return this.o[field];
  }

  fail(field: string, reason: string): never {
    throw new InvalidZnodeError(this.path, this.name(field), reason);
  }

  int(field: string, rules: IntRules = {}): number {
    return this.checkInt(this.name(field), this.o[field], rules, MIN_INT32, MAX_INT32);
  }

  optionalInt(field: string, fallback: number, rules: IntRules = {}): number {
    return this.has(field) ? this.int(field, rules) : fallback;
  }

  /** An int64 that Kafka writes as a JSON string ("timestamp":"1795312108116") or a number. */
  longish(field: string, fallback: number): number {
    const v = this.o[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string' && /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    return this.fail(field, `expected an integer, got ${describe(v)}`);
  }

  string(field: string): string {
    const v = this.o[field];
    if (typeof v !== 'string') this.fail(field, `expected a string, got ${describe(v)}`);
    return v as string;
  }

  optionalString(field: string): string | null {
    return this.has(field) ? this.string(field) : null;
  }

  intList(field: string, rules: IntListRules = {}): number[] {
    return this.checkIntList(this.name(field), this.o[field], rules);
  }

  object(field: string): ZnodeJson {
    const v = this.o[field];
    if (!isObject(v)) this.fail(field, `expected a JSON object, got ${describe(v)}`);
    return new ZnodeJson(this.path, v as Record<string, unknown>, `${this.name(field)}.`);
  }

  optionalObject(field: string): ZnodeJson | null {
    return this.has(field) ? this.object(field) : null;
  }

  /** An array of objects, each read by `item`. */
  objects<T>(field: string, item: (o: ZnodeJson, index: number) => T): T[] {
    const v = this.o[field];
    if (!Array.isArray(v)) this.fail(field, `expected an array, got ${describe(v)}`);
    return (v as unknown[]).map((x, i) => {
      const name = `${this.name(field)}[${i}]`;
      if (!isObject(x)) throw new InvalidZnodeError(this.path, name, `expected a JSON object, got ${describe(x)}`);
      return item(new ZnodeJson(this.path, x, `${name}.`), i);
    });
  }

  /** An array of strings. */
  strings(field: string): string[] {
    const v = this.o[field];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) this.fail(field, `expected an array of strings, got ${describe(v)}`);
    return v as string[];
  }

  /**
   * An object keyed by partition id ("0", "1", ...) with int lists as values: /brokers/topics/<t>'s
   * partitions, adding_replicas and removing_replicas. Keys must be canonical non-negative ints.
   */
  partitionMap(field: string, rules: IntListRules = {}): Map<number, number[]> {
    const m = this.object(field);
    const out = new Map<number, number[]>();
    for (const key of m.keys()) {
      if (!/^(0|[1-9]\d{0,9})$/.test(key) || Number(key) > MAX_INT32) m.fail(key, 'partition ids must be non-negative integers');
      out.set(Number(key), m.intList(key, rules));
    }
    return out;
  }

  /** An object of string values (config maps); numbers and booleans are accepted as their text, as Kafka's Properties. */
  stringMap(field: string): Record<string, string> {
    const m = this.object(field);
    const out: Record<string, string> = {};
    for (const key of m.keys()) {
      const v = m.raw(key);
      if (typeof v === 'string') out[key] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
      else m.fail(key, `expected a string, got ${describe(v)}`);
    }
    return out;
  }

  keys(): string[] {
    return Object.keys(this.o);
  }

  private name(field: string): string {
    return `${this.prefix}${field}`;
  }

  private checkInt(name: string, v: unknown, rules: IntRules, lo: number, hi: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new InvalidZnodeError(this.path, name, `expected an integer, got ${describe(v)}`);
    if (v < lo || v > hi || (rules.min !== undefined && v < rules.min)) {
      throw new InvalidZnodeError(this.path, name, `integer out of range: ${v}${rules.min !== undefined ? ` (minimum ${rules.min})` : ''}`);
    }
    return v;
  }

  private checkIntList(name: string, v: unknown, rules: IntListRules): number[] {
    if (!Array.isArray(v)) throw new InvalidZnodeError(this.path, name, `expected an array of integers, got ${describe(v)}`);
    const out = v.map((x, i) => this.checkInt(`${name}[${i}]`, x, rules, MIN_INT32, MAX_INT32));
    if (rules.distinct && new Set(out).size !== out.length) throw new InvalidZnodeError(this.path, name, `duplicate ids in ${describe(v)}`);
    return out;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
