// The UNSUPPORTED_VERSION answer for APIs Zafka can parse but does not serve: it must decode as
// the API's own response (a client reading it with Kafka's schema sees the error code).
import { encodeResponse, decodeResponse } from '../../../broker/protocol/codec';
import { ErrorCode } from '../../../broker/protocol/errors';
import { apiByKey } from '../../../broker/protocol/messages/index';
import { InitProducerId } from '../../../broker/protocol/messages/init-producer-id';
import { canAnswer, unsupportedResponseBody } from '../../../broker/handlers/unsupported-api';

describe('unsupported API answers', () => {
  it('InitProducerId gets UNSUPPORTED_VERSION in its own layout', () => {
    for (const version of [0, 1]) {
      const frame = Buffer.concat(encodeResponse(InitProducerId, version, 9, unsupportedResponseBody(InitProducerId) as never)).subarray(4);
      const { correlationId, body } = decodeResponse(InitProducerId, version, frame);
      expect(correlationId).toBe(9);
      expect(body).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.UNSUPPORTED_VERSION, producerId: -1, producerEpoch: 0 });
    }
  });

  it('answers only versions the codec knows, and every known API encodes an error body', () => {
    expect(canAnswer(apiByKey(22), 2)).toBe(true);
    expect(canAnswer(apiByKey(22), 3)).toBe(false);
    expect(canAnswer(apiByKey(99), 0)).toBe(false);
    for (let key = 0; key < 60; key++) {
      const api = apiByKey(key);
      if (!api) continue;
      for (let v = 0; v <= api.maxVersion; v++) expect(() => encodeResponse(api, v, 1, unsupportedResponseBody(api))).not.toThrow();
    }
  });
});
