// kafka-topics --bootstrap-server: the TopicService over the Kafka protocol, as Kafka 2.4's
// AdminClientTopicService: Metadata for list/describe, DescribeConfigs for configs, and
// CreateTopics / CreatePartitions / DeleteTopics sent to the controller. Per-topic errors
// become KafkaErrors carrying the broker's message when it sent one.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { CreatePartitions } from '../../broker/protocol/messages/create-partitions';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { DeleteTopics } from '../../broker/protocol/messages/delete-topics';
import { DescribeConfigs } from '../../broker/protocol/messages/describe-configs';
import { UnsupportedApiError } from '../client/broker-connection';
import { ClusterClient } from '../client/cluster-client';
import { describeError } from './topic-errors';
import type { NewTopicSpec, TopicDescription, TopicService } from './topic-service';

const TOPIC_RESOURCE = 2;
/** DescribeConfigs v1+ config_source DEFAULT_CONFIG: not an override, not printed. */
const DEFAULT_CONFIG_SOURCE = 5;
const TIMEOUT_MS = 30000;

export class AdminTopicService implements TopicService {
  private constructor(
    private readonly client: ClusterClient,
    private readonly warn: (message: string) => void,
  ) {}

  static async connect(bootstrap: string, warn: (message: string) => void): Promise<AdminTopicService> {
    return new AdminTopicService(await ClusterClient.connect(bootstrap, { clientId: 'kafka-topics', retries: 5 }), warn);
  }

  async listTopics(excludeInternal: boolean): Promise<{ name: string; markedForDeletion: boolean }[]> {
    const md = await this.client.refreshMetadata(null);
    return [...md.topics.values()]
      .filter((t) => t.errorCode === ErrorCode.NONE && !(excludeInternal && t.isInternal))
      .map((t) => ({ name: t.name, markedForDeletion: false }));
  }

  async liveBrokers(): Promise<Set<number>> {
    return new Set(this.client.metadata.brokers.keys());
  }

  async describeTopics(names: string[]): Promise<TopicDescription[]> {
    if (names.length === 0) return [];
    const md = await this.client.refreshMetadata(names);
    const configs = await this.describeConfigs(names);
    return names.flatMap((name) => {
      const t = md.topics.get(name);
      if (t === undefined || t.errorCode !== ErrorCode.NONE) return [];
      return [
        {
          name,
          isInternal: t.isInternal,
          markedForDeletion: false,
          configs: configs.get(name) ?? [],
          partitions: t.partitions.map((p) => ({ partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr })),
        },
      ];
    });
  }

  async createTopic(spec: NewTopicSpec): Promise<void> {
    const body = {
      topics: [
        {
          name: spec.name,
          numPartitions: spec.assignment ? -1 : spec.partitions,
          replicationFactor: spec.assignment ? -1 : spec.replicationFactor,
          assignments: (spec.assignment ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
          configs: [...spec.configs].map(([name, value]) => ({ name, value })),
        },
      ],
      timeoutMs: TIMEOUT_MS,
      validateOnly: false,
    };
    await this.withController(async () => {
      const { response } = await this.client.sendToController(CreateTopics, body, { timeoutMs: TIMEOUT_MS + 5000 });
      const r = response.topics.find((x) => x.name === spec.name);
      if (r && r.errorCode !== ErrorCode.NONE) throw new KafkaError(r.errorCode, r.errorMessage ?? describeError(r.errorCode, spec.name));
    });
  }

  async addPartitions(topic: string, _current: TopicDescription, count: number, newAssignment?: number[][]): Promise<void> {
    const body = {
      topics: [{ name: topic, count, assignments: newAssignment ? newAssignment.map((brokerIds) => ({ brokerIds })) : null }],
      timeoutMs: TIMEOUT_MS,
      validateOnly: false,
    };
    await this.withController(async () => {
      const { response } = await this.client.sendToController(CreatePartitions, body, { timeoutMs: TIMEOUT_MS + 5000 });
      const r = response.results.find((x) => x.name === topic);
      if (r && r.errorCode !== ErrorCode.NONE) throw new KafkaError(r.errorCode, r.errorMessage ?? describeError(r.errorCode, topic));
    });
  }

  async changeConfigs(): Promise<void> {
    throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Changing topic configs with --bootstrap-server is not supported: use kafka-configs.sh');
  }

  async deleteTopic(topic: string): Promise<boolean> {
    await this.withController(async () => {
      const { response } = await this.client.sendToController(DeleteTopics, { topicNames: [topic], timeoutMs: TIMEOUT_MS }, { timeoutMs: TIMEOUT_MS + 5000 });
      const r = response.responses.find((x) => x.name === topic);
      if (r && r.errorCode !== ErrorCode.NONE) throw new KafkaError(r.errorCode, describeError(r.errorCode, topic));
    });
    return true;
  }

  async close(): Promise<void> {
    this.client.close();
  }

  /** Retries NOT_CONTROLLER answers (the controller moved) after a metadata refresh. */
  private async withController(fn: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof KafkaError && err.code === ErrorCode.NOT_CONTROLLER && attempt < 5) {
          await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
          await this.client.refreshMetadata([]);
          continue;
        }
        throw err;
      }
    }
  }

  /** Non-default configs per topic; empty (with a warning) when the broker lacks DescribeConfigs. */
  private async describeConfigs(names: string[]): Promise<Map<string, Array<[string, string]>>> {
    const out = new Map<string, Array<[string, string]>>();
    const conn = await this.client.anyConnection();
    if (!conn.supports(DescribeConfigs)) {
      this.warn(`WARNING: the broker at ${conn.address} does not support DescribeConfigs; topic configs are not shown.`);
      return out;
    }
    try {
      const { version, response } = await conn.send(DescribeConfigs, {
        resources: names.map((resourceName) => ({ resourceType: TOPIC_RESOURCE, resourceName, configurationKeys: null })),
        includeSynonyms: false,
      });
      for (const r of response.results) {
        if (r.errorCode !== ErrorCode.NONE) continue;
        const entries = r.configs
          .filter((c) => (version === 0 ? !c.isDefault : c.configSource !== DEFAULT_CONFIG_SOURCE) && c.value !== null)
          .map((c): [string, string] => [c.name, c.value ?? '']);
        out.set(r.resourceName, entries);
      }
    } catch (err) {
      if (!(err instanceof UnsupportedApiError)) throw err;
      this.warn(`WARNING: ${err.message}; topic configs are not shown.`);
    }
    return out;
  }
}
