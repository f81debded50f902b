// The one generic encoder/decoder for every message declared with schema.ts.
//
// Hot paths (Produce request decode, Fetch response encode) go through here, so each struct is
// compiled once per (version, flexible) into a flat plan: which fields exist, whether they are
// nullable or compact in that version, and their defaults. Encoding and decoding then walk the
// plan with a switch on the wire type: no closures allocated per call, no range checks per field.
//
// Flexible versions (KIP-482) use compact lengths (unsigned varint n+1, 0 = null) for strings,
// bytes, records and arrays, and end every struct with a tagged-fields section. Tagged fields
// are written only when they differ from their default, in ascending tag order; unknown tags are
// skipped on decode, as Kafka does.

import { ProtocolDecodeError, Reader, Writer, ZERO_UUID } from './primitives';
import { FieldDef, Kind, StructSchema, inRange } from './schema';

const ABSENT = 0;
const PRESENT = 1;
const TAGGED = 2;

export interface FieldPlan {
  readonly name: string;
  readonly kind: Kind;
  readonly mode: number;
  readonly nullable: boolean;
  readonly compact: boolean;
  readonly tag: number;
  /** Default for absent/tagged fields; arrays and structs get fresh values (see defaultOf). */
  readonly def: FieldDef;
  /** Array element type (kind, compact and child plan inherited from the array). */
  readonly elemKind: Kind;
  /** Struct plan for struct fields and arrays of structs. */
  child: Plan | null;
}

export interface Plan {
  readonly version: number;
  readonly flexible: boolean;
  readonly fields: FieldPlan[];
  /** Tagged fields of this version, ascending by tag. */
  readonly tagged: FieldPlan[];
}

const EMPTY = Buffer.alloc(0);

export function planOf(schema: StructSchema<unknown, unknown>, version: number, flexible: boolean): Plan {
  const key = version * 2 + (flexible ? 1 : 0);
  const cached = schema.plans[key] as Plan | undefined;
  if (cached !== undefined) return cached;
  const fields: FieldPlan[] = [];
  const plan: Plan = { version, flexible, fields, tagged: [] };
  // Stored before children are built so recursive schemas terminate.
  schema.plans[key] = plan;
  for (let i = 0; i < schema.defs.length; i++) {
    const d = schema.defs[i];
    let mode = inRange(d.versions, version) ? PRESENT : ABSENT;
    if (mode === PRESENT && d.tag >= 0) {
      // A tagged field exists only in the tagged section of flexible versions.
      mode = flexible && inRange(d.taggedVersions, version) ? TAGGED : ABSENT;
    }
    const compact = flexible && (d.flexible === null || inRange(d.flexible, version));
    const structSchema = d.kind === Kind.Array ? d.element!.struct : d.struct;
    const fp: FieldPlan = {
      name: schema.names[i],
      kind: d.kind,
      mode,
      nullable: inRange(d.nullable, version),
      compact,
      tag: d.tag,
      def: d,
      elemKind: d.kind === Kind.Array ? d.element!.kind : Kind.Int8,
      child: null,
    };
    if (structSchema !== null) fp.child = planOf(structSchema, version, flexible);
    fields.push(fp);
    if (mode === TAGGED) plan.tagged.push(fp);
  }
  plan.tagged.sort((a, b) => a.tag - b.tag);
  return plan;
}

/** The value a field takes when absent from a version (or an untouched tagged field). */
function defaultOf(fp: FieldPlan): unknown {
  const d = fp.def.default;
  if (d !== undefined) return d;
  switch (fp.kind) {
    case Kind.Bool:
      return false;
    case Kind.String:
      return '';
    case Kind.Bytes:
      return EMPTY;
    case Kind.Records:
      return null;
    case Kind.Uuid:
      return ZERO_UUID;
    case Kind.Array:
      return [];
    case Kind.Struct:
      return fp.nullable || fp.child === null ? null : defaultStruct(fp.child);
    default:
      return 0;
  }
}

function defaultStruct(plan: Plan): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const fp of plan.fields) o[fp.name] = defaultOf(fp);
  return o;
}

// ---------------------------------------------------------------------------------- decode

export function decodeStruct(
  schema: StructSchema<unknown, unknown>,
  r: Reader,
  version: number,
  flexible: boolean,
): Record<string, unknown> {
  return decodePlan(planOf(schema, version, flexible), r);
}

