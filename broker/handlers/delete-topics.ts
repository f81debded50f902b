// DeleteTopics: marks each topic under /admin/delete_topics (AdminZkClient) and waits until the
// controller has removed it from this broker's metadata, or timeout_ms (REQUEST_TIMED_OUT).
// Behavior: must be sent to the controller. Version notes: v1 throttle time; v2, v3 same.
import { filterAuthorized } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { KafkaError, errorCodeOf } from '../protocol/kafka-error';
import { DeleteTopics } from '../protocol/messages/delete-topics';
import { defineHandler } from './api-handler';

export const deleteTopicsHandler = defineHandler({
  api: DeleteTopics,
  async handle(request, _version, ctx) {
    const { metadataCache, config } = ctx.broker;
    const results = [];
    const marked: string[] = [];
    const deletable = filterAuthorized(ctx, 'Delete', 'Topic', new Set(request.topicNames));
    for (const name of new Set(request.topicNames)) {
      const result = { name, errorCode: ErrorCode.NONE as ErrorCode };
      results.push(result);
      try {
        if (!ctx.broker.controller.isActive()) throw new KafkaError(ErrorCode.NOT_CONTROLLER);
        if (!config.deleteTopicEnable) throw new KafkaError(ErrorCode.TOPIC_DELETION_DISABLED);
        // Kafka 2.4: Delete on each topic, checked before whether it exists.
        if (!deletable.has(name)) throw new KafkaError(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        if (!metadataCache.hasTopic(name)) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        await ctx.broker.adminZkClient.deleteTopic(name);
        marked.push(name);
      } catch (err) {
        result.errorCode = errorCodeOf(err);
      }
    }
    const deadline = Date.now() + request.timeoutMs;
    while (marked.some((t) => metadataCache.hasTopic(t)) && Date.now() < deadline) {
      await metadataCache.waitForUpdate(deadline - Date.now());
    }
    for (const result of results) {
      if (marked.includes(result.name) && metadataCache.hasTopic(result.name)) result.errorCode = ErrorCode.REQUEST_TIMED_OUT;
    }
    return { throttleTimeMs: 0, responses: results };
  },
});
