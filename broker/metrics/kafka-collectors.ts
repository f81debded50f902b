// Kafka's broker metrics under the names the Prometheus JMX exporter gives them with the rules
// of its example kafka-2_0_0.yml (as used by Strimzi and the Confluent cp-helm charts): MBean
// kafka.<domain>:type=<Type>,name=<Name>,<tag>=<v> becomes kafka_<domain>_<type>_<name>
// lower-cased with tags as labels; "...PerSec" meters export their Count as "..._total"
// (MessagesInPerSec -> kafka_server_brokertopicmetrics_messagesin_total); histograms export
// their percentiles as a gauge with a quantile label and their Count as "..._count".
// docs/METRICS.md lists every name.
import type { Registry } from 'prom-client';
import type { TopicCounters } from './broker-topic-stats';
import type { MetricsSources, PartitionView } from './metrics-sources';
import { KAFKA_QUANTILES } from './sample-window';
import { scrapeCounter, scrapeGauge, type Emit } from './scrape-metric';

const QUANTILE_VALUES = KAFKA_QUANTILES.map((q) => q.q);

export function registerKafkaMetrics(registry: Registry, sources: MetricsSources): void {
  registerBrokerTopicMetrics(registry, sources);
  registerRequestMetrics(registry, sources);
  registerReplicaManagerMetrics(registry, sources);
  registerPartitionMetrics(registry, sources);
  registerLogMetrics(registry, sources);
  registerControllerMetrics(registry, sources);
  registerGroupMetadataManagerMetrics(registry, sources);
}

/** kafka.server:type=BrokerTopicMetrics,name=<X>PerSec[,topic=<t>] */
function registerBrokerTopicMetrics(registry: Registry, { topicStats }: MetricsSources): void {
  const perTopic = (name: string, help: string, field: keyof TopicCounters) =>
    scrapeCounter(registry, {
      name: `kafka_server_brokertopicmetrics_${name}_total`,
      help: `${help} (the series without a topic label is all topics)`,
      labelNames: ['topic'],
      read(emit) {
        emit({}, topicStats.allTopics[field]);
        for (const [topic, counters] of topicStats.entries()) emit({ topic }, counters[field]);
      },
    });
  perTopic('messagesin', 'Records appended as leader', 'messagesIn');
  perTopic('bytesin', 'Bytes of record batches appended as leader from produce requests', 'bytesIn');
  perTopic('bytesout', 'Bytes of records sent to consumers in fetch responses', 'bytesOut');
  perTopic('totalproducerequests', 'Partitions of produce requests', 'totalProduceRequests');
  perTopic('failedproducerequests', 'Partitions of produce requests that failed', 'failedProduceRequests');
  perTopic('totalfetchrequests', 'Partitions of fetch requests (consumers and followers)', 'totalFetchRequests');
  perTopic('failedfetchrequests', 'Partitions of fetch requests that failed', 'failedFetchRequests');
  scrapeCounter(registry, {
    name: 'kafka_server_brokertopicmetrics_replicationbytesout_total',
    help: 'Bytes of records sent to follower replicas in fetch responses',
    read: (emit) => emit({}, topicStats.allTopics.replicationBytesOut),
  });
}

