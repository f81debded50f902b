// A broker frozen (SIGSTOP) for longer than zookeeper.session.timeout.ms loses its ZooKeeper
// session: ZooKeeper deletes its ephemeral /brokers/ids/<id> and /controller. Once it runs again
// (SIGCONT) it must notice the expiry, open a new session, register again (a new czxid, i.e. a
// new broker epoch, KIP-380), win the controller election again and keep serving clients.
import { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { TestCluster } from '../helpers/cluster';
import { kcat } from '../helpers/kcat';
import { waitFor } from '../helpers/wait';

const SESSION_TIMEOUT_MS = 6000;

describe('broker ZooKeeper session expiry (SIGSTOP past the session timeout)', () => {
  let cluster: TestCluster;
  let zk: KafkaZkClient;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'zookeeper.session.timeout.ms': SESSION_TIMEOUT_MS } });
    zk = await KafkaZkClient.connect(cluster.zkConnect, 30000);
  });

  afterAll(async () => {
    await cluster?.signal(0, 'SIGCONT').catch(() => undefined);
    await zk?.close();
    await cluster?.stop();
  });

  test('re-registers with a new czxid, is controller again, and still serves produce and consume', async () => {
    const topic = 'expiry-t';
    const consume = async () => (await kcat(['-C', '-b', cluster.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q'])).stdout;
    expect((await kcat(['-P', '-b', cluster.bootstrap, '-t', topic, '-p', '0'], { input: 'before-1\nbefore-2\n' })).code).toBe(0);
    await waitFor('records before the pause', async () => (await consume()) === 'before-1\nbefore-2\n');

    const registered = (await zk.zk.exists('/brokers/ids/0'))!;
    expect(registered).not.toBeNull();
    expect(await zk.getControllerId()).toBe(0);
    const epochBefore = (await zk.getControllerEpoch())!.epoch;

    await cluster.signal(0, 'SIGSTOP');
    try {
      // ZooKeeper expires the session and removes the ephemerals.
      await waitFor('/brokers/ids/0 to vanish', async () => (await zk.zk.exists('/brokers/ids/0')) === null, SESSION_TIMEOUT_MS * 3, 200);
      await waitFor('/controller to vanish', async () => (await zk.getControllerId()) === null, 5000, 100);
    } finally {
      await cluster.signal(0, 'SIGCONT');
    }

    const reRegistered = await waitFor('/brokers/ids/0 to come back', async () => zk.zk.exists('/brokers/ids/0'), 30000, 200);
    expect(reRegistered.czxid).toBeGreaterThan(registered.czxid);
    expect(reRegistered.ephemeralOwner).not.toBe(registered.ephemeralOwner);
    expect((await zk.getBroker(0))!.endpoints[0].port).toBe(cluster.broker(0).port);

    await waitFor('broker 0 to be controller again', async () => (await zk.getControllerId()) === 0, 30000, 200);
    expect((await zk.getControllerEpoch())!.epoch).toBeGreaterThan(epochBefore);
    // The new controller's leader elections keep broker 0 as the partition's leader.
    const state = await waitFor('partition state with leader 0', async () => {
      const s = (await zk.getTopicPartitionStates([{ topic, partition: 0 }])).get(`${topic}-0`);
      return s && s.leaderAndIsr.leader === 0 ? s : undefined;
    });
    expect(state.leaderAndIsr.isr).toEqual([0]);

    // And clients are served as before: the old records and new ones, offsets continuing.
    await waitFor('produce after the expiry', async () => (await kcat(['-P', '-b', cluster.bootstrap, '-t', topic, '-p', '0'], { input: 'after-1\n' })).code === 0, 30000, 500);
    const all = await waitFor('every record after the expiry', async () => {
      const r = await kcat(['-C', '-b', cluster.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%o %s\n']);
      return r.stdout.split('\n').length > 3 ? r.stdout : undefined;
    }, 30000, 300);
    expect(all).toBe('0 before-1\n1 before-2\n2 after-1\n');
    // A new topic (controller work after the new session: creation, leader election, LeaderAndIsr).
    expect((await kcat(['-P', '-b', cluster.bootstrap, '-t', 'expiry-new-t'], { input: 'fresh\n' })).code).toBe(0);
    const fresh = await waitFor('the new topic consumable', async () => {
      const r = await kcat(['-C', '-b', cluster.bootstrap, '-t', 'expiry-new-t', '-o', 'beginning', '-e', '-q']);
      return r.stdout === 'fresh\n' ? r.stdout : undefined;
    }, 30000, 300);
    expect(fresh).toBe('fresh\n');
    expect(cluster.output(0)).toMatch(/Re-registered broker 0 after ZooKeeper session expiry/);
  }, 60000);
});
