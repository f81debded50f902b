// The registry built from plain-object sources: names and labels as the JMX exporter gives them,
// values read at scrape time, and the docs and the Grafana dashboard using only exported names.
import * as fs from 'fs';
import * as path from 'path';
import { createBrokerRegistry } from '../../../broker/metrics/broker-metrics';
import { BrokerTopicStats } from '../../../broker/metrics/broker-topic-stats';
import type { MetricsSources, PartitionView } from '../../../broker/metrics/metrics-sources';
import { RequestMetrics } from '../../../broker/metrics/request-metrics';
import { parseSamples, Scrape } from '../../helpers/prometheus-scrape';

const REPO = path.join(__dirname, '../../..');

function partition(topic: string, p: number, leader: boolean, isr: number[], replicas: number[], minIsr = 2): PartitionView {
  return { topic, partition: p, isr, replicas, log: { config: { minInsyncReplicas: minIsr } }, isLeader: () => leader };
}

function sources(): MetricsSources & { active: boolean } {
  const topicStats = new BrokerTopicStats();
  const requests = new RequestMetrics();
  requests.register(0, 'Produce');
  requests.register(1, 'Fetch');
  const state = {
    active: true,
    topicStats,
    requests,
    replicaManager: () => ({
      allPartitions: () => [partition('t', 0, true, [1, 2], [1, 2, 3]), partition('t', 1, true, [1], [1, 2, 3]), partition('t', 2, false, [2, 1, 3], [2, 1, 3])],
      isrStats: { shrinks: 4, expands: 2, failedUpdates: 1 },
      purgatorySizes: () => ({ produce: 5, fetch: 7 }),
    }),
    logs: () => [{ topic: 't', partition: 0, size: 1234, logStartOffset: 10, logEndOffset: 99, numberOfSegments: 2 }],
    controller: () => ({
      isActive: () => state.active,
      context: { offlinePartitionCount: () => 2, allTopics: { size: 6 }, allPartitions: () => [1, 2, 3, 4] },
    }),
    groupCoordinator: () => ({
      manager: {
        currentGroups: () => [
          { currentState: 'Stable', offsets: { size: 3 } },
          { currentState: 'Empty', offsets: { size: 1 } },
          { currentState: 'Stable', offsets: { size: 0 } },
        ],
      },
    }),
  };
  return state;
}

async function scrape(s: MetricsSources): Promise<Scrape> {
  return new Scrape(parseSamples(await createBrokerRegistry(s).metrics()));
}

