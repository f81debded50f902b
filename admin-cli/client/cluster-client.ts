// ClusterClient: what every tool needs to talk to a cluster. It bootstraps from "h:p,h:p",
// keeps the Metadata view, holds one connection per broker (reopened when closed), and sends
// requests to a partition's leader or the controller with retries: on NOT_LEADER_OR_FOLLOWER,
// LEADER_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION, NOT_CONTROLLER or a dropped connection it
// refreshes metadata, backs off and tries again, as Kafka's clients do.
import type { ClientSecurity } from '../../broker/network/kafka-client';
import type { ApiDefinition } from '../../broker/protocol/api-definition';
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { Metadata, MetadataResponse } from '../../broker/protocol/messages/metadata';
import { parseHostPortList, type HostPort } from '../shared/options';
import { BrokerConnection } from './broker-connection';
import { ClusterMetadata, TopicMetadata } from './cluster-metadata';
import { backoffMs, codeOfError, isRetriable, needsMetadataRefresh, sleep } from './retry';

export interface ClusterClientOptions {
  clientId?: string;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Tries after the first for retriable errors (default 5). */
  retries?: number;
  /** Base backoff between tries (default 100 ms, Kafka's retry.backoff.ms). */
  retryBackoffMs?: number;
  /** TLS / SASL for every connection (what a --command-config file's security.protocol, ssl.* and sasl.* would give). */
  security?: ClientSecurity;
}

export interface SendOptions {
  min?: number;
  max?: number;
  timeoutMs?: number;
}

export class ClusterClient {
  private metadataView = ClusterMetadata.empty();
  private readonly connections = new Map<number, Promise<BrokerConnection>>();
  private bootstrapConnection: Promise<BrokerConnection> | null = null;
  private metadataInFlight: Promise<ClusterMetadata> | null = null;
  private closed = false;
  readonly retries: number;
  readonly retryBackoffMs: number;

  private constructor(
    private readonly bootstrapServers: HostPort[],
    private readonly options: ClusterClientOptions,
  ) {
    this.retries = options.retries ?? 5;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
  }

  /** Connects to the first reachable bootstrap server and reads metadata for no topics. */
  static async connect(bootstrap: string | HostPort[], options: ClusterClientOptions = {}): Promise<ClusterClient> {
    const servers = typeof bootstrap === 'string' ? parseHostPortList(bootstrap) : bootstrap;
    const client = new ClusterClient(servers, options);
    await client.refreshMetadata([]);
    return client;
  }

  get metadata(): ClusterMetadata {
    return this.metadataView;
  }

  /**
   * Reads metadata for the given topics (null = all topics) and merges it into the view.
   * Concurrent refreshes for all topics share one request.
   */
  async refreshMetadata(topics: string[] | null = null, allowAutoTopicCreation = false): Promise<ClusterMetadata> {
    if (topics === null && this.metadataInFlight) return this.metadataInFlight;
    const run = this.withAnyBroker(async (conn) => {
      const { response } = await conn.send(
        Metadata,
        { topics: topics === null ? null : topics.map((name) => ({ name })), allowAutoTopicCreation },
        { min: 1, timeoutMs: this.options.requestTimeoutMs },
      );
      return this.applyMetadata(response, topics === null);
    });
    if (topics === null) {
      this.metadataInFlight = run.finally(() => {
        this.metadataInFlight = null;
      });
      return this.metadataInFlight;
    }
    return run;
  }

