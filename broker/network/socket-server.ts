// The broker's acceptor: listens on each configured listener, applies the connection quotas
// (max.connections, max.connections.per.ip), tracks connections, and hands frames to the
// RequestHandler through Connection (framing, one request at a time, mute until sent) under the
// broker-wide RequestQueue (queued.max.requests, queued.max.request.bytes). Parsing request
// headers and dispatching by API is broker/handlers/' job, not this file's.
import * as net from 'net';
import * as tls from 'tls';
import type { KafkaConfig } from '../config/kafka-config';
import { getLogger, Logger } from '../logging';
import { PLAINTEXT_CHANNEL, type ChannelBuilder } from './channel-builder';
import { Connection, ConnectionLimits, ConnectionSecurity } from './connection';
import { ConnectionQuotas } from './connection-quotas';
import { ConnectionInfo, RequestHandler } from './request-handler';
import { RequestQueue } from './request-queue';

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
  /** connection.failed.authentication.delay.ms (Kafka default 100). */
  readonly failedAuthenticationDelayMs?: number;
  /** queued.max.requests (Kafka default 500). */
  readonly queuedMaxRequests?: number;
  /** queued.max.request.bytes (Kafka default -1: unbounded). */
  readonly queuedMaxRequestBytes?: number;
  /** max.connections (Kafka default 2147483647). */
  readonly maxConnections?: number;
  /** max.connections.per.ip (Kafka default 2147483647). */
  readonly maxConnectionsPerIp?: number;
  /** max.connections.per.ip.overrides, IP -> limit. */
  readonly maxConnectionsPerIpOverrides?: ReadonlyMap<string, number>;
  /** The inter-broker listener: exempt from max.connections when there are several listeners. */
  readonly interBrokerListenerName?: string;
  /** Each listener's TLS / SASL (broker/security/channel-builders.ts); PLAINTEXT when absent. */
  readonly channelBuilders?: ReadonlyMap<string, ChannelBuilder>;
}

const INT32_MAX = 2147483647;
/**
 * Connections held unread while max.connections is reached: Kafka's acceptor blocks instead and
 * the kernel queues up to its listen backlog, which Kafka leaves at Java's default of 50.
 */
