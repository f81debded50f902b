// Output helpers of the perf tools and kafka-broker-api-versions, checked against values Java
// itself produces: java.util.Random(0) (first letters of Kafka's perf payload), Java's
// Formatter for NaN/Infinity, SimpleDateFormat's default perf pattern, NodeApiVersions lines.
import { formatNodeApiVersions, nodeText } from '../../../admin-cli/api-versions/node-api-versions';
import { javaDouble, javaFixed, simpleDateFormat } from '../../../admin-cli/perf/java-format';
import { JavaRandom } from '../../../admin-cli/perf/java-random';

describe('Java-compatible formatting', () => {
  it('java.util.Random(0).nextInt(26) gives the same letters as Java', () => {
    const r = new JavaRandom(0);
    const s = Array.from({ length: 20 }, () => String.fromCharCode(r.nextInt(26) + 65)).join('');
    expect(s).toBe('SSXVNJHPDQDXVCRASTVY'); // java: new Random(0), 20 x nextInt(26) + 'A'
    const p = new JavaRandom(42);
    expect([p.nextInt(16), p.nextInt(16), p.nextInt(10)]).toEqual([11, 0, 8]); // java: new Random(42)
  });
  it('prints NaN and Infinity as Java does', () => {
    expect(javaFixed(0 / 0, 4)).toBe('NaN');
    expect(javaFixed(1 / 0, 4)).toBe('Infinity');
    expect(javaFixed(1.23456, 2)).toBe('1.23');
    // java: String.format("%.2f|%.1f|%.4f|%f|%.2f|%.1f", 1.005, 0.05, 123456.78905, 1e-7, 1e21, 9.95)
    expect([javaFixed(1.005, 2), javaFixed(0.05, 1), javaFixed(123456.78905, 4), javaFixed(1e-7, 6), javaFixed(1e21, 2), javaFixed(9.95, 1)].join('|')).toBe(
      '1.01|0.1|123456.7891|0.000000|1000000000000000000000.00|10.0',
    );
  });
  it('writes doubles as Double.toString (Jackson), e.g. tool_data avg_throughput', () => {
    // java: Double.toString of 0.0, 17.54385964912281, 12345678.9, 0.00012, 100.0, 1e7
    expect([0, 17.54385964912281, 12345678.9, 0.00012, 100, 1e7].map(javaDouble).join('|')).toBe('0.0|17.54385964912281|1.23456789E7|1.2E-4|100.0|1.0E7');
  });
  it('formats yyyy-MM-dd HH:mm:ss:SSS', () => {
    const ms = new Date(2024, 0, 2, 3, 4, 5, 6).getTime();
    expect(simpleDateFormat('yyyy-MM-dd HH:mm:ss:SSS', ms)).toBe('2024-01-02 03:04:05:006');
    expect(simpleDateFormat("yy/M/d 'at' H", ms)).toBe('24/1/2 at 3');
  });
});

describe('NodeApiVersions', () => {
  it('lists every Kafka 2.4 key, usable versions capped by the 2.4 client, unknown and missing keys', () => {
    const text = formatNodeApiVersions(new Map([[0, { minVersion: 0, maxVersion: 9 }], [18, { minVersion: 0, maxVersion: 2 }], [99, { minVersion: 1, maxVersion: 1 }]]));
    const lines = text.split('\n');
    expect(lines[0]).toBe('(');
    expect(lines[1]).toBe('\tProduce(0): 0 to 9 [usable: 8],');
    expect(lines[2]).toBe('\tFetch(1): UNSUPPORTED,');
    expect(lines[19]).toBe('\tApiVersions(18): 0 to 2 [usable: 2],');
    expect(lines[48]).toBe('\tOffsetDelete(47): UNSUPPORTED,');
    expect(lines[49]).toBe('\tUNKNOWN(99): 1');
    expect(lines[50]).toBe(')');
    expect(nodeText({ nodeId: 1, host: 'h', port: 9092, rack: null })).toBe('h:9092 (id: 1 rack: null)');
  });
});
