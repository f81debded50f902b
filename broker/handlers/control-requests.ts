// Shared checks for the controller's requests (LeaderAndIsr, UpdateMetadata, StopReplica):
// a request carrying an older broker epoch than this broker's current registration was meant
// for a previous incarnation of it (KIP-380) and is refused with STALE_BROKER_EPOCH.
import { ErrorCode } from '../protocol/errors';
import { KafkaError } from '../protocol/kafka-error';
import type { RequestContext } from './api-handler';

export function checkBrokerEpoch(brokerEpoch: number, ctx: RequestContext): void {
  if (brokerEpoch >= 0 && brokerEpoch < ctx.broker.brokerEpoch()) {
    throw new KafkaError(
      ErrorCode.STALE_BROKER_EPOCH,
      `Received a request with broker epoch ${brokerEpoch} smaller than the current broker epoch ${ctx.broker.brokerEpoch()}`,
    );
  }
}

/**
 * LeaderAndIsr v2+ and UpdateMetadata v5+ group partition states by topic; older versions list
 * them flat, each naming its topic. Either way, one flat list with the topic on each state.
 */
export function flattenTopicStates<P extends { topicName: string }>(
  grouped: boolean,
  topicStates: readonly { topicName: string; partitionStates: readonly P[] }[],
  ungrouped: readonly P[],
): P[] {
  return grouped ? topicStates.flatMap((t) => t.partitionStates.map((p) => ({ ...p, topicName: t.topicName }))) : [...ungrouped];
}
