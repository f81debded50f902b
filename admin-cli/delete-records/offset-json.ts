// The --offset-json-file of kafka-delete-records (Kafka 2.4's DeleteRecordsCommand):
//   {"partitions": [{"topic": "foo", "partition": 1, "offset": 1}], "version": 1}
// version defaults to 1 and is the only one; offset -1 means "up to the high watermark".
// Errors carry Kafka's messages (AdminOperationException / AdminCommandFailedException).
import type { RecordsToDelete } from '../client/delete-records';

export class OffsetJsonError extends Error {}

function field(entry: Record<string, unknown>, name: string, index: number): unknown {
  if (!(name in entry)) throw new OffsetJsonError(`No such field exists: \`${name}\` (partitions[${index}])`);
  return entry[name];
}

function integer(value: unknown, name: string, index: number, int32: boolean): number {
  const ok = typeof value === 'number' && Number.isSafeInteger(value) && (!int32 || (value >= -0x80000000 && value <= 0x7fffffff));
  if (!ok) throw new OffsetJsonError(`partitions[${index}].${name} must be ${int32 ? 'an int' : 'a long'}, got ${JSON.stringify(value)}`);
  return value as number;
}

/** Parses and checks for duplicates, keeping the file's order. */
export function parseOffsetJson(text: string): RecordsToDelete[] {
  let js: unknown;
  try {
    js = JSON.parse(text);
  } catch {
    throw new OffsetJsonError('The input string is not a valid JSON');
  }
  if (js === null || typeof js !== 'object' || Array.isArray(js)) throw new OffsetJsonError('The input string is not a valid JSON object');
  const obj = js as Record<string, unknown>;
  const version = obj.version === undefined ? 1 : obj.version;
  if (version !== 1) throw new OffsetJsonError(`Not supported version field value ${JSON.stringify(version)}`);
  if (obj.partitions === undefined) throw new OffsetJsonError('Missing partitions field');
  if (!Array.isArray(obj.partitions)) throw new OffsetJsonError('The partitions field must be a list');
  const records = obj.partitions.map((raw, i) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new OffsetJsonError(`partitions[${i}] must be an object`);
    const entry = raw as Record<string, unknown>;
    const topic = field(entry, 'topic', i);
    if (typeof topic !== 'string') throw new OffsetJsonError(`partitions[${i}].topic must be a string, got ${JSON.stringify(topic)}`);
    return { topic, partition: integer(field(entry, 'partition', i), 'partition', i, true), offset: integer(field(entry, 'offset', i), 'offset', i, false) };
  });
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const r of records) {
    const key = `${r.topic}-${r.partition}`;
    (seen.has(key) ? duplicates : seen).add(key);
  }
  if (duplicates.size > 0) throw new OffsetJsonError(`Offset json file contains duplicate topic partitions: ${[...duplicates].join(',')}`);
  return records;
}
