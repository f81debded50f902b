// Checks every schema against Kafka's own JSON message definitions (shared/reference/
// kafka-messages), version by version up to Zafka's maxVersion: same fields in the same wire
// order, same types, same nullability, same tags, same declared defaults. Skipped when the
// reference directory is not available.

import * as fs from 'fs';
import * as path from 'path';
import { isFlexible } from '../../../broker/protocol/api-definition';
import { allApis } from '../../../broker/protocol/messages/index';
import { inRange, Kind, parseRange, VersionRange } from '../../../broker/protocol/schema';
import { FieldPlan, Plan, planOf } from '../../../broker/protocol/schema-codec';

const DIR = process.env.KAFKA_MESSAGES_DIR ?? path.join(__dirname, '../../../../shared/reference/kafka-messages');
const available = fs.existsSync(DIR);

interface JsonField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean;
  fields?: JsonField[];
}
interface JsonMessage {
  apiKey: number;
  fields: JsonField[];
  commonStructs?: Array<{ name: string; fields: JsonField[] }>;
}

function load(name: string): JsonMessage {
  const text = fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return JSON.parse(text) as JsonMessage;
}

const KINDS: Record<string, Kind> = {
  int8: Kind.Int8,
  int16: Kind.Int16,
  int32: Kind.Int32,
  int64: Kind.Int64,
  uint16: Kind.Uint16,
  float64: Kind.Float64,
  bool: Kind.Bool,
  string: Kind.String,
  bytes: Kind.Bytes,
  records: Kind.Records,
  uuid: Kind.Uuid,
};

const camelCase = (s: string): string => s[0].toLowerCase() + s.slice(1);

/**
 * Fields a later Kafka renamed without changing the wire (the reference JSON is newer than 2.4):
 * KIP-890 (Kafka 3.6) prefixed AddPartitionsToTxn's v0-3 fields when it added batched v4. Zafka
 * keeps Kafka 2.4's names.
 */
const KAFKA_24_NAMES: Record<string, string> = {
  v3AndBelowTransactionalId: 'transactionalId',
  v3AndBelowProducerId: 'producerId',
  v3AndBelowProducerEpoch: 'producerEpoch',
  v3AndBelowTopics: 'topics',
  resultsByTopicV3AndBelow: 'results',
  resultsByPartition: 'results',
  partitionErrorCode: 'errorCode',
};

const camel = (s: string): string => KAFKA_24_NAMES[camelCase(s)] ?? camelCase(s);

/** A comparable description of one version's wire layout. */
type Layout = string[];

function jsonLayout(fields: JsonField[], msg: JsonMessage, v: number, flexible: boolean, indent: string): Layout {
  const out: Layout = [];
  const tagged: Layout = [];
  for (const f of fields) {
    if (!inRange(parseRange(f.versions), v)) continue;
    const isTagged = f.tag !== undefined && flexible && inRange(parseRange(f.taggedVersions ?? f.versions), v);
    if (f.tag !== undefined && !isTagged) continue;
    const nullable = f.nullableVersions !== undefined && inRange(parseRange(f.nullableVersions), v);
    const isArray = f.type.startsWith('[]');
    const base = isArray ? f.type.slice(2) : f.type;
    const kind = KINDS[base];
    let line = `${indent}${camel(f.name)} ${isArray ? '[]' : ''}${kind ?? 'struct'}${nullable ? '?' : ''}`;
    if (isTagged) line += ` tag${f.tag}`;
    (isTagged ? tagged : out).push(line);
    if (kind === undefined) {
      const sub = f.fields ?? msg.commonStructs?.find((c) => c.name === base)?.fields;
      if (sub === undefined) throw new Error(`no struct ${base}`);
      const lines = jsonLayout(sub, msg, v, flexible, indent + '  ');
      (isTagged ? tagged : out).push(...lines);
    }
  }
  return [...out, ...tagged];
}

function planLayout(plan: Plan, indent: string): Layout {
  const out: Layout = [];
  const line = (fp: FieldPlan): Layout => {
    const isArray = fp.kind === Kind.Array;
    const kind = isArray ? fp.elemKind : fp.kind;
    let l = `${indent}${fp.name} ${isArray ? '[]' : ''}${kind === Kind.Struct ? 'struct' : kind}${fp.nullable ? '?' : ''}`;
    if (fp.tag >= 0) l += ` tag${fp.tag}`;
    return fp.child !== null ? [l, ...planLayout(fp.child, indent + '  ')] : [l];
  };
  for (const fp of plan.fields) if (fp.mode === 1) out.push(...line(fp));
  for (const fp of plan.tagged) out.push(...line(fp));
  return out;
}

/** Declared defaults of fields absent from some supported version must match Kafka's. */
function parseDefault(d: string | number | boolean, type: string): unknown {
  if (typeof d !== 'string') return d;
  if (d === 'null') return null;
  if (type === 'bool') return d === 'true';
  if (type === 'string') return d;
  return Number(d);
}

function checkDefaults(fields: JsonField[], msg: JsonMessage, plan: Plan, where: string): void {
  for (const f of fields) {
    const fp = plan.fields.find((p) => p.name === camel(f.name));
    if (fp === undefined) continue;
    if (f.default !== undefined) {
      expect([where + '.' + fp.name, fp.def.default]).toEqual([where + '.' + fp.name, parseDefault(f.default, f.type)]);
    }
    const base = f.type.startsWith('[]') ? f.type.slice(2) : f.type;
    const sub = f.fields ?? msg.commonStructs?.find((c) => c.name === base)?.fields;
    if (sub !== undefined && fp.child !== null) checkDefaults(sub, msg, fp.child, where + '.' + fp.name);
  }
}

(available ? describe : describe.skip)('schemas match Kafka JSON message definitions', () => {
  for (const api of allApis) {
    for (const dir of ['Request', 'Response'] as const) {
      test(`${api.name}${dir} v0-${api.maxVersion}`, () => {
        const msg = load(`${api.name}${dir}`);
        if (dir === 'Request') expect(msg.apiKey).toBe(api.apiKey);
        const schema = dir === 'Request' ? api.request : api.response;
        for (let v = 0; v <= api.maxVersion; v++) {
          const flexible = isFlexible(api, v);
          const plan = planOf(schema, v, flexible);
          expect([`v${v}`, ...planLayout(plan, '')]).toEqual([`v${v}`, ...jsonLayout(msg.fields, msg, v, flexible, '')]);
          checkDefaults(msg.fields, msg, plan, `${api.name}${dir}`);
        }
      });
    }
  }

  test('flexibleVersionsFrom matches', () => {
    for (const api of allApis) {
      const raw = fs.readFileSync(path.join(DIR, `${api.name}Request.json`), 'utf8');
      const m = /"flexibleVersions":\s*"([^"]+)"/.exec(raw)!;
      const r: VersionRange = parseRange(m[1]);
      expect([api.name, r.lo > r.hi ? Infinity : r.lo]).toEqual([api.name, api.flexibleVersionsFrom]);
    }
  });
});
