// Old clients and old message formats, spoken by librdkafka:
//   0.9.0  -> Produce v1 / Fetch v1 with message format v0 (magic 0, no timestamps): librdkafka
//             told not to ask for ApiVersions uses broker.version.fallback=0.9.0.
//   0.10.0 -> Produce v2 / Fetch v2 with message format v1 (magic 1, timestamps): librdkafka asks
//             ApiVersions whenever the fallback has it, so a proxy in front of the broker answers
//             those clients' ApiVersions with Kafka 0.10.0's list (tests/helpers/old-broker-proxy).
// The broker stores only v2 batches: an old producer's message set is up-converted on append, and
// Fetch v0-v3 gets v2 batches down-converted (uncompressed, see docs/DIFFERENCES.md). Either way
// keys, values and offsets must come through intact, whatever the codec.
import { CompressionTypes } from 'kafkajs';
import { TestCluster } from '../helpers/cluster';
import { OldBrokerProxy } from '../helpers/old-broker-proxy';
import { freePort } from '../helpers/ports';
import { DEFAULT_PARTITIONER, kafkajs } from '../helpers/kafkajs-client';
import { kcat } from '../helpers/kcat';
import { waitFor } from '../helpers/wait';

interface KcatMessage {
  partition: number;
  offset: number;
  tstype: string;
  ts: number;
  key: string | null;
  payload: string | null;
}

/** The Produce and Fetch versions librdkafka uses for each fallback (what the test relies on). */
const VERSIONS = { 'v0 (0.9.0)': { produce: 1, fetch: 1 }, 'v1 (0.10.0)': { produce: 2, fetch: 2 } } as const;

const OLD_CLIENT_ID = 'kafka-0.10-client';

const LEGACY = {
  'v0 (0.9.0)': ['-X', 'api.version.request=false', '-X', 'broker.version.fallback=0.9.0'],
  'v1 (0.10.0)': ['-X', `client.id=${OLD_CLIENT_ID}`, '-X', 'broker.version.fallback=0.10.0'],
} as const;
type Legacy = keyof typeof LEGACY;

const CODECS = ['none', 'gzip', 'snappy', 'lz4'] as const;

