// metrics.prometheus.listener: where a broker serves its Prometheus endpoint, as
// http://host:port (port 0 picks a free one). Zafka's own key; Kafka has none (it exports JMX
// and leaves Prometheus to the JMX exporter agent).

export interface PrometheusListener {
  readonly host: string;
  readonly port: number;
}

/** The listener, or a reason why the value is not one (for the config validator). */
export function parsePrometheusListener(value: string): PrometheusListener | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'expected http://host:port';
  }
  if (url.protocol !== 'http:') return `only http is supported, not ${url.protocol.replace(/:$/, '')}`;
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return 'expected http://host:port with no path, query or credentials';
  }
  if (url.port === '' && !/^http:\/\/[^/]*:0\/?$/.test(value)) return 'a port is required';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: url.port === '' ? 0 : Number(url.port) };
}
