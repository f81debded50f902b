// KafkaServer: builds and wires one broker, in Kafka's start-up order — ZooKeeper session and
// persistent paths, cluster id and meta.properties, log recovery, replica manager, socket server,
// broker registration (ephemeral /brokers/ids/<id>), then the controller election. Shutdown
// runs the other way round and leaves the clean-shutdown marker in every log dir.
import { randomUUID } from 'crypto';
import { KafkaController } from '../controller/kafka-controller';
import { AdminZkClient } from '../controller/zk/admin-zk-client';
import { isInvalidZnode, KafkaZkClient, type BrokerInfo } from '../controller/zk/kafka-zk-client';
import { propagateLogDirEvent } from '../controller/zk/log-dir-event-notifications';
import { NodeExistsError } from '../controller/zk/zk-errors';
import { DynamicBrokerConfig } from './config/dynamic-broker-config';
import { defaultLogConfig, type KafkaConfig } from './config/kafka-config';
import { GroupCoordinator } from './group/group-coordinator';
import type { BrokerContext } from './handlers/api-handler';
import { RequestDispatcher } from './handlers/dispatcher';
import { logConfigWithOverrides, type LogConfig } from './log/log-config';
import { LogManager } from './log/log-manager';
import { checkAndWriteMetaProperties } from './log/meta-properties';
import { getLogger } from './logging';
import { MetadataCache } from './metadata-cache';
import { startPrometheusEndpoint } from './metrics/broker-metrics';
import { BrokerTopicStats } from './metrics/broker-topic-stats';
import type { MetricsServer } from './metrics/metrics-server';
import { parsePrometheusListener } from './metrics/prometheus-listener';
import { ZkOffsetStore } from './group/legacy/zk-offset-store';
import { KafkaClient, type ClientSecurity } from './network/kafka-client';
import { buildChannelBuilders } from './security/channel-builders';
import { interBrokerClientSecurity } from './security/inter-broker-security';
import { ScramCredentialCache } from './security/scram-credential-cache';
import { kafkaClientConnectionFactory } from '../controller/kafka-client-connection';
import { interBrokerRequestVersions } from './config/inter-broker-protocol';
import { SocketServer, socketServerOptions } from './network/socket-server';
import { ControlledShutdown } from './protocol/messages/controlled-shutdown';
import { ErrorCode } from './protocol/errors';
import { QuotaManagers } from './quota/quota-managers';
import { loadAllQuotas, reloadQuotas } from './quota/zk-quota-configs';
import { errorCodeOf } from './protocol/kafka-error';
import { ReplicaManager } from './replica/replica-manager';
import { ProducerIdManager } from './transaction/producer-id-manager';
import { TransactionCoordinator, transactionConfigOf } from './transaction/transaction-coordinator';
import { TransactionMarkerChannelManager } from './transaction/transaction-marker-channel-manager';
import { TransactionStateManager } from './transaction/transaction-state-manager';
import { txnMarkerSender, type TxnMarkerSender } from './transaction/txn-marker-sender';
import { TopicConfigWatcher } from './topic-config-watcher';
import { AclAuthorizer } from './authorizer/acl-authorizer';
import { authorizerSettings, type AuthorizerSettings } from './authorizer/authorizer-config';
import { BROKER_DEFAULT_ENTITY } from '../controller/zk/zk-data';

/** 22 characters of url-safe base64 from a random UUID, like Kafka's cluster ids. */
function generateClusterId(): string {
  return Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
}

export class KafkaServer implements BrokerContext {
  private readonly logger;
  readonly brokerId: number;
  readonly metadataCache: MetadataCache;
  readonly dynamicConfig: DynamicBrokerConfig;
  clusterId = '';
  private currentBrokerEpoch = -1;
  private zk?: KafkaZkClient;
  private admin?: AdminZkClient;
  private logs?: LogManager;
  private replicas?: ReplicaManager;
  private groups?: GroupCoordinator;
  private kafkaController?: KafkaController;
  private socketServer?: SocketServer;
  private topicConfigWatcher?: TopicConfigWatcher;
  private legacyOffsetStore?: ZkOffsetStore;
  private producerIds?: ProducerIdManager;
  private transactions?: TransactionCoordinator;
  private markerSender?: TxnMarkerSender;
  readonly quotas: QuotaManagers;
  private metricsServer?: MetricsServer;
  private readonly dispatcher = new RequestDispatcher(this);
  private readonly topicStats = new BrokerTopicStats();
  /** SCRAM credentials from /config/users, for SASL/SCRAM listeners. */
  private readonly scramCredentials = new ScramCredentialCache();
  private readonly authorizerSettings: AuthorizerSettings | null;
  private aclAuthorizer: AclAuthorizer | null = null;
  /** How this broker reaches the others' inter-broker listener (TLS / SASL). */
  private interBrokerSecurity: ClientSecurity = {};
  private shuttingDown = false;

