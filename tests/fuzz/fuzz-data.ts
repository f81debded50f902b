// Data a fuzz run must not damage: a topic with acknowledged records and a consumer group with
// committed offsets, written by real clients before the fuzzing starts and read back after it.
// After the fuzz, kafkajs produces new records and kcat (librdkafka) reads everything back: the
// broker must still serve ordinary clients correctly.
import { kafkajs } from '../helpers/kafkajs-client';
import { consumeUntilAll } from '../helpers/consume-all';
import { waitFor } from '../helpers/wait';

export const FUZZ_TOPIC = 'fuzz-data';
export const FUZZ_GROUP = 'fuzz-group';
const PARTITIONS = 2;
const RECORDS = 200;

export interface SeededData {
  /** partition -> offset -> value, as acknowledged by the broker. */
  records: Map<number, Map<number, string>>;
  /** partition -> committed offset of FUZZ_GROUP. */
  committed: Map<number, number>;
}

export async function seedData(bootstrap: string, brokers: number): Promise<SeededData> {
  const kafka = kafkajs(bootstrap, 'fuzz-seed');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: FUZZ_TOPIC, numPartitions: PARTITIONS, replicationFactor: Math.min(brokers, 3) }], waitForLeaders: true });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const records = new Map<number, Map<number, string>>();
    for (let i = 0; i < RECORDS; i += 20) {
      for (let p = 0; p < PARTITIONS; p++) {
        const values = Array.from({ length: 10 }, (_, k) => `before-${p}-${i + k}`);
        const [meta] = await producer.send({ topic: FUZZ_TOPIC, acks: -1, messages: values.map((value) => ({ partition: p, value })) });
        const byOffset = records.get(p) ?? new Map<number, string>();
        values.forEach((v, k) => byOffset.set(Number(meta.baseOffset) + k, v));
        records.set(p, byOffset);
      }
    }
    await producer.disconnect();

    // A real group member consumes everything and commits, so the group has state to keep.
    const consumer = kafka.consumer({ groupId: FUZZ_GROUP });
    await consumer.connect();
    await consumer.subscribe({ topic: FUZZ_TOPIC, fromBeginning: true });
    let seen = 0;
    await consumer.run({ autoCommitThreshold: 50, eachMessage: async () => { seen++; } });
    await waitFor('the group to consume the seeded records', () => seen >= RECORDS, 60000);
    await consumer.stop();
    await consumer.disconnect();
    const committed = await committedOffsets(admin);
    return { records, committed };
  } finally {
    await admin.disconnect();
  }
}

async function committedOffsets(admin: ReturnType<ReturnType<typeof kafkajs>['admin']>): Promise<Map<number, number>> {
  const [topic] = await admin.fetchOffsets({ groupId: FUZZ_GROUP, topics: [FUZZ_TOPIC] });
  return new Map(topic.partitions.map((p) => [p.partition, Number(p.offset)]));
}

/** Problems found (empty when all is well): lost or changed records, lost commits, a client failing. */
export async function verifyData(bootstrap: string, seeded: SeededData, tag: string): Promise<string[]> {
  const problems: string[] = [];
  const kafka = kafkajs(bootstrap, 'fuzz-verify');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await committedOffsets(admin);
    for (const [p, offset] of seeded.committed) {
      if (committed.get(p) !== offset) problems.push(`group ${FUZZ_GROUP} partition ${p}: committed offset ${committed.get(p)}, was ${offset}`);
    }
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const after = Array.from({ length: 20 }, (_, i) => `after-${tag}-${i}`);
    await producer.send({ topic: FUZZ_TOPIC, acks: -1, messages: after.map((value) => ({ value })) });
    await producer.disconnect();
    const rows = await consumeUntilAll(bootstrap, FUZZ_TOPIC, after, 30000);
    const read = new Map(rows.map((r) => [`${r.partition}/${r.offset}`, r.value]));
    for (const [p, byOffset] of seeded.records) {
      for (const [offset, value] of byOffset) {
        const got = read.get(`${p}/${offset}`);
        if (got !== value) problems.push(`${FUZZ_TOPIC}-${p} offset ${offset}: read ${JSON.stringify(got)}, produced ${JSON.stringify(value)}`);
      }
    }
    const present = new Set(rows.map((r) => r.value));
    for (const v of after) if (!present.has(v)) problems.push(`record ${v} produced after the fuzz was not read back`);
  } catch (err) {
    problems.push(`client failed after the fuzz: ${(err as Error).message}`);
  } finally {
    await admin.disconnect();
  }
  return problems.slice(0, 20);
}