/** kafka.network:type=RequestMetrics,name=RequestsPerSec|TotalTimeMs,request=<api>[,version=<v>] */
function registerRequestMetrics(registry: Registry, { requests }: MetricsSources): void {
  scrapeCounter(registry, {
    name: 'kafka_network_requestmetrics_requests_total',
    help: 'Requests by API and version (Fetch also counts as FetchConsumer or FetchFollower)',
    labelNames: ['request', 'version'],
    read(emit) {
      for (const api of requests.apis()) {
        api.requestsByVersion.forEach((n, version) => emit({ request: api.name, version }, n));
      }
    },
  });
  scrapeGauge(registry, {
    name: 'kafka_network_requestmetrics_totaltimems',
    help: 'Milliseconds from receiving a request to its response being ready, percentiles of the last 1024 requests',
    labelNames: ['request', 'quantile'],
    read(emit) {
      for (const api of requests.apis()) {
        if (api.totalTimeMs.count === 0) continue;
        const values = api.totalTimeMs.quantiles(QUANTILE_VALUES);
        KAFKA_QUANTILES.forEach((q, i) => emit({ request: api.name, quantile: q.label }, values[i]));
      }
    },
  });
  scrapeCounter(registry, {
    name: 'kafka_network_requestmetrics_totaltimems_count',
    help: 'Requests whose total time was recorded',
    labelNames: ['request'],
    read(emit) {
      for (const api of requests.apis()) emit({ request: api.name }, api.totalTimeMs.count);
    },
  });
  scrapeGauge(registry, {
    name: 'kafka_network_requestchannel_requestqueuesize',
    help: 'Requests received whose response is not ready yet (long-polling fetches and acks=all produces in a purgatory included)',
    read: (emit) => emit({}, requests.inFlight),
  });
}

/** kafka.server:type=ReplicaManager and kafka.server:type=DelayedOperationPurgatory */
function registerReplicaManagerMetrics(registry: Registry, sources: MetricsSources): void {
  const gauge = (name: string, help: string, count: (p: PartitionView) => boolean) =>
    scrapeGauge(registry, {
      name: `kafka_server_replicamanager_${name}`,
      help,
      read(emit) {
        const rm = sources.replicaManager();
        let n = 0;
        if (rm) for (const p of rm.allPartitions()) if (count(p)) n++;
        emit({}, n);
      },
    });
  gauge('partitioncount', 'Partitions hosted by this broker', () => true);
  gauge('leadercount', 'Partitions this broker leads', (p) => p.isLeader());
  gauge('underreplicatedpartitions', 'Partitions led here whose ISR is smaller than the replica set', isUnderReplicated);
  gauge('underminisrpartitioncount', 'Partitions led here whose ISR is smaller than min.insync.replicas', isUnderMinIsr);
  gauge('atminisrpartitioncount', 'Partitions led here whose ISR is exactly min.insync.replicas', isAtMinIsr);

  const isrCounter = (name: string, help: string, field: 'shrinks' | 'expands' | 'failedUpdates') =>
    scrapeCounter(registry, {
      name: `kafka_server_replicamanager_${name}_total`,
      help,
      read: (emit) => emit({}, sources.replicaManager()?.isrStats[field] ?? 0),
    });
  isrCounter('isrshrinks', 'ISR shrinks written by this broker as leader', 'shrinks');
  isrCounter('isrexpands', 'ISR expansions written by this broker as leader', 'expands');
  isrCounter('failedisrupdates', 'ISR updates refused by ZooKeeper (stale partition state version)', 'failedUpdates');

  scrapeGauge(registry, {
    name: 'kafka_server_delayedoperationpurgatory_purgatorysize',
    help: 'Requests waiting in a purgatory, counted once per partition they watch',
    labelNames: ['delayedOperation'],
    read(emit) {
      const sizes = sources.replicaManager()?.purgatorySizes() ?? { produce: 0, fetch: 0 };
      emit({ delayedOperation: 'Produce' }, sizes.produce);
      emit({ delayedOperation: 'Fetch' }, sizes.fetch);
    },
  });
}

function isUnderReplicated(p: PartitionView): boolean {
  return p.isLeader() && p.isr.length < p.replicas.length;
}

function isUnderMinIsr(p: PartitionView): boolean {
  return p.isLeader() && p.isr.length < p.log.config.minInsyncReplicas;
}

function isAtMinIsr(p: PartitionView): boolean {
  return p.isLeader() && p.isr.length === p.log.config.minInsyncReplicas;
}