describe('Kafka metrics registry', () => {
  it('exports topic counters with and without a topic label, read at scrape time', async () => {
    const s = sources();
    s.topicStats.recordProduceRequest('t');
    s.topicStats.recordAppend('t', 500, 7);
    const registry = createBrokerRegistry(s);
    let out = new Scrape(parseSamples(await registry.metrics()));
    expect(out.value('kafka_server_brokertopicmetrics_messagesin_total', { topic: 't' })).toBe(7);
    expect(out.value('kafka_server_brokertopicmetrics_messagesin_total', { topic: '' })).toBe(7);
    expect(out.value('kafka_server_brokertopicmetrics_bytesin_total', { topic: 't' })).toBe(500);
    s.topicStats.recordAppend('t', 100, 1);
    out = new Scrape(parseSamples(await registry.metrics()));
    expect(out.value('kafka_server_brokertopicmetrics_messagesin_total', { topic: 't' })).toBe(8);
  });

  it('exports request counts per API and version, and total-time percentiles with a count', async () => {
    const s = sources();
    const produce = s.requests.forApiKey(0)!;
    for (let i = 1; i <= 100; i++) produce.record(i % 2 === 0 ? 7 : 3, i);
    s.requests.fetchFollower.record(11, 2);
    const out = await scrape(s);
    expect(out.value('kafka_network_requestmetrics_requests_total', { request: 'Produce', version: '7' })).toBe(50);
    expect(out.value('kafka_network_requestmetrics_requests_total', { request: 'Produce', version: '3' })).toBe(50);
    expect(out.value('kafka_network_requestmetrics_requests_total', { request: 'FetchFollower', version: '11' })).toBe(1);
    expect(out.value('kafka_network_requestmetrics_totaltimems_count', { request: 'Produce' })).toBe(100);
    expect(out.value('kafka_network_requestmetrics_totaltimems', { request: 'Produce', quantile: '0.50' })).toBeCloseTo(50.5);
    expect(out.value('kafka_network_requestmetrics_totaltimems', { request: 'Produce', quantile: '0.999' })).toBe(100);
    // An API with no requests yet has a zero count and no percentiles.
    expect(out.value('kafka_network_requestmetrics_totaltimems_count', { request: 'Fetch' })).toBe(0);
    expect(out.find('kafka_network_requestmetrics_totaltimems', { request: 'Fetch' })).toEqual([]);
  });

  it('exports replica manager, partition, purgatory and log gauges from the hosted partitions', async () => {
    const out = await scrape(sources());
    expect(out.value('kafka_server_replicamanager_partitioncount')).toBe(3);
    expect(out.value('kafka_server_replicamanager_leadercount')).toBe(2);
    expect(out.value('kafka_server_replicamanager_underreplicatedpartitions')).toBe(2);
    expect(out.value('kafka_server_replicamanager_underminisrpartitioncount')).toBe(1);
    expect(out.value('kafka_server_replicamanager_atminisrpartitioncount')).toBe(1);
    expect(out.value('kafka_server_replicamanager_isrshrinks_total')).toBe(4);
    expect(out.value('kafka_server_replicamanager_isrexpands_total')).toBe(2);
    expect(out.value('kafka_server_replicamanager_failedisrupdates_total')).toBe(1);
    expect(out.value('kafka_cluster_partition_underreplicated', { topic: 't', partition: '1' })).toBe(1);
    expect(out.value('kafka_cluster_partition_underminisr', { topic: 't', partition: '1' })).toBe(1);
    expect(out.value('kafka_cluster_partition_underreplicated', { topic: 't', partition: '2' })).toBe(0); // a follower reports 0
    expect(out.value('kafka_server_delayedoperationpurgatory_purgatorysize', { delayedOperation: 'Produce' })).toBe(5);
    expect(out.value('kafka_server_delayedoperationpurgatory_purgatorysize', { delayedOperation: 'Fetch' })).toBe(7);
    expect(out.value('kafka_log_log_size', { topic: 't', partition: '0' })).toBe(1234);
    expect(out.value('kafka_log_log_logendoffset', { topic: 't', partition: '0' })).toBe(99);
  });

  it('exports controller gauges only on the active controller, and groups by state', async () => {
    const s = sources();
    let out = await scrape(s);
    expect(out.value('kafka_controller_kafkacontroller_activecontrollercount')).toBe(1);
    expect(out.value('kafka_controller_kafkacontroller_offlinepartitionscount')).toBe(2);
    expect(out.value('kafka_controller_kafkacontroller_globalpartitioncount')).toBe(4);
    expect(out.value('kafka_coordinator_group_groupmetadatamanager_numgroups')).toBe(3);
    expect(out.value('kafka_coordinator_group_groupmetadatamanager_numgroupsstable')).toBe(2);
    expect(out.value('kafka_coordinator_group_groupmetadatamanager_numgroupsempty')).toBe(1);
    expect(out.value('kafka_coordinator_group_groupmetadatamanager_numoffsets')).toBe(4);
    s.active = false;
    out = await scrape(s);
    expect(out.value('kafka_controller_kafkacontroller_activecontrollercount')).toBe(0);
    expect(out.value('kafka_controller_kafkacontroller_offlinepartitionscount')).toBe(0);
  });

  it('exports zeros, not errors, before the subsystems have started', async () => {
    const s: MetricsSources = {
      topicStats: new BrokerTopicStats(),
      requests: new RequestMetrics(),
      replicaManager: () => undefined,
      logs: () => undefined,
      controller: () => undefined,
      groupCoordinator: () => undefined,
    };
    const out = await scrape(s);
    expect(out.value('kafka_server_replicamanager_partitioncount')).toBe(0);
    expect(out.value('kafka_controller_kafkacontroller_activecontrollercount')).toBe(0);
    expect(out.value('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('docs/METRICS.md and docs/grafana-zafka.json name only metrics the broker exports', async () => {
    const exported = new Set((await createBrokerRegistry(sources()).getMetricsAsJSON()).map((m) => m.name));
    const doc = fs.readFileSync(path.join(REPO, 'docs/METRICS.md'), 'utf8');
    const docNames = new Set([...doc.matchAll(/`((?:kafka|process|nodejs)_[a-z0-9_]+)`/g)].map((m) => m[1]));
    expect(docNames.size).toBeGreaterThan(30);
    for (const name of docNames) expect({ name, exported: exported.has(name) }).toEqual({ name, exported: true });
    for (const name of exported) if (name.startsWith('kafka_')) expect({ name, documented: docNames.has(name) }).toEqual({ name, documented: true });

    const dashboard = JSON.parse(fs.readFileSync(path.join(REPO, 'docs/grafana-zafka.json'), 'utf8'));
    const exprs: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === 'expr' || k === 'query' ? typeof x === 'string' && exprs.push(x) : walk(x);
    };
    walk(dashboard);
    expect(exprs.length).toBeGreaterThan(10);
    for (const expr of exprs) {
      for (const [name] of expr.matchAll(/\b(?:kafka|process|nodejs)_[a-z0-9_]+/g)) expect({ expr, name, exported: exported.has(name) }).toEqual({ expr, name, exported: true });
    }
  });
});
