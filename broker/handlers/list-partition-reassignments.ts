// ListPartitionReassignments (KIP-455, kafka-reassign-partitions --bootstrap-server --verify as in
// Kafka 2.5): the partitions the controller is reassigning, with RS / AR / RR
// (controller/replica-reassignment.ts), read from its in-memory state.
// Behavior: must be sent to the controller (top-level NOT_CONTROLLER otherwise). topics null = all;
// named partitions that are not being reassigned (or do not exist) are simply absent.
// Version notes: v0 only (flexible).
import { authorizeCluster } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { ListPartitionReassignments } from '../protocol/messages/list-partition-reassignments';
import { defineHandler } from './api-handler';

type Ongoing = { partitionIndex: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[] };

export const listPartitionReassignmentsHandler = defineHandler({
  api: ListPartitionReassignments,
  async handle(request, _version, ctx) {
    // Kafka 2.4: Describe on the Cluster.
    if (!authorizeCluster(ctx, 'Describe')) return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, topics: [] };
    const { controller } = ctx.broker;
    if (!controller.isActive()) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: 'This is not the correct controller for this cluster.', topics: [] };
    }
    const wanted = request.topics === null ? null : new Set(request.topics.flatMap((t) => t.partitionIndexes.map((p) => `${t.name}\u0000${p}`)));
    const byTopic = new Map<string, Ongoing[]>();
    for (const { tp, assignment } of controller.reassignments.ongoingReassignments()) {
      if (wanted !== null && !wanted.has(`${tp.topic}\u0000${tp.partition}`)) continue;
      let list = byTopic.get(tp.topic);
      if (!list) byTopic.set(tp.topic, (list = []));
      list.push({
        partitionIndex: tp.partition,
        replicas: [...assignment.replicas],
        addingReplicas: [...assignment.addingReplicas],
        removingReplicas: [...assignment.removingReplicas],
      });
    }
    for (const list of byTopic.values()) list.sort((a, b) => a.partitionIndex - b.partitionIndex);
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
  },
});
