// DSL features that Zafka's current API range barely uses (tagged structs and arrays, nullable
// structs, the field-level flexibleVersions override), checked against hand-derived bytes.

import { Reader, Writer } from '../../../broker/protocol/primitives';
import { Infer, array, int16, int32, parseRange, string, struct, structField } from '../../../broker/protocol/schema';
import { decodeStruct, encodeStruct } from '../../../broker/protocol/schema-codec';
import { hex } from './golden';

const Inner = struct({
  a: int16(),
  b: string('1+', { nullable: '1+' }),
});

const Sample = struct({
  id: int32(),
  name: string('0+', { flexibleVersions: 'none' }),
  labels: array('1+', string()),
  inner: structField('1+', Inner, { nullable: '1+' }),
  extra: int32('1+', { tag: 0, default: -1 }),
  items: array('1+', Inner, { tag: 7 }),
});
type Sample = Infer<typeof Sample>;

const encode = (v: number, flexible: boolean, value: Partial<Sample>): string => {
  const w = new Writer();
  encodeStruct(Sample, w, v, flexible, value);
  return w.toBuffer().toString('hex');
};
const decode = (v: number, flexible: boolean, bytes: Buffer): Sample => {
  const r = new Reader(bytes);
  const out = decodeStruct(Sample, r, v, flexible) as Sample;
  expect(r.remaining).toBe(0);
  return out;
};

test('version ranges', () => {
  expect(parseRange('3+')).toEqual({ lo: 3, hi: Infinity });
  expect(parseRange('0-2')).toEqual({ lo: 0, hi: 2 });
  expect(parseRange('5')).toEqual({ lo: 5, hi: 5 });
  const none = parseRange('none');
  expect(none.lo > none.hi).toBe(true);
});

describe('flexible version with tagged fields', () => {
  const value: Sample = {
    id: 1,
    name: 'ab',
    labels: ['x'],
    inner: { a: 2, b: null },
    extra: 5,
    items: [{ a: 3, b: 'y' }],
  };
  const bytes = hex`
    00000001        # id
    0002 6162       # name: flexibleVersions "none" keeps the int16 length
    02 02 78        # labels: compact array of 1, compact string "x"
    01 0002 00 00   # inner: present, a=2, b=null (compact), inner's tagged fields
    02              # tagged fields: 2
    00 04 00000005  #   tag 0 (extra), 4 bytes
    07 06 02 0003 0279 00  # tag 7 (items), 6 bytes: compact array of 1 {a=3, b="y", no tags}
  `;

  test('encodes', () => expect(encode(1, true, value)).toBe(bytes.toString('hex')));
  test('decodes', () => expect(decode(1, true, bytes)).toEqual(value));

  test('fields at their default are not written; a null struct is -1', () => {
    const h = encode(1, true, { id: 1, name: 'ab', labels: [], inner: null, extra: -1, items: [] });
    expect(h).toBe('00000001' + '00026162' + '01' + 'ff' + '00');
    expect(decode(1, true, Buffer.from(h, 'hex'))).toEqual({ id: 1, name: 'ab', labels: [], inner: null, extra: -1, items: [] });
  });

  test('unknown tags are skipped', () => {
    const withUnknown = hex`
      00000001 0002 6162 02 02 78 ff  # id, name, labels ["x"], inner null
      02 00 04 00000009               # 2 tagged fields: tag 0 (extra) = 9
      03 02 abcd                      # tag 3, unknown to this schema, 2 bytes
    `;
    expect(decode(1, true, withUnknown)).toEqual({ id: 1, name: 'ab', labels: ['x'], inner: null, extra: 9, items: [] });
  });
});

test('old version: absent fields take their defaults, including a default struct', () => {
  const bytes = hex`00000007 0001 7a`;
  expect(encode(0, false, { id: 7, name: 'z', labels: ['ignored'], extra: 3 })).toBe(bytes.toString('hex'));
  expect(decode(0, false, bytes)).toEqual({ id: 7, name: 'z', labels: [], inner: { a: 0, b: '' }, extra: -1, items: [] });
});

test('tagged fields do not exist in non-flexible versions', () => {
  // v1 decoded as non-flexible: labels as int32-length array, no tagged section.
  const bytes = hex`00000001 0002 6162 00000000 01 0002 ffff`;
  expect(decode(1, false, bytes)).toEqual({ id: 1, name: 'ab', labels: [], inner: { a: 2, b: null }, extra: -1, items: [] });
});