function decodePlan(plan: Plan, r: Reader): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const fields = plan.fields;
  for (let i = 0; i < fields.length; i++) {
    const fp = fields[i];
    o[fp.name] = fp.mode === PRESENT ? readField(r, fp) : defaultOf(fp);
  }
  if (plan.flexible) readTaggedSection(plan, r, o);
  return o;
}

function readTaggedSection(plan: Plan, r: Reader, o: Record<string, unknown>): void {
  const n = r.unsignedVarint32();
  for (let i = 0; i < n; i++) {
    const tag = r.unsignedVarint32();
    const size = r.unsignedVarint32();
    const end = r.pos + size;
    if (end > r.end) throw new ProtocolDecodeError(`tagged field ${tag} overruns the frame`);
    const fp = plan.tagged.find((t) => t.tag === tag);
    if (fp !== undefined) o[fp.name] = readField(new Reader(r.buf, r.pos, end), fp);
    r.pos = end;
  }
}

function readField(r: Reader, fp: FieldPlan): unknown {
  switch (fp.kind) {
    case Kind.Array: {
      const n = fp.compact ? r.compactArrayLength() : r.arrayLength();
      if (n === null) {
        if (!fp.nullable) throw new ProtocolDecodeError(`null array ${fp.name}`);
        return null;
      }
      const out = new Array<unknown>(n);
      const child = fp.child;
      if (child !== null) {
        for (let i = 0; i < n; i++) out[i] = decodePlan(child, r);
      } else {
        for (let i = 0; i < n; i++) out[i] = readScalar(r, fp.elemKind, false, fp.compact, fp.name);
      }
      return out;
    }
    case Kind.Struct:
      if (fp.nullable && r.int8() < 0) return null;
      return decodePlan(fp.child!, r);
    default:
      return readScalar(r, fp.kind, fp.nullable, fp.compact, fp.name);
  }
}

function readScalar(r: Reader, kind: Kind, nullable: boolean, compact: boolean, name: string): unknown {
  switch (kind) {
    case Kind.Int8:
      return r.int8();
    case Kind.Int16:
      return r.int16();
    case Kind.Int32:
      return r.int32();
    case Kind.Int64:
      return r.int64();
    case Kind.Uint16:
      return r.uint16();
    case Kind.Float64:
      return r.float64();
    case Kind.Bool:
      return r.bool();
    case Kind.Uuid:
      return r.uuid();
    case Kind.String: {
      const s = compact ? r.compactNullableString() : r.nullableString();
      if (s === null && !nullable) throw new ProtocolDecodeError(`null in non-nullable string ${name}`);
      return s;
    }
    case Kind.Bytes:
    case Kind.Records: {
      const b = compact ? r.compactNullableBytes() : r.nullableBytes();
      if (b === null && !nullable) throw new ProtocolDecodeError(`null in non-nullable bytes ${name}`);
      return b;
    }
    default:
      throw new Error(`unexpected kind ${kind} for ${name}`);
  }
}

// ---------------------------------------------------------------------------------- encode

export function encodeStruct(
  schema: StructSchema<unknown, unknown>,
  w: Writer,
  version: number,
  flexible: boolean,
  value: unknown,
): void {
  encodePlan(planOf(schema, version, flexible), w, value as Record<string, unknown>);
}

function encodePlan(plan: Plan, w: Writer, o: Record<string, unknown>): void {
  const fields = plan.fields;
  for (let i = 0; i < fields.length; i++) {
    const fp = fields[i];
    if (fp.mode !== PRESENT) continue;
    let v = o[fp.name];
    if (v === undefined) v = defaultOf(fp);
    writeField(w, fp, v);
  }
  if (plan.flexible) writeTaggedSection(plan, w, o);
}

function writeTaggedSection(plan: Plan, w: Writer, o: Record<string, unknown>): void {
  if (plan.tagged.length === 0) {
    w.unsignedVarint(0);
    return;
  }
  const present: Array<{ tag: number; data: Buffer }> = [];
  for (const fp of plan.tagged) {
    const v = o[fp.name];
    if (v === undefined || isDefault(fp, v)) continue;
    const sub = new Writer(64);
    writeField(sub, fp, v);
    present.push({ tag: fp.tag, data: sub.toBuffer() });
  }
  w.taggedFields(present);
}

