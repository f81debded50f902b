// Preferred leader election with three real brokers: after a leader bounce the leader is not the
// preferred replica; kafka-leader-election (ElectLeaders v0) moves it back, and a second election
// answers ELECTION_NOT_NEEDED. kafka-preferred-replica-election --zookeeper does the same through
// /admin/preferred_replica_election. ElectLeaders must go to the controller.
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { ElectLeaders, ElectLeadersResponse } from '../../../broker/protocol/messages/elect-leaders';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { TestCluster } from '../../helpers/cluster';
import { clusterMetadata, partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';
import { runCli } from '../cli/run-cli';

async function electLeaders(port: number, topic: string, partition: number): Promise<ElectLeadersResponse> {
  const client = await KafkaClient.connect('127.0.0.1', port, { clientId: 'test-elect' });
  try {
    return await client.send(ElectLeaders, 0, { topicPartitions: [{ topic, partitions: [partition] }], timeoutMs: 10000 });
  } finally {
    client.close();
  }
}

describe('preferred leader election', () => {
  let cluster: TestCluster;
  const topic = 'pref';

  beforeAll(async () => {
    // No automatic rebalance: only the tools may move leadership back.
    cluster = await TestCluster.start({ brokers: 3, config: { 'auto.leader.rebalance.enable': false, 'replica.lag.time.max.ms': 4000 } });
    expect((await runCli('kafka-topics', ['--zookeeper', cluster.zkConnect, '--create', '--topic', topic, '--replica-assignment', '1:2,2:3'])).code).toBe(0);
    await waitFor('full ISRs', async () => {
      const ps = await partitionsOf(cluster, topic);
      return ps.length === 2 && ps.every((p) => p.isr.length === 2);
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  /** Bounces broker 1 (preferred leader of pref-0): leadership moves to 2 and stays there. */
  async function bouncePreferredLeader(): Promise<void> {
    await cluster.stopBroker(1);
    await waitFor('broker 2 leads pref-0', async () => (await partitionsOf(cluster, topic))[0]?.leader === 2, 30000);
    await cluster.startBroker(1);
    await waitFor('broker 1 back in the ISR', async () => (await partitionsOf(cluster, topic))[0]?.isr.length === 2, 30000);
    expect((await partitionsOf(cluster, topic))[0].leader).toBe(2);
  }

  test('kafka-leader-election moves the leader back; the second election is not needed', async () => {
    await bouncePreferredLeader();
    const args = ['--bootstrap-server', cluster.bootstrap, '--election-type', 'preferred', '--topic', topic, '--partition', '0'];
    const first = await runCli('kafka-leader-election', args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Successfully completed leader election (PREFERRED) for partitions ${topic}-0`);
    expect((await partitionsOf(cluster, topic))[0].leader).toBe(1);

    const second = await runCli('kafka-leader-election', args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Valid replica already elected for partitions ${topic}-0`);
  });

  test('ElectLeaders v0: ELECTION_NOT_NEEDED at the controller, NOT_CONTROLLER elsewhere, UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const controllerId = (await clusterMetadata(cluster)).controllerId;
    const controller = cluster.broker(controllerId);
    const other = cluster.brokers.find((b) => b.id !== controllerId)!;
    const notNeeded = await electLeaders(controller.port, topic, 1);
    expect(notNeeded.replicaElectionResults).toEqual([{ topic, partitionResult: [{ partitionId: 1, errorCode: ErrorCode.ELECTION_NOT_NEEDED, errorMessage: null }] }]);
    const elsewhere = await electLeaders(other.port, topic, 1);
    expect(elsewhere.replicaElectionResults[0].partitionResult[0].errorCode).toBe(ErrorCode.NOT_CONTROLLER);
    const unknown = await electLeaders(controller.port, 'no-such-topic', 0);
    expect(unknown.replicaElectionResults[0].partitionResult[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  test('kafka-preferred-replica-election --zookeeper: the controller elects and deletes the request', async () => {
    await bouncePreferredLeader();
    const r = await runCli('kafka-preferred-replica-election', ['--zookeeper', cluster.zkConnect]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Successfully started preferred replica election for partitions Set(');
    await waitFor('broker 1 leads pref-0 again', async () => (await partitionsOf(cluster, topic))[0]?.leader === 1, 20000);
    const zk = await KafkaZkClient.connect(cluster.zkConnect, 10000, 10000);
    try {
      await waitFor('request deleted', async () => (await zk.getPreferredReplicaElection()) === null);
    } finally {
      await zk.close();
    }
    const viaBrokers = await runCli('kafka-preferred-replica-election', ['--bootstrap-server', cluster.bootstrap]);
    expect(viaBrokers.code).toBe(0);
    expect(viaBrokers.stdout).toContain('Preferred replica already elected for partitions');
  });

  test('bad arguments: message, usage and exit 1', async () => {
    const noType = await runCli('kafka-leader-election', ['--bootstrap-server', cluster.bootstrap, '--all-topic-partitions']);
    expect(noType.code).toBe(1);
    expect(noType.stderr).toContain('Missing required option(s): election-type');
    expect(noType.stderr).toContain('--election-type');
    const noPartition = await runCli('kafka-leader-election', ['--bootstrap-server', cluster.bootstrap, '--election-type', 'preferred', '--topic', topic]);
    expect(noPartition.code).toBe(1);
    expect(noPartition.stderr).toContain('Missing required option(s): partition');
    const both = await runCli('kafka-preferred-replica-election', ['--bootstrap-server', cluster.bootstrap, '--zookeeper', cluster.zkConnect]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("Exactly one of '[bootstrap-server]' or '[zookeeper]' must be provided");
  });
});
