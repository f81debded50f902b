// Greedy clients against a real broker process: connections that pipeline requests and never read
// the responses. What each gets, as in Kafka 2.4 (one request per connection at a time, the socket
// muted until its response is sent):
//   200 connections flooding Metadata, never reading  -> muted; broker RSS stays flat, and a kafkajs
//                                                        producer and a kcat consumer are served meanwhile
//   100 / 3x100 pipelined 8 MB Fetches, never read     -> at most one response held per connection
//   a connection over max.connections.per.ip           -> closed at once, one log line per connection
//   a valid Produce pipelined before a malformed frame -> answered, then the connection closes; the
//                                                        record is stored exactly once
// RSS is read from /proc/<pid>/status (VmRSS) of the broker child process.
import * as fs from 'fs';
import * as net from 'net';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { encodeRequest } from '../../../broker/protocol/codec';
import { ErrorCode } from '../../../broker/protocol/errors';
import { CreateTopics } from '../../../broker/protocol/messages/create-topics';
import { Fetch } from '../../../broker/protocol/messages/fetch';
import { ListOffsets } from '../../../broker/protocol/messages/list-offsets';
import { Metadata } from '../../../broker/protocol/messages/metadata';
import { Produce } from '../../../broker/protocol/messages/produce';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { TestCluster } from '../../helpers/cluster';
import { consumeAllRows } from '../../helpers/consume-all';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { rawExchange, rawRequest } from '../../helpers/raw-socket';
import { waitFor } from '../../helpers/wait';

const MB = 1024 * 1024;
/** The second loopback address: its own per-IP limit, so the harness's connections do not count. */
const OTHER_IP = '127.0.0.2';
const OTHER_IP_LIMIT = 3;

/** The broker's resident set size in MB. */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** Samples RSS every 100 ms until stopped; returns the peak. */
function sampleRss(pid: number): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

