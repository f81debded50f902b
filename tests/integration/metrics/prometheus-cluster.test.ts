// The Prometheus endpoints of a real 3-broker cluster follow the cluster's state: one active
// controller, leaders and partitions adding up to the controller's global count, and a killed
// broker making its partitions under-replicated (ISR shrinks on the leaders, an RF=1 partition
// offline at the controller) until it comes back and the ISRs expand again.
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { configureMetricsPorts, Scrape } from '../../helpers/prometheus-scrape';
import { waitFor } from '../../helpers/wait';

const IDS = [1, 2, 3];

describe('Prometheus endpoints of a 3-broker cluster', () => {
  let cluster: TestCluster;
  let ports: Map<number, number>;

  const scrapeAll = async (ids: readonly number[]) => new Map(await Promise.all(ids.map(async (id) => [id, await Scrape.of(ports.get(id)!)] as const)));
  const total = (scrapes: Map<number, Scrape>, name: string, labels: Record<string, string> = {}) =>
    [...scrapes.values()].reduce((n, s) => n + s.sum(name, labels), 0);

  beforeAll(async () => {
    cluster = await TestCluster.create({ brokers: 3, config: { 'replica.lag.time.max.ms': 3000 } });
    ports = await configureMetricsPorts(cluster, IDS);
    await Promise.all(IDS.map((id) => cluster.startBroker(id)));
    await cluster.waitForAllBrokers();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('a killed broker: its partitions go under-replicated and an RF=1 one offline, then recover when it returns', async () => {
    const initial = await scrapeAll(IDS);
    expect(total(initial, 'kafka_controller_kafkacontroller_activecontrollercount')).toBe(1);
    const controllerId = IDS.find((id) => initial.get(id)!.value('kafka_controller_kafkacontroller_activecontrollercount') === 1)!;
    const victim = IDS.find((id) => id !== controllerId)!;
    const survivors = IDS.filter((id) => id !== victim);

    const kafka = kafkajs(cluster.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'replicated', numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
        { topic: 'single', replicaAssignment: [{ partition: 0, replicas: [victim] }] },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    for (let i = 0; i < 10; i++) {
      await producer.send({ topic: 'replicated', acks: -1, messages: Array.from({ length: 30 }, (_, j) => ({ key: `k${j}`, value: `v${i}-${j}` })) });
    }
    await producer.disconnect();

    const healthy = await waitFor('every ISR full', async () => {
      const s = await scrapeAll(IDS);
      const leadersWithFullIsr = total(s, 'kafka_cluster_partition_insyncreplicascount', { topic: 'replicated' });
      return leadersWithFullIsr === 9 && total(s, 'kafka_server_replicamanager_underreplicatedpartitions') === 0 ? s : undefined;
    }, 60000);
    // Every hosted partition has exactly one leader, and the controller counts them all.
    const controller = healthy.get(controllerId)!;
    expect(total(healthy, 'kafka_server_replicamanager_leadercount')).toBe(controller.value('kafka_controller_kafkacontroller_globalpartitioncount'));
    expect(controller.value('kafka_controller_kafkacontroller_globaltopiccount')).toBeGreaterThanOrEqual(2);
    expect(total(healthy, 'kafka_server_replicamanager_partitioncount', {})).toBe(total(healthy, 'kafka_cluster_partition_replicascount'));
    // Followers replicate with FetchFollower requests, which send replication bytes, not bytes out.
    expect(total(healthy, 'kafka_network_requestmetrics_requests_total', { request: 'FetchFollower' })).toBeGreaterThan(0);
    expect(total(healthy, 'kafka_server_brokertopicmetrics_replicationbytesout_total')).toBeGreaterThan(0);
    expect(total(healthy, 'kafka_server_brokertopicmetrics_bytesout_total', { topic: 'replicated' })).toBe(0);
    expect(total(healthy, 'kafka_server_brokertopicmetrics_messagesin_total', { topic: 'replicated' })).toBe(300);
    expect(total(healthy, 'kafka_controller_kafkacontroller_offlinepartitionscount')).toBe(0);
    // Partitions the victim follows but does not lead: their leaders will shrink the ISR.
    const ledBySurvivors = survivors.reduce((n, id) => n + healthy.get(id)!.find('kafka_cluster_partition_replicascount', { topic: 'replicated' }).filter((s) => s.value > 0).length, 0);
    const shrinksBefore = total(healthy, 'kafka_server_replicamanager_isrshrinks_total');

    await cluster.kill(victim);
    const degraded = await waitFor('under-replicated partitions and an offline one', async () => {
      const s = await scrapeAll(survivors);
      return total(s, 'kafka_server_replicamanager_underreplicatedpartitions') === 3 &&
        s.get(controllerId)!.value('kafka_controller_kafkacontroller_offlinepartitionscount') === 1
        ? s
        : undefined;
    }, 60000);
    expect(total(degraded, 'kafka_cluster_partition_underreplicated', { topic: 'replicated' })).toBe(3);
    // ISR 2 of 3 with min.insync.replicas=2: at the minimum, not under it.
    expect(total(degraded, 'kafka_server_replicamanager_atminisrpartitioncount')).toBeGreaterThanOrEqual(3);
    expect(total(degraded, 'kafka_cluster_partition_underminisr', { topic: 'replicated' })).toBe(0);
    expect(total(degraded, 'kafka_server_replicamanager_isrshrinks_total') - shrinksBefore).toBeGreaterThanOrEqual(ledBySurvivors);
    expect(total(degraded, 'kafka_controller_kafkacontroller_activecontrollercount')).toBe(1);

    const expandsBefore = total(degraded, 'kafka_server_replicamanager_isrexpands_total');
    await cluster.startBroker(victim);
    const recovered = await waitFor('full ISRs again', async () => {
      const s = await scrapeAll(IDS);
      return total(s, 'kafka_server_replicamanager_underreplicatedpartitions') === 0 &&
        total(s, 'kafka_controller_kafkacontroller_offlinepartitionscount') === 0
        ? s
        : undefined;
    }, 60000);
    expect(total(recovered, 'kafka_server_replicamanager_isrexpands_total') - expandsBefore).toBeGreaterThanOrEqual(3);
    expect(total(recovered, 'kafka_controller_kafkacontroller_activecontrollercount')).toBe(1);
  });
});
