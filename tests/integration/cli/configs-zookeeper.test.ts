// kafka-configs --zookeeper against a real ZooKeeper and a real broker: the znodes and change
// notifications it writes are byte-for-byte what Kafka 2.4 writes (shared/reference/kafka-2.4-zookeeper:
// topic "d" created with segment.bytes=200000, then `kafka-configs --alter --add-config
// retention.ms=3600000`), a topic change reaches the broker (DescribeConfigs), and each refusal
// exits 1 with Kafka's message.
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { TestCluster } from '../../helpers/cluster';
import { eventually, runCli } from './run-cli';

jest.setTimeout(120000);

describe('kafka-configs --zookeeper', () => {
  let cluster: TestCluster;
  let zk: KafkaZkClient;
  const text = async (path: string) => (await zk.zk.getData(path)).data!.toString('utf8');
  const notifications = async () => {
    const names = (await zk.zk.getChildren('/config/changes')).sort();
    return Promise.all(names.map((n) => text(`/config/changes/${n}`)));
  };
  const configs = (...args: string[]) => runCli('kafka-configs', ['--zookeeper', cluster.zkConnect, ...args]);

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1 });
    zk = await KafkaZkClient.connect(cluster.zkConnect, 10000);
  });
  afterAll(async () => {
    await zk?.close();
    await cluster?.stop();
  });

  it('alters a topic config as Kafka 2.4 does: same znode bytes, one version-2 notification, applied by the broker', async () => {
    const created = await runCli('kafka-topics', ['--zookeeper', cluster.zkConnect, '--create', '--topic', 'd', '--partitions', '1', '--replication-factor', '1', '--config', 'segment.bytes=200000']);
    expect(created.code).toBe(0);
    const before = (await notifications()).length;

    const altered = await configs('--alter', '--entity-type', 'topics', '--entity-name', 'd', '--add-config', 'retention.ms=3600000');
    expect(altered).toMatchObject({ code: 0, stdout: "Completed Updating config for entity: topic 'd'.\n" });
    expect(await text('/config/topics/d')).toBe('{"version":1,"config":{"segment.bytes":"200000","retention.ms":"3600000"}}');
    const after = await notifications();
    expect(after.length).toBe(before + 1);
    expect(after[after.length - 1]).toBe('{"version":2,"entity_path":"topics/d"}');

    const described = await configs('--describe', '--entity-type', 'topics', '--entity-name', 'd');
    expect(described).toMatchObject({ code: 0, stdout: "Configs for topic 'd' are segment.bytes=200000,retention.ms=3600000\n" });

    // The broker picks the change up from the notification: DescribeConfigs shows the override.
    await eventually(async () => {
      const r = await runCli('kafka-topics', ['--bootstrap-server', cluster.bootstrap, '--describe', '--topic', 'd']);
      expect(r.stdout).toContain('retention.ms=3600000');
    });

    // Lists in brackets keep their commas; --delete-config takes k1,k2.
    const list = await configs('--alter', '--entity-type', 'topics', '--entity-name', 'd', '--add-config', 'cleanup.policy=[compact,delete], min.insync.replicas = 1');
    expect(list.code).toBe(0);
    expect(JSON.parse(await text('/config/topics/d')).config).toEqual({ 'segment.bytes': '200000', 'retention.ms': '3600000', 'cleanup.policy': 'compact,delete', 'min.insync.replicas': '1' });
    await eventually(async () => {
      const r = await runCli('kafka-topics', ['--bootstrap-server', cluster.bootstrap, '--describe', '--topic', 'd']);
      expect(r.stdout).toContain('cleanup.policy=compact,delete');
    });
    const deleted = await configs('--alter', '--entity-type', 'topics', '--entity-name', 'd', '--delete-config', 'retention.ms,cleanup.policy', '--delete-config', 'min.insync.replicas');
    expect(deleted.code).toBe(0);
    expect(await text('/config/topics/d')).toBe('{"version":1,"config":{"segment.bytes":"200000"}}');
    await eventually(async () => {
      const r = await runCli('kafka-topics', ['--bootstrap-server', cluster.bootstrap, '--describe', '--topic', 'd']);
      expect(r.stdout).not.toContain('retention.ms=3600000');
    });
  });

  it('writes client, user, <user, client> and default quotas under sanitized names, each with its notification', async () => {
    expect((await configs('--alter', '--entity-type', 'clients', '--entity-name', 'my client*', '--add-config', 'producer_byte_rate=1024')).code).toBe(0);
    expect(await text('/config/clients/my%20client%2A')).toBe('{"version":1,"config":{"producer_byte_rate":"1024"}}');
    // "clients then users" names the same <user, client> entity as "users then clients".
    const pair = await configs('--alter', '--entity-type', 'clients', '--entity-default', '--entity-type', 'users', '--entity-name', 'alice', '--add-config', 'request_percentage=50');
    expect(pair).toMatchObject({ code: 0, stdout: "Completed Updating config for entity: user-principal 'alice', default client-id.\n" });
    expect(await text('/config/users/alice/clients/<default>')).toBe('{"version":1,"config":{"request_percentage":"50"}}');
    expect((await configs('--alter', '--entity-type', 'users', '--entity-default', '--add-config', 'consumer_byte_rate=2048')).code).toBe(0);
    const tail = (await notifications()).slice(-3);
    expect(tail).toEqual([
      '{"version":2,"entity_path":"clients/my%20client%2A"}',
      '{"version":2,"entity_path":"users/alice/clients/<default>"}',
      '{"version":2,"entity_path":"users/<default>"}',
    ]);

    expect((await configs('--describe', '--entity-type', 'clients')).stdout).toBe("Configs for client-id 'my client*' are producer_byte_rate=1024\n");
    // All users: user znodes holding only <user, client> quotas are skipped.
    expect((await configs('--describe', '--entity-type', 'users')).stdout).toBe('Configs for default user-principal are consumer_byte_rate=2048\n');
    expect((await configs('--describe', '--entity-type', 'users', '--entity-type', 'clients')).stdout).toBe(
      "Configs for user-principal 'alice', default client-id are request_percentage=50\n",
    );
  });

  it('writes replication throttles for a running broker and refuses other broker configs while it runs (requirement failed, exit 1)', async () => {
    const throttle = await configs('--alter', '--entity-type', 'brokers', '--entity-name', '0', '--add-config', 'leader.replication.throttled.rate=1000000');
    expect(throttle).toMatchObject({ code: 0, stdout: "Completed Updating config for entity: brokers '0'.\n" });
    expect(await text('/config/brokers/0')).toBe('{"version":1,"config":{"leader.replication.throttled.rate":"1000000"}}');
    expect((await notifications()).pop()).toBe('{"version":2,"entity_path":"brokers/0"}');
    expect((await configs('--describe', '--entity-type', 'brokers', '--entity-name', '0')).stdout).toBe("Configs for brokers '0' are leader.replication.throttled.rate=1000000\n");

    const running = await configs('--alter', '--entity-type', 'brokers', '--entity-name', '0', '--add-config', 'log.cleaner.threads=2');
    expect(running.code).toBe(1);
    expect(running.stderr).toContain('requirement failed: --bootstrap-server option must be specified to update broker configs Set(log.cleaner.threads) when broker 0 is running.');
    const anyRunning = await configs('--alter', '--entity-type', 'brokers', '--entity-default', '--add-config', 'log.cleaner.threads=2');
    expect(anyRunning.stderr).toContain('for default cluster if any broker is running');
    // A broker that is not running may be bootstrapped, with dynamic configs only.
    expect((await configs('--alter', '--entity-type', 'brokers', '--entity-name', '7', '--add-config', 'log.cleaner.threads=2')).code).toBe(0);
    const staticConfig = await configs('--alter', '--entity-type', 'brokers', '--entity-name', '7', '--add-config', 'log.dirs=/x');
    expect(staticConfig.code).toBe(1);
    expect(staticConfig.stderr).toContain('org.apache.kafka.common.config.ConfigException: Cannot update these configs dynamically: Set(log.dirs)\n');
  });

  it('describes broker configs over --bootstrap-server (DescribeConfigs) in Kafka 2.4\'s layout; --alter uses AlterConfigs', async () => {
    const bs = (...args: string[]) => runCli('kafka-configs', ['--bootstrap-server', cluster.bootstrap, ...args]);
    const one = await bs('--describe', '--entity-type', 'brokers', '--entity-name', '0');
    expect(one.code).toBe(0);
    const lines = one.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Configs for broker 0 are:');
    // Only dynamic entries are listed, each as Kafka prints a ConfigEntry with its synonyms.
    for (const l of lines.slice(1)) expect(l).toMatch(/^  \S+=.* sensitive=(true|false) synonyms=\{.*\}$/);
    const dflt = await bs('--describe', '--entity-type', 'brokers', '--entity-default');
    expect(dflt.stdout.split('\n')[0]).toBe('Default config for brokers in the cluster are:');
    const topics = await bs('--describe', '--entity-type', 'topics', '--entity-name', 'd');
    expect(topics).toMatchObject({ code: 1, stderr: 'Invalid entity-type topics, --entity-type must be one of brokers,broker-loggers with the --bootstrap-server argument\n' });
    // --alter goes through AlterConfigs, keeping the dynamic configs already set (here the
    // throttle written through ZooKeeper above).
    const alter = await bs('--alter', '--entity-type', 'brokers', '--entity-name', '0', '--add-config', 'log.cleaner.threads=2');
    expect(alter).toMatchObject({ code: 0, stdout: 'Completed updating config for broker: 0.\n' });
    expect(JSON.parse(await text('/config/brokers/0')).config).toEqual({ 'leader.replication.throttled.rate': '1000000', 'log.cleaner.threads': '2' });
    const notSet = await bs('--alter', '--entity-type', 'brokers', '--entity-name', '0', '--delete-config', 'never.set');
    expect(notSet).toMatchObject({ code: 1, stderr: 'Invalid config(s): never.set\n' });
  });

  it('refuses bad input with Kafka\'s messages and exit 1, writing nothing', async () => {
    const count = (await notifications()).length;
    const unknownQuota = await configs('--alter', '--entity-type', 'clients', '--entity-name', 'c', '--add-config', 'foo=1');
    expect(unknownQuota).toMatchObject({ code: 1, stderr: 'requirement failed: Unknown Dynamic Configuration: Set(foo).\n' });
    const badLong = await configs('--alter', '--entity-type', 'clients', '--entity-name', 'c', '--add-config', 'producer_byte_rate=fast');
    expect(badLong.stderr).toContain('Invalid value fast for configuration producer_byte_rate: Not a number of type LONG');
    const missingTopic = await configs('--alter', '--entity-type', 'topics', '--entity-name', 'nope', '--add-config', 'retention.ms=1');
    expect(missingTopic.code).toBe(1);
    expect(missingTopic.stderr).toContain('kafka.admin.AdminOperationException: Topic "nope" does not exist.');
    const unknownTopicConfig = await configs('--alter', '--entity-type', 'topics', '--entity-name', 'd', '--add-config', 'retention.mss=1');
    expect(unknownTopicConfig).toMatchObject({ code: 1, stderr: 'Unknown topic config name: retention.mss\n' });
    const notSet = await configs('--alter', '--entity-type', 'topics', '--entity-name', 'd', '--delete-config', 'flush.ms');
    expect(notSet).toMatchObject({ code: 1, stderr: 'Invalid config(s): flush.ms\n' });
    const malformed = await configs('--alter', '--entity-type', 'topics', '--entity-name', 'd', '--add-config', 'retention.ms');
    expect(malformed).toMatchObject({ code: 1, stderr: 'Invalid entity config: all configs to be added must be in the format "key=val".\n' });
    const twoActions = await configs('--alter', '--describe', '--entity-type', 'topics');
    expect(twoActions.code).toBe(1);
    expect(twoActions.stderr).toContain('Command must include exactly one action: --describe, --alter');
    expect(twoActions.stderr).toContain('Usage:');
    const badType = await configs('--describe', '--entity-type', 'groups');
    expect(badType).toMatchObject({ code: 1, stderr: 'Invalid entity-type groups, --entity-type must be one of topics,clients,users,brokers with the --zookeeper argument\n' });
    const badBroker = await configs('--describe', '--entity-type', 'brokers', '--entity-name', 'b1');
    expect(badBroker.stderr).toBe('The entity name for brokers must be a valid integer broker id , but it is: b1\n');
    expect((await notifications()).length).toBe(count);
  });
});
