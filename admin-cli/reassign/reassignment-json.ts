// The JSON files of kafka-reassign-partitions (Kafka 2.4's ReassignPartitionsCommand):
//   --topics-to-move-json-file   {"topics":[{"topic":"foo"}],"version":1}
//   --reassignment-json-file     {"version":1,"partitions":[{"topic":"foo","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}
// "log_dirs" is optional; Zafka has no intra-broker log dir moves, so only "any" is accepted.
// Problems are ReassignCommandError (Kafka's AdminCommandFailedException / AdminOperationException).

export const ANY_LOG_DIR = 'any';

export class ReassignCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReassignCommandError';
  }
}

export interface ProposedReassignment {
  topic: string;
  partition: number;
  replicas: number[];
}

function parseJson(text: string): Record<string, unknown> {
  let js: unknown;
  try {
    js = JSON.parse(text);
  } catch {
    throw new ReassignCommandError('The input string is not a valid JSON');
  }
  if (js === null || typeof js !== 'object' || Array.isArray(js)) throw new ReassignCommandError('The input string is not a valid JSON');
  const o = js as Record<string, unknown>;
  const version = o.version === undefined ? 1 : o.version;
  if (version !== 1) throw new ReassignCommandError(`Not supported version field value ${String(version)}`);
  return o;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** The topics of a --topics-to-move-json-file, duplicates rejected. */
export function parseTopicsToMove(text: string): string[] {
  const o = parseJson(text);
  const list = o.topics ?? [];
  if (!Array.isArray(list)) throw new ReassignCommandError('"topics" must be a list of {"topic": name}');
  const topics = list.map((t) => {
    const name = (t as { topic?: unknown } | null)?.topic;
    if (typeof name !== 'string') throw new ReassignCommandError('"topics" must be a list of {"topic": name}');
    return name;
  });
  const dups = duplicates(topics);
  if (dups.length > 0) throw new ReassignCommandError(`List of topics to reassign contains duplicate entries: ${dups.join(',')}`);
  return topics;
}

/** The partitions of a --reassignment-json-file, with Kafka's checks that need no cluster. */
export function parseReassignment(text: string): ProposedReassignment[] {
  const o = parseJson(text);
  const list = o.partitions ?? [];
  if (!Array.isArray(list)) throw new ReassignCommandError('"partitions" must be a list');
  const out = list.map((p): ProposedReassignment => {
    const f = (p ?? {}) as Record<string, unknown>;
    if (typeof f.topic !== 'string' || !isInt(f.partition) || !Array.isArray(f.replicas) || !f.replicas.every(isInt)) {
      throw new ReassignCommandError('Each partition needs "topic" (string), "partition" (integer) and "replicas" (integers)');
    }
    const replicas = f.replicas as number[];
    const tp = `${f.topic}-${f.partition}`;
    if (f.log_dirs !== undefined) {
      if (!Array.isArray(f.log_dirs) || f.log_dirs.length !== replicas.length) {
        throw new ReassignCommandError(`Size of replicas list ${listString(replicas)} is different from size of log dirs list ${JSON.stringify(f.log_dirs)} for partition ${tp}`);
      }
      if (f.log_dirs.some((d) => d !== ANY_LOG_DIR)) {
        throw new ReassignCommandError(`Moving replicas between log directories is not supported by Zafka (partition ${tp}): use "any"`);
      }
    }
    return { topic: f.topic, partition: f.partition, replicas: [...replicas] };
  });
  if (out.length === 0) throw new ReassignCommandError('Partition reassignment data file is empty');
  if (out.some((p) => p.replicas.length === 0)) throw new ReassignCommandError('Partition replica list cannot be empty');
  const dupPartitions = duplicates(out.map((p) => `${p.topic}-${p.partition}`));
  if (dupPartitions.length > 0) throw new ReassignCommandError(`Partition reassignment contains duplicate topic partitions: ${dupPartitions.join(',')}`);
  const dupReplicas = out
    .map((p) => ({ tp: `${p.topic}-${p.partition}`, dups: duplicates(p.replicas) }))
    .filter((d) => d.dups.length > 0)
    .map((d) => `${d.tp} contains multiple entries for ${d.dups.join(',')}`);
  if (dupReplicas.length > 0) throw new ReassignCommandError(`Partition replica lists may not contain duplicate entries: ${dupReplicas.join('. ')}`);
  return out;
}

/** Kafka's formatAsReassignmentJson (log_dirs all "any"), partitions sorted by topic then partition. */
export function formatReassignmentJson(assignment: readonly ProposedReassignment[]): string {
  const sorted = [...assignment].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return JSON.stringify({
    version: 1,
    partitions: sorted.map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.replicas, log_dirs: p.replicas.map(() => ANY_LOG_DIR) })),
  });
}

/** Scala's Seq toString, as Kafka prints replica lists in messages. */
export function listString(values: readonly number[]): string {
  return `List(${values.join(', ')})`;
}

export function duplicates<T>(values: readonly T[]): T[] {
  const seen = new Set<T>();
  const dups = new Set<T>();
  for (const v of values) (seen.has(v) ? dups : seen).add(v);
  return [...dups];
}
