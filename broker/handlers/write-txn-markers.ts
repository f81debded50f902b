// WriteTxnMarkers: a transaction coordinator asks this broker, as leader of the transaction's
// partitions, to append the COMMIT or ABORT marker of each (producer id, epoch) it names.
// Behavior (Kafka 2.4's KafkaApis.handleWriteTxnMarkersRequest): each marker is one control
// batch per partition, appended as leader by the broker itself (no client checks: control batches
// allowed, no sequence), but with the marker checks of ProducerStateManager: an older producer
// epoch than the partition has seen gets INVALID_PRODUCER_EPOCH, an older coordinator epoch
// TRANSACTION_COORDINATOR_FENCED; nothing is written then. A partition with no replica here is
// UNKNOWN_TOPIC_OR_PARTITION, one led elsewhere NOT_LEADER_FOR_PARTITION. Each marker waits, as
// a produce with acks=-1, until the ISR has it (request.timeout.ms: REQUEST_TIMED_OUT), and the
// answer goes out when all have. A marker acknowledged on a __consumer_offsets partition is
// passed on to the group coordinator (ReplicaManager.onTransactionMarkersWritten).
// Only brokers may send it (CLUSTER_ACTION on the cluster); see mayWriteTxnMarkers.
// Version notes: v0 only (Kafka 2.4); v1 (flexible) came with 2.8.
import { authorizeCluster } from '../authorizer/request-authorization';
import { GROUP_METADATA_TOPIC_NAME } from '../group/partition-for';
import { AppendOrigin } from '../log/producer/producer-append-info';
import { getLogger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import { WriteTxnMarkers, type WriteTxnMarkersRequest, type WriteTxnMarkersResponseInput } from '../protocol/messages/write-txn-markers';
import { ControlRecordType, endTransactionMarkerBatch } from '../protocol/records/end-transaction-marker';
import { defineHandler, type RequestContext } from './api-handler';
import { groupByTopic } from './group-by-topic';

const logger = getLogger('kafka.server.KafkaApis');

type Marker = WriteTxnMarkersRequest['markers'][number];
interface PartitionError {
  topic: string;
  partition: number;
  errorCode: ErrorCode;
}

/**
 * Kafka authorizes CLUSTER_ACTION on the cluster resource here (the inter-broker principal).
 */
export function mayWriteTxnMarkers(ctx: RequestContext): boolean {
  return authorizeCluster(ctx, 'ClusterAction');
}

export const writeTxnMarkersHandler = defineHandler({
  api: WriteTxnMarkers,
  async handle(request, _version, ctx): Promise<WriteTxnMarkersResponseInput> {
    if (!mayWriteTxnMarkers(ctx)) return answer(request.markers, () => ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    const results = await Promise.all(request.markers.map((marker) => writeMarker(marker, ctx)));
    const byProducer = new Map<number, PartitionError[]>();
    request.markers.forEach((m, i) => byProducer.set(m.producerId, [...(byProducer.get(m.producerId) ?? []), ...results[i]]));
    return {
      markers: [...byProducer].map(([producerId, errors]) => ({
        producerId,
        topics: [...groupByTopic(errors)].map(([name, partitions]) => ({ name, partitions: partitions.map((p) => ({ partitionIndex: p.partition, errorCode: p.errorCode })) })),
      })),
    };
  },
});

/** Appends one marker to each of its partitions (acks=-1) and reports each partition's error. */
async function writeMarker(marker: Marker, ctx: RequestContext): Promise<PartitionError[]> {
  const { replicaManager, config } = ctx.broker;
  const type = marker.transactionResult ? ControlRecordType.COMMIT : ControlRecordType.ABORT;
  const entries = marker.topics.flatMap((t) =>
    t.partitionIndexes.map((partition) => ({
      topic: t.name,
      partition,
      // One batch per partition: the leader stamps offsets into the buffer it appends.
      records: endTransactionMarkerBatch(marker.producerId, marker.producerEpoch, { type, coordinatorEpoch: marker.coordinatorEpoch }),
    })),
  );
  if (entries.length === 0) return [];
  const appended = await replicaManager.appendRecords(-1, config.requestTimeoutMs, entries, AppendOrigin.Coordinator);
  return appended.map((r) => {
    let errorCode = r.errorCode;
    if (errorCode === ErrorCode.NONE && r.topic === GROUP_METADATA_TOPIC_NAME) {
      try {
        replicaManager.transactionMarkersWritten({ topic: r.topic, partition: r.partition }, marker.producerId, marker.transactionResult);
      } catch (err) {
        // Kafka: the offsets cache could not be updated; the coordinator retries the marker.
        logger.error(`Received an exception while trying to update the offsets cache on transaction marker append: ${(err as Error).stack}`);
        errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
      }
    }
    return { topic: r.topic, partition: r.partition, errorCode };
  });
}

function answer(markers: readonly Marker[], errorFor: (topic: string, partition: number) => ErrorCode): WriteTxnMarkersResponseInput {
  return {
    markers: markers.map((m) => ({
      producerId: m.producerId,
      topics: m.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => ({ partitionIndex: p, errorCode: errorFor(t.name, p) })) })),
    })),
  };
}
