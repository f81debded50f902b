// The broker's Prometheus endpoint: GET /metrics on metrics.prometheus.listener serves the
// registry in the text exposition format; anything else is 404. Off unless configured.
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging';
import type { PrometheusListener } from './prometheus-listener';

export class MetricsServer {
  private server?: http.Server;

  constructor(
    private readonly registry: Registry,
    private readonly logger: Logger,
  ) {}

  async start(listener: PrometheusListener): Promise<void> {
    const server = http.createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listener.port, listener.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.logger.error(`Prometheus endpoint error: ${err.message}`));
    this.server = server;
    this.logger.info(`Prometheus metrics endpoint listening on http://${listener.host}:${this.port}/metrics`);
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? -1;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: the metrics are at /metrics\n');
      return;
    }
    try {
      const body = await this.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.registry.contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      this.logger.error(`Failed to collect metrics: ${(err as Error).stack}`);
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics collection failed\n');
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
