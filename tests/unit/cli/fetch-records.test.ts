// Decoding fetched bytes: records below the fetch offset inside the first batch are skipped,
// a trailing partial batch is ignored, control batches are not returned.
import { writeInt64 } from '../../../broker/protocol/primitives';
import { encodeRecordBatch, TimestampType } from '../../../broker/protocol/records/record-batch';
import { decodeFetchedRecords, type ConsumerRecord } from '../../../admin-cli/client/fetch-records';
import { formatRecord, formatterOptionsFrom } from '../../../admin-cli/console/message-formatter';
import { LineMessageReader } from '../../../admin-cli/console/line-reader';

function batch(baseOffset: number, values: string[], opts: { isControl?: boolean } = {}): Buffer {
  const b = encodeRecordBatch({ records: values.map((v, i) => ({ key: `k${i}`, value: v, timestamp: 1600000000000 + i })), isControl: opts.isControl });
  writeInt64(b, baseOffset, 0);
  return b;
}

describe('decodeFetchedRecords', () => {
  it('skips records below the fetch offset and stops at a partial batch', () => {
    const b1 = batch(10, ['a', 'b', 'c']);
    const b2 = batch(13, ['d', 'e']);
    const data = Buffer.concat([b1, b2.subarray(0, b2.length - 5)]);
    const out = decodeFetchedRecords('t', 0, 11, data);
    expect(out.records.map((r) => [r.offset, r.value?.toString()])).toEqual([[11, 'b'], [12, 'c']]);
    expect(out.nextOffset).toBe(13);
    expect(out.onlyPartial).toBe(false);
    expect(out.records[0].timestamp).toBe(1600000000001);
  });

  it('reports a buffer holding only a partial batch', () => {
    const b = batch(0, ['x']);
    const out = decodeFetchedRecords('t', 0, 0, b.subarray(0, 30));
    expect(out.records).toEqual([]);
    expect(out.onlyPartial).toBe(true);
    expect(out.nextOffset).toBe(0);
  });

  it('skips control batches but moves past them', () => {
    const data = Buffer.concat([batch(0, ['a']), batch(1, ['ctl'], { isControl: true }), batch(2, ['b'])]);
    const out = decodeFetchedRecords('t', 0, 0, data);
    expect(out.records.map((r) => r.value?.toString())).toEqual(['a', 'b']);
    expect(out.nextOffset).toBe(3);
  });
});

describe('console formats', () => {
  const record: ConsumerRecord = { topic: 't', partition: 2, offset: 7, timestamp: 1600000000000, timestampType: TimestampType.CREATE_TIME, key: Buffer.from('k'), value: Buffer.from('v'), headers: [] };
  const fmt = (props: Record<string, string>, r = record) => {
    const parts: Buffer[] = [];
    formatRecord(r, formatterOptionsFrom(new Map(Object.entries(props))), parts);
    return Buffer.concat(parts).toString();
  };

  it('prints like DefaultMessageFormatter', () => {
    expect(fmt({})).toBe('v\n');
    expect(fmt({ 'print.key': 'true', 'print.timestamp': 'true' })).toBe('CreateTime:1600000000000\tk\tv\n');
    expect(fmt({ 'print.key': 'true', 'key.separator': '|' }, { ...record, key: null })).toBe('null|v\n');
    expect(fmt({ 'print.partition': 'true', 'print.offset': 'true' })).toBe('Partition:2\tOffset:7\tv\n');
    expect(fmt({ 'print.timestamp': 'true' }, { ...record, timestampType: TimestampType.LOG_APPEND_TIME })).toBe('LogAppendTime:1600000000000\tv\n');
  });

  it('reads lines like LineMessageReader', () => {
    const r = new LineMessageReader(new Map([['parse.key', 'true'], ['key.separator', ':']]));
    expect(r.read('a:b:c')).toEqual({ key: 'a', value: 'b:c' });
    expect(() => r.read('nokey')).toThrow('No key found on line 2: nokey');
    expect(new LineMessageReader(new Map()).read('a\tb')).toEqual({ key: null, value: 'a\tb' });
    expect(new LineMessageReader(new Map([['parse.key', 'true']])).read('a\tb')).toEqual({ key: 'a', value: 'b' });
  });
});
