// Every API, every version, both directions: a representative object (every field of the
// version set to a non-default value, or null where nullable) must encode, decode back to the
// same object (absent fields at their defaults) and re-encode to the same bytes. Truncated
// frames must fail with ProtocolDecodeError, never a RangeError or a silent partial decode.

import { isFlexible } from '../../../broker/protocol/api-definition';
import { decodeRequestBody, decodeResponse, encodeRequest, encodeResponse } from '../../../broker/protocol/codec';
import { decodeRequestHeader } from '../../../broker/protocol/header';
import { allApis } from '../../../broker/protocol/messages/index';
import { ProtocolDecodeError, Reader, Writer } from '../../../broker/protocol/primitives';
import { Kind, StructSchema } from '../../../broker/protocol/schema';
import { FieldPlan, Plan, decodeStruct, encodeStruct, planOf } from '../../../broker/protocol/schema-codec';

class Gen {
  private n = 0;
  constructor(private readonly nulls: boolean) {}

  scalar(kind: Kind): unknown {
    const n = ++this.n;
    switch (kind) {
      case Kind.Int8:
        return (n % 100) + 1;
      case Kind.Int16:
        return 300 + n;
      case Kind.Int32:
        return 70000 + n;
      case Kind.Int64:
        return 2 ** 40 + n;
      case Kind.Uint16:
        return 65000 + n;
      case Kind.Float64:
        return n + 0.5;
      case Kind.Bool:
        return true;
      case Kind.String:
        return `s${n}`;
      case Kind.Bytes:
      case Kind.Records:
        return Buffer.from([n & 0xff, 1, 2]);
      case Kind.Uuid:
        return Buffer.alloc(16, n).toString('base64url');
      default:
        throw new Error(`kind ${kind}`);
    }
  }

  value(fp: FieldPlan): unknown {
    if (fp.nullable && this.nulls) return null;
    if (fp.kind === Kind.Array) {
      const make = (): unknown => (fp.child !== null ? this.struct(fp.child) : this.scalar(fp.elemKind));
      return [make(), make()];
    }
    if (fp.kind === Kind.Struct) return this.struct(fp.child!);
    return this.scalar(fp.kind);
  }

  struct(plan: Plan): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const fp of plan.fields) {
      // Absent fields take their defaults on decode: ask the codec for them.
      o[fp.name] = fp.mode === 0 ? undefined : this.value(fp);
    }
    return o;
  }
}

/** The object decode should return: generated values plus defaults for absent fields. */
function expected(schema: StructSchema<unknown, unknown>, version: number, flexible: boolean, o: unknown): unknown {
  const w = new Writer();
  encodeStruct(schema, w, version, flexible, o);
  return decodeStruct(schema, new Reader(w.toBuffer()), version, flexible);
}

function stripUndefined(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(stripUndefined);
  if (o !== null && typeof o === 'object' && !Buffer.isBuffer(o)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = stripUndefined(v);
    return out;
  }
  return o;
}

for (const api of allApis) {
  describe(api.name, () => {
    for (let v = 0; v <= api.maxVersion; v++) {
      const flexible = isFlexible(api, v);
      for (const nulls of [false, true]) {
        test(`v${v}${nulls ? ' with nulls' : ''}`, () => {
          // Request
          const req = new Gen(nulls).struct(planOf(api.request, v, flexible));
          const reqBytes = Buffer.concat(encodeRequest(api, v, 42, 'client', req));
          expect(reqBytes.readInt32BE(0)).toBe(reqBytes.length - 4);
          const frame = reqBytes.subarray(4);
          const h = decodeRequestHeader(frame);
          expect(h).toMatchObject({ apiKey: api.apiKey, apiVersion: v, correlationId: 42 });
          const decodedReq = decodeRequestBody(api, v, frame, h.bodyOffset);
          const present = stripUndefined(req) as Record<string, unknown>;
          expect(decodedReq).toMatchObject(present);
          expect(decodedReq).toEqual(expected(api.request, v, flexible, req));
          expect(Buffer.concat(encodeRequest(api, v, 42, 'client', decodedReq)).equals(reqBytes)).toBe(true);
          // The body must be consumed exactly.
          const r = new Reader(frame, h.bodyOffset);
          decodeStruct(api.request, r, v, flexible);
          expect(r.remaining).toBe(0);
          if (frame.length > h.bodyOffset) {
            expect(() => decodeRequestBody(api, v, frame.subarray(0, frame.length - 1), h.bodyOffset)).toThrow(
              ProtocolDecodeError,
            );
          }

          // Response
          const res = new Gen(nulls).struct(planOf(api.response, v, flexible));
          const resBytes = Buffer.concat(encodeResponse(api, v, 43, res));
          expect(resBytes.readInt32BE(0)).toBe(resBytes.length - 4);
          const decodedRes = decodeResponse(api, v, resBytes.subarray(4));
          expect(decodedRes.correlationId).toBe(43);
          expect(decodedRes.body).toMatchObject(stripUndefined(res) as Record<string, unknown>);
          expect(Buffer.concat(encodeResponse(api, v, 43, decodedRes.body)).equals(resBytes)).toBe(true);
          expect(() => decodeResponse(api, v, resBytes.subarray(4, resBytes.length - 1))).toThrow(ProtocolDecodeError);
        });
      }
    }
  });
}

test('versions above maxVersion are refused', () => {
  for (const api of allApis) {
    expect(() => encodeResponse(api, api.maxVersion + 1, 1, {})).toThrow(/not supported/);
  }
});
