// Kafka's ConnectionQuotas (SocketServer.scala, 2.4): connections counted per client IP and in
// total. max.connections.per.ip (with max.connections.per.ip.overrides) is checked at accept: a
// connection over its IP's limit is closed at once, with one info line. max.connections (KIP-402)
// does not close anything in Kafka 2.4: the acceptor stops accepting until a connection closes,
// and new connections wait in the kernel's accept backlog. Node cannot stop accepting, so the
// socket server holds such connections unread in a queue of the same size as Kafka's backlog (50)
// instead; see socket-server.ts. The inter-broker listener is exempt when there are several
// listeners, as in Kafka, so brokers can always reach each other.

export interface ConnectionQuotaConfig {
  /** max.connections. */
  readonly maxConnections: number;
  /** max.connections.per.ip. */
  readonly maxConnectionsPerIp: number;
  /** max.connections.per.ip.overrides, by IP address as written (hostnames are not resolved). */
  readonly maxConnectionsPerIpOverrides: ReadonlyMap<string, number>;
}

export class ConnectionQuotas {
  private readonly perIp = new Map<string, number>();
  private total = 0;

  constructor(private readonly config: ConnectionQuotaConfig) {}

  /** Open (counted) connections. */
  get count(): number {
    return this.total;
  }

  /** The limit for one IP (its override, or max.connections.per.ip). */
  maxFor(ip: string): number {
    return this.config.maxConnectionsPerIpOverrides.get(ip) ?? this.config.maxConnectionsPerIp;
  }

  /** Whether a new connection can be taken now (max.connections; the caller exempts protected listeners). */
  slotAvailable(): boolean {
    return this.total < this.config.maxConnections;
  }

  /** Counts a new connection from `ip`, or returns false when that IP is at its limit. */
  tryInc(ip: string): boolean {
    const count = this.perIp.get(ip) ?? 0;
    if (count >= this.maxFor(ip)) return false;
    this.perIp.set(ip, count + 1);
    this.total++;
    return true;
  }

  dec(ip: string): void {
    const count = this.perIp.get(ip) ?? 0;
    if (count <= 1) this.perIp.delete(ip);
    else this.perIp.set(ip, count - 1);
    this.total--;
  }
}
