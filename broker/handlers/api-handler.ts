// The contract of one API's handler: which versions it serves (ApiVersions is built from these
// declarations, so the advertised ranges cannot drift from what is implemented) and how it turns
// a decoded request into a response. Handlers are thin: validate, delegate to a subsystem, answer.
import type { DynamicBrokerConfig } from '../config/dynamic-broker-config';
import type { KafkaConfig } from '../config/kafka-config';
import type { KafkaController } from '../../controller/kafka-controller';
import type { AdminZkClient } from '../../controller/zk/admin-zk-client';
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import type { GroupCoordinator } from '../group/group-coordinator';
import type { LegacyOffsetStore } from '../group/legacy-offsets';
import type { LogConfig } from '../log/log-config';
import type { LogManager } from '../log/log-manager';
import type { MetadataCache } from '../metadata-cache';
import type { ApiDefinition } from '../protocol/api-definition';
import type { RequestHeader } from '../protocol/header';
import type { QuotaManagers } from '../quota/quota-managers';
import type { ReplicaManager } from '../replica/replica-manager';
import type { ProducerIdManager } from '../transaction/producer-id-manager';
import type { TransactionCoordinator } from '../transaction/transaction-coordinator';

/** What handlers may use of the broker. */
export interface BrokerContext {
  readonly brokerId: number;
  readonly config: KafkaConfig;
  /** server.properties overlaid with /config/brokers/<default> and /config/brokers/<id>. */
  readonly dynamicConfig: DynamicBrokerConfig;
  readonly clusterId: string;
  /** The czxid of this broker's current /brokers/ids registration (KIP-380 broker epoch). */
  brokerEpoch(): number;
  readonly metadataCache: MetadataCache;
  readonly replicaManager: ReplicaManager;
  /** The logs of this broker by log dir (DescribeLogDirs, AlterReplicaLogDirs). */
  readonly logManager: LogManager;
  readonly zkClient: KafkaZkClient;
  readonly adminZkClient: AdminZkClient;
  readonly controller: KafkaController;
  /** Groups and offsets whose __consumer_offsets partitions this broker leads. */
  readonly groupCoordinator: GroupCoordinator;
  /** /consumers/<group>/offsets in ZooKeeper, for OffsetCommit/OffsetFetch v0 (0.8.1 clients). */
  readonly legacyOffsets: LegacyOffsetStore;
  /** Producer ids for InitProducerId, in blocks claimed from ZooKeeper. */
  readonly producerIdManager: ProducerIdManager;
  /** Transactional ids whose __transaction_state partitions this broker leads (KIP-98). */
  readonly transactionCoordinator: TransactionCoordinator;
  /** Produce and fetch byte-rate quotas per user and client id. */
  readonly quotas: QuotaManagers;
  /** A topic's effective log config: broker defaults overlaid with /config/topics/<topic>. */
  topicConfig(topic: string): Promise<LogConfig>;
  /** Create a topic with the broker defaults if auto.create.topics.enable; errors are swallowed. */
  autoCreateTopic(topic: string): Promise<void>;
}

export interface RequestContext {
  readonly header: RequestHeader;
  /** The listener the request arrived on (Metadata answers with that listener's endpoints). */
  readonly listenerName: string;
  readonly clientAddress: string;
  /**
   * The authenticated user's name (KafkaPrincipal.getName): ANONYMOUS on PLAINTEXT (and SSL without
   * a client certificate), the certificate's RFC 2253 DN on SSL, the SASL user on SASL listeners.
   * The principal type is always "User"; an authorizer would match "User:<principal>".
   */
  readonly principal: string;
  /** The request's size in bytes, header included (what Kafka counts against a produce quota). */
  readonly requestSize: number;
  /** Mutes the connection for this long once the response is out (quota throttling, KIP-219). */
  throttle(throttleTimeMs: number): void;
  readonly broker: BrokerContext;
  /** Every API and version range this broker serves (for ApiVersions). */
  readonly supportedVersions: readonly { apiKey: number; minVersion: number; maxVersion: number }[];
}

export interface ApiHandler<Req = unknown, ResIn = unknown> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly api: ApiDefinition<Req, any, any, ResIn>;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** null: send no response (Produce with acks=0). */
  handle(request: Req, version: number, ctx: RequestContext): Promise<ResIn | null> | ResIn | null;
}

/** Declares a handler with its types inferred from the API definition. */
export function defineHandler<Req, Res, ReqIn, ResIn>(handler: {
  api: ApiDefinition<Req, Res, ReqIn, ResIn>;
  minVersion: number;
  maxVersion: number;
  handle(request: Req, version: number, ctx: RequestContext): Promise<ResIn | null> | ResIn | null;
}): ApiHandler<Req, ResIn> {
  return handler as ApiHandler<Req, ResIn>;
}
