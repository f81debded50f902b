// Log compaction on a real broker: a topic with cleanup.policy=compact and small segments gets
// many updates to a few keys (kafkajs, several keys per batch, so batches are rewritten, not only
// dropped). Once the broker's cleaner has run (cleaner-offset-checkpoint names the partition),
// kcat reading from the beginning sees one record per key below the checkpoint, the latest, and
// every record of the uncleaned head, with offsets increasing and gaps where records were removed.
import * as fs from 'fs';
import * as path from 'path';
import { KafkaClient } from '../../broker/network/kafka-client';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { TestCluster } from '../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../helpers/kafkajs-client';
import { kcat } from '../helpers/kcat';
import { waitFor } from '../helpers/wait';

const TOPIC = 'compacted';
const KEYS = 5;
const MESSAGES = 400;
const PER_BATCH = 10;

describe('log compaction', () => {
  let cluster: TestCluster;
  let client: KafkaClient;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'log.cleaner.backoff.ms': 200 } });
    client = await KafkaClient.connect('127.0.0.1', cluster.broker(0).port, { clientId: 'compaction-test' });
  });

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  const value = (i: number) => `v-${i}-`.padEnd(60, 'x');

  function cleanerCheckpoint(): number | undefined {
    const file = path.join(cluster.broker(0).logDir, 'cleaner-offset-checkpoint');
    if (!fs.existsSync(file)) return undefined;
    const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${TOPIC} 0 `));
    return line ? Number(line.split(' ')[2]) : undefined;
  }

  test('one record per key, the latest, below the cleaned offset; the head untouched', async () => {
    const res = await client.send(CreateTopics, 3, {
      topics: [
        {
          name: TOPIC,
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.bytes', value: '2048' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
          ],
        },
      ],
      timeoutMs: 10000,
      validateOnly: false,
    });
    expect(res.topics[0].errorCode).toBe(0);

    const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER, allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (let i = 0; i < MESSAGES; i += PER_BATCH) {
        const messages = Array.from({ length: PER_BATCH }, (_, j) => ({ key: `key-${(i + j) % KEYS}`, value: value(i + j), partition: 0 }));
        await producer.send({ topic: TOPIC, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }

    // log.cleaner.backoff.ms is 200 here; the default 15 s backoff still fits the wait.
    // Done when everything below the active segment (the newest .log file) is clean.
    const dir = path.join(cluster.broker(0).logDir, `${TOPIC}-0`);
    const activeBase = () => Math.max(...fs.readdirSync(dir).filter((f) => /^\d{20}\.log$/.test(f)).map((f) => Number(f.slice(0, 20))));
    const cleanedUpTo = await waitFor('the cleaner to clean up to the active segment', () => {
      const checkpoint = cleanerCheckpoint();
      return checkpoint !== undefined && checkpoint === activeBase() ? checkpoint : undefined;
    }, 45000, 200);
    expect(cleanedUpTo).toBeGreaterThan(KEYS);
    expect(cleanedUpTo).toBeLessThan(MESSAGES);

    const r = await kcat(['-C', '-b', cluster.bootstrap, '-t', TOPIC, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %k %s\n']);
    expect(r.code).toBe(0);
    const records = r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [offset, key, v] = l.split(' ');
        return { offset: Number(offset), key, value: v };
      });
    // Offset i holds key-(i % KEYS) = value(i): what kafkajs produced, in order.
    expect(records.every((rec) => rec.key === `key-${rec.offset % KEYS}` && rec.value === value(rec.offset))).toBe(true);
    for (let i = 1; i < records.length; i++) expect(records[i].offset).toBeGreaterThan(records[i - 1].offset);
    expect(records[records.length - 1].offset).toBe(MESSAGES - 1);

    const cleaned = records.filter((rec) => rec.offset < cleanedUpTo);
    const latestBelow = Array.from({ length: KEYS }, (_, k) => cleanedUpTo - 1 - ((cleanedUpTo - 1 - k) % KEYS)).sort((a, b) => a - b);
    expect(cleaned.map((rec) => rec.offset)).toEqual(latestBelow);
    const head = records.filter((rec) => rec.offset >= cleanedUpTo);
    expect(head.map((rec) => rec.offset)).toEqual(Array.from({ length: MESSAGES - cleanedUpTo }, (_, i) => cleanedUpTo + i));
    // Gaps: far fewer records than offsets.
    expect(records.length).toBeLessThan(MESSAGES / 2);

    // The partition dir holds only Kafka's file kinds: no .cleaned/.swap/.deleted leftovers.
    expect(fs.readdirSync(dir).filter((f) => /\.(cleaned|swap|deleted)$/.test(f))).toEqual([]);
  }, 90000);
});