  /**
   * Metadata of one topic, waiting (with retries) until it exists and every partition has a
   * leader: right after creation the controller may not have elected leaders yet.
   */
  async topicMetadata(topic: string, options: { allowAutoTopicCreation?: boolean; requireLeaders?: boolean } = {}): Promise<TopicMetadata> {
    for (let attempt = 0; ; attempt++) {
      const md = await this.refreshMetadata([topic], options.allowAutoTopicCreation ?? false);
      const t = md.topics.get(topic);
      const code = t?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      const leaderless = t !== undefined && (t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (code === ErrorCode.NONE && !(options.requireLeaders !== false && leaderless)) return t!;
      if (code !== ErrorCode.NONE && !isRetriable(code)) throw new KafkaError(code, `Metadata for topic ${topic}: ${ErrorCode[code]}`);
      if (attempt >= this.retries) {
        if (code === ErrorCode.NONE) return t!;
        throw new KafkaError(code, code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION ? `Topic ${topic} not present in metadata` : `Metadata for topic ${topic}: ${ErrorCode[code]}`);
      }
      await sleep(backoffMs(attempt, this.retryBackoffMs));
    }
  }

  /** The connection to a broker by node id, opened on first use and reopened after a close. */
  connection(nodeId: number): Promise<BrokerConnection> {
    if (this.closed) return Promise.reject(new KafkaError(ErrorCode.NETWORK_EXCEPTION, 'The client is closed'));
    const existing = this.connections.get(nodeId);
    if (existing) return existing;
    const node = this.metadataView.brokers.get(nodeId);
    if (node === undefined) return Promise.reject(new KafkaError(ErrorCode.BROKER_NOT_AVAILABLE, `Broker ${nodeId} is not in the cluster metadata`));
    const opening = BrokerConnection.open(node.host, node.port, this.clientOptions());
    this.track(this.connections, nodeId, opening);
    return opening;
  }

  /** The controller's connection (admin requests must go there). */
  async controllerConnection(): Promise<BrokerConnection> {
    let id = this.metadataView.controllerId;
    if (id < 0) id = (await this.refreshMetadata([])).controllerId;
    if (id < 0) throw new KafkaError(ErrorCode.NOT_CONTROLLER, 'The cluster has no active controller');
    return this.connection(id);
  }

  /** Any live connection: the bootstrap one, reopened against the next server on failure. */
  async anyConnection(): Promise<BrokerConnection> {
    if (this.bootstrapConnection) {
      const conn = await this.bootstrapConnection.catch(() => null);
      if (conn && !conn.closed) return conn;
    }
    const opening = this.openBootstrap();
    this.bootstrapConnection = opening;
    opening.catch(() => {
      if (this.bootstrapConnection === opening) this.bootstrapConnection = null;
    });
    return opening;
  }

  /**
   * Sends to the controller, retrying (after a metadata refresh) when the controller moved or
   * the connection broke. Per-topic errors in the response are the caller's business.
   */
  sendToController<Req, Res, ReqIn>(api: ApiDefinition<Req, Res, ReqIn, unknown>, body: ReqIn, options: SendOptions = {}): Promise<{ version: number; response: Res }> {
    return this.withRetries(async () => (await this.controllerConnection()).send(api, body, options));
  }

  /** Sends to a node, reconnecting and retrying on network errors. */
  sendToNode<Req, Res, ReqIn>(nodeId: number, api: ApiDefinition<Req, Res, ReqIn, unknown>, body: ReqIn, options: SendOptions = {}): Promise<{ version: number; response: Res }> {
    return this.withRetries(async () => (await this.connection(nodeId)).send(api, body, options));
  }

  /**
   * Runs fn, and on a retriable KafkaError refreshes metadata (if the error says the cluster
   * changed), backs off and runs it again, up to `retries` more times.
   */
  async withRetries<T>(fn: (attempt: number) => Promise<T>, retries = this.retries, refreshBetweenTries = true): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (err) {
        const code = codeOfError(err);
        if (this.closed || attempt >= retries || !isRetriable(code)) throw err;
        await sleep(backoffMs(attempt, this.retryBackoffMs));
        if (refreshBetweenTries && needsMetadataRefresh(code)) await this.refreshMetadata(null).catch(() => undefined);
      }
    }
  }

  close(): void {
    this.closed = true;
    const all = [...this.connections.values()];
    if (this.bootstrapConnection) all.push(this.bootstrapConnection);
    this.connections.clear();
    this.bootstrapConnection = null;
    for (const c of all) c.then((conn) => conn.close(), () => undefined);
  }

  private applyMetadata(response: MetadataResponse, allTopics: boolean): ClusterMetadata {
    this.metadataView = allTopics ? ClusterMetadata.fromResponse(response) : this.metadataView.merge(response);
    // A broker whose address changed gets a new connection next time.
    for (const [id, conn] of this.connections) {
      const node = this.metadataView.brokers.get(id);
      conn.then(
        (c) => {
          if (node === undefined || c.address !== `${node.host}:${node.port}`) this.dropConnection(id, conn);
        },
        () => undefined,
      );
    }
    return this.metadataView;
  }

  private async withAnyBroker<T>(fn: (conn: BrokerConnection) => Promise<T>): Promise<T> {
    // No metadata refresh between these tries: the Metadata request itself runs here, and a
    // refresh would wait on the in-flight refresh that is waiting on it (a tool with an
    // unreachable bootstrap server used to hang on that and exit 0 with no output).
    return this.withRetries(async () => fn(await this.anyConnection()), this.retries, false);
  }

  private async openBootstrap(): Promise<BrokerConnection> {
    let lastError: unknown = null;
    // Start from a random server so many tools do not all pile onto the first one.
    const start = Math.floor(Math.random() * this.bootstrapServers.length);
    const known = [...this.metadataView.brokers.values()].map((b) => ({ host: b.host, port: b.port }));
    const candidates = [...this.bootstrapServers.slice(start), ...this.bootstrapServers.slice(0, start), ...known];
    for (const server of candidates) {
      try {
        return await BrokerConnection.open(server.host, server.port, this.clientOptions());
      } catch (err) {
        lastError = err;
      }
    }
    const list = this.bootstrapServers.map((s) => `${s.host}:${s.port}`).join(',');
    throw new KafkaError(ErrorCode.NETWORK_EXCEPTION, `Could not connect to any bootstrap server (${list}): ${(lastError as Error)?.message ?? 'no servers'}`);
  }

  private track(map: Map<number, Promise<BrokerConnection>>, nodeId: number, opening: Promise<BrokerConnection>): void {
    map.set(nodeId, opening);
    opening.then(
      (conn) => conn.client.onClose(() => this.dropConnection(nodeId, opening)),
      () => this.dropConnection(nodeId, opening),
    );
  }

  private dropConnection(nodeId: number, which: Promise<BrokerConnection>): void {
    if (this.connections.get(nodeId) !== which) return;
    this.connections.delete(nodeId);
    which.then((c) => c.close(), () => undefined);
  }

  private clientOptions() {
    return {
      clientId: this.options.clientId ?? 'zafka-cli',
      requestTimeoutMs: this.options.requestTimeoutMs ?? 30000,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 10000,
      security: this.options.security,
    };
  }
}
