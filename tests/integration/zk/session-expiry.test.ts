// Session expiry: the node-zookeeper-client object dies with its session; ZooKeeperClient builds a
// new session and calls onNewSession so the owner re-creates its ephemeral znodes and watches.
// Expiry is forced the way ZooKeeper's own tests do it: a second connection with the same session
// id and password closes the session.
import * as zookeeper from 'node-zookeeper-client';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { parseConnectString } from '../../../controller/zk/zookeeper-client';
import { freshChroot } from '../../helpers/zookeeper';

async function expireSession(connectString: string, creds: { sessionId: Buffer; sessionPassword: Buffer }): Promise<void> {
  const { hosts } = parseConnectString(connectString);
  const options = { sessionTimeout: 6000, ...creds } as Partial<zookeeper.Option>;
  const twin = zookeeper.createClient(hosts, options);
  // Bounded waits: if the original client takes the session back first, the twin may never see
  // these events; the caller then tries again.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 3000);
    twin.once('connected', () => (clearTimeout(timer), resolve()));
    twin.connect();
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    twin.once('disconnected', () => (clearTimeout(timer), resolve()));
    twin.close();
  });
}

describe('ZooKeeperClient session expiry', () => {
  it('builds a new session and lets the owner re-register its ephemeral znode', async () => {
    const connect = freshChroot('zk-expiry');
    const zk = await KafkaZkClient.connect(connect, 6000);
    try {
      await zk.createTopLevelPaths();
      const info = { id: 5, host: 'h', port: 1, rack: null, endpoints: [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'h', port: 1 }] };
      const firstEpoch = await zk.registerBroker(info);
      const oldSession = zk.zk.sessionId;

      let expired = 0;
      zk.onSessionExpired(() => expired++);
      const reRegistered = new Promise<number>((resolve, reject) => {
        zk.onNewSession(async () => {
          try {
            resolve(await zk.registerBroker(info));
          } catch (e) {
            reject(e);
          }
        });
      });

      // The original client may reconnect and take the session back before the twin closes it;
      // then the close is lost, so try again until the expiry is seen.
      const creds = zk.zk.sessionCredentials();
      for (let attempt = 0; attempt < 5 && expired === 0; attempt++) {
        await expireSession(connect, creds);
        for (let i = 0; i < 50 && expired === 0; i++) await new Promise((r) => setTimeout(r, 40));
      }
      let timer: NodeJS.Timeout | undefined;
      const secondEpoch = await Promise.race([
        reRegistered,
        new Promise<number>((_, reject) => (timer = setTimeout(() => reject(new Error('no new session within 30 s')), 30000))),
      ]).finally(() => clearTimeout(timer));

      expect(expired).toBe(1);
      expect(zk.zk.sessionId).not.toBe(oldSession);
      expect(secondEpoch).toBeGreaterThan(firstEpoch); // a new broker epoch (KIP-380)
      const stat = (await zk.zk.exists('/brokers/ids/5'))!;
      expect(stat.ephemeralOwner).toBe(zk.zk.sessionId);
      expect(await zk.getBrokerIds()).toEqual([5]);
    } finally {
      await zk.close();
    }
  }, 60000);
});
