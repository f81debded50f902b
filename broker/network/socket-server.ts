// The broker's acceptor: listens on each configured listener, tracks connections, and hands
// frames to the RequestHandler through Connection (framing, ordering, backpressure). Parsing
// request headers and dispatching by API is broker/handlers/' job, not this file's.
import * as net from 'net';
import type { KafkaConfig } from '../config/kafka-config';
import { getLogger, Logger } from '../logging';
import { Connection, ConnectionLimits } from './connection';
import { ConnectionInfo, RequestHandler } from './request-handler';

export interface ListenerEndPoint {
  readonly listenerName: string;
  /** '' or 0.0.0.0 (or ::) means every interface. */
  readonly host: string;
  /** 0 picks an ephemeral port; see boundPort(). */
  readonly port: number;
}

export interface SocketServerOptions {
  readonly brokerId: number;
  readonly listeners: readonly ListenerEndPoint[];
  /** socket.request.max.bytes (Kafka default 104857600). */
  readonly socketRequestMaxBytes: number;
  /** connections.max.idle.ms: a connection silent this long is closed (Kafka default 600000). */
  readonly connectionsMaxIdleMs?: number;
  readonly maxInFlightRequestsPerConnection?: number;
  readonly maxWriteBufferBytes?: number;
}

const DEFAULT_MAX_IN_FLIGHT = 100;
const DEFAULT_MAX_WRITE_BUFFER = 4 * 1024 * 1024;

/**
 * The server's options from the broker config. socket.send/receive.buffer.bytes are not applied:
 * Node has no portable way to set SO_SNDBUF/SO_RCVBUF on a TCP socket.
 */
export function socketServerOptions(config: KafkaConfig): SocketServerOptions {
  return {
    brokerId: config.brokerId,
    listeners: config.listeners,
    socketRequestMaxBytes: config.socketRequestMaxBytes,
    connectionsMaxIdleMs: config.connectionsMaxIdleMs,
    // queued.max.requests bounds Kafka's whole request queue; per connection it is a fair cap.
    maxInFlightRequestsPerConnection: Math.min(config.queuedMaxRequests, DEFAULT_MAX_IN_FLIGHT),
  };
}

/** ::ffff:127.0.0.1 -> 127.0.0.1, so logs and ConnectionInfo read as Kafka's do. */
function plainAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function isAllInterfaces(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::';
}

export class SocketServer {
  private readonly log: Logger;
  private readonly acceptorLog: Logger;
  private readonly servers = new Map<string, net.Server>();
  private readonly connections = new Set<Connection>();
  private readonly limits: ConnectionLimits;
  private connectionIndex = 0;
  private stopped = false;

  constructor(
    private readonly options: SocketServerOptions,
    private readonly handler: RequestHandler,
  ) {
    this.log = getLogger('kafka.network.SocketServer', `[SocketServer brokerId=${options.brokerId}] `);
    this.acceptorLog = getLogger('kafka.network.Acceptor');
    this.limits = {
      maxRequestBytes: options.socketRequestMaxBytes,
      maxInFlightRequests: options.maxInFlightRequestsPerConnection ?? DEFAULT_MAX_IN_FLIGHT,
      maxWriteBufferBytes: options.maxWriteBufferBytes ?? DEFAULT_MAX_WRITE_BUFFER,
    };
  }

  /** Binds every listener; rejects (after closing what was bound) if one cannot be bound. */
  async startup(): Promise<void> {
    try {
      for (const endpoint of this.options.listeners) await this.listen(endpoint);
    } catch (err) {
      await this.shutdown();
      throw err;
    }
  }

  private listen(endpoint: ListenerEndPoint): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = net.createServer({ noDelay: true }, (socket) => this.accept(endpoint, socket));
      server.once('error', reject);
      // No host for "all interfaces": Node then binds :: dual-stack, so clients that resolve
      // localhost to ::1 (librdkafka does) reach us as well as IPv4 ones.
      const host = isAllInterfaces(endpoint.host) ? undefined : endpoint.host;
      server.listen({ port: endpoint.port, host }, () => {
        server.off('error', reject);
        server.on('error', (err) => this.log.error(`Listener ${endpoint.listenerName} error: ${err.message}`));
        this.servers.set(endpoint.listenerName, server);
        const shownHost = host ?? '0.0.0.0';
        this.acceptorLog.info(`Awaiting socket connections on ${shownHost}:${this.boundPort(endpoint.listenerName)}.`);
        resolve();
      });
    });
  }

  private accept(endpoint: ListenerEndPoint, socket: net.Socket): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const localAddress = plainAddress(socket.localAddress);
    const remoteAddress = plainAddress(socket.remoteAddress);
    const info: ConnectionInfo = {
      id: `${localAddress}:${socket.localPort}-${remoteAddress}:${socket.remotePort}-${this.connectionIndex++}`,
      listenerName: endpoint.listenerName,
      remoteAddress,
      remotePort: socket.remotePort ?? 0,
      localAddress,
      localPort: socket.localPort ?? 0,
    };
    const connection = new Connection(socket, info, this.handler, this.limits, this.log, (c) => this.connections.delete(c));
    this.connections.add(connection);
    const idleMs = this.options.connectionsMaxIdleMs ?? 600000;
    if (idleMs > 0) {
      socket.setTimeout(idleMs, () => {
        this.log.debug(`Closing idle connection ${info.id}`);
        connection.close();
      });
    }
  }

  /** The port a listener is bound to (the real one when configured with port 0). */
  boundPort(listenerName?: string): number {
    const server = listenerName === undefined ? this.servers.values().next().value : this.servers.get(listenerName);
    const address = server?.address();
    if (address === null || address === undefined || typeof address === 'string') {
      throw new Error(`Listener ${listenerName ?? '(first)'} is not bound`);
    }
    return address.port;
  }

  /** Open connections (for tests and metrics). */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting, closes every connection, and resolves once the listeners are closed. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.log.info('Shutting down socket server');
    const closing = [...this.servers.values()].map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    for (const connection of [...this.connections]) connection.close();
    await Promise.all(closing);
    this.servers.clear();
    this.log.info('Shutdown completed');
  }
}
