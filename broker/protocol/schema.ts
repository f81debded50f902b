// A small declarative DSL for Kafka messages, in the spirit of Kafka's JSON definitions
// (shared/reference/kafka-messages): each message is declared once for all its versions, each
// field with its version range, nullable range, default and, for flexible versions (KIP-482),
// an optional tag. TypeScript infers the object types from the declaration:
//
//   const FooRequestSchema = struct({ name: string(), ids: array('1+', int32()) });
//   type FooRequest = Infer<typeof FooRequestSchema>;        // what decode returns
//   type FooRequestInput = InferInput<typeof FooRequestSchema>; // what encode accepts
//
// In the input type, fields that do not exist in every version or that declare a default may be
// omitted (they encode as their default), as with Kafka's generated message classes.
// The generic codec lives in schema-codec.ts.

/** A phantom carrying the decoded type D, the encodable type E and "may be omitted" O. */
declare const specTypes: unique symbol;
declare const structTypes: unique symbol;

export interface VersionRange {
  readonly lo: number;
  readonly hi: number;
}

export const NO_VERSIONS: VersionRange = { lo: 1, hi: 0 };

/** Parses Kafka's version range syntax: "3+", "0-2", "5", "none". */
export function parseRange(s: string): VersionRange {
  if (s === 'none' || s === '') return NO_VERSIONS;
  if (s.endsWith('+')) return { lo: Number(s.slice(0, -1)), hi: Infinity };
  const dash = s.indexOf('-');
  if (dash >= 0) return { lo: Number(s.slice(0, dash)), hi: Number(s.slice(dash + 1)) };
  const v = Number(s);
  if (!Number.isInteger(v)) throw new Error(`bad version range "${s}"`);
  return { lo: v, hi: v };
}

export function inRange(r: VersionRange | null, v: number): boolean {
  return r !== null && v >= r.lo && v <= r.hi;
}