/** kafka.cluster:type=Partition,name=<X>,topic=<t>,partition=<p>: non-zero only where this broker leads. */
function registerPartitionMetrics(registry: Registry, sources: MetricsSources): void {
  const gauge = (name: string, help: string, value: (p: PartitionView) => number) =>
    scrapeGauge(registry, {
      name: `kafka_cluster_partition_${name}`,
      help,
      labelNames: ['topic', 'partition'],
      read(emit: Emit) {
        const rm = sources.replicaManager();
        if (rm) for (const p of rm.allPartitions()) emit({ topic: p.topic, partition: p.partition }, value(p));
      },
    });
  gauge('underreplicated', '1 when this broker leads the partition and its ISR is smaller than its replica set', (p) => +isUnderReplicated(p));
  gauge('underminisr', '1 when this broker leads the partition and its ISR is below min.insync.replicas', (p) => +isUnderMinIsr(p));
  gauge('atminisr', '1 when this broker leads the partition and its ISR is exactly min.insync.replicas', (p) => +isAtMinIsr(p));
  gauge('insyncreplicascount', 'ISR size, where this broker leads', (p) => (p.isLeader() ? p.isr.length : 0));
  gauge('replicascount', 'Replica set size, where this broker leads', (p) => (p.isLeader() ? p.replicas.length : 0));
}

/** kafka.log:type=Log,name=Size|LogStartOffset|LogEndOffset|NumLogSegments,topic=<t>,partition=<p> */
function registerLogMetrics(registry: Registry, sources: MetricsSources): void {
  const gauge = (name: string, help: string, field: 'size' | 'logStartOffset' | 'logEndOffset' | 'numberOfSegments') =>
    scrapeGauge(registry, {
      name: `kafka_log_log_${name}`,
      help,
      labelNames: ['topic', 'partition'],
      read(emit) {
        for (const log of sources.logs() ?? []) emit({ topic: log.topic, partition: log.partition }, log[field]);
      },
    });
  gauge('size', 'Bytes of all segments of the partition log on this broker', 'size');
  gauge('logstartoffset', 'First offset of the partition log', 'logStartOffset');
  gauge('logendoffset', 'Offset the next appended record gets', 'logEndOffset');
  gauge('numlogsegments', 'Segments of the partition log', 'numberOfSegments');
}

/** kafka.controller:type=KafkaController: zero on brokers that are not the active controller. */
function registerControllerMetrics(registry: Registry, sources: MetricsSources): void {
  const gauge = (name: string, help: string, value: (c: NonNullable<ReturnType<MetricsSources['controller']>>) => number) =>
    scrapeGauge(registry, {
      name: `kafka_controller_kafkacontroller_${name}`,
      help,
      read(emit) {
        const controller = sources.controller();
        emit({}, controller && controller.isActive() ? value(controller) : 0);
      },
    });
  gauge('activecontrollercount', '1 on the active controller, 0 elsewhere', () => 1);
  gauge('offlinepartitionscount', 'Partitions without a live leader (reported by the active controller)', (c) => c.context.offlinePartitionCount());
  gauge('globaltopiccount', 'Topics in the cluster (reported by the active controller)', (c) => c.context.allTopics.size);
  gauge('globalpartitioncount', 'Partitions in the cluster (reported by the active controller)', (c) => c.context.allPartitions().length);
}

/** kafka.coordinator.group:type=GroupMetadataManager: groups whose coordinator is this broker. */
function registerGroupMetadataManagerMetrics(registry: Registry, sources: MetricsSources): void {
  const gauge = (name: string, help: string, value: (groups: readonly { currentState: string; offsets: { size: number } }[]) => number) =>
    scrapeGauge(registry, {
      name: `kafka_coordinator_group_groupmetadatamanager_${name}`,
      help,
      read: (emit) => emit({}, value(sources.groupCoordinator()?.manager.currentGroups() ?? [])),
    });
  gauge('numgroups', 'Groups coordinated by this broker', (groups) => groups.length);
  gauge('numoffsets', 'Committed offsets of the groups coordinated by this broker', (groups) => groups.reduce((n, g) => n + g.offsets.size, 0));
  for (const state of ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty']) {
    gauge(`numgroups${state.toLowerCase()}`, `Groups coordinated by this broker in state ${state}`, (groups) => groups.filter((g) => g.currentState === state).length);
  }
}
