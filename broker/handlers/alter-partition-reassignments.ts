// AlterPartitionReassignments (KIP-455, kafka-reassign-partitions --bootstrap-server --execute as
// in Kafka 2.5): the controller merges the new reassignments into /admin/reassign_partitions and
// starts them (controller/partition-reassignment.ts).
// Behavior: must be sent to the controller (every partition NOT_CONTROLLER otherwise; the
// top-level error stays NONE, as Kafka's). Per partition: NONE once started,
// UNKNOWN_TOPIC_OR_PARTITION, INVALID_REPLICA_ASSIGNMENT (empty/duplicate/negative ids, brokers
// not alive), REASSIGNMENT_IN_PROGRESS when the partition is already being reassigned (Kafka would
// replace it). Cancellation (replicas null) is not supported by Zafka's controller:
// NO_REASSIGNMENT_IN_PROGRESS when none runs, INVALID_REPLICA_ASSIGNMENT when one does.
// Version notes: v0 only (flexible).
import { authorizeCluster } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { AlterPartitionReassignments } from '../protocol/messages/alter-partition-reassignments';
import { groupByTopic } from './group-by-topic';
import { defineHandler } from './api-handler';

export const alterPartitionReassignmentsHandler = defineHandler({
  api: AlterPartitionReassignments,
  async handle(request, _version, ctx) {
    const { controller } = ctx.broker;
    const requested = request.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas })));
    // Kafka 2.4: Alter on the Cluster (AlterPartitionReassignmentsRequest.getErrorResponse otherwise).
    const allowed = authorizeCluster(ctx, 'Alter');
    const results = !allowed
      ? requested.map((r) => ({ topic: r.topic, partition: r.partition, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null }))
      : controller.isActive()
      ? await controller.alterPartitionReassignments(requested)
      : requested.map((r) => ({ topic: r.topic, partition: r.partition, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null }));
    return {
      throttleTimeMs: 0,
      errorCode: allowed ? ErrorCode.NONE : ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
      errorMessage: null,
      responses: [...groupByTopic(results)].map(([name, list]) => ({
        name,
        partitions: list.map((r) => ({ partitionIndex: r.partition, errorCode: r.errorCode, errorMessage: r.errorMessage })),
      })),
    };
  },
});