/** Wire types, as Kafka's JSON names them. */
export const Kind = {
  Int8: 0,
  Int16: 1,
  Int32: 2,
  Int64: 3,
  Uint16: 4,
  Float64: 5,
  Bool: 6,
  String: 7,
  Bytes: 8,
  Records: 9,
  Uuid: 10,
  Struct: 11,
  Array: 12,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export type DefaultValue = number | boolean | string | null;

/** The runtime description of one field (or of an array's element type). */
export interface FieldDef {
  readonly kind: Kind;
  readonly versions: VersionRange;
  readonly nullable: VersionRange | null;
  /** Field-level flexibleVersions override (the request header's ClientId is never compact). */
  readonly flexible: VersionRange | null;
  readonly default: DefaultValue | undefined;
  readonly tag: number;
  readonly taggedVersions: VersionRange | null;
  /** Arrays: the element type. */
  readonly element: FieldDef | null;
  /** Structs, and arrays of structs through `element`. */
  readonly struct: StructSchema<unknown, unknown> | null;
}

export interface Spec<D, E = D, O extends boolean = boolean> extends FieldDef {
  readonly [specTypes]?: [D, E, O];
}

export interface StructSchema<D, E = D> {
  readonly names: readonly string[];
  readonly defs: readonly FieldDef[];
  /** Compiled per-version plans, filled lazily by the codec (index version*2 + flexible). */
  readonly plans: unknown[];
  readonly [structTypes]?: [D, E];
}

export type Infer<S> = S extends StructSchema<infer D, unknown> ? D : never;
export type InferInput<S> = S extends StructSchema<unknown, infer E> ? E : never;

export interface FieldOptions {
  /** Versions in which null is allowed ("1+"). */
  nullable?: string;
  /** The value for versions without the field, and the tagged-field default. */
  default?: DefaultValue;
  /** Tag number: the field is written in the tagged-fields section of flexible versions. */
  tag?: number;
  taggedVersions?: string;
  /** Field-level flexibleVersions override (e.g. "none"). */
  flexibleVersions?: string;
}

type Nullable<O, T> = O extends { nullable: string } ? T | null : T;
/** Omittable on encode unless present since v0 and without a declared default. */
type Omittable<V extends string, O> = V extends '0+'
  ? O extends { default: DefaultValue }
    ? true
    : O extends { tag: number }
      ? true
      : false
  : true;

type DOf<S> = S extends Spec<infer D, unknown, boolean> ? D : never;
type EOf<S> = S extends Spec<unknown, infer E, boolean> ? E : never;
type OOf<S> = S extends Spec<unknown, unknown, infer O> ? O : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Decoded<F> = Simplify<{ -readonly [K in keyof F]: DOf<F[K]> }>;
type Input<F> = Simplify<
  { -readonly [K in keyof F as OOf<F[K]> extends true ? never : K]: EOf<F[K]> } & {
    -readonly [K in keyof F as OOf<F[K]> extends true ? K : never]?: EOf<F[K]>;
  }
>;

type AnySpec = Spec<unknown, unknown, boolean>;

function def(kind: Kind, versions: string, opts: FieldOptions | undefined, extra?: Partial<FieldDef>): FieldDef {
  const versionRange = parseRange(versions);
  const tag = opts?.tag ?? -1;
  return {
    kind,
    versions: versionRange,
    nullable: opts?.nullable !== undefined ? parseRange(opts.nullable) : null,
    flexible: opts?.flexibleVersions !== undefined ? parseRange(opts.flexibleVersions) : null,
    default: opts?.default,
    tag,
    taggedVersions:
      tag >= 0 ? parseRange(opts?.taggedVersions ?? versions) : null,
    element: extra?.element ?? null,
    struct: extra?.struct ?? null,
  };
}

type Scalar<T> = <V extends string = '0+', O extends FieldOptions = {}>(
  versions?: V,
  opts?: O,
) => Spec<Nullable<O, T>, Nullable<O, T>, Omittable<V, O>>;

function scalar<T>(kind: Kind): Scalar<T> {
  const make = (versions: string = '0+', opts?: FieldOptions): FieldDef => def(kind, versions, opts);
  return make as Scalar<T>;
}

export const int8 = scalar<number>(Kind.Int8);
export const int16 = scalar<number>(Kind.Int16);
export const int32 = scalar<number>(Kind.Int32);
/** int64 as a JS number (exact to 2^53), per docs/CONVENTIONS.md. */
export const int64 = scalar<number>(Kind.Int64);
export const uint16 = scalar<number>(Kind.Uint16);
export const float64 = scalar<number>(Kind.Float64);
export const bool = scalar<boolean>(Kind.Bool);
export const string = scalar<string>(Kind.String);
/** Bytes decode as a zero-copy subarray of the frame. */
export const bytes = scalar<Buffer>(Kind.Bytes);
/** Kafka Uuid as its url-safe base64 string (22 characters), as Kafka prints it. */
export const uuid = scalar<string>(Kind.Uuid);

/**
 * A record set: decoded as a zero-copy Buffer (or null); encoded from a Buffer, a list of
 * Buffers (written by reference, e.g. batches read from a segment) or null.
 */
export function records<V extends string = '0+', O extends FieldOptions = {}>(
  versions?: V,
  opts?: O,
): Spec<Nullable<O, Buffer>, Nullable<O, Buffer | Buffer[]>, Omittable<V, O>> {
  return def(Kind.Records, (versions as string | undefined) ?? '0+', opts);
}

export function array<D, E, V extends string = '0+', O extends FieldOptions = {}>(
  versions: V,
  element: StructSchema<D, E>,
  opts?: O,
): Spec<Nullable<O, D[]>, Nullable<O, E[]>, Omittable<V, O>>;
export function array<D, E, V extends string = '0+', O extends FieldOptions = {}>(
  versions: V,
  element: Spec<D, E, boolean>,
  opts?: O,
): Spec<Nullable<O, D[]>, Nullable<O, E[]>, Omittable<V, O>>;
export function array(
  versions: string,
  element: StructSchema<unknown, unknown> | FieldDef,
  opts?: FieldOptions,
): FieldDef {
  const el: FieldDef = 'defs' in element ? def(Kind.Struct, '0+', undefined, { struct: element }) : element;
  return def(Kind.Array, versions, opts, { element: el });
}

/** A single (non-array) struct field; nullable structs carry an int8 presence marker. */
export function structField<D, E, V extends string = '0+', O extends FieldOptions = {}>(
  versions: V,
  schema: StructSchema<D, E>,
  opts?: O,
): Spec<Nullable<O, D>, Nullable<O, E>, Omittable<V, O>> {
  return def(Kind.Struct, versions, opts, { struct: schema as StructSchema<unknown, unknown> });
}

/** Declares a struct; field order on the wire is the order of the keys. */
export function struct<F extends Record<string, AnySpec>>(fields: F): StructSchema<Decoded<F>, Input<F>> {
  const names = Object.keys(fields);
  return { names, defs: names.map((n) => fields[n]), plans: [] };
}
