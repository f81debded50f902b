// kafka-topics --zookeeper: the TopicService written straight to ZooKeeper through
// AdminZkClient (the same code the brokers' CreateTopics/DeleteTopics use), as Kafka 2.4's
// ZookeeperTopicService. The controller notices the znodes and does the rest.
import { AdminZkClient } from '../../controller/zk/admin-zk-client';
import { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import type { NewTopicSpec, TopicDescription, TopicService } from './topic-service';
import { isInternalTopic } from './topic-service';

const SESSION_TIMEOUT_MS = 30000;
const CONNECTION_TIMEOUT_MS = 30000;

export class ZkTopicService implements TopicService {
  private constructor(
    private readonly zk: KafkaZkClient,
    private readonly admin: AdminZkClient,
  ) {}

  static async connect(connectString: string): Promise<ZkTopicService> {
    const zk = await KafkaZkClient.connect(connectString, SESSION_TIMEOUT_MS, { connectionTimeoutMs: CONNECTION_TIMEOUT_MS, name: 'kafka-topics' });
    return new ZkTopicService(zk, new AdminZkClient(zk));
  }

  async listTopics(excludeInternal: boolean): Promise<{ name: string; markedForDeletion: boolean }[]> {
    const [topics, deletions] = await Promise.all([this.admin.listTopics(), this.zk.getTopicDeletions()]);
    const marked = new Set(deletions);
    return topics.filter((t) => !(excludeInternal && isInternalTopic(t))).map((name) => ({ name, markedForDeletion: marked.has(name) }));
  }

  async describeTopics(names: string[]): Promise<TopicDescription[]> {
    const described = await Promise.all(names.map((n) => this.admin.describeTopic(n)));
    return described.flatMap((d) =>
      d === null
        ? []
        : [
            {
              name: d.topic,
              isInternal: d.isInternal,
              markedForDeletion: d.markedForDeletion,
              configs: Object.entries(d.configs),
              partitions: d.partitions.map((p) => ({ partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr })),
            },
          ],
    );
  }

  async liveBrokers(): Promise<Set<number>> {
    return new Set(await this.zk.getBrokerIds());
  }

  async createTopic(spec: NewTopicSpec): Promise<void> {
    const configs = Object.fromEntries(spec.configs);
    if (spec.assignment) {
      await this.admin.createTopicWithAssignment(spec.name, configs, new Map(spec.assignment.map((r, i) => [i, r])));
    } else {
      await this.admin.createTopic(spec.name, spec.partitions, spec.replicationFactor, configs);
    }
  }

  async addPartitions(topic: string, _current: TopicDescription, count: number, newAssignment?: number[][]): Promise<void> {
    await this.admin.addPartitions(topic, count, newAssignment);
  }

  async changeConfigs(topic: string, set: Map<string, string>, remove: string[]): Promise<void> {
    await this.admin.alterTopicConfig(topic, Object.fromEntries(set), remove);
  }

  async deleteTopic(topic: string): Promise<boolean> {
    return this.admin.deleteTopic(topic);
  }

  async close(): Promise<void> {
    await this.zk.close();
  }
}
