// CreateTopics: validated and written to ZooKeeper by the controller broker (AdminZkClient, the
// same code as kafka-topics --zookeeper); the answer waits until the controller has elected
// leaders for every partition and told this broker (metadata cache), or timeout_ms passes.
// Behavior: must be sent to the controller (NOT_CONTROLLER otherwise); a name given twice in
// one request gets INVALID_REQUEST; more partitions than a topic znode can hold gets
// INVALID_PARTITIONS and more than max.partitions in the cluster POLICY_VIOLATION, both before
// anything is allocated or written (controller/zk/topic-znode-limit.ts, cluster-partition-limit.ts).
// Version notes: v1 validate_only and error messages,
// v2 throttle time, v3 same as v2.
import { authorizeCluster, filterAuthorized } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { KafkaError, errorCodeOf } from '../protocol/kafka-error';
import { CreateTopics } from '../protocol/messages/create-topics';
import { checkPartitionCountFits } from '../../controller/zk/topic-znode-limit';
import { defineHandler, type RequestContext } from './api-handler';
import { ClusterPartitionBudget } from './cluster-partition-limit';

export const createTopicsHandler = defineHandler({
  api: CreateTopics,
  async handle(request, _version, ctx) {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const created = new Map<string, number>(); // topic -> partitions
    const results = [];
    const budget = ClusterPartitionBudget.of(ctx);
    // Kafka 2.4: Create on the Cluster, or else on each topic ("Authorization failed.").
    const creatable = ctx.broker.controller.isActive() && !authorizeCluster(ctx, 'Create', { logIfDenied: false })
      ? filterAuthorized(ctx, 'Create', 'Topic', request.topics.map((t) => t.name))
      : null;
    for (const topic of request.topics) {
      const result = { name: topic.name, errorCode: ErrorCode.NONE as ErrorCode, errorMessage: null as string | null };
      results.push(result);
      try {
        if (counts.get(topic.name)! > 1) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Create topics request from client contains multiple entries for topic ${topic.name}`);
        if (!ctx.broker.controller.isActive()) throw new KafkaError(ErrorCode.NOT_CONTROLLER, 'This is not the correct controller for this cluster.');
        if (creatable && !creatable.has(topic.name)) throw new KafkaError(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.');
        const configs = Object.fromEntries(topic.configs.map((c) => [c.name, c.value ?? '']));
        if (topic.assignments.length > 0) {
          if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
            throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
          }
          checkPartitionCountFits(topic.name, topic.assignments.length);
          if (!ctx.broker.metadataCache.hasTopic(topic.name)) budget.take(topic.name, topic.assignments.length);
          const assignment = new Map(topic.assignments.map((a) => [a.partitionIndex, a.brokerIds]));
          await ctx.broker.adminZkClient.createTopicWithAssignment(topic.name, configs, assignment, { validateOnly: request.validateOnly });
          if (!request.validateOnly) created.set(topic.name, assignment.size);
        } else {
          // -1 means the broker's default (KIP-464); Kafka applies it whatever the request version,
          // and kafkajs sends -1 when the caller leaves either out.
          const numPartitions = topic.numPartitions === -1 ? ctx.broker.config.numPartitions : topic.numPartitions;
          const replicationFactor = topic.replicationFactor === -1 ? ctx.broker.config.defaultReplicationFactor : topic.replicationFactor;
          checkPartitionCountFits(topic.name, numPartitions);
          if (numPartitions > 0 && !ctx.broker.metadataCache.hasTopic(topic.name)) budget.take(topic.name, numPartitions);
          await ctx.broker.adminZkClient.createTopic(topic.name, numPartitions, replicationFactor, configs, {
            validateOnly: request.validateOnly,
          });
          if (!request.validateOnly) created.set(topic.name, numPartitions);
        }
      } catch (err) {
        result.errorCode = errorCodeOf(err);
        result.errorMessage = (err as Error).message;
      }
    }
    const pending = await waitForLeaders(created, request.timeoutMs, ctx);
    for (const result of results) {
      if (pending.has(result.name)) {
        result.errorCode = ErrorCode.REQUEST_TIMED_OUT;
        result.errorMessage = `Topic ${result.name} was created but its partitions do not all have leaders yet.`;
      }
    }
    return { throttleTimeMs: 0, topics: results };
  },
});

/** Waits until every topic (name -> partition count) has a leader for each partition; returns those still without. */
export async function waitForLeaders(topics: ReadonlyMap<string, number>, timeoutMs: number, ctx: RequestContext): Promise<Set<string>> {
  const { metadataCache } = ctx.broker;
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(topics.keys());
  for (;;) {
    for (const t of pending) if (metadataCache.allPartitionsHaveLeaders(t, topics.get(t))) pending.delete(t);
    if (pending.size === 0 || Date.now() >= deadline) return pending;
    await metadataCache.waitForUpdate(deadline - Date.now());
  }
}