describe('legacy message formats (librdkafka with an old protocol)', () => {
  let cluster: TestCluster;
  let proxy: OldBrokerProxy;
  let bootstrap: string;

  beforeAll(async () => {
    // Every client reaches the broker through the proxy (it is the advertised address).
    const proxyPort = await freePort();
    cluster = await TestCluster.create({ brokers: 1, config: { 'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxyPort}` } });
    proxy = await OldBrokerProxy.start(proxyPort, cluster.broker(0).port, OLD_CLIENT_ID);
    await cluster.startBroker(0);
    bootstrap = `127.0.0.1:${proxyPort}`;
  });

  afterAll(async () => {
    await proxy?.stop();
    await cluster?.stop();
  });

  async function createTopic(topic: string): Promise<void> {
    const admin = kafkajs(bootstrap).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
  }

  /** Every message of partition 0 from the beginning; `extra` selects the client's protocol. */
  async function consume(topic: string, extra: readonly string[] = []): Promise<KcatMessage[]> {
    const r = await kcat(['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-J', ...extra]);
    expect(r.stderr).not.toMatch(/ERROR|%3\|/);
    expect(r.code).toBe(0);
    return r.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as KcatMessage);
  }

  async function consumeCount(topic: string, n: number, extra: readonly string[] = []): Promise<KcatMessage[]> {
    return waitFor(`${n} records of ${topic}`, async () => {
      const m = await consume(topic, extra);
      return m.length >= n ? m : undefined;
    }, 20000, 300);
  }

  const expected = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ offset: i, key: `k${i % 3}`, payload: `${prefix}-${i}` }));
  const essentials = (m: KcatMessage[]) => m.map(({ offset, key, payload }) => ({ offset, key, payload }));

  describe.each(Object.keys(LEGACY) as Legacy[])('old producer, message format %s', (format) => {
    test.each(CODECS)('codec %s: a modern consumer and an old one read every record', async (codec) => {
      const topic = `old-produce-${format.slice(0, 2)}-${codec}`;
      await createTopic(topic);
      // Two separate produce requests (-X linger 0 and a flush between is not available in kcat,
      // so two runs), so the second set's offsets continue the first's.
      for (const [from, count] of [[0, 12], [12, 8]]) {
        const lines = Array.from({ length: count }, (_, i) => `k${(from + i) % 3}:${format.slice(0, 2)}-${codec}-${from + i}`).join('\n') + '\n';
        const r = await kcat(['-P', '-b', bootstrap, '-t', topic, '-p', '0', '-K', ':', '-z', codec, '-d', 'protocol', ...LEGACY[format]], { input: lines });
        expect(r.code).toBe(0);
        // It really spoke the old protocol: no ApiVersions, and the old Produce version.
        if (format.startsWith('v0')) expect(r.stderr).not.toMatch(/ApiVersionRequest/);
        expect(r.stderr).toMatch(new RegExp(`Sent ProduceRequest \\(v${VERSIONS[format].produce},`));
        expect(r.stderr).not.toMatch(/ERROR|FAIL/);
      }
      const want = expected(`${format.slice(0, 2)}-${codec}`, 20);

      const modern = await consumeCount(topic, 20);
      expect(essentials(modern)).toEqual(want);
      if (format.startsWith('v1')) {
        // Magic 1 carries the producer's CreateTime; it survives the up-conversion.
        for (const m of modern) {
          expect(m.tstype).toBe('create');
          expect(Math.abs(m.ts - Date.now())).toBeLessThan(60000);
        }
      }
      // The same old protocol reads them back (Fetch v1/v2: down-converted to its magic).
      expect(essentials(await consume(topic, LEGACY[format]))).toEqual(want);
    });
  });

  describe.each(Object.keys(LEGACY) as Legacy[])('modern producer, old consumer with message format %s', (format) => {
    test.each([
      ['none', CompressionTypes.None],
      ['gzip', CompressionTypes.GZIP],
      ['snappy', CompressionTypes.Snappy],
      ['lz4', CompressionTypes.LZ4],
    ] as const)('kafkajs %s batches are down-converted with keys, values and offsets intact', async (codec, compression) => {
      const topic = `new-produce-${format.slice(0, 2)}-${codec}`;
      await createTopic(topic);
      const producer = kafkajs(bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER, allowAutoTopicCreation: false });
      await producer.connect();
      const prefix = `kjs-${codec}`;
      try {
        // Three batches, so down-conversion has to keep absolute offsets across them.
        for (const [from, count] of [[0, 10], [10, 1], [11, 9]]) {
          const messages = Array.from({ length: count }, (_, i) => ({ key: `k${(from + i) % 3}`, value: `${prefix}-${from + i}`, headers: { h: 'lost in v0/v1' } }));
          await producer.send({ topic, acks: -1, compression, messages: messages.map((m) => ({ ...m, partition: 0 })) });
        }
      } finally {
        await producer.disconnect();
      }
      const old = await consumeCount(topic, 20, LEGACY[format]);
      const debug = await kcat(['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-c', '1', '-d', 'protocol', ...LEGACY[format]]);
      expect(debug.stderr).toMatch(new RegExp(`Sent FetchRequest \\(v${VERSIONS[format].fetch},`));
      expect(essentials(old)).toEqual(expected(prefix, 20));
      if (format.startsWith('v1')) for (const m of old) expect(m.ts).toBeGreaterThan(0);

      // Starting in the middle of a compressed batch: the old client gets the whole batch's
      // messages and skips those before its offset.
      const r = await kcat(['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', '5', '-e', '-q', '-f', '%o:%k:%s\n', ...LEGACY[format]]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(expected(prefix, 20).slice(5).map((m) => `${m.offset}:${m.key}:${m.payload}\n`).join(''));
    });
  });
});
