// CreatePartitions: grows topics (kafka-topics --alter --partitions with --bootstrap-server).
// The new assignment is written by the controller broker through AdminZkClient (the same code as
// the --zookeeper path); the answer waits until the new partitions have leaders, or timeout_ms.
// Behavior: must be sent to the controller; fewer partitions than now -> INVALID_PARTITIONS;
// a topic named twice -> INVALID_REQUEST; a count no topic znode can hold -> INVALID_PARTITIONS,
// one that takes the cluster past max.partitions -> POLICY_VIOLATION, before anything is
// allocated; manual assignments are checked as Kafka 2.4 does (AdminZkClient.addPartitions).
// Version notes: v1 same as v0.
import { filterAuthorized } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { KafkaError, errorCodeOf } from '../protocol/kafka-error';
import { CreatePartitions } from '../protocol/messages/create-partitions';
import { checkPartitionCountFits } from '../../controller/zk/topic-znode-limit';
import { defineHandler } from './api-handler';
import { ClusterPartitionBudget } from './cluster-partition-limit';

export const createPartitionsHandler = defineHandler({
  api: CreatePartitions,
  async handle(request, _version, ctx) {
    const { metadataCache } = ctx.broker;
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results = [];
    const grown: { name: string; count: number }[] = [];
    const budget = ClusterPartitionBudget.of(ctx);
    const alterable = filterAuthorized(ctx, 'Alter', 'Topic', new Set(request.topics.map((t) => t.name)));
    for (const topic of request.topics) {
      const result = { name: topic.name, errorCode: ErrorCode.NONE as ErrorCode, errorMessage: null as string | null };
      results.push(result);
      try {
        if (counts.get(topic.name)! > 1) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Duplicate topic in request: ${topic.name}`);
        if (!ctx.broker.controller.isActive()) throw new KafkaError(ErrorCode.NOT_CONTROLLER, 'This is not the correct controller for this cluster.');
        // Kafka 2.4: Alter on each topic.
        if (!alterable.has(topic.name)) throw new KafkaError(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'The topic authorization is failed.');
        checkPartitionCountFits(topic.name, topic.count);
        const current = metadataCache.partitionsOf(topic.name).length;
        if (current > 0 && topic.count > current) budget.take(topic.name, topic.count - current);
        await ctx.broker.adminZkClient.addPartitions(topic.name, topic.count, topic.assignments?.map((a) => a.brokerIds), {
          validateOnly: request.validateOnly,
        });
        if (!request.validateOnly) grown.push({ name: topic.name, count: topic.count });
      } catch (err) {
        result.errorCode = errorCodeOf(err);
        result.errorMessage = (err as Error).message;
      }
    }
    const deadline = Date.now() + request.timeoutMs;
    const ready = (g: { name: string; count: number }) =>
      metadataCache.partitionsOf(g.name).length >= g.count && metadataCache.allPartitionsHaveLeaders(g.name);
    while (!grown.every(ready) && Date.now() < deadline) await metadataCache.waitForUpdate(deadline - Date.now());
    for (const g of grown.filter((x) => !ready(x))) {
      const result = results.find((r) => r.name === g.name)!;
      result.errorCode = ErrorCode.REQUEST_TIMED_OUT;
      result.errorMessage = `The new partitions of ${g.name} do not all have leaders yet.`;
    }
    return { throttleTimeMs: 0, results };
  },
});