const ACCEPT_BACKLOG = 50;

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
    failedAuthenticationDelayMs: config.values.get('connection.failed.authentication.delay.ms') as number,
    queuedMaxRequests: config.queuedMaxRequests,
    queuedMaxRequestBytes: config.queuedMaxRequestBytes,
    maxConnections: config.maxConnections,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    maxConnectionsPerIpOverrides: config.maxConnectionsPerIpOverrides,
    interBrokerListenerName: config.interBrokerListenerName,
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
  private readonly queue: RequestQueue;
  private readonly quotas: ConnectionQuotas;
  /** Accepted while max.connections was reached; not read until a connection closes. */
  private readonly backlog: Array<{ endpoint: ListenerEndPoint; socket: net.Socket }> = [];
  private connectionIndex = 0;
  private stopped = false;

  constructor(
    private readonly options: SocketServerOptions,
    private readonly handler: RequestHandler,
  ) {
    this.log = getLogger('kafka.network.SocketServer', `[SocketServer brokerId=${options.brokerId}] `);
    this.acceptorLog = getLogger('kafka.network.Acceptor');
    this.limits = { maxRequestBytes: options.socketRequestMaxBytes, failedAuthenticationDelayMs: options.failedAuthenticationDelayMs ?? 100 };
    this.queue = new RequestQueue({ maxRequests: options.queuedMaxRequests ?? 500, maxBytes: options.queuedMaxRequestBytes ?? -1 });
    this.quotas = new ConnectionQuotas({
      maxConnections: options.maxConnections ?? INT32_MAX,
      maxConnectionsPerIp: options.maxConnectionsPerIp ?? INT32_MAX,
      maxConnectionsPerIpOverrides: options.maxConnectionsPerIpOverrides ?? new Map(),
    });
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
      // Half-open allowed: a client that sends its requests and then shuts down its side still
      // gets every answer before the connection closes (Connection closes it).
      const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.accept(endpoint, socket));
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
    const protectedListener = this.isProtected(endpoint);
    // Waiting connections go first: a newcomer does not overtake them.
    if (!protectedListener && (!this.quotas.slotAvailable() || this.backlog.length > 0)) {
      this.holdInBacklog(endpoint, socket);
      return;
    }
    this.open(endpoint, socket);
  }

  /** Kafka's protected listener: the inter-broker one, when there is more than one listener. */
  private isProtected(endpoint: ListenerEndPoint): boolean {
    return this.options.listeners.length > 1 && endpoint.listenerName === this.options.interBrokerListenerName;
  }

  private holdInBacklog(endpoint: ListenerEndPoint, socket: net.Socket): void {
    const remote = plainAddress(socket.remoteAddress);
    if (this.backlog.length >= ACCEPT_BACKLOG) {
      this.log.info(`Rejected connection from /${remote}: max.connections (${this.options.maxConnections}) reached and ${ACCEPT_BACKLOG} connections already waiting.`);
      socket.destroy();
      return;
    }
    socket.pause();
    socket.on('error', () => undefined);
    const entry = { endpoint, socket };
    socket.once('close', () => {
      const i = this.backlog.indexOf(entry);
      if (i >= 0) this.backlog.splice(i, 1);
    });
    this.backlog.push(entry);
  }

  /** A connection closed: connections waiting for max.connections may now be opened. */
  private admitFromBacklog(): void {
    while (this.backlog.length > 0 && !this.stopped && this.quotas.slotAvailable()) {
      const { endpoint, socket } = this.backlog.shift() as { endpoint: ListenerEndPoint; socket: net.Socket };
      if (socket.destroyed) continue;
      this.open(endpoint, socket);
    }
  }

  private open(endpoint: ListenerEndPoint, socket: net.Socket): void {
    const localAddress = plainAddress(socket.localAddress);
    const remoteAddress = plainAddress(socket.remoteAddress);
    if (!this.quotas.tryInc(remoteAddress)) {
      // Kafka's Acceptor line (TooManyConnectionsException), once per rejected connection.
      this.acceptorLog.info(`Rejected connection from /${remoteAddress}, address already has the configured maximum of ${this.quotas.maxFor(remoteAddress)} connections.`);
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const builder = this.options.channelBuilders?.get(endpoint.listenerName) ?? PLAINTEXT_CHANNEL;
    const info: ConnectionInfo = {
      id: `${localAddress}:${socket.localPort}-${remoteAddress}:${socket.remotePort}-${this.connectionIndex++}`,
      listenerName: endpoint.listenerName,
      remoteAddress,
      remotePort: socket.remotePort ?? 0,
      localAddress,
      localPort: socket.localPort ?? 0,
    };
    const security: ConnectionSecurity = { principal: 'ANONYMOUS', authenticator: builder.newAuthenticator() };
    // A socket held in the backlog was paused; a fresh one is flowing already.
    socket.resume();
    const channelSocket = builder.tls === null ? socket : this.startTls(builder, socket, info, security);
    const connection = new Connection(channelSocket, info, this.handler, this.queue, this.limits, this.log, (c) => {
      this.connections.delete(c);
      this.quotas.dec(remoteAddress);
      this.admitFromBacklog();
    }, security);
    if (builder.tls === null) security.principal = builder.transportPrincipal(null);
    this.connections.add(connection);
    const idleMs = this.options.connectionsMaxIdleMs ?? 600000;
    if (idleMs > 0) {
      socket.setTimeout(idleMs, () => {
        this.log.debug(`Closing idle connection ${info.id}`);
        connection.close();
      });
    }
  }

  /**
   * Puts the server side of TLS over an accepted socket. No request is read before the handshake
   * is done (the TLS socket emits no data before), so the principal is known in time. A failed
   * handshake (a plaintext client, an untrusted client certificate, no common protocol or
   * cipher) is one log line, as Kafka's "Failed authentication ... (SSL handshake failed)".
   */
  private startTls(builder: ChannelBuilder, socket: net.Socket, info: ConnectionInfo, security: ConnectionSecurity): tls.TLSSocket {
    const settings = builder.tls as NonNullable<ChannelBuilder['tls']>;
    const tlsSocket = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext: settings.secureContext,
      requestCert: settings.requestCert,
      rejectUnauthorized: settings.rejectUnauthorized,
    });
    let secured = false;
    tlsSocket.once('secure', () => {
      secured = true;
      try {
        security.principal = builder.transportPrincipal(tlsSocket);
      } catch (err) {
        this.log.info(`Failed authentication with /${info.remoteAddress} (SSL handshake failed: ${(err as Error).message})`);
        tlsSocket.destroy();
      }
    });
    tlsSocket.once('error', (err) => {
      if (!secured) this.log.info(`Failed authentication with /${info.remoteAddress} (SSL handshake failed: ${err.message})`);
    });
    return tlsSocket;
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
    for (const { socket } of this.backlog.splice(0)) socket.destroy();
    for (const connection of [...this.connections]) connection.close();
    await Promise.all(closing);
    this.servers.clear();
    this.log.info('Shutdown completed');
  }
}