  constructor(readonly config: KafkaConfig) {
    this.brokerId = config.brokerId;
    this.dynamicConfig = new DynamicBrokerConfig(config);
    this.metadataCache = new MetadataCache(config.brokerId);
    this.quotas = QuotaManagers.fromConfig(config);
    // An authorizer class Zafka cannot run is a configuration error before anything starts.
    this.authorizerSettings = authorizerSettings(config.originals);
    this.logger = getLogger('kafka.server.KafkaServer', `[KafkaServer id=${config.brokerId}] `);
  }

  get zkClient(): KafkaZkClient { return this.required(this.zk, 'zkClient'); }
  get adminZkClient(): AdminZkClient { return this.required(this.admin, 'adminZkClient'); }
  get replicaManager(): ReplicaManager { return this.required(this.replicas, 'replicaManager'); }
  get controller(): KafkaController { return this.required(this.kafkaController, 'controller'); }
  get groupCoordinator(): GroupCoordinator { return this.required(this.groups, 'groupCoordinator'); }
  get legacyOffsets(): ZkOffsetStore { return this.required(this.legacyOffsetStore, 'legacyOffsets'); }
  get logManager(): LogManager { return this.required(this.logs, 'logManager'); }
  get producerIdManager(): ProducerIdManager { return this.required(this.producerIds, 'producerIdManager'); }
  get transactionCoordinator(): TransactionCoordinator { return this.required(this.transactions, 'transactionCoordinator'); }
  get authorizer(): AclAuthorizer | null { return this.aclAuthorizer; }
  brokerEpoch(): number { return this.currentBrokerEpoch; }

