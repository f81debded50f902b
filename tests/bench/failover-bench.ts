// Benchmark (prints figures; not a test): how long a partition is unwritable when its leader
// goes away. Three real brokers, a topic with RF=3 and min.insync.replicas=2; a probe producer
// sends one acks=all record every 10 ms. We measure, from the moment the leader is killed
// (kill -9) or asked to stop (SIGTERM = controlled shutdown), the time until the first record
// sent after that moment is acknowledged by the new leader, and whether any send failed.
//
//   npm run bench:failover -- [--rounds 3] [--session-timeout-ms 6000]
import * as fs from 'fs';
import { ClusterClient } from '../../admin-cli/client/cluster-client';
import { Producer } from '../../admin-cli/client/producer';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { TestCluster } from '../helpers/cluster';
import { partitionsOf } from '../helpers/metadata';
import { waitFor } from '../helpers/wait';
import { startZooKeeper } from '../helpers/zookeeper';

interface ProbeResult {
  failoverMs: number;
  failedSends: number;
}

async function probeFailover(cluster: TestCluster, topic: string, act: (leader: number) => Promise<unknown>): Promise<ProbeResult> {
  const client = await ClusterClient.connect(cluster.bootstrap, { clientId: 'failover-probe', retries: 100, retryBackoffMs: 20, requestTimeoutMs: 5000 });
  const producer = new Producer(client, { acks: -1, lingerMs: 0, retries: 1000, deliveryTimeoutMs: 60000, requestTimeoutMs: 5000 });
  let stop = false;
  let failedSends = 0;
  let firstAckAfter = 0;
  let actedAt = 0;
  const inFlight: Promise<void>[] = [];
  const loop = (async () => {
    let n = 0;
    while (!stop) {
      const sentAt = Date.now();
      inFlight.push(
        producer.send({ topic, partition: 0, value: `probe-${n++}` }).then(
          () => {
            if (actedAt > 0 && sentAt >= actedAt && firstAckAfter === 0) firstAckAfter = Date.now();
          },
          () => {
            failedSends++;
          },
        ),
      );
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await new Promise((r) => setTimeout(r, 1000));
  const [{ leader }] = await partitionsOf(cluster, topic);
  actedAt = Date.now();
  const acting = act(leader);
  await waitFor('an acknowledged send after the failure', () => firstAckAfter > 0, 60000, 5);
  stop = true;
  await loop;
  await Promise.all(inFlight);
  await acting;
  await producer.close();
  await client.close();
  await cluster.startBroker(leader);
  await waitFor('full ISR again', async () => (await partitionsOf(cluster, topic)).every((p) => p.isr.length === 3), 60000, 100);
  return { failoverMs: firstAckAfter - actedAt, failedSends };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const rounds = opt('--rounds', 3);
  const sessionTimeoutMs = opt('--session-timeout-ms', 6000);
  const zk = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zk.connectString;
  process.env.ZAFKA_BROKER_LOG_LEVEL = 'warn';
  const cluster = await TestCluster.start({
    brokers: 3,
    config: { 'zookeeper.session.timeout.ms': sessionTimeoutMs, 'controlled.shutdown.retry.backoff.ms': 200 },
  });
  try {
    const admin = await ClusterClient.connect(cluster.bootstrap, { clientId: 'failover-admin' });
    await admin.sendToController(CreateTopics, {
      topics: [{ name: 'failover', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [{ name: 'min.insync.replicas', value: '2' }] }],
      timeoutMs: 10000,
      validateOnly: false,
    });
    await admin.topicMetadata('failover', { requireLeaders: true });
    await admin.close();
    console.log(`3 brokers, RF=3, min.insync.replicas=2, acks=all probe every 10 ms, zookeeper.session.timeout.ms=${sessionTimeoutMs}`);
    for (let i = 0; i < rounds; i++) {
      const r = await probeFailover(cluster, 'failover', (leader) => cluster.kill(leader));
      console.log(`kill -9 of the leader: first acknowledged produce on the successor after ${r.failoverMs} ms (failed sends: ${r.failedSends})`);
    }
    for (let i = 0; i < rounds; i++) {
      const r = await probeFailover(cluster, 'failover', (leader) => cluster.stopBroker(leader));
      console.log(`controlled shutdown of the leader: first acknowledged produce on the successor after ${r.failoverMs} ms (failed sends: ${r.failedSends})`);
    }
  } finally {
    await cluster.stop();
    await zk.stop();
    fs.rmSync(zk.dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
