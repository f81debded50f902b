// DeleteTopics (key 20), versions 0-3 (flexible from 4). Must be sent to the controller.
// Version notes: v1 throttleTimeMs; v2-v3 only change semantics (v3: TOPIC_DELETION_DISABLED
// may be returned).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, string, struct } from '../schema';

export const DeleteTopicsRequestSchema = struct({
  topicNames: array('0+', string()),
  timeoutMs: int32(),
});

const DeletableTopicResult = struct({
  name: string(),
  errorCode: int16(),
});

export const DeleteTopicsResponseSchema = struct({
  throttleTimeMs: int32('1+'),
  responses: array('0+', DeletableTopicResult),
});

export type DeleteTopicsRequest = Infer<typeof DeleteTopicsRequestSchema>;
export type DeleteTopicsResponse = Infer<typeof DeleteTopicsResponseSchema>;
export type DeleteTopicsResponseInput = InferInput<typeof DeleteTopicsResponseSchema>;

export const DeleteTopics = defineApi({
  apiKey: 20,
  name: 'DeleteTopics',
  maxVersion: 3,
  flexibleVersionsFrom: 4,
  request: DeleteTopicsRequestSchema,
  response: DeleteTopicsResponseSchema,
});