  async startup(): Promise<void> {
    const config = this.config;
    this.logger.info('starting');
    await this.startMetricsEndpoint();
    // Listener security is checked before anything starts: a bad keystore or JAAS entry is a
    // configuration error at start-up, not a refusal of every client later.
    const channelBuilders = buildChannelBuilders(config, this.scramCredentials, this.dispatcher);
    this.interBrokerSecurity = interBrokerClientSecurity(config);

    // Logs load before the ZooKeeper session exists: recovery blocks this thread (a torn tail to
    // re-validate, a million producer ids to replay) and would let a session opened first expire.
    // They load with the static defaults; the configs ZooKeeper holds are applied below, before
    // retention or the cleaner first run.
    checkAndWriteMetaProperties([...config.logDirs], { brokerId: this.brokerId });
    this.logs = new LogManager({
      logDirs: [...config.logDirs],
      defaultConfig: defaultLogConfig(this.dynamicConfig.current),
      retentionCheckIntervalMs: config.logRetentionCheckIntervalMs,
      flushCheckpointIntervalMs: config.logFlushOffsetCheckpointIntervalMs,
      flushStartOffsetCheckpointIntervalMs: config.logFlushStartOffsetCheckpointIntervalMs,
      cleanerEnable: config.logCleanerEnable,
      cleanerBackoffMs: config.logCleanerBackoffMs,
      cleanerMinCleanableRatio: config.logCleanerMinCleanableRatio,
      maxProducerIdExpirationMs: config.values.get('transactional.id.expiration.ms') as number,
      onLogDirFailure: (dir) => this.onLogDirFailure(dir),
    });
    this.logs.loadLogs();

    this.logger.info(`Connecting to zookeeper on ${config.zookeeperConnect}`);
    this.zk = await KafkaZkClient.connect(config.zookeeperConnect, config.zookeeperSessionTimeoutMs, config.zookeeperConnectionTimeoutMs);
    await this.zk.createTopLevelPaths();
    this.producerIds = new ProducerIdManager(this.brokerId, this.zk);
    this.legacyOffsetStore = new ZkOffsetStore(this.zk, config.offsetMetadataMaxBytes);
    this.clusterId = await this.zk.getOrCreateClusterId(generateClusterId());
    this.logger.info(`Cluster ID = ${this.clusterId}`);
    checkAndWriteMetaProperties([...config.logDirs], { brokerId: this.brokerId, clusterId: this.clusterId });

    // Kafka reads the dynamic broker configs before anything uses them (DynamicBrokerConfig.initialize).
    await this.loadDynamicBrokerConfigs();
    const defaults = defaultLogConfig(this.dynamicConfig.current);
    // Logs loaded at start-up get their topic's config now, not the broker defaults: retention
    // must never run with looser-than-configured limits before LeaderAndIsr arrives.
    const topicOverrides = await this.zk.getAllEntityConfigs('topics');
    this.logs.applyConfigs(defaults, (topic) => this.withOverrides(defaults, topic, topicOverrides.get(topic) ?? {}));
    this.logs.startTasks();

    this.admin = new AdminZkClient(this.zk);
    this.replicas = new ReplicaManager({
      brokerId: this.brokerId,
      logManager: this.logs,
      topicConfig: (topic) => this.topicConfig(topic),
      highWatermarkCheckpointIntervalMs: config.replicaHighWatermarkCheckpointIntervalMs,
      replicaLagTimeMaxMs: config.replicaLagTimeMaxMs,
      fetcher: {
        brokerId: this.brokerId,
        maxWaitMs: config.replicaFetchWaitMaxMs,
        minBytes: config.replicaFetchMinBytes,
        maxBytes: config.replicaFetchResponseMaxBytes,
        partitionMaxBytes: config.replicaFetchMaxBytes,
        backoffMs: config.replicaFetchBackoffMs,
        requestTimeoutMs: config.replicaSocketTimeoutMs,
        security: this.interBrokerSecurity,
      },
      isrStore: this.zk,
      isBrokerAlive: (id) => this.metadataCache.aliveBroker(id) !== undefined,
      topicStats: this.topicStats,
    });
    this.replicas.startup();
    // Before any LeaderAndIsr can arrive: it follows __consumer_offsets leadership.
    this.groups = GroupCoordinator.create(config, this.replicas);
    this.groups.startup();
    this.transactions = this.createTransactionCoordinator(this.replicas);
    this.transactions.startup();

    // Config changes are watched, and quotas loaded, before clients can connect.
    this.topicConfigWatcher = new TopicConfigWatcher(this.zk, (topic) => this.reloadTopicConfig(topic), {
      clients: (clientId) => reloadQuotas(this.zkClient, this.quotas, 'clients', clientId),
      users: async (userPath) => {
        await this.scramCredentials.reload(this.zkClient, userPath);
        await reloadQuotas(this.zkClient, this.quotas, 'users', userPath);
      },
      brokers: (entityName) => this.onBrokerConfigChange(entityName),
    });
    await this.topicConfigWatcher.start();
    await loadAllQuotas(this.zk, this.quotas);
    await this.scramCredentials.loadAll(this.zk);
    // ACLs are loaded before clients can connect (KafkaServer configures the authorizer before the socket server starts).
    if (this.authorizerSettings) {
      const authorizer = new AclAuthorizer(this.authorizerSettings, this.zk.zk, this.brokerId);
      await authorizer.start();
      this.aclAuthorizer = authorizer;
    }

    this.socketServer = new SocketServer({ ...socketServerOptions(config), channelBuilders }, this.dispatcher);
    await this.socketServer.startup();

    this.currentBrokerEpoch = await this.registerBroker();
    this.logger.info(`Registered broker ${this.brokerId} at path /brokers/ids/${this.brokerId} with addresses: ${this.brokerInfo().endpoints.map((e) => `${e.listenerName}://${e.host}:${e.port}`).join(',')}, czxid (broker epoch): ${this.currentBrokerEpoch}`);

    this.kafkaController = new KafkaController({
      brokerId: this.brokerId,
      zkClient: this.zk,
      connectionFactory: kafkaClientConnectionFactory(this.brokerId, 10000, this.interBrokerSecurity, interBrokerRequestVersions(config.interBrokerProtocolVersion)),
      config: {
        autoLeaderRebalanceEnable: config.autoLeaderRebalanceEnable,
        leaderImbalanceCheckIntervalSeconds: config.leaderImbalanceCheckIntervalSeconds,
        leaderImbalancePerBrokerPercentage: config.leaderImbalancePerBrokerPercentage,
        uncleanLeaderElectionEnable: config.uncleanLeaderElectionEnable,
        deleteTopicEnable: config.deleteTopicEnable,
        // The controller reaches brokers (and leaders' endpoints go to followers) on this listener.
        interBrokerListenerName: config.interBrokerListenerName,
      },
    });
    await this.kafkaController.startup();

    // A new ZooKeeper session (after expiry) lost our ephemeral nodes: register again, then let
    // the controller re-run its election.
    this.zk.onNewSession(async () => {
      if (this.shuttingDown) return;
      try {
        this.currentBrokerEpoch = await this.zkClient.registerBroker(this.brokerInfo());
        this.aclAuthorizer?.onNewSession();
        this.logger.info(`Re-registered broker ${this.brokerId} after ZooKeeper session expiry, new broker epoch ${this.currentBrokerEpoch}`);
        await this.controller.onNewZkSession();
      } catch (err) {
        this.logger.error(`Failed to re-register after session expiry: ${(err as Error).message}`);
      }
    });

    this.logger.info('started');
  }

  /**
   * Kafka's TransactionCoordinator with its store and marker sender; like the group coordinator it
   * must exist before any LeaderAndIsr, since it follows __transaction_state leadership.
   */
  private createTransactionCoordinator(replicas: ReplicaManager): TransactionCoordinator {
    const txnConfig = transactionConfigOf(this.config);
    const stateManager = new TransactionStateManager(txnConfig, replicas);
    this.markerSender = txnMarkerSender(this.brokerId, txnConfig.requestTimeoutMs, this.interBrokerSecurity);
    const markers = new TransactionMarkerChannelManager({
      brokerId: this.brokerId,
      interBrokerListenerName: this.config.interBrokerListenerName,
      metadataCache: this.metadataCache,
      stateManager,
      send: this.markerSender.send,
    });
    return new TransactionCoordinator(stateManager, markers, this.producerIdManager, txnConfig.abortTimedOutTransactionsIntervalMs, replicas);
  }

  /**
   * metrics.prometheus.listener, first, so that log recovery can be watched; each subsystem's
   * metrics appear once it has started.
   */
  private async startMetricsEndpoint(): Promise<void> {
    const configured = this.config.metricsPrometheusListener;
    if (configured === null) return;
    const listener = parsePrometheusListener(configured);
    if (typeof listener === 'string') throw new Error(`Invalid metrics.prometheus.listener ${configured}: ${listener}`);
    try {
      this.metricsServer = await startPrometheusEndpoint(this.brokerId, listener, {
        topicStats: this.topicStats,
        requests: this.dispatcher.requestMetrics,
        replicaManager: () => this.replicas,
        logs: () => this.logs?.allLogs(),
        controller: () => this.kafkaController,
        groupCoordinator: () => this.groups,
      });
    } catch (err) {
      throw new Error(`Cannot serve metrics.prometheus.listener ${configured}: ${(err as Error).message}`);
    }
  }

  /**
   * Registers /brokers/ids/<id>. A registration left by this broker's previous process (kill -9,
   * restarted within the session timeout) disappears when that session expires, so we wait for
   * it; one still there after a whole session timeout belongs to a live broker with the same id.
   */
  /**
   * A log dir went offline (Kafka's ReplicaManager.handleLogDirFailure): stop serving its replicas
   * and tell the controller through /log_dir_event_notification, which then moves leadership away.
   */
  private onLogDirFailure(dir: string): void {
    this.replicas?.handleLogDirFailure(dir);
    const zk = this.zk;
    if (!zk) return;
    propagateLogDirEvent(zk.zk, this.brokerId).then(
      (created) => this.logger.info(`Notified the controller of the failure of log dir ${dir} (${created})`),
      (err: Error) => this.logger.error(`Could not notify the controller of the failure of log dir ${dir}: ${err.message}`),
    );
  }

  private async registerBroker(): Promise<number> {
    const deadline = Date.now() + this.config.zookeeperSessionTimeoutMs + 2000;
    let logged = false;
    for (;;) {
      try {
        return await this.zkClient.registerBroker(this.brokerInfo());
      } catch (err) {
        if (!(err instanceof NodeExistsError) || Date.now() > deadline) throw err;
        if (!logged) {
          this.logger.info(`/brokers/ids/${this.brokerId} is held by another ZooKeeper session; waiting up to ${this.config.zookeeperSessionTimeoutMs} ms for it to expire`);
          logged = true;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.logger.info('shutting down');
    const step = async (name: string, fn: () => unknown) => {
      try {
        await fn();
      } catch (err) {
        this.logger.warn(`Error during shutdown of ${name}: ${(err as Error).message}`);
      }
    };
    await step('controlled shutdown', () => this.controlledShutdown());
    await step('topic config watcher', () => this.topicConfigWatcher?.stop());
    await step('authorizer', () => this.aclAuthorizer?.stop());
    await step('socket server', () => this.socketServer?.shutdown());
    await step('controller', () => this.kafkaController?.shutdown());
    await step('group coordinator', () => this.groups?.shutdown());
    await step('transaction coordinator', () => {
      this.transactions?.shutdown();
      this.markerSender?.close();
    });
    await step('replica manager', () => this.replicas?.shutdown());
    await step('log manager', () => this.logs?.shutdown());
    await step('zookeeper client', () => this.zk?.close());
    await step('metrics endpoint', () => this.metricsServer?.stop());
    this.logger.info('shut down completed');
  }

  /**
   * Kafka's controlled shutdown: ask the controller (over the protocol, even when it is this
   * broker) to move leadership of our partitions elsewhere before we stop, so that clients see
   * a leader change rather than a dead leader. Retried controlled.shutdown.max.retries times.
   */
  private async controlledShutdown(): Promise<void> {
    if (!this.config.controlledShutdownEnable || !this.zk || this.currentBrokerEpoch < 0) return;
    const log = getLogger('kafka.server.KafkaServer', `[KafkaServer id=${this.brokerId}] `);
    log.info('Starting controlled shutdown');
    for (let attempt = 1; attempt <= this.config.controlledShutdownMaxRetries; attempt++) {
      let client: KafkaClient | undefined;
      try {
        const controllerId = await this.zk.getControllerId();
        const controller = controllerId === null ? null : await this.zk.getBroker(controllerId);
        const endpoint = controller?.endpoints.find((e) => e.listenerName === this.config.interBrokerListenerName) ?? controller?.endpoints[0];
        if (endpoint) {
          client = await KafkaClient.connect(endpoint.host, endpoint.port, { clientId: `broker-${this.brokerId}-controlled-shutdown`, requestTimeoutMs: 30000, security: this.interBrokerSecurity });
          const response = await client.send(ControlledShutdown, interBrokerRequestVersions(this.config.interBrokerProtocolVersion).controlledShutdown, { brokerId: this.brokerId, brokerEpoch: this.currentBrokerEpoch });
          if (response.errorCode === ErrorCode.NONE && response.remainingPartitions.length === 0) {
            log.info('Controlled shutdown request returned successfully');
            return;
          }
          log.info(`Remaining partitions to move: ${response.remainingPartitions.map((p) => `${p.topicName}-${p.partitionIndex}`).join(',')}; error: ${ErrorCode[response.errorCode]}`);
        } else {
          log.info('No controller registered; retrying controlled shutdown');
        }
      } catch (err) {
        log.warn(`Error during controlled shutdown, possibly because leader movement took longer than the configured controller.socket.timeout.ms: ${(err as Error).message}`);
      } finally {
        client?.close();
      }
      if (attempt < this.config.controlledShutdownMaxRetries) {
        log.warn('Retrying controlled shutdown after the previous attempt failed...');
        await new Promise((r) => setTimeout(r, this.config.controlledShutdownRetryBackoffMs));
      }
    }
    log.warn('Proceeding to do an unclean shutdown as all the controlled shutdown attempts failed');
  }

  /**
   * Broker defaults overlaid with /config/topics/<topic>; a bad override is logged and skipped. A
   * damaged znode (logged once by the ZooKeeper client) counts as no overrides, as Kafka reads it.
   */
  async topicConfig(topic: string): Promise<LogConfig> {
    return this.withOverrides(defaultLogConfig(this.dynamicConfig.current), topic, (await this.topicOverrides(topic)) ?? {});
  }

  /** /config/topics/<topic>, or null when that znode is damaged. */
  private async topicOverrides(topic: string): Promise<Record<string, string> | null> {
    try {
      return await this.zkClient.getEntityConfigs('topics', topic);
    } catch (err) {
      if (isInvalidZnode(err)) return null;
      throw err;
    }
  }

  private async loadDynamicBrokerConfigs(): Promise<void> {
    // A damaged znode counts as empty (Kafka's decode yields no properties); the ZooKeeper client
    // has already logged it, once.
    const read = (entity: string) =>
      this.zkClient.getEntityConfigs('brokers', entity).catch((err: Error) => {
        if (!isInvalidZnode(err)) throw err;
        return {};
      });
    const [perBroker, clusterDefault] = await Promise.all([read(String(this.brokerId)), read(BROKER_DEFAULT_ENTITY)]);
    this.dynamicConfig.update(perBroker, clusterDefault);
  }

  /** brokers/<id> or brokers/<default> changed: reload, and give every log its new defaults. */
  private async onBrokerConfigChange(entityName: string): Promise<void> {
    if (entityName !== BROKER_DEFAULT_ENTITY && entityName !== String(this.brokerId)) return;
    await this.loadDynamicBrokerConfigs();
    const topics = new Set(this.replicaManager.allPartitions().map((p) => p.topic));
    for (const topic of topics) await this.reloadTopicConfig(topic);
  }

  private withOverrides(defaults: LogConfig, topic: string, overrides: Record<string, string>): LogConfig {
    try {
      return logConfigWithOverrides(defaults, overrides);
    } catch (err) {
      this.logger.warn(`Ignoring invalid configs of topic ${topic}: ${(err as Error).message}`);
      return defaults;
    }
  }

  /** A config change notification: a damaged /config/topics/<t> keeps the config the logs have. */
  private async reloadTopicConfig(topic: string): Promise<void> {
    const overrides = await this.topicOverrides(topic);
    if (overrides === null) return;
    const config = this.withOverrides(defaultLogConfig(this.dynamicConfig.current), topic, overrides);
    for (const p of this.replicaManager.allPartitions()) if (p.topic === topic) p.log.updateConfig(config);
  }

  async autoCreateTopic(topic: string): Promise<void> {
    try {
      await this.adminZkClient.createTopic(topic, this.config.numPartitions, this.config.defaultReplicationFactor, {});
      this.logger.info(`Auto creation of topic ${topic} with ${this.config.numPartitions} partitions and replication factor ${this.config.defaultReplicationFactor} is successful`);
    } catch (err) {
      if (errorCodeOf(err) !== ErrorCode.TOPIC_ALREADY_EXISTS) {
        this.logger.warn(`Auto creation of topic ${topic} failed: ${(err as Error).message}`);
      }
    }
  }

  private brokerInfo(): BrokerInfo {
    const endpoints = this.config.advertisedListeners.map((e) => ({
      listenerName: e.listenerName,
      securityProtocol: e.securityProtocol,
      host: e.host,
      port: e.port === 0 ? this.socketServer!.boundPort(e.listenerName) : e.port,
    }));
    const plaintext = endpoints.find((e) => e.listenerName === this.config.interBrokerListenerName) ?? endpoints[0];
    return {
      id: this.brokerId,
      host: plaintext.host,
      port: plaintext.port,
      rack: this.config.brokerRack,
      endpoints,
      jmxPort: -1,
      timestamp: Date.now(),
      epoch: -1,
    };
  }

  private required<T>(value: T | undefined, name: string): T {
    if (value === undefined) throw new Error(`${name} is not started`);
    return value;
  }
}