function isDefault(fp: FieldPlan, v: unknown): boolean {
  const d = defaultOf(fp);
  if (v === d) return true;
  if (Array.isArray(v)) return Array.isArray(d) && v.length === 0;
  if (Buffer.isBuffer(v)) return Buffer.isBuffer(d) && v.length === 0 && d.length === 0;
  if (fp.kind === Kind.Struct && v !== null && d !== null) {
    const a = new Writer(64);
    const b = new Writer(64);
    writeField(a, fp, v);
    writeField(b, fp, d);
    return a.toBuffer().equals(b.toBuffer());
  }
  return false;
}

function writeField(w: Writer, fp: FieldPlan, v: unknown): void {
  switch (fp.kind) {
    case Kind.Array: {
      if (v === null) {
        if (!fp.nullable) throw new TypeError(`array field ${fp.name} is not nullable`);
        if (fp.compact) w.compactArrayLength(null);
        else w.arrayLength(null);
        return;
      }
      const arr = v as unknown[];
      if (fp.compact) w.compactArrayLength(arr.length);
      else w.arrayLength(arr.length);
      const child = fp.child;
      if (child !== null) {
        for (let i = 0; i < arr.length; i++) encodePlan(child, w, arr[i] as Record<string, unknown>);
      } else {
        for (let i = 0; i < arr.length; i++) writeScalar(w, fp.elemKind, false, fp.compact, fp.name, arr[i]);
      }
      return;
    }
    case Kind.Struct:
      if (fp.nullable) {
        if (v === null) {
          w.int8(-1);
          return;
        }
        w.int8(1);
      } else if (v === null) {
        throw new TypeError(`struct field ${fp.name} is not nullable`);
      }
      encodePlan(fp.child!, w, v as Record<string, unknown>);
      return;
    default:
      writeScalar(w, fp.kind, fp.nullable, fp.compact, fp.name, v);
  }
}

function writeScalar(w: Writer, kind: Kind, nullable: boolean, compact: boolean, name: string, v: unknown): void {
  switch (kind) {
    case Kind.Int8:
      w.int8(v as number);
      return;
    case Kind.Int16:
      w.int16(v as number);
      return;
    case Kind.Int32:
      w.int32(v as number);
      return;
    case Kind.Int64:
      w.int64(v as number);
      return;
    case Kind.Uint16:
      w.uint16(v as number);
      return;
    case Kind.Float64:
      w.float64(v as number);
      return;
    case Kind.Bool:
      w.bool(v as boolean);
      return;
    case Kind.Uuid:
      w.uuid(v as string);
      return;
    case Kind.String:
      if (v === null && !nullable) throw new TypeError(`string field ${name} is not nullable`);
      if (compact) w.compactNullableString(v as string | null);
      else w.nullableString(v as string | null);
      return;
    case Kind.Bytes:
      if (v === null && !nullable) throw new TypeError(`bytes field ${name} is not nullable`);
      if (compact) w.compactNullableBytes(v as Buffer | null);
      else w.nullableBytes(v as Buffer | null);
      return;
    case Kind.Records:
      writeRecords(w, nullable, compact, name, v as Buffer | Buffer[] | null);
      return;
    default:
      throw new Error(`unexpected kind ${kind} for ${name}`);
  }
}

/** Record sets are written by reference: batches read from a segment are never copied. */
function writeRecords(w: Writer, nullable: boolean, compact: boolean, name: string, v: Buffer | Buffer[] | null): void {
  if (v === null) {
    if (!nullable) throw new TypeError(`records field ${name} is not nullable`);
    if (compact) w.unsignedVarint(0);
    else w.int32(-1);
    return;
  }
  const chunks = Buffer.isBuffer(v) ? null : v;
  let size = 0;
  if (chunks === null) size = (v as Buffer).length;
  else for (let i = 0; i < chunks.length; i++) size += chunks[i].length;
  if (compact) w.unsignedVarint(size + 1);
  else w.int32(size);
  if (chunks === null) w.raw(v as Buffer);
  else for (let i = 0; i < chunks.length; i++) w.raw(chunks[i]);
}
