// kafka-broker-api-versions against a real 2-broker cluster: one block per broker in Kafka 2.4's
// format ("host:port (id: N rack: null) -> (" ... ")"), every ApiKey of Kafka 2.4 in key order, and
// the ranges exactly those each broker answers to a raw ApiVersions v0 request.
import { TestCluster } from '../../helpers/cluster';
import { rawExchange, rawRequest } from '../../helpers/raw-socket';
import { runCli } from './run-cli';

jest.setTimeout(120000);

/** ApiVersions v0 response: key -> [min, max], decoded by hand from the bytes. */
async function rawApiVersions(port: number): Promise<Map<number, [number, number]>> {
  const { received } = await rawExchange(port, rawRequest(18, 0, 7));
  expect(received.readInt32BE(4)).toBe(7);
  expect(received.readInt16BE(8)).toBe(0);
  const count = received.readInt32BE(10);
  const out = new Map<number, [number, number]>();
  for (let i = 0, at = 14; i < count; i++, at += 6) out.set(received.readInt16BE(at), [received.readInt16BE(at + 2), received.readInt16BE(at + 4)]);
  return out;
}

describe('kafka-broker-api-versions', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 2 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('prints every broker with the ranges it advertises, in Kafka 2.4 NodeApiVersions format', async () => {
    const r = await runCli('kafka-broker-api-versions', ['--bootstrap-server', `127.0.0.1:${cluster.brokers[0].port}`]);
    expect(r.code).toBe(0);
    const blocks = r.stdout.split(/\n\)\n/).filter((b) => b !== '');
    expect(blocks.length).toBe(2);
    for (const [i, broker] of cluster.brokers.entries()) {
      const lines = blocks[i].split('\n');
      expect(lines[0]).toBe(`127.0.0.1:${broker.port} (id: ${broker.id} rack: null) -> (`);
      const entries = lines.slice(1).map((l) => {
        const m = /^\t(\w+)\((\d+)\): (?:(\d+)(?: to (\d+))? \[usable: (\d+)\]|UNSUPPORTED),?$/.exec(l);
        if (!m) throw new Error(`unexpected line ${JSON.stringify(l)}`);
        return { name: m[1], key: Number(m[2]), min: m[3] === undefined ? null : Number(m[3]), max: m[3] === undefined ? null : Number(m[4] ?? m[3]), usable: m[5] };
      });
      // Kafka 2.4's client knows keys 0..47; each appears once, in order, comma-separated but the last.
      expect(entries.map((e) => e.key)).toEqual([...Array(48).keys()]);
      expect(lines[lines.length - 1].endsWith(',')).toBe(false);
      expect(entries[0].name).toBe('Produce');
      expect(entries[18].name).toBe('ApiVersions');
      const advertised = await rawApiVersions(broker.port);
      for (const e of entries) {
        const range = advertised.get(e.key);
        if (range === undefined) expect(e.min).toBeNull();
        else {
          expect([e.min, e.max]).toEqual(range);
          expect(Number(e.usable)).toBeLessThanOrEqual(range[1]);
        }
      }
    }
  });

  it('exits 1 with the usage when --bootstrap-server is missing', async () => {
    const r = await runCli('kafka-broker-api-versions', ['--command-config', '/dev/null']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Missing required argument "[bootstrap-server]"');
    expect(r.stderr).toContain('Usage:');
  });
});
