// SIGSTOP a leader for longer than zookeeper.session.timeout.ms, then SIGCONT: it is fenced
// out (a new leader with a newer epoch took over), it re-registers, truncates what it wrote while
// deposed and rejoins the ISR — and nothing it accepted while deposed becomes visible.
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { Produce } from '../../../broker/protocol/messages/produce';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { AckedStream, checkAcknowledged } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kafkajs } from '../../helpers/kafkajs-client';
import { partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';

describe('a leader frozen past its session timeout', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, config: { 'replica.lag.time.max.ms': 3000 } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('is fenced, truncates, rejoins the ISR, and its deposed writes never appear', async () => {
    const topic = 'fenced';
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: true });
    await admin.disconnect();

    // A frozen leader keeps its connections open and silent. kafkajs only moves on after its
    // request timeout (30 s by default, as Kafka's clients) and refreshes metadata only when it
    // is old, from its seed brokers: so the producer bootstraps from the followers, with short
    // timeouts and metadata age.
    const [{ leader, replicas }] = await partitionsOf(cluster, topic);
    const followers = cluster.brokers.filter((b) => b.id !== leader).map((b) => `127.0.0.1:${b.port}`).join(',');
    const stream = new AckedStream(kafkajs(followers, 'deposed-test', 4000), topic, 1, 10, true);
    await stream.start();
    await waitFor('some acknowledged records', () => stream.acked.length >= 100, 20000, 20);

    await cluster.signal(leader, 'SIGSTOP');
    await waitFor('a new leader while the old one is frozen', async () => {
      const [p] = await partitionsOf(cluster, topic);
      return p && p.leader >= 0 && p.leader !== leader;
    }, 30000, 200);
    const atTakeover = stream.acked.length;
    await waitFor('progress on the new leader', () => stream.acked.length >= atTakeover + 50, 30000, 20);

    // Wake the old leader and write to it directly before it learns it was deposed.
    await cluster.signal(leader, 'SIGCONT');
    const direct = await KafkaClient.connect('127.0.0.1', cluster.broker(leader).port, { clientId: 'deposed-writer' });
    const response = await direct.send(Produce, 3, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 3000,
      topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeRecordBatch({ records: [{ value: 'deposed-write' }] }) }] }],
    });
    direct.close();
    expect(response.responses[0].partitionResponses[0].errorCode).not.toBe(ErrorCode.NONE);

    await waitFor('the old leader back in the ISR', async () => {
      const [p] = await partitionsOf(cluster, topic);
      return p && p.isr.length === replicas.length;
    }, 40000, 200);
    await stream.stop();

    const rows = await consumeUntilAll(cluster.bootstrap, topic, stream.acked);
    expect(rows.map((r) => r.value)).not.toContain('deposed-write');
    checkAcknowledged(rows, stream.acked);
    // The rejoined replica serves the same log: read it alone once it leads again.
    expect(cluster.output(leader)).toMatch(/Re-registered broker|Registered broker/);
  });
});
