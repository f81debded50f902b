// Log compaction of transactional data on a real broker (Kafka 2.4's cleaner rules): a kafkajs
// transactional producer commits and aborts updates to a few keys of a compacted topic. Once the
// broker's cleaner has run, read_committed readers (kcat) still see only committed values, the
// latest per key below the cleaned offset, and the aborted records are gone from the log even for
// read_uncommitted readers; after a restart a new session of the same transactional id goes on
// committing. (That a producer's last batch survives compaction is checked by the unit tests.)
import * as fs from 'fs';
import * as path from 'path';
import { Partitioners } from 'kafkajs';
import { TestCluster } from '../../helpers/cluster';
import { kafkajs } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { waitFor } from '../../helpers/wait';

const TOPIC = 'txn-compacted';
const KEYS = 4;

async function rows(bootstrap: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<{ offset: number; key: string; value: string }[]> {
  const r = await kcat(['-C', '-b', bootstrap, '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '%o %k %s\n'], { timeoutMs: 60000 });
  expect(r.code).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [o, k, v] = l.split(' ');
      return { offset: Number(o), key: k, value: v };
    });
}

describe('log compaction of transactional data', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 1,
      config: {
        'log.cleaner.backoff.ms': 200,
        'transaction.state.log.num.partitions': 1,
        'transaction.state.log.replication.factor': 1,
        'transaction.state.log.min.isr': 1,
      },
    });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: TOPIC,
          numPartitions: 1,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.bytes', value: '1024' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
            { name: 'delete.retention.ms', value: '0' },
          ],
        },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const producerFor = () =>
    kafkajs(cluster.bootstrap).producer({ transactionalId: 'txn-compaction', idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 20 } });

  function cleanerCheckpoint(): number | undefined {
    const file = path.join(cluster.broker(0).logDir, 'cleaner-offset-checkpoint');
    if (!fs.existsSync(file)) return undefined;
    const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${TOPIC} 0 `));
    return line ? Number(line.split(' ')[2]) : undefined;
  }

  test('aborted records are cleaned away, committed ones compacted; read_committed stays right; the producer survives a restart', async () => {
    const producer = producerFor();
    await producer.connect();
    const latest = new Map<string, string>();
    const aborted = new Set<string>();
    for (let round = 0; round < 30; round++) {
      const commit = round % 3 !== 1;
      const txn = await producer.transaction();
      const messages = Array.from({ length: KEYS }, (_, k) => ({ key: `key-${k}`, value: `r${round}-k${k}-${commit ? 'committed' : 'aborted'}`.padEnd(40, '.'), partition: 0 }));
      await txn.send({ topic: TOPIC, messages });
      if (commit) {
        await txn.commit();
        for (const m of messages) latest.set(m.key, m.value);
      } else {
        await txn.abort();
        for (const m of messages) aborted.add(m.value);
      }
    }
    await producer.disconnect();

    const dir = path.join(cluster.broker(0).logDir, `${TOPIC}-0`);
    const activeBase = () => Math.max(...fs.readdirSync(dir).filter((f) => /^\d{20}\.log$/.test(f)).map((f) => Number(f.slice(0, 20))));
    const cleanedUpTo = await waitFor('the cleaner to clean up to the active segment', () => {
      const checkpoint = cleanerCheckpoint();
      return checkpoint !== undefined && checkpoint === activeBase() ? checkpoint : undefined;
    }, 60000, 200);
    expect(cleanedUpTo).toBeGreaterThan(0);

    const committed = await rows(cluster.bootstrap, 'read_committed');
    expect(committed.some((r) => aborted.has(r.value))).toBe(false);
    // Below the cleaned offset: at most one record per key, and it is the key's latest committed value when it is there.
    const clean = committed.filter((r) => r.offset < cleanedUpTo);
    expect(new Set(clean.map((r) => r.key)).size).toBe(clean.length);
    // The latest value of every key is readable.
    const lastByKey = new Map(committed.map((r) => [r.key, r.value]));
    expect(lastByKey).toEqual(latest);
    // The aborted records below the cleaned offset are gone from the log itself.
    const uncommitted = await rows(cluster.bootstrap, 'read_uncommitted');
    expect(uncommitted.filter((r) => r.offset < cleanedUpTo && aborted.has(r.value))).toEqual([]);

    // Restart: the same transactional id carries on.
    await cluster.stopBroker(0);
    await cluster.startBroker(0);
    const again = producerFor();
    await again.connect();
    const txn = await again.transaction();
    await txn.send({ topic: TOPIC, messages: [{ key: 'key-0', value: 'after-restart', partition: 0 }] });
    await txn.commit();
    await again.disconnect();
    await waitFor('the value committed after the restart', async () => (await rows(cluster.bootstrap, 'read_committed')).some((r) => r.value === 'after-restart'), 30000, 300);
  });
});
