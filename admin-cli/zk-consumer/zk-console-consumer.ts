// kafka-console-consumer --zookeeper: the console consumer of Kafka 0.8-0.10, on the
// ZooKeeper-coordinated consumer. Brokers are found in /brokers/ids (the old consumer never took
// a bootstrap list); without --group a random "console-consumer-<n>" group is used, as Kafka did.
// --from-beginning means auto.offset.reset=smallest: it applies only to partitions the group has
// no committed offset for.
import { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { ClusterClient } from '../client/cluster-client';
import { formatRecord, type FormatterOptions } from '../console/message-formatter';
import { UsageError } from '../shared/usage-error';
import { zkConsumerConfig } from './zk-consumer-config';
import { ZookeeperConsumerConnector } from './zookeeper-consumer-connector';

export interface ZkConsoleConsumerOptions {
  zookeeper: string;
  topic: string;
  group?: string;
  fromBeginning: boolean;
  maxMessages: number;
  timeoutMs?: number;
  formatter: FormatterOptions;
  consumerProperties: Map<string, string>;
}

/** "host:port" of every registered broker's PLAINTEXT endpoint. */
async function brokersFromZooKeeper(zk: KafkaZkClient): Promise<string> {
  const brokers = await zk.getAllBrokers();
  const endpoints = brokers.flatMap((b) => b.endpoints.filter((e) => e.securityProtocol === 'PLAINTEXT').map((e) => `${e.host}:${e.port}`));
  if (endpoints.length === 0) throw new Error('No brokers are registered in ZooKeeper (/brokers/ids is empty)');
  return endpoints.join(',');
}

export async function runZkConsoleConsumer(o: ZkConsoleConsumerOptions): Promise<number> {
  const props = new Map(o.consumerProperties);
  const group = o.group ?? props.get('group.id') ?? `console-consumer-${Math.floor(Math.random() * 100000)}`;
  if (o.fromBeginning) props.set('auto.offset.reset', 'smallest');
  const config = zkConsumerConfig(group, props);
  if (o.timeoutMs !== undefined && o.timeoutMs <= 0) throw new UsageError('--timeout-ms must be positive');
  const zk = await KafkaZkClient.connect(o.zookeeper, config.zookeeperSessionTimeoutMs, { connectionTimeoutMs: config.zookeeperConnectionTimeoutMs, name: 'console-consumer' });
  let client: ClusterClient;
  try {
    client = await ClusterClient.connect(await brokersFromZooKeeper(zk), { clientId: config.clientId });
  } catch (err) {
    await zk.close();
    throw err;
  }
  const connector = new ZookeeperConsumerConnector(zk, client, config, [o.topic]);
  let processed = 0;
  let stopping = false;
  const onSignal = () => {
    stopping = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await connector.start();
    let lastRecordAt = Date.now();
    const parts: Buffer[] = [];
    const flush = async () => {
      if (parts.length === 0) return;
      const chunk = Buffer.concat(parts.splice(0));
      if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    };
    while (!stopping && processed < o.maxMessages) {
      const r = await connector.next();
      if (r === null) {
        await flush();
        if (o.timeoutMs !== undefined && Date.now() - lastRecordAt >= o.timeoutMs) {
          process.stderr.write('ERROR Error processing message, terminating consumer process: kafka.consumer.ConsumerTimeoutException\n');
          break;
        }
        continue;
      }
      lastRecordAt = Date.now();
      formatRecord(r, o.formatter, parts);
      processed++;
      if (parts.length >= 500) await flush();
    }
    await flush();
  } finally {
    await connector.shutdown();
  }
  process.stderr.write(`Processed a total of ${processed} messages\n`);
  return 0;
}
