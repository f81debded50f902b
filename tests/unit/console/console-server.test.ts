// The console server's pure parts: rates from counters, series windows, the cluster page's
// problem lists, how record bytes are shown, and each action's input checks and CLI equivalent.
import type { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import type { ClusterClient } from '../../../admin-cli/client/cluster-client';
import type { ClusterState, TopicState } from '../../../console/server/cluster-reader';
import { ActionInputError, ConsoleActions } from '../../../console/server/console-actions';
import { clusterView, topicView, topicsView, type RefreshResult } from '../../../console/server/console-views';
import { showBytes } from '../../../console/server/message-browser';
import { ratesBetween, SeriesStore } from '../../../console/server/rate-history';

describe('rates between two refreshes', () => {
  test('messages from log end offsets, bytes in from leader sizes, bytes out from commits x mean record size', () => {
    const r = ratesBetween({ at: 0, endOffsets: 100, leaderBytes: 1000, consumed: 50 }, { at: 2000, endOffsets: 300, leaderBytes: 5000, consumed: 90 }, 20);
    expect(r).toEqual({ messagesInPerSec: 100, bytesInPerSec: 2000, bytesOutPerSec: 400 });
  });

  test('a shrinking log (retention) or a reset group never gives a negative rate; the first sample gives zero', () => {
    expect(ratesBetween({ at: 0, endOffsets: 10, leaderBytes: 5000, consumed: 9 }, { at: 1000, endOffsets: 10, leaderBytes: 100, consumed: 0 }, 10)).toEqual({ messagesInPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0 });
    expect(ratesBetween(undefined, { at: 1000, endOffsets: 10, leaderBytes: 1, consumed: 0 }, 1).messagesInPerSec).toBe(0);
  });

  test('series keep only the window and forget what stopped being recorded', () => {
    const s = new SeriesStore(10000);
    for (let t = 0; t <= 20000; t += 1000) s.record('a', t, [t, 2 * t]);
    s.record('b', 5000, [1]);
    expect(s.get('a')!.t[0]).toBe(10000);
    expect(s.get('a')!.values[1].at(-1)).toBe(40000);
    s.prune(10000);
    expect(s.get('b')).toBeUndefined();
    expect(s.get('a')).toBeDefined();
  });
});

function topic(name: string, partitions: Array<[leader: number, replicas: number[], isr: number[]]>, configs: Record<string, string> = {}): TopicState {
  return {
    name,
    isInternal: false,
    markedForDeletion: false,
    pending: false,
    configs,
    sizeOnDisk: 100,
    partitions: partitions.map(([leader, replicas, isr], partition) => ({ partition, leader, replicas, isr, offlineReplicas: [], logStartOffset: 0, logEndOffset: 10 })),
  };
}

function refresh(topics: TopicState[], brokers = [1, 2, 3]): RefreshResult {
  const cluster: ClusterState = {
    readAt: 1,
    clusterId: 'c',
    controllerId: 1,
    controllerEpoch: 4,
    brokers: brokers.map((id) => ({ id, host: 'h', port: 9000 + id, rack: null, registeredAt: 0, version: null, leaders: 0, replicas: 0, logDirs: [] })),
    topics: new Map(topics.map((t) => [t.name, t])),
    reassigning: [],
    brokerMinIsr: null,
    readErrors: [],
    readMs: 1,
    timings: {},
  };
  return { cluster, groups: [], groupErrors: [], rates: new Map(), series: new SeriesStore() };
}

describe('the cluster view puts problems first', () => {
  test('offline, under-replicated, under-min-ISR partitions and brokers missing from replica lists', () => {
    const r = refresh(
      [
        topic('healthy', [[1, [1, 2], [1, 2]]]),
        topic('strict', [[2, [2, 3, 4], [2]], [-1, [4], []]], { 'min.insync.replicas': '2' }),
      ],
      [1, 2, 3],
    );
    const v = clusterView(r, {});
    expect(v.problems.offline).toEqual({ count: 1, items: [expect.objectContaining({ topic: 'strict', partition: 1, leader: -1 })] });
    expect(v.problems.underReplicated.items.map((p) => `${p.topic}-${p.partition}`)).toEqual(['strict-0', 'strict-1']);
    expect(v.problems.underMinIsr.items.map((p) => `${p.topic}-${p.partition}`)).toEqual(['strict-0', 'strict-1']);
    expect(v.problems.missingBrokers).toEqual([{ broker: 4, partitions: 2 }]);
    expect(v.totals).toMatchObject({ brokers: 3, topics: 2, partitions: 3, replicas: 6 });
    expect(v.controller).toEqual({ id: 1, epoch: 4 });
  });

  test("without a topic override, the brokers' min.insync.replicas decides", () => {
    const r = refresh([topic('t', [[1, [1, 2, 3], [1, 2]]])]);
    expect(clusterView(r, {}).problems.underMinIsr.count).toBe(0);
    r.cluster.brokerMinIsr = 3;
    expect(clusterView(r, {}).problems.underMinIsr.count).toBe(1);
    expect(topicView(r, 't')!.minInsyncReplicas).toBe(3);
  });

  test('a topic the brokers do not know yet (being created) is not reported offline', () => {
    const t = topic('new', [[-1, [1, 2], []]]);
    t.pending = true;
    const v = clusterView(refresh([t]), {});
    expect(v.problems.offline.count).toBe(0);
    expect(v.problems.underReplicated.count).toBe(0);
    expect(v.totals.partitions).toBe(1);
  });

  test('problem lists are cut at 200 rows but keep the exact count', () => {
    const many = topic('big', Array.from({ length: 500 }, (): [number, number[], number[]] => [1, [1, 2], [1]]));
    const v = clusterView(refresh([many]), {});
    expect(v.problems.underReplicated.count).toBe(500);
    expect(v.problems.underReplicated.items).toHaveLength(200);
  });

  test('an unknown topic is null (the page says so); the list counts messages', () => {
    const r = refresh([topic('t', [[1, [1], [1]]])]);
    expect(topicView(r, 'nope')).toBeNull();
    expect(topicsView(r).topics[0]).toMatchObject({ name: 't', partitions: 1, replicationFactor: 1, messages: 10 });
  });
});

describe('record bytes as the message browser shows them', () => {
  test('JSON is pretty-printed, text stays text, binary is hex only, null stays null', () => {
    expect(showBytes(Buffer.from('{"a":[1,2]}'))).toEqual({ size: 11, text: '{"a":[1,2]}', json: '{\n  "a": [\n    1,\n    2\n  ]\n}', hex: Buffer.from('{"a":[1,2]}').toString('hex') });
    expect(showBytes(Buffer.from('hello world'))).toMatchObject({ text: 'hello world', json: null });
    expect(showBytes(Buffer.from([0, 1, 0xff, 0xfe]))).toEqual({ size: 4, text: null, json: null, hex: '0001fffe' });
    expect(showBytes(null)).toBeNull();
  });

  test('hex is cut at 4 KiB of bytes, the size is exact', () => {
    const big = showBytes(Buffer.alloc(10000, 1))!;
    expect(big.size).toBe(10000);
    expect(big.hex).toHaveLength(8192);
  });
});

describe('actions: input checks and the equivalent command line', () => {
  // plan() only checks input and builds the command; nothing touches the cluster until run().
  const actions = new ConsoleActions({} as KafkaZkClient, {} as ClusterClient, { zookeeper: 'zk:2181/kafka', bootstrap: 'b1:9092,b2:9092' });

  test('each action names the tool that does the same', () => {
    expect(actions.plan('create-topic', { topic: 'orders', partitions: '6', replicationFactor: 3, configs: { 'cleanup.policy': 'compact' } }).cli).toBe(
      'bin/kafka-topics.sh --zookeeper zk:2181/kafka --create --topic orders --partitions 6 --replication-factor 3 --config cleanup.policy=compact',
    );
    expect(actions.plan('add-partitions', { topic: 'orders', partitions: 12 }).cli).toBe('bin/kafka-topics.sh --zookeeper zk:2181/kafka --alter --topic orders --partitions 12');
    expect(actions.plan('alter-topic-config', { topic: 'orders', set: { 'retention.ms': '1000' }, remove: ['cleanup.policy'] }).cli).toBe(
      'bin/kafka-topics.sh --zookeeper zk:2181/kafka --alter --topic orders --config retention.ms=1000 --delete-config cleanup.policy',
    );
    expect(actions.plan('delete-topic', { topic: 'orders' }).cli).toBe('bin/kafka-topics.sh --zookeeper zk:2181/kafka --delete --topic orders');
    expect(actions.plan('preferred-election', {}).cli).toBe('bin/kafka-leader-election.sh --bootstrap-server b1:9092,b2:9092 --election-type preferred --all-topic-partitions');
    expect(actions.plan('preferred-election', { topic: 'orders', partition: '2' }).cli).toContain('--topic orders --partition 2');
    expect(actions.plan('reset-offsets', { group: 'g', to: 'shift', shift: '-5' }).cli).toBe(
      'bin/kafka-consumer-groups.sh --bootstrap-server b1:9092,b2:9092 --reset-offsets --group g --all-topics --shift-by -5 --execute',
    );
    expect(actions.plan('migrate-offsets', { group: 'old', deleteZkOffsets: true }).cli).toBe(
      'bin/kafka-migrate-offsets.sh --zookeeper zk:2181/kafka --bootstrap-server b1:9092,b2:9092 --group old --delete-zk-offsets',
    );
    expect(actions.plan('generate-reassignment', { topics: 'a, b', brokers: '1,2' }).cli).toContain('--generate --topics-to-move-json-file topics.json --broker-list 1,2');
  });

  test('odd characters are quoted for the shell', () => {
    expect(actions.plan('delete-topic', { topic: "it's" }).cli).toBe(`bin/kafka-topics.sh --zookeeper zk:2181/kafka --delete --topic 'it'\\''s'`);
  });

  test('bad input is refused with a sentence naming the field', () => {
    const refused = (name: string, body: Record<string, unknown>) => {
      try {
        actions.plan(name, body);
      } catch (e) {
        expect(e).toBeInstanceOf(ActionInputError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused('create-topic', { topic: 't', partitions: 'many', replicationFactor: 1 })).toBe('partitions must be a whole number from 1 to 100000.');
    expect(refused('create-topic', { partitions: 1, replicationFactor: 1 })).toBe('Missing topic.');
    expect(refused('alter-topic-config', { topic: 't' })).toBe('Nothing to change: give a config to set or one to remove.');
    expect(refused('reset-offsets', { group: 'g', to: 'yesterday' })).toContain("Unknown reset target 'yesterday'");
    expect(refused('reset-offsets', { group: 'g', to: 'datetime', datetime: 'soon' })).toContain('datetime must be a date and time');
    expect(refused('generate-reassignment', { topics: 't', brokers: 'x' })).toBe('brokers must be a comma-separated list of broker ids.');
    expect(() => actions.plan('format-disk', {})).toThrow("Unknown action 'format-disk'.");
  });
});
