// The broker's metrics: the counters the request path bumps (BrokerTopicStats, RequestMetrics)
// always exist, as Kafka's do; the Prometheus registry and its HTTP endpoint exist only when
// metrics.prometheus.listener is set. Node process metrics (CPU, memory, event loop lag, GC)
// come from prom-client's default collectors.
import { collectDefaultMetrics, Registry } from 'prom-client';
import { getLogger } from '../logging';
import { registerKafkaMetrics } from './kafka-collectors';
import type { MetricsSources } from './metrics-sources';
import { MetricsServer } from './metrics-server';
import type { PrometheusListener } from './prometheus-listener';

/** A registry holding every Kafka metric and the Node process metrics. */
export function createBrokerRegistry(sources: MetricsSources): Registry {
  const registry = new Registry();
  registerKafkaMetrics(registry, sources);
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Starts the endpoint; the returned server is stopped at broker shutdown. */
export async function startPrometheusEndpoint(brokerId: number, listener: PrometheusListener, sources: MetricsSources): Promise<MetricsServer> {
  const server = new MetricsServer(createBrokerRegistry(sources), getLogger('kafka.metrics.PrometheusEndpoint', `[PrometheusEndpoint brokerId=${brokerId}] `));
  await server.start(listener);
  return server;
}
