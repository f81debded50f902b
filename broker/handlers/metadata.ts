// Metadata: brokers (with the endpoint of the listener the request came in on), the controller,
// and topics from the metadata cache. Behavior: v0 and an empty list mean "all topics" in v0
// only; v1+ uses null for all. Unknown topics are auto-created (auto.create.topics.enable, and
// allow_auto_topic_creation from v4) and answered LEADER_NOT_AVAILABLE, as Kafka does.
// Authorization (Kafka 2.4): Describe on each topic; auto-creation needs Create on the Cluster or on
// the topic (else TOPIC_AUTHORIZATION_FAILED). Unauthorized topics come last, as in Kafka's answer.
// Version notes: v7 adds leader epochs, v8 authorized operations (KIP-430; -2147483648 when not asked for).
import { isInternalTopic, validateTopicName } from '../../controller/topic-name';
import { CLUSTER_RESOURCE_NAME } from '../authorizer/acl';
import { mayAutoCreate } from '../authorizer/produce-authorization';
import { authorizeCluster, authorizedOperations, filterAuthorized } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { Metadata } from '../protocol/messages/metadata';
import { defineHandler, type RequestContext } from './api-handler';

const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export const metadataHandler = defineHandler({
  api: Metadata,
  async handle(request, version, ctx) {
    const { metadataCache, config } = ctx.broker;
    const allTopics = request.topics === null || (version === 0 && request.topics.length === 0);
    const requested = [...new Set(allTopics ? metadataCache.topicNames() : request.topics!.map((t) => t.name))];
    const allowAutoCreate = version < 4 || request.allowAutoTopicCreation;
    // Topics the principal may not Describe are left out of an all-topics answer, and answered
    // TOPIC_AUTHORIZATION_FAILED without saying whether they exist when asked for by name.
    const describable = filterAuthorized(ctx, 'Describe', 'Topic', requested, { logIfDenied: !allTopics });
    const autoCreate = allowAutoCreate && config.autoCreateTopicsEnable;
    const topics = [];
    const refused = [];
    for (const name of requested) {
      if (!describable.has(name)) {
        if (!allTopics) refused.push(emptyTopic(name, ErrorCode.TOPIC_AUTHORIZATION_FAILED, false));
        continue;
      }
      if (!metadataCache.hasTopic(name)) {
        if (autoCreate && !mayAutoCreate(ctx, name)) refused.push(emptyTopic(name, ErrorCode.TOPIC_AUTHORIZATION_FAILED));
        else topics.push(emptyTopic(name, await unknownTopicError(name, autoCreate, ctx)));
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
        topicAuthorizedOperations: request.includeTopicAuthorizedOperations ? authorizedOperations(ctx, 'Topic', name) : AUTHORIZED_OPERATIONS_OMITTED,
      });
    }
    topics.push(...refused);
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
      // Kafka 2.4 reports the Cluster's operations only to a principal that may Describe it.
      clusterAuthorizedOperations: !request.includeClusterAuthorizedOperations
        ? AUTHORIZED_OPERATIONS_OMITTED
        : authorizeCluster(ctx, 'Describe') ? authorizedOperations(ctx, 'Cluster', CLUSTER_RESOURCE_NAME) : 0,
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

function emptyTopic(name: string, errorCode: ErrorCode, disclose = true) {
  return {
    errorCode,
    name,
    isInternal: disclose && isInternalTopic(name),
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}
