// The --path-to-json-file of kafka-leader-election and kafka-preferred-replica-election:
//   {"partitions": [{"topic": "foo", "partition": 1}, {"topic": "foobar", "partition": 2}]}
// `what` names the data in Kafka's messages ("Replica election" / "Preferred replica election").

export interface ElectionPartition {
  topic: string;
  partition: number;
}

export class ElectionCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElectionCommandError';
  }
}

export function parseElectionPartitions(text: string, what: string): ElectionPartition[] {
  let js: unknown;
  try {
    js = JSON.parse(text);
  } catch {
    throw new ElectionCommandError(`${what} data is empty`);
  }
  const list = js && typeof js === 'object' ? (js as { partitions?: unknown }).partitions : undefined;
  if (list === undefined) throw new ElectionCommandError(`${what} data is missing "partitions" field`);
  if (!Array.isArray(list)) throw new ElectionCommandError(`${what} data: "partitions" must be a list`);
  const partitions = list.map((p) => {
    const f = (p ?? {}) as { topic?: unknown; partition?: unknown };
    if (typeof f.topic !== 'string' || typeof f.partition !== 'number' || !Number.isInteger(f.partition)) {
      throw new ElectionCommandError(`${what} data: each partition needs "topic" (string) and "partition" (integer)`);
    }
    return { topic: f.topic, partition: f.partition };
  });
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const p of partitions) {
    const key = `${p.topic}-${p.partition}`;
    (seen.has(key) ? dups : seen).add(key);
  }
  if (dups.size > 0) throw new ElectionCommandError(`${what} data contains duplicate partitions: ${[...dups].join(',')}`);
  return partitions;
}
