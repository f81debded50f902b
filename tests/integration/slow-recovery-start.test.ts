// A broker whose logs take longer to recover than its ZooKeeper session lasts still starts: logs
// load before the session is opened (broker/server.ts). Before, recovery ran on the event loop
// after the connect, the session expired meanwhile (no pings), and start-up died with
// CONNECTION_LOSS on every restart. The log here holds one idempotent batch for each of 1,000,000
// producer ids with no snapshot and no clean-shutdown marker, as after a kill -9: the broker
// re-validates the segment and replays every producer (about 10 s on the 2-core machine), far
// past the 2 s session: before the fix this test failed with exactly that CONNECTION_LOSS.
import { KafkaClient } from '../../broker/network/kafka-client';
import { ListOffsets } from '../../broker/protocol/messages/list-offsets';
import { writeProducerIdLog } from '../bench/transactions/producer-id-log';
import { TestCluster } from '../helpers/cluster';
import { kafkajs } from '../helpers/kafkajs-client';

jest.setTimeout(240000);

const PRODUCER_IDS = 1_000_000;

describe('start-up with a log recovery longer than the ZooKeeper session', () => {
  let cluster: TestCluster;

  afterAll(async () => {
    await cluster?.stop();
  });

  test('the broker recovers 1,000,000 producer ids with a 2 s session, registers and serves every record', async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'zookeeper.session.timeout.ms': 2000 } });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'ids', numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    await cluster.stopBroker(0);

    writeProducerIdLog(cluster.broker(0).logDir, 'ids', PRODUCER_IDS);
    const started = Date.now();
    await cluster.startBroker(0, 180000);
    console.log(`slow recovery start: serving ${Date.now() - started} ms after the start`);

    const client = await KafkaClient.connect('127.0.0.1', cluster.broker(0).port, { clientId: 'slow-recovery' });
    try {
      const r = await client.send(ListOffsets, 1, { replicaId: -1, topics: [{ name: 'ids', partitions: [{ partitionIndex: 0, timestamp: -1 }] }] });
      expect(r.topics[0].partitions[0]).toMatchObject({ errorCode: 0, offset: PRODUCER_IDS });
    } finally {
      client.close();
    }
    expect(cluster.output(0)).not.toMatch(/session expired|CONNECTION_LOSS|Shutdown broker/i);
  });
});
