// The Prometheus endpoint of real brokers, scraped over HTTP while real clients (kafkajs, kcat)
// produce and consume: the exported counters must equal what the clients sent and read, and
// the gauges must follow the cluster's real state (a killed broker makes partitions
// under-replicated, shrinks ISRs, takes an RF=1 partition offline).
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { BROKER_MAIN, TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs, TEST_CONSUMER_FETCH } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { configureMetricsPorts, httpGet, Scrape } from '../../helpers/prometheus-scrape';
import { waitFor } from '../../helpers/wait';

/** Bytes of the .log segment files of a topic's partitions in one log dir (what the broker stored). */
function segmentBytesOnDisk(logDir: string, topic: string): number {
  let total = 0;
  for (const dir of fs.readdirSync(logDir)) {
    if (!new RegExp(`^${topic}-\\d+$`).test(dir)) continue;
    for (const file of fs.readdirSync(path.join(logDir, dir))) {
      if (file.endsWith('.log')) total += fs.statSync(path.join(logDir, dir, file)).size;
    }
  }
  return total;
}

describe('Prometheus endpoint on one broker', () => {
  let cluster: TestCluster;
  let port: number;
  const topic = 'metrics-counted';
  const sends = 20;
  const perSend = 25;

  beforeAll(async () => {
    cluster = await TestCluster.create({ brokers: 1, config: { 'offsets.topic.num.partitions': 3 } });
    port = (await configureMetricsPorts(cluster, [0])).get(0)!;
    await cluster.startBroker(0);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('serves /metrics in the text format with Kafka and Node process metrics; other paths get 404', async () => {
    const answer = await httpGet(port, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(answer.body).toMatch(/^# TYPE kafka_server_brokertopicmetrics_messagesin_total counter$/m);
    const scrape = await Scrape.of(port);
    expect(scrape.value('kafka_controller_kafkacontroller_activecontrollercount')).toBe(1);
    expect(scrape.value('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(scrape.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(scrape.find('nodejs_eventloop_lag_seconds').length).toBe(1);
    expect((await httpGet(port, '/')).status).toBe(404);
    expect((await httpGet(port, '/metrics/../admin')).status).toBe(404);
    expect(cluster.output(0)).toContain(`Prometheus metrics endpoint listening on http://127.0.0.1:${port}/metrics`);
  });

  test('a kafkajs produce run: messages in per topic equal the records sent, bytes in equal the batches stored', async () => {
    const kafka = kafkajs(cluster.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const before = await Scrape.of(port);
    const producedBefore = before.sum('kafka_network_requestmetrics_requests_total', { request: 'Produce' });

    const producer = kafka.producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    for (let s = 0; s < sends; s++) {
      const messages = Array.from({ length: perSend }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(1 + ((s * perSend + i) % 97)) }));
      await producer.send({ topic, acks: -1, messages });
    }
    await producer.disconnect();

    const scrape = await Scrape.of(port);
    const records = sends * perSend;
    expect(scrape.value('kafka_server_brokertopicmetrics_messagesin_total', { topic })).toBe(records);
    expect(scrape.value('kafka_server_brokertopicmetrics_messagesin_total', { topic: '' })).toBeGreaterThanOrEqual(records);
    // Batches are stored exactly as received (offsets patched in place), so the bytes counted in
    // equal the topic's log sizes, exported and on disk.
    const bytesIn = scrape.value('kafka_server_brokertopicmetrics_bytesin_total', { topic });
    const logSize = scrape.sum('kafka_log_log_size', { topic });
    expect(bytesIn).toBe(logSize);
    expect(logSize).toBe(segmentBytesOnDisk(cluster.broker(0).logDir, topic));
    expect(scrape.find('kafka_log_log_size', { topic }).map((s) => s.labels.partition).sort()).toEqual(['0', '1', '2']);
    expect(scrape.sum('kafka_log_log_logendoffset', { topic })).toBe(records);
    // One Produce request per send (one broker), each counted and timed.
    const produceRequests = scrape.sum('kafka_network_requestmetrics_requests_total', { request: 'Produce' }) - producedBefore;
    expect(produceRequests).toBe(sends);
    for (const s of scrape.find('kafka_network_requestmetrics_requests_total', { request: 'Produce' })) expect(s.labels.version).toMatch(/^\d+$/);
    expect(scrape.value('kafka_network_requestmetrics_totaltimems_count', { request: 'Produce' })).toBe(producedBefore + sends);
    const quantiles = scrape.find('kafka_network_requestmetrics_totaltimems', { request: 'Produce' });
    expect(quantiles.map((q) => q.labels.quantile)).toEqual(['0.50', '0.75', '0.95', '0.98', '0.99', '0.999']);
    const p50 = scrape.value('kafka_network_requestmetrics_totaltimems', { request: 'Produce', quantile: '0.50' });
    const p99 = scrape.value('kafka_network_requestmetrics_totaltimems', { request: 'Produce', quantile: '0.99' });
    expect(p50).toBeGreaterThan(0);
    expect(p99).toBeGreaterThanOrEqual(p50);
    expect(scrape.value('kafka_server_brokertopicmetrics_totalproducerequests_total', { topic })).toBeGreaterThanOrEqual(sends);
    expect(scrape.value('kafka_server_brokertopicmetrics_failedproducerequests_total', { topic })).toBe(0);
    expect(scrape.value('kafka_server_replicamanager_leadercount')).toBe(scrape.value('kafka_server_replicamanager_partitioncount'));
    expect(scrape.value('kafka_server_replicamanager_underreplicatedpartitions')).toBe(0);
  });

  test('kcat reads the topic once: bytes out equal the stored batches, fetches count as FetchConsumer', async () => {
    const before = await Scrape.of(port);
    const read = await kcat(['-C', '-b', cluster.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%o\n']);
    expect(read.code).toBe(0);
    expect(read.stdout.split('\n').filter((l) => l !== '').length).toBe(sends * perSend);
    const scrape = await Scrape.of(port);
    const bytesOut = scrape.value('kafka_server_brokertopicmetrics_bytesout_total', { topic }) - (before.find('kafka_server_brokertopicmetrics_bytesout_total', { topic })[0]?.value ?? 0);
    expect(bytesOut).toBe(scrape.sum('kafka_log_log_size', { topic }));
    const fetches = scrape.sum('kafka_network_requestmetrics_requests_total', { request: 'Fetch' });
    expect(fetches).toBeGreaterThan(0);
    expect(scrape.sum('kafka_network_requestmetrics_requests_total', { request: 'FetchConsumer' })).toBe(fetches);
    expect(scrape.find('kafka_network_requestmetrics_requests_total', { request: 'FetchFollower' })).toEqual([]);
  });

  test('a kafkajs consumer group shows as one Stable group while it runs and Empty after it leaves', async () => {
    const kafka = kafkajs(cluster.bootstrap);
    const consumer = kafka.consumer({ groupId: 'metrics-group', sessionTimeout: 10000, heartbeatInterval: 500, ...TEST_CONSUMER_FETCH });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => void seen++ });
    await waitFor('every record consumed', () => seen >= sends * perSend, 60000);
    const running = await waitFor('a Stable group', async () => {
      const s = await Scrape.of(port);
      return s.value('kafka_coordinator_group_groupmetadatamanager_numgroupsstable') === 1 ? s : undefined;
    });
    expect(running.value('kafka_coordinator_group_groupmetadatamanager_numgroups')).toBe(1);
    expect(running.value('kafka_coordinator_group_groupmetadatamanager_numgroupsempty')).toBe(0);
    await consumer.disconnect();
    const left = await waitFor('an Empty group', async () => {
      const s = await Scrape.of(port);
      return s.value('kafka_coordinator_group_groupmetadatamanager_numgroupsempty') === 1 ? s : undefined;
    });
    expect(left.value('kafka_coordinator_group_groupmetadatamanager_numgroupsstable')).toBe(0);
    // kafkajs commits on leaving: one offset per partition of the topic.
    expect(left.value('kafka_coordinator_group_groupmetadatamanager_numoffsets')).toBe(3);
    expect(seen).toBe(sends * perSend);
  });
});

describe('Prometheus endpoint not configured', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('the broker listens on its Kafka port only and logs no endpoint', async () => {
    const pid = cluster.broker(0).process!.pid!;
    const listening = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(`pid=${pid},`))
      .map((l) => Number(/:(\d+)\s/.exec(l)![1]));
    expect(listening).toEqual([cluster.broker(0).port]);
    expect(cluster.output(0)).not.toContain('Prometheus metrics endpoint');
  });
});

describe('Prometheus endpoint on a port already taken', () => {
  let cluster: TestCluster;
  let squatter: net.Server;

  afterAll(async () => {
    await cluster?.stop();
    await new Promise((r) => squatter?.close(r));
  });

  test('the broker exits 1 at start-up with one error naming metrics.prometheus.listener', async () => {
    squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    const taken = (squatter.address() as net.AddressInfo).port;
    cluster = await TestCluster.create({ brokers: 1 });
    const broker = cluster.broker(0);
    fs.appendFileSync(broker.configFile, `metrics.prometheus.listener=http://127.0.0.1:${taken}\n`);
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [BROKER_MAIN, broker.configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_DIR: '' } });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (exitCode) => resolve({ code: exitCode, output }));
    });
    expect(code).toBe(1);
    const errors = output.split('\n').filter((l) => / (ERROR|FATAL) /.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`Cannot serve metrics.prometheus.listener http://127.0.0.1:${taken}: listen EADDRINUSE`);
  });
});
