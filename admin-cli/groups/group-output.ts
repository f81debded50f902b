// kafka-consumer-groups' tables, laid out as Kafka 2.4's ConsumerGroupCommand prints them:
// left-aligned columns separated by one space, each at least 15 wide (GROUP, TOPIC,
// CONSUMER-ID, HOST grow to their longest value), "-" for a missing value, and a blank line
// before each group's table.
export const MISSING = '-';

export interface OffsetRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset?: number;
  logEndOffset?: number;
  consumerId?: string;
  host?: string;
  clientId?: string;
}

export interface MemberRow {
  group: string;
  consumerId: string;
  host: string;
  clientId: string;
  partitions: number;
}

export interface StateRow {
  group: string;
  coordinator: string;
  assignmentStrategy: string;
  state: string;
  members: number;
}

const pad = (s: string, width: number) => (s.length >= width ? s : s + ' '.repeat(width - s.length));
const str = (v: string | number | undefined) => (v === undefined || v === '' ? MISSING : String(v));
const widest = (min: number, values: string[]) => values.reduce((w, v) => Math.max(w, v.length), min);

/** LAG = LOG-END-OFFSET - CURRENT-OFFSET, when both are known. */
export function lagOf(r: OffsetRow): number | undefined {
  return r.currentOffset !== undefined && r.logEndOffset !== undefined ? Math.max(0, r.logEndOffset - r.currentOffset) : undefined;
}

export function formatOffsets(rows: readonly OffsetRow[], group: string): string {
  const g = widest(15, [group]);
  const t = widest(15, rows.map((r) => r.topic));
  const c = widest(15, rows.map((r) => str(r.consumerId)));
  const h = widest(15, rows.map((r) => str(r.host)));
  const line = (cols: string[]) => [pad(cols[0], g), pad(cols[1], t), pad(cols[2], 10), pad(cols[3], 15), pad(cols[4], 15), pad(cols[5], 15), pad(cols[6], c), pad(cols[7], h), cols[8]].join(' ');
  const out = ['', line(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'])];
  for (const r of rows) {
    out.push(line([r.group, r.topic, String(r.partition), str(r.currentOffset), str(r.logEndOffset), str(lagOf(r)), str(r.consumerId), str(r.host), str(r.clientId)]));
  }
  return out.join('\n') + '\n';
}

export function formatMembers(rows: readonly MemberRow[], group: string): string {
  const g = widest(15, [group]);
  const c = widest(15, rows.map((r) => r.consumerId));
  const h = widest(15, rows.map((r) => r.host));
  const cl = widest(15, rows.map((r) => r.clientId));
  const line = (cols: string[]) => [pad(cols[0], g), pad(cols[1], c), pad(cols[2], h), pad(cols[3], cl), pad(cols[4], 15)].join(' ');
  const out = ['', line(['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS'])];
  for (const r of rows) out.push(line([r.group, r.consumerId, r.host, r.clientId, String(r.partitions)]));
  return out.join('\n') + '\n';
}

export function formatState(r: StateRow): string {
  const g = widest(15, [r.group]);
  const co = widest(25, [r.coordinator]);
  const line = (cols: string[]) => [pad(cols[0], g), pad(cols[1], co), pad(cols[2], 20), pad(cols[3], 20), cols[4]].join(' ');
  return ['', line(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS']), line([r.group, r.coordinator, str(r.assignmentStrategy), r.state, String(r.members)])].join('\n') + '\n';
}

export function formatResetOffsets(rows: ReadonlyArray<{ group: string; topic: string; partition: number; offset: number }>): string {
  const line = (cols: string[]) => [pad(cols[0], 30), pad(cols[1], 30), pad(cols[2], 10), pad(cols[3], 15)].join(' ');
  const out = ['', line(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'])];
  for (const r of rows) out.push(line([r.group, r.topic, String(r.partition), String(r.offset)]));
  return out.join('\n') + '\n';
}
