// Frames captured from live clients and brokers (fixtures/*.hex, see golden.ts): each must
// decode completely and re-encode to the very same bytes.

import { isFlexible } from '../../../broker/protocol/api-definition';
import { decodeRequestBody, decodeResponse, encodeRequest, encodeResponse } from '../../../broker/protocol/codec';
import { decodeRequestHeader, readResponseHeader } from '../../../broker/protocol/header';
import { Reader } from '../../../broker/protocol/primitives';
import { decodeStruct } from '../../../broker/protocol/schema-codec';
import { loadFixtures } from './golden';

const fixtures = loadFixtures();

if (fixtures.length === 0) {
  test.todo('no captured fixtures yet in tests/unit/protocol/fixtures');
}

for (const fx of fixtures) {
  test(fx.file, () => {
    const { api, version, bytes } = fx;
    expect(bytes.readInt32BE(0)).toBe(bytes.length - 4);
    const frame = bytes.subarray(4);
    const flexible = isFlexible(api, version);
    if (fx.direction === 'request') {
      const h = decodeRequestHeader(frame);
      expect(h.apiKey).toBe(api.apiKey);
      expect(h.apiVersion).toBe(version);
      const r = new Reader(frame, h.bodyOffset);
      decodeStruct(api.request, r, version, flexible);
      expect(r.remaining).toBe(0);
      const body = decodeRequestBody(api, version, frame, h.bodyOffset);
      const again = Buffer.concat(encodeRequest(api, version, h.correlationId, h.clientId, body));
      expect(again.toString('hex')).toBe(bytes.toString('hex'));
    } else {
      const r = new Reader(frame);
      readResponseHeader(r, api.apiKey, version);
      decodeStruct(api.response, r, version, flexible);
      expect(r.remaining).toBe(0);
      const { correlationId, body } = decodeResponse(api, version, frame);
      const again = Buffer.concat(encodeResponse(api, version, correlationId, body));
      expect(again.toString('hex')).toBe(bytes.toString('hex'));
    }
  });
}