/** A connection that writes its requests and never reads a response. */
function greedy(port: number, bytes: Buffer, localAddress?: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    socket.pause();
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(bytes);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function frames(count: number, frame: (i: number) => Buffer[]): Buffer {
  const all: Buffer[] = [];
  for (let i = 0; i < count; i++) all.push(...frame(i));
  return Buffer.concat(all);
}

describe('greedy clients', () => {
  let cluster: TestCluster;
  let client: KafkaClient;
  let port: number;
  let pid: number;

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 1,
      config: { 'max.connections.per.ip.overrides': `${OTHER_IP}:${OTHER_IP_LIMIT}`, 'auto.create.topics.enable': false },
    });
    port = cluster.brokers[0].port;
    pid = cluster.brokers[0].process?.pid as number;
    client = await KafkaClient.connect('127.0.0.1', port, { clientId: 'greedy-test' });
    await waitFor('broker is controller', async () => (await client.send(Metadata, 1, { topics: [] })).controllerId === 0);
    const topics = [
      { name: 'big', numPartitions: 1 },
      { name: 'normal', numPartitions: 1 },
      { name: 'once', numPartitions: 1 },
      // Metadata for every topic is a few KB: what the flooders ask for.
      ...Array.from({ length: 10 }, (_, i) => ({ name: `wide-${i}`, numPartitions: 20 })),
    ];
    const created = await client.send(CreateTopics, 2, {
      topics: topics.map((t) => ({ ...t, replicationFactor: 1, assignments: [], configs: [] })),
      timeoutMs: 20000,
      validateOnly: false,
    });
    expect(created.topics.map((t) => t.errorCode)).toEqual(topics.map(() => ErrorCode.NONE));
    await waitFor('topics have leaders', async () => {
      const m = await client.send(Metadata, 1, { topics: null });
      return m.topics.length === topics.length && m.topics.every((t) => t.partitions.every((p) => p.leaderId === 0));
    });
    // 9 batches of ~0.95 MB in 'big': an 8 MB Fetch gets a full 8 MB.
    const value = Buffer.alloc(950 * 1024, 'v');
    for (let i = 0; i < 9; i++) {
      const r = await client.send(Produce, 3, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 10000,
        topicData: [{ name: 'big', partitionData: [{ index: 0, records: encodeRecordBatch({ records: [{ value }] }) }] }],
      });
      expect(r.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
    }
  });

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  async function latestOffset(topic: string): Promise<number> {
    const r = await client.send(ListOffsets, 1, { replicaId: -1, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1 }] }] });
    return r.topics[0].partitions[0].offset;
  }

  function eightMbFetch(correlationId: number): Buffer[] {
    return encodeRequest(Fetch, 4, correlationId, 'greedy', {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 8 * MB,
      isolationLevel: 0,
      topics: [{ topic: 'big', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 8 * MB }] }],
    });
  }

  test('200 connections pipelining Metadata without reading are muted: RSS stays under +150 MB and a kafkajs producer and kcat consumer are served', async () => {
    const before = rssMb(pid);
    const sampler = sampleRss(pid);
    // 2000 requests each for all topics (~6 KB answers): ~12 MB of answers per connection, more
    // than the kernel's socket buffers take, so an unmuted broker would queue them in its heap.
    const flood = frames(2000, (i) => encodeRequest(Metadata, 1, i, 'greedy', { topics: null }));
    const sockets = await Promise.all(Array.from({ length: 200 }, () => greedy(port, flood)));
    try {
      const producer = kafkajs(cluster.bootstrap, 'normal-producer').producer({ createPartitioner: DEFAULT_PARTITIONER });
      await producer.connect();
      const values = Array.from({ length: 50 }, (_, i) => `normal-${i}`);
      for (let i = 0; i < values.length; i += 10) {
        await producer.send({ topic: 'normal', acks: -1, messages: values.slice(i, i + 10).map((value) => ({ value })) });
      }
      await producer.disconnect();
      const rows = await consumeAllRows(cluster.bootstrap, 'normal');
      expect(rows.map((r) => r.value)).toEqual(values);
      // Let the flood run on a little: memory must not creep while it lasts.
      await new Promise((r) => setTimeout(r, 3000));
    } finally {
      const peak = sampler.stop();
      console.log(`200 greedy Metadata connections: broker RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`);
      sockets.forEach((s) => s.destroy());
      expect(peak - before).toBeLessThan(150);
    }
    await waitFor('greedy connections gone', async () => (await client.send(Metadata, 1, { topics: [] })).brokers.length === 1);
  });

  test.each([1, 3])('%i connection(s) with 100 pipelined 8 MB Fetches never read hold at most one response each: RSS under +100 MB per connection', async (connections) => {
    const before = rssMb(pid);
    const sampler = sampleRss(pid);
    const flood = frames(100, (i) => eightMbFetch(i));
    const sockets = await Promise.all(Array.from({ length: connections }, () => greedy(port, flood)));
    try {
      await new Promise((r) => setTimeout(r, 4000));
      // Everyone else is still served.
      const m = await client.send(Metadata, 1, { topics: [{ name: 'big' }] });
      expect(m.topics[0].errorCode).toBe(ErrorCode.NONE);
    } finally {
      const peak = sampler.stop();
      console.log(`${connections} x 100 greedy 8 MB Fetches: broker RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`);
      sockets.forEach((s) => s.destroy());
      expect(peak - before).toBeLessThan(100 * connections);
    }
  });

  test(`max.connections.per.ip.overrides ${OTHER_IP}:${OTHER_IP_LIMIT}: the connection over the limit is closed at once with one log line; the others are served`, async () => {
    const probe = (i: number) => frames(1, () => encodeRequest(Metadata, 1, i, 'per-ip', { topics: [] }));
    const within = await Promise.all(Array.from({ length: OTHER_IP_LIMIT }, (_, i) => greedy(port, probe(i), OTHER_IP)));
    const over = await greedy(port, probe(99), OTHER_IP);
    const overClosed = await new Promise<boolean>((resolve) => {
      over.once('close', () => resolve(true));
      over.resume(); // a paused socket never sees the end of the stream
      setTimeout(() => resolve(false), 5000);
    });
    expect(overClosed).toBe(true);
    const rejected = () => cluster.output(0).split('\n').filter((l) => l.includes(`Rejected connection from /${OTHER_IP}`));
    await waitFor('one log line', () => rejected().length === 1);
    expect(rejected()[0]).toContain(`maximum of ${OTHER_IP_LIMIT} connections`);
    // The connections within the limit got their answers.
    for (const s of within) {
      const answer = await new Promise<Buffer>((resolve) => {
        s.once('data', resolve);
        s.resume();
      });
      expect(answer.length).toBeGreaterThan(8);
    }
    within.forEach((s) => s.destroy());
    // A slot freed: a new connection from that IP is served again.
    await new Promise((r) => setTimeout(r, 300));
    const again = await greedy(port, probe(7), OTHER_IP);
    const answer = await new Promise<Buffer>((resolve) => {
      again.once('data', resolve);
      again.resume();
    });
    expect(answer.readInt32BE(4)).toBe(7);
    again.destroy();
  });

  function produceOnce(correlationId: number, value: string): Buffer {
    return Buffer.concat(
      encodeRequest(Produce, 3, correlationId, 'pipelined', {
        transactionalId: null,
        acks: 1,
        timeoutMs: 10000,
        topicData: [{ name: 'once', partitionData: [{ index: 0, records: encodeRecordBatch({ records: [{ value }] }) }] }],
      }),
    );
  }

  const invalidSize = Buffer.from([0xff, 0xff, 0xff, 0xf0]);
  const unknownApi = rawRequest(999, 0, 2);
  test.each([
    ['an invalid size prefix', invalidSize],
    ['an unknown API key', unknownApi],
  ])('a valid Produce pipelined before %s is answered, then the connection closes; the record is stored once', async (what, bad) => {
    const before = await latestOffset('once');
    const value = `once-${what.replace(/ /g, '-')}`;
    const r = await rawExchange(port, Buffer.concat([produceOnce(41, value), bad]), 5000);
    expect(r.closedByBroker).toBe(true);
    expect(r.received.length).toBeGreaterThan(8);
    expect(r.received.readInt32BE(0)).toBe(r.received.length - 4); // exactly one response
    expect(r.received.readInt32BE(4)).toBe(41);
    expect(await latestOffset('once')).toBe(before + 1);
    const rows = await consumeAllRows(cluster.bootstrap, 'once');
    expect(rows.filter((row) => row.value === value)).toHaveLength(1);
  });
});
