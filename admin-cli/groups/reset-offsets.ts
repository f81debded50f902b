// --reset-offsets: which offset each partition gets (Kafka 2.4 ConsumerGroupCommand.prepareOffsetsToReset).
// Pure computations over offsets the caller looked up, so they are unit-tested without a cluster:
// --to-offset and --shift-by are clamped into [log start, log end] (checkOffsetsRange);
// --shift-by needs a committed offset; --to-datetime falls back to the log end when no record
// is that recent.
import { UsageError } from '../shared/usage-error';

export type ResetScenario =
  | { kind: 'to-earliest' }
  | { kind: 'to-latest' }
  | { kind: 'to-offset'; offset: number }
  | { kind: 'shift-by'; shift: number }
  | { kind: 'to-datetime'; timestamp: number };

export interface PartitionOffsets {
  topic: string;
  partition: number;
  logStartOffset: number;
  logEndOffset: number;
  /** The group's committed offset, if any. */
  committed?: number;
  /** --to-datetime: the first offset with a timestamp >= the one asked (-1/undefined: none). */
  offsetForTimestamp?: number;
}

export interface NewOffset {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * Kafka's Utils.getDateTime: yyyy-MM-dd'T'HH:mm:ss.SSS with an optional zone (Z, +hh:mm, +hhmm,
 * -hh); without a zone the local one applies (as Java's default zone does).
 */
export function parseDateTime(value: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(value.trim());
  if (!m) throw new UsageError(`Error parsing timestamp '${value}': expected the format yyyy-MM-dd'T'HH:mm:ss.SSS[Z|+hh:mm]`);
  let zone = m[2] ?? '';
  if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}${zone}`);
  if (Number.isNaN(ms)) throw new UsageError(`Error parsing timestamp '${value}'`);
  return ms;
}

/** The scenario from the options; exactly one may be given. */
export function resetScenarioFrom(o: {
  toEarliest?: boolean;
  toLatest?: boolean;
  toOffset?: string;
  shiftBy?: string;
  toDatetime?: string;
}): ResetScenario {
  const given: ResetScenario[] = [];
  const long = (name: string, v: string): number => {
    if (!/^[+-]?\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v))) throw new UsageError(`Option --${name} expects a long, got '${v}'`);
    return Number(v);
  };
  if (o.toEarliest) given.push({ kind: 'to-earliest' });
  if (o.toLatest) given.push({ kind: 'to-latest' });
  if (o.toOffset !== undefined) given.push({ kind: 'to-offset', offset: long('to-offset', o.toOffset) });
  if (o.shiftBy !== undefined) given.push({ kind: 'shift-by', shift: long('shift-by', o.shiftBy) });
  if (o.toDatetime !== undefined) given.push({ kind: 'to-datetime', timestamp: parseDateTime(o.toDatetime) });
  if (given.length !== 1) {
    throw new UsageError('Option --reset-offsets only accepts one of --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --from-file, --to-current, --to-offset');
  }
  return given[0];
}

function clamp(p: PartitionOffsets, offset: number): number {
  if (offset > p.logEndOffset) return p.logEndOffset;
  if (offset < p.logStartOffset) return p.logStartOffset;
  return offset;
}

export function computeResetOffsets(scenario: ResetScenario, partitions: readonly PartitionOffsets[]): NewOffset[] {
  return partitions.map((p) => {
    let offset: number;
    switch (scenario.kind) {
      case 'to-earliest':
        offset = p.logStartOffset;
        break;
      case 'to-latest':
        offset = p.logEndOffset;
        break;
      case 'to-offset':
        offset = clamp(p, scenario.offset);
        break;
      case 'shift-by':
        if (p.committed === undefined) {
          throw new Error(`Cannot shift offset for partition ${p.topic}-${p.partition} since there is no current committed offset`);
        }
        offset = clamp(p, p.committed + scenario.shift);
        break;
      case 'to-datetime':
        offset = p.offsetForTimestamp !== undefined && p.offsetForTimestamp >= 0 ? p.offsetForTimestamp : p.logEndOffset;
        break;
    }
    return { topic: p.topic, partition: p.partition, offset };
  });
}

/** "--topic t" or "--topic t:0,2": the topic and its listed partitions (undefined = all). */
export function parseTopicArg(arg: string): { topic: string; partitions?: number[] } {
  const colon = arg.lastIndexOf(':');
  if (colon < 0) return { topic: arg };
  const partitions = arg.slice(colon + 1).split(',').map((s) => s.trim());
  if (partitions.some((s) => !/^\d+$/.test(s))) throw new UsageError(`Invalid --topic '${arg}': expected topic or topic:partition[,partition...]`);
  return { topic: arg.slice(0, colon), partitions: partitions.map(Number) };
}
