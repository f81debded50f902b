// Metadata: brokers (with the endpoint of the listener the request came in on), the controller,
// and topics from the metadata cache. Behavior: v0 and an empty list mean "all topics" in v0
// only; v1+ uses null for all. Unknown topics are auto-created (auto.create.topics.enable, and
// allow_auto_topic_creation from v4) and answered LEADER_NOT_AVAILABLE, as Kafka does.
// Version notes: v7 adds leader epochs, v8 authorized operations (Zafka has no ACLs: -2147483648).
import { isInternalTopic, validateTopicName } from '../../controller/topic-name';
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { Metadata } from '../protocol/messages/metadata';
import { defineHandler, type RequestContext } from './api-handler';

const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export const metadataHandler = defineHandler({
  api: Metadata,
  async handle(request, version, ctx) {
    const { metadataCache, config } = ctx.broker;
    const requested = request.topics === null || (version === 0 && request.topics.length === 0)
      ? metadataCache.topicNames()
      : request.topics.map((t) => t.name);
    const allowAutoCreate = version < 4 || request.allowAutoTopicCreation;
    const topics = [];
    for (const name of requested) {
      if (!metadataCache.hasTopic(name)) {
        topics.push(emptyTopic(name, await unknownTopicError(name, allowAutoCreate && config.autoCreateTopicsEnable, ctx)));
        continue;
      }
      topics.push({
        errorCode: ErrorCode.NONE,
        name,
        isInternal: isInternalTopic(name),
        partitions: metadataCache.partitionsOf(name).map((p) => {
          const leaderAlive = p.leader >= 0 && metadataCache.aliveBroker(p.leader) !== undefined;
          return {
            errorCode: leaderAlive ? ErrorCode.NONE : ErrorCode.LEADER_NOT_AVAILABLE,
            partitionIndex: p.partition,
            leaderId: leaderAlive ? p.leader : -1,
            leaderEpoch: p.leaderEpoch,
            replicaNodes: p.replicas,
            isrNodes: p.isr,
            offlineReplicas: p.offlineReplicas,
          };
        }),
        topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      });
    }
    const brokers = [];
    for (const broker of metadataCache.aliveBrokers()) {
      const endpoint = broker.endpoints.find((e) => e.listener === ctx.listenerName);
      if (endpoint) brokers.push({ nodeId: broker.id, host: endpoint.host, port: endpoint.port, rack: broker.rack });
    }
    return {
      throttleTimeMs: 0,
      brokers,
      clusterId: ctx.broker.clusterId,
      controllerId: metadataCache.controllerId ?? -1,
      topics,
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  },
});

async function unknownTopicError(name: string, autoCreate: boolean, ctx: RequestContext): Promise<ErrorCode> {
  try {
    validateTopicName(name);
  } catch (err) {
    return errorCodeOf(err);
  }
  if (!autoCreate) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  await ctx.broker.autoCreateTopic(name);
  return ErrorCode.LEADER_NOT_AVAILABLE;
}

function emptyTopic(name: string, errorCode: ErrorCode) {
  return {
    errorCode,
    name,
    isInternal: isInternalTopic(name),
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}
