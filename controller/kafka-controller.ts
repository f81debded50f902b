// Kafka's KafkaController (2.4, ZooKeeper mode): runs in every broker; the one that creates the
// ephemeral /controller (bumping /controller_epoch in the same multi) is the active controller.
// Everything happens in ONE serial event loop (event-manager.ts); ZooKeeper watchers and timers
// only enqueue. Every ZooKeeper write is fenced by the controller epoch's zkVersion; a write that
// finds the epoch moved (ControllerMovedError) makes this controller resign.
//
// Lifecycle: startup() -> Startup event -> elect(). Winner: onControllerFailover() (register
// watches, load state, UpdateMetadata, state machines, deletions, preferred elections, timer).
// Losers watch /controller and run elect() again when it disappears. onNewZkSession(): resign and
// re-elect (ephemeral nodes and watches died with the old session).
//
// Partition reassignment lives in partition-reassignment.ts, leader elections in leader-elections.ts,
// what is done about damaged topic and partition state znodes in damaged-znodes.ts.
// Not implemented yet (designed for): BrokerModifications (endpoint changes of a live broker),
// log dir events. AlterPartitionReassignments goes through /admin/reassign_partitions (see
// partition-reassignment.ts).

import { EventLoopSlices } from '../broker/event-loop-slices';
import { getLogger, Logger } from '../broker/logging';
import { ErrorCode } from '../broker/protocol/errors';
import { ControllerBrokerRequestBatch } from './controller-request-batch';
import { ControllerChannelManager, ConnectionFactory } from './controller-channel-manager';
import { ControllerContext } from './controller-context';
import {
  AlterReassignmentRequest,
  AlterReassignmentResult,
  ControlledShutdownResult,
  ControllerEvent,
  ElectLeaderResult,
} from './controller-event';
import { ControllerResponse } from './controller-requests';
import { ControllerConfig, DEFAULT_CONTROLLER_CONFIG, formatSet, keyOf, TopicPartition } from './controller-types';
import { ControllerZkClient, isControllerMoved, Watcher } from './controller-zk';
import { DamagedState, DamagedZnodes } from './damaged-znodes';
import { EventManager } from './event-manager';
import { kafkaClientConnectionFactory } from './kafka-client-connection';
import { LeaderElections } from './leader-elections';
import { LogDirFailures } from './log-dir-failures';
import { PartitionReassignments } from './partition-reassignment';
import { PartitionStateMachine } from './partition-state-machine';
import { ReplicaStateMachine } from './replica-state-machine';
import { sliceBulkZkCalls } from './sliced-zk-calls';
import { TopicDeletionManager } from './topic-deletion-manager';
import { ZnodeMap } from './zk/znode-json';

/** New partitions brought online per step of onNewPartitionCreation (see there). */
const NEW_PARTITION_SLICE = 500;

export interface KafkaControllerOptions {
  brokerId: number;
  zkClient: ControllerZkClient;
  config?: Partial<ControllerConfig>;
  onActiveChange?: (isController: boolean) => void;
  /** Replaces the network (tests); default: KafkaClient connections. */
  connectionFactory?: ConnectionFactory;
}

export class KafkaController {
  readonly brokerId: number;
  readonly context = new ControllerContext();
  private readonly config: ControllerConfig;
  private readonly zk: ControllerZkClient;
  private readonly log: Logger;
  private readonly eventManager: EventManager<ControllerEvent>;
  private readonly channelManager: ControllerChannelManager;
  private readonly batch: ControllerBrokerRequestBatch;
  readonly partitionStateMachine: PartitionStateMachine;
  readonly replicaStateMachine: ReplicaStateMachine;
  readonly topicDeletionManager: TopicDeletionManager;
  private readonly elections: LeaderElections;
  readonly reassignments: PartitionReassignments;
  private readonly logDirFailures: LogDirFailures;
  private activeControllerId = -1;
  /** True between a successful election and the matching resignation. */
  private termActive = false;
  /** Bumped on every resignation: watchers armed in an older term stop enqueueing. */
  private generation = 0;
  private rebalanceTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Damaged topic and partition state znodes: skipped, watched, restored when repaired. */
  private readonly damaged: DamagedZnodes;

  constructor(private readonly options: KafkaControllerOptions) {
    this.brokerId = options.brokerId;
    this.zk = sliceBulkZkCalls(options.zkClient);
    this.config = { ...DEFAULT_CONTROLLER_CONFIG, ...options.config };
    this.log = getLogger('kafka.controller.KafkaController', `[Controller id=${this.brokerId}] `, 'controller');
    this.eventManager = new EventManager<ControllerEvent>((e) => this.process(e), this.brokerId, (e) => this.dropped(e));
    this.channelManager = new ControllerChannelManager({
      controllerId: this.brokerId,
      connect: options.connectionFactory ?? kafkaClientConnectionFactory(this.brokerId),
      interBrokerListenerName: this.config.interBrokerListenerName,
      requestTimeoutMs: this.config.controllerSocketTimeoutMs,
      epoch: () => this.context.epoch,
    });
    this.batch = new ControllerBrokerRequestBatch({
      controllerId: this.brokerId,
      context: this.context,
      send: (id, req, cb) => this.channelManager.sendRequest(id, req, cb),
      interBrokerListenerName: this.config.interBrokerListenerName,
      onStopReplicaDeleteResponse: (brokerId, response, partitions) => this.onStopReplicaDeleteResponse(brokerId, response, partitions),
      onLeaderAndIsrResponse: (brokerId, response) => this.onLeaderAndIsrResponse(brokerId, response),
    });
    const deps = {
      controllerId: this.brokerId,
      context: this.context,
      zk: this.zk,
      batch: this.batch,
      config: this.config,
      onDamagedPartitionStates: (damaged: DamagedState[]) => this.damaged.watchStates(damaged),
    };
    this.partitionStateMachine = new PartitionStateMachine(deps);
    this.replicaStateMachine = new ReplicaStateMachine(deps);
    this.logDirFailures = new LogDirFailures({
      context: this.context,
      zk: this.zk,
      replicaStateMachine: this.replicaStateMachine,
      onReplicasBecomeOffline: (replicas) => this.onReplicasBecomeOffline(replicas),
      isActive: () => this.isActive(),
      watch: (event) => this.watcher(event),
      log: this.log,
    });
    this.topicDeletionManager = new TopicDeletionManager(
      this.brokerId,
      this.config.deleteTopicEnable,
      this.context,
      this.replicaStateMachine,
      this.partitionStateMachine,
      {
        sendMetadataUpdate: (partitions) => this.sendUpdateMetadataRequest(this.context.liveOrShuttingDownBrokerIds(), partitions),
        deleteTopic: (topic) => this.deleteTopicZNodes(topic),
        deleteTopicDeletions: (topics) => this.zk.deleteTopicDeletions(topics, this.context.epochZkVersion),
      },
    );
    this.elections = new LeaderElections({
      controllerId: this.brokerId,
      context: this.context,
      zk: this.zk,
      config: this.config,
      partitionStateMachine: this.partitionStateMachine,
      replicaStateMachine: this.replicaStateMachine,
      batch: this.batch,
      isActive: () => this.isActive(),
      watch: (event) => this.watcher(event),
      scheduleRebalance: (delayMs) => this.scheduleAutoLeaderRebalance(delayMs),
    });
    this.damaged = new DamagedZnodes({
      context: this.context,
      zk: this.zk,
      log: this.log,
      isActive: () => this.isActive(),
      watch: (event) => this.watcher(event),
      partitionStateMachine: this.partitionStateMachine,
      replicaStateMachine: this.replicaStateMachine,
      readTopics: (topics) => this.zk.getFullReplicaAssignment(topics, (topic) => this.watcher({ type: 'PartitionModifications', topic })()),
      loadTopicAssignment: (topic, assignment) => this.reassignments.loadTopicAssignment(topic, assignment),
      sendUpdateMetadata: (brokers, partitions) => this.sendUpdateMetadataRequest(brokers, partitions),
    });
    this.reassignments = new PartitionReassignments({
      ...deps,
      partitionStateMachine: this.partitionStateMachine,
      replicaStateMachine: this.replicaStateMachine,
      topicDeletionManager: this.topicDeletionManager,
      isActive: () => this.isActive(),
      watch: (event) => this.watcher(event),
      sendUpdateMetadata: (brokers, partitions) => this.sendUpdateMetadataRequest(brokers, partitions),
    });
  }

  // ---- API for the broker ----

  async startup(): Promise<void> {
    this.eventManager.put({ type: 'Startup' });
    await this.eventManager.idle();
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    await new Promise<void>((done) => this.eventManager.put({ type: 'Shutdown', done }));
    await this.eventManager.close();
  }

  isActive(): boolean {
    return this.activeControllerId === this.brokerId;
  }

  get epoch(): number {
    return this.context.epoch;
  }

  /** The active controller's id as last read from /controller (-1 when unknown). */
  get activeController(): number {
    return this.activeControllerId;
  }

  /** The ZooKeeper session expired: stop acting as controller now (Kafka's Expire). */
  onZkSessionExpired(): void {
    this.eventManager.clearAndPut({ type: 'Expire' });
  }

  /** Called after the broker re-registered on a new session: resign if active, then re-elect. */
  onNewZkSession(): void {
    this.eventManager.clearAndPut({ type: 'Expire' });
    this.eventManager.put({ type: 'Reelect' });
  }

  controlledShutdown(brokerId: number, brokerEpoch: number): Promise<ControlledShutdownResult> {
    return new Promise((callback) => this.eventManager.put({ type: 'ControlledShutdown', brokerId, brokerEpoch, callback }));
  }

  /**
   * ElectLeaders: a preferred replica election for these partitions (null = all), answered per
   * partition once the controller has written the new leaders (Kafka's electLeaders).
   */
  electPreferredLeaders(partitions: { topic: string; partition: number }[] | null): Promise<ElectLeaderResult[]> {
    return new Promise((callback) => this.eventManager.put({ type: 'ElectLeaders', partitions, callback }));
  }

  /**
   * AlterPartitionReassignments: answered per partition once the accepted reassignments are in
   * /admin/reassign_partitions and started (NOT_CONTROLLER if this broker is not the controller).
   */
  alterPartitionReassignments(partitions: AlterReassignmentRequest[]): Promise<AlterReassignmentResult[]> {
    return new Promise((callback) => this.eventManager.put({ type: 'AlterPartitionReassignments', partitions, callback }));
  }

  /** Resolves when every queued event has been processed (tests). */
  idle(): Promise<void> {
    return this.eventManager.idle();
  }

  // ---- the event loop ----

  private async process(event: ControllerEvent): Promise<void> {
    try {
      switch (event.type) {
        case 'Startup':
          return await this.elect();
        case 'ControllerChange':
          return await this.maybeResign();
        case 'Reelect':
          await this.maybeResign();
          return await this.elect();
        case 'Expire':
          this.activeControllerId = -1;
          return await this.onControllerResignation();
        case 'Shutdown':
          this.stopped = true;
          if (this.isActive()) await this.onControllerResignation();
          this.activeControllerId = -1;
          return event.done();
        case 'BrokerChange':
          return await this.processBrokerChange();
        case 'TopicChange':
          return await this.processTopicChange();
        case 'PartitionModifications':
          return await this.processPartitionModifications(event.topic);
        case 'TopicDeletion':
          return await this.processTopicDeletion();
        case 'TopicDeletionStopReplicaResponseReceived':
          return await this.processTopicDeletionStopReplicaResponse(event);
        case 'IsrChangeNotification':
          return await this.processIsrChangeNotification();
        case 'LogDirEventNotification':
          return await this.logDirFailures.processLogDirEventNotification();
        case 'LeaderAndIsrResponseReceived':
          return await this.logDirFailures.processLeaderAndIsrResponse(event.brokerId, event.partitionErrors);
        case 'ReplicaLeaderElection':
          return await this.elections.processZkPreferredReplicaElection();
        case 'PartitionReassignment':
          await this.reassignments.processZkPartitionReassignment();
          return;
        case 'DamagedPartitionStateChange':
          return await this.damaged.processPartitionStateChange(event.topic, event.partition);
        case 'PartitionReassignmentIsrChange':
          return await this.reassignments.processPartitionReassignmentIsrChange(event.topic, event.partition);
        case 'ElectLeaders':
          return event.callback(await this.elections.processAdminPreferredElection(event.partitions));
        case 'AlterPartitionReassignments':
          if (!this.isActive()) return event.callback(alterReassignmentsFailed(event.partitions, ErrorCode.NOT_CONTROLLER));
          return event.callback(await this.reassignments.processApiPartitionReassignment(event.partitions));
        case 'AutoPreferredReplicaLeaderElection':
          return await this.elections.processAutoPreferredReplicaLeaderElection();
        case 'ControlledShutdown':
          return event.callback(await this.elections.controlledShutdown(event.brokerId, event.brokerEpoch));
      }
    } catch (err) {
      if (event.type === 'ControlledShutdown') event.callback({ errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, remainingPartitions: [] });
      if (event.type === 'ElectLeaders') event.callback(electLeadersFailed(event.partitions, ErrorCode.UNKNOWN_SERVER_ERROR));
      if (event.type === 'AlterPartitionReassignments') {
        event.callback(alterReassignmentsFailed(event.partitions, isControllerMoved(err) ? ErrorCode.NOT_CONTROLLER : ErrorCode.UNKNOWN_SERVER_ERROR));
      }
      if (isControllerMoved(err)) {
        this.log.info(`Controller moved to another broker when processing ${event.type}. ${(err as Error).message}`);
        await this.maybeResign();
        return;
      }
      this.log.error(`Error processing event ${event.type}: ${(err as Error)?.stack ?? String(err)}`);
    }
  }

  /** Events dropped by clearAndPut/close still answer their callers. */
  private dropped(event: ControllerEvent): void {
    if (event.type === 'ControlledShutdown') event.callback({ errorCode: ErrorCode.NOT_CONTROLLER, remainingPartitions: [] });
    else if (event.type === 'Shutdown') event.done();
    else if (event.type === 'ElectLeaders') event.callback(electLeadersFailed(event.partitions, ErrorCode.NOT_CONTROLLER));
    else if (event.type === 'AlterPartitionReassignments') event.callback(alterReassignmentsFailed(event.partitions, ErrorCode.NOT_CONTROLLER));
  }

  /** A one-shot ZooKeeper watcher that enqueues `event`, unless this term has ended. */
  private watcher(event: ControllerEvent): Watcher {
    const generation = this.generation;
    return () => {
      if (generation === this.generation && !this.stopped) this.eventManager.put(event);
    };
  }

  /** The /controller watch outlives terms: every broker keeps watching it. */
  private controllerWatcher(): Watcher {
    return () => {
      if (!this.stopped) this.eventManager.put({ type: 'Reelect' });
    };
  }

  // ---- election and resignation ----

  private async elect(): Promise<void> {
    if (this.stopped) return;
    const current = await this.zk.getControllerId(this.controllerWatcher());
    this.activeControllerId = current ?? -1;
    if (current !== null) {
      this.log.debug(`Broker ${current} has been elected as the controller, so stopping the election process.`);
      return;
    }
    try {
      const { epoch, epochZkVersion } = await this.zk.registerControllerAndIncrementEpoch(this.brokerId);
      this.context.epoch = epoch;
      this.context.epochZkVersion = epochZkVersion;
      this.activeControllerId = this.brokerId;
      this.termActive = true;
      this.log.info(`${this.brokerId} successfully elected as the controller. Epoch incremented to ${epoch} and epoch zk version is now ${epochZkVersion}`);
      this.options.onActiveChange?.(true);
      await this.onControllerFailover();
    } catch (err) {
      if (isControllerMoved(err)) {
        await this.maybeResign();
        if (this.activeControllerId !== -1) this.log.debug(`Broker ${this.activeControllerId} was elected as controller instead of broker ${this.brokerId}`);
        else this.log.warn('A controller has been elected but just resigned, this will result in another round of election');
        return;
      }
      this.log.error(`Error while electing or becoming controller on broker ${this.brokerId}. Trigger controller movement immediately: ${(err as Error)?.stack ?? String(err)}`);
      await this.triggerControllerMove();
    }
  }

  private async maybeResign(): Promise<void> {
    const wasActive = this.termActive;
    const current = await this.zk.getControllerId(this.controllerWatcher());
    this.activeControllerId = current ?? -1;
    if (wasActive && !this.isActive()) await this.onControllerResignation();
  }

  private async triggerControllerMove(): Promise<void> {
    const epochZkVersion = this.context.epochZkVersion;
    await this.onControllerResignation();
    this.activeControllerId = -1;
    try {
      await this.zk.deleteController(epochZkVersion);
    } catch (err) {
      this.log.warn(`Could not delete /controller: ${(err as Error).message}`);
    }
  }

  private async onControllerResignation(): Promise<void> {
    this.log.debug('Resigning');
    this.generation++;
    if (this.rebalanceTimer) clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = null;
    this.partitionStateMachine.shutdown();
    this.replicaStateMachine.shutdown();
    this.channelManager.shutdown();
    this.batch.clear();
    this.reassignments.reset();
    this.context.reset();
    this.damaged.reset();
    const wasActive = this.termActive;
    this.termActive = false;
    this.log.info('Resigned');
    if (wasActive) this.options.onActiveChange?.(false);
  }

  private async onControllerFailover(): Promise<void> {
    const zk = this.zk;
    const ctx = this.context;
    this.log.info('Registering handlers');
    // Watches first, so no change between the reads below and the watches can be missed.
    await zk.getBrokerIds(this.watcher({ type: 'BrokerChange' }));
    const topics = await zk.getAllTopics(this.watcher({ type: 'TopicChange' }));
    await zk.getTopicDeletions(this.watcher({ type: 'TopicDeletion' }));
    await zk.getIsrChangeNotifications(this.watcher({ type: 'IsrChangeNotification' }));
    this.log.info('Deleting isr change notifications');
    // Partition states are read in full below, so pending notifications carry nothing new.
    await zk.deleteIsrChangeNotifications(undefined, ctx.epochZkVersion);
    await this.logDirFailures.onControllerFailover();

    this.log.info('Initializing controller context');
    ctx.setLiveBrokers(await zk.getAllBrokers());
    this.log.info(`Initialized broker epochs cache: ${formatEpochs(ctx.liveBrokerIdAndEpochs())}`);
    ctx.allTopics = new Set(topics);
    const { damagedStates } = await this.loadTopics(topics);
    this.channelManager.startup(ctx.liveOrShuttingDownBrokers());
    this.log.info(`Currently active brokers in the cluster: ${formatSet(ctx.liveBrokerIds())}`);
    this.log.info(`Currently shutting brokers in the cluster: ${formatSet(ctx.shuttingDownBrokerIds)}`);
    this.log.info(`Current list of topics in the cluster: ${formatSet(ctx.allTopics)}`);

    this.log.info('Fetching topic deletions in progress');
    const toDelete = new Set((await zk.getTopicDeletions()).filter((t) => ctx.allTopics.has(t)));
    const ineligible = new Set(
      [...ctx.allTopics].filter((t) => ctx.replicasForTopic(t).some((r) => !ctx.isReplicaOnline(r.replica))),
    );
    for (const tp of this.reassignments.partitionsBeingReassigned()) ineligible.add(tp.topic);
    this.log.info(`List of topics to be deleted: ${[...toDelete].join(',')}`);
    this.log.info(`List of topics ineligible for deletion: ${[...ineligible].join(',')}`);
    this.log.info('Initializing topic deletion manager');
    await this.topicDeletionManager.init(toDelete, ineligible);

    // Brokers must know the live brokers before the LeaderAndIsr requests that follow.
    this.log.info('Sending update metadata request');
    this.sendUpdateMetadataRequest(ctx.liveOrShuttingDownBrokerIds(), []);
    await this.replicaStateMachine.startup();
    await this.partitionStateMachine.startup(ctx.allPartitions(), damagedStates);
    this.log.info(`Ready to serve as the new controller with epoch ${ctx.epoch}`);

    await this.reassignments.initialize();
    await this.topicDeletionManager.tryTopicDeletion();
    await this.elections.processZkPreferredReplicaElection();
    this.log.info('Starting the controller scheduler');
    // Kafka runs the first imbalance check 5 seconds after failover.
    if (this.config.autoLeaderRebalanceEnable) this.scheduleAutoLeaderRebalance(5000);
  }

  /**
   * Reads assignments (arming per-topic data watches) and partition states of `topics`. A topic
   * whose znode is damaged is skipped (known by name until repaired); partitions whose state znode
   * is damaged are returned in damagedStates (they start Offline, their znode watched).
   */
  private async loadTopics(topics: string[]): Promise<{ partitions: TopicPartition[]; damagedStates: Set<string> }> {
    if (topics.length === 0) return { partitions: [], damagedStates: new Set() };
    const ctx = this.context;
    const assignments = await this.zk.getFullReplicaAssignment(topics, (topic) => this.watcher({ type: 'PartitionModifications', topic })());
    this.damaged.addTopics(assignments.invalid.keys());
    const partitions: TopicPartition[] = [];
    for (const [topic, assignment] of assignments) {
      for (const [partition, replicas] of assignment.partitions) {
        ctx.updatePartitionReplicaAssignment({ topic, partition }, replicas);
        partitions.push(ctx.tp(topic, partition));
      }
      this.reassignments.loadTopicAssignment(topic, assignment);
    }
    const damagedStates = await this.damaged.loadStates(partitions);
    return { partitions, damagedStates };
  }

  private scheduleAutoLeaderRebalance(delayMs: number): void {
    if (this.rebalanceTimer) clearTimeout(this.rebalanceTimer);
    const generation = this.generation;
    this.rebalanceTimer = setTimeout(() => {
      this.rebalanceTimer = null;
      if (generation === this.generation && !this.stopped) this.eventManager.put({ type: 'AutoPreferredReplicaLeaderElection' });
    }, delayMs);
    this.rebalanceTimer.unref();
  }

  sendUpdateMetadataRequest(brokers: number[], partitions: TopicPartition[]): void {
    this.batch.newBatch();
    this.batch.addUpdateMetadataRequestForBrokers(brokers, partitions);
    this.batch.sendRequestsToBrokers(this.context.epoch);
  }

  private async deleteTopicZNodes(topic: string): Promise<void> {
    const v = this.context.epochZkVersion;
    await this.zk.deleteTopicZNode(topic, v);
    await this.zk.deleteTopicConfigs([topic], v);
    await this.zk.deleteTopicDeletions([topic], v);
  }

  // ---- brokers ----

  private async processBrokerChange(): Promise<void> {
    if (!this.isActive()) return;
    const ctx = this.context;
    await this.zk.getBrokerIds(this.watcher({ type: 'BrokerChange' }));
    const current = await this.zk.getAllBrokers();
    const currentById = new Map(current.map((b) => [b.id, b]));
    const known = ctx.liveBrokerIdAndEpochs();
    const newBrokers = current.filter((b) => !known.has(b.id)).sort((a, b) => a.id - b.id);
    const dead = [...known.keys()].filter((id) => !currentById.has(id)).sort((a, b) => a - b);
    // KIP-380: same id, new registration znode (new czxid) = it restarted or lost its session.
    const bounced = current.filter((b) => known.has(b.id) && b.epoch > (known.get(b.id) as number)).sort((a, b) => a.id - b.id);
    this.log.info(
      `Newly added brokers: ${newBrokers.map((b) => b.id).join(',')}, deleted brokers: ${dead.join(',')}, ` +
        `bounced brokers: ${bounced.map((b) => b.id).join(',')}, all live brokers: ${[...currentById.keys()].sort((a, b) => a - b).join(',')}`,
    );
    for (const b of newBrokers) this.channelManager.addBroker(b);
    for (const b of bounced) this.channelManager.removeBroker(b.id);
    for (const b of bounced) this.channelManager.addBroker(b);
    for (const id of dead) this.channelManager.removeBroker(id);
    if (newBrokers.length > 0) {
      ctx.addLiveBrokers(newBrokers);
      await this.onBrokerStartup(newBrokers.map((b) => b.id));
    }
    if (bounced.length > 0) {
      const ids = bounced.map((b) => b.id);
      ctx.removeLiveBrokers(ids);
      await this.onBrokerFailure(ids);
      ctx.addLiveBrokers(bounced);
      await this.onBrokerStartup(ids);
    }
    if (dead.length > 0) {
      ctx.removeLiveBrokers(dead);
      await this.onBrokerFailure(dead);
    }
    if (newBrokers.length + dead.length + bounced.length > 0) {
      this.log.info(`Updated broker epochs cache: ${formatEpochs(ctx.liveBrokerIdAndEpochs())}`);
    }
  }

  private async onBrokerStartup(newBrokers: number[]): Promise<void> {
    const ctx = this.context;
    this.log.info(`New broker startup callback for ${newBrokers.join(',')}`);
    const existing = ctx.liveOrShuttingDownBrokerIds().filter((id) => !newBrokers.includes(id));
    // Old brokers learn about the new ones; new brokers get every partition's state.
    this.sendUpdateMetadataRequest(existing, []);
    this.sendUpdateMetadataRequest(newBrokers, ctx.allPartitions().filter((tp) => ctx.partitionLeadershipInfo.has(keyOf(tp))));
    const replicas = ctx.replicasOnBrokers(newBrokers);
    await this.replicaStateMachine.handleStateChanges(replicas, 'OnlineReplica');
    await this.partitionStateMachine.triggerOnlinePartitionStateChange();
    await this.reassignments.onBrokerStartup(newBrokers);
    const deletionTopics = replicas.filter((r) => this.topicDeletionManager.isTopicQueuedUpForDeletion(r.topic)).map((r) => r.topic);
    if (deletionTopics.length > 0) {
      this.log.info(`Some replicas for topics ${[...new Set(deletionTopics)].join(',')} to be deleted are on the new brokers; resuming their deletion`);
      await this.topicDeletionManager.resumeDeletionForTopics(deletionTopics);
    }
  }

  private async onBrokerFailure(deadBrokers: number[]): Promise<void> {
    const ctx = this.context;
    this.log.info(`Broker failure callback for ${deadBrokers.join(',')}`);
    const wereShuttingDown = deadBrokers.filter((id) => ctx.shuttingDownBrokerIds.delete(id));
    if (wereShuttingDown.length > 0) this.log.info(`Removed ${wereShuttingDown.join(',')} from list of shutting down brokers.`);
    await this.onReplicasBecomeOffline(ctx.replicasOnBrokers(deadBrokers));
  }

  private async onReplicasBecomeOffline(replicas: { topic: string; partition: number; replica: number }[]): Promise<void> {
    const ctx = this.context;
    const forDeletion = replicas.filter((r) => this.topicDeletionManager.isTopicQueuedUpForDeletion(r.topic));
    const notForDeletion = replicas.filter((r) => !this.topicDeletionManager.isTopicQueuedUpForDeletion(r.topic));
    // The leader is always an assigned replica, so only these brokers' partitions can lose theirs.
    const withoutLeader: TopicPartition[] = [];
    const seen = new Set<string>();
    for (const r of replicas) {
      const tp = ctx.tp(r.topic, r.partition);
      const key = keyOf(tp);
      if (seen.has(key)) continue;
      seen.add(key);
      const info = ctx.partitionLeadershipInfo.get(key);
      if (info && !ctx.isReplicaOnline(info.leaderAndIsr.leader, false, tp) && !this.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic)) {
        withoutLeader.push(tp);
      }
    }
    await this.partitionStateMachine.handleStateChanges(withoutLeader, 'OfflinePartition');
    await this.partitionStateMachine.triggerOnlinePartitionStateChange();
    await this.replicaStateMachine.handleStateChanges(notForDeletion, 'OfflineReplica');
    if (forDeletion.length > 0) await this.topicDeletionManager.failReplicaDeletion(forDeletion);
    // Without leader changes nobody has been told the broker list shrank yet.
    if (withoutLeader.length === 0) this.sendUpdateMetadataRequest(ctx.liveOrShuttingDownBrokerIds(), []);
  }

  // ---- topics ----

  private async processTopicChange(): Promise<void> {
    if (!this.isActive()) return;
    const ctx = this.context;
    const topics = new Set(await this.zk.getAllTopics(this.watcher({ type: 'TopicChange' })));
    const newTopics = [...topics].filter((t) => !ctx.allTopics.has(t));
    const deletedTopics = [...ctx.allTopics].filter((t) => !topics.has(t));
    for (const t of newTopics) ctx.allTopics.add(t);
    for (const t of deletedTopics) {
      ctx.removeTopic(t);
      this.damaged.removeTopic(t);
    }
    const added = newTopics.length > 0 ? await this.zk.getReplicaAssignment(newTopics, (topic) => this.watcher({ type: 'PartitionModifications', topic })()) : new ZnodeMap<string, Map<number, number[]>>();
    // A new topic whose znode is damaged stays known by name only until its znode is repaired.
    this.damaged.addTopics(added.invalid.keys());
    const newPartitions: TopicPartition[] = [];
    const described: string[] = [];
    const slices = new EventLoopSlices();
    for (const [topic, byPartition] of added) {
      for (const [partition, replicas] of byPartition) {
        await slices.next();
        ctx.updatePartitionReplicaAssignment({ topic, partition }, replicas);
        newPartitions.push(ctx.tp(topic, partition));
        described.push(`${topic}-${partition} -> ReplicaAssignment(replicas=${replicas.join(',')}, addingReplicas=, removingReplicas=)`);
      }
    }
    this.log.info(`New topics: [${formatSet(newTopics)}], deleted topics: [${formatSet(deletedTopics)}], new partition replica assignment [Map(${described.join(', ')})]`);
    if (newPartitions.length > 0) await this.onNewPartitionCreation(newPartitions);
  }

  private async processPartitionModifications(topic: string): Promise<void> {
    if (!this.isActive() || !this.context.allTopics.has(topic)) return; // deleted topics stay muted
    if (this.damaged.hasTopic(topic)) return await this.damaged.restoreTopic(topic);
    const ctx = this.context;
    // A znode damaged now reads as no new partitions (logged once by the client): the controller
    // keeps serving what it knows of the topic.
    const assignment = await this.zk.getReplicaAssignment([topic], (t) => this.watcher({ type: 'PartitionModifications', topic: t })());
    const toAdd: { tp: TopicPartition; replicas: number[] }[] = [];
    for (const [partition, replicas] of assignment.get(topic) ?? new Map<number, number[]>()) {
      if (!ctx.hasPartition({ topic, partition })) toAdd.push({ tp: { topic, partition }, replicas });
    }
    if (toAdd.length === 0) return;
    if (this.topicDeletionManager.isTopicQueuedUpForDeletion(topic)) {
      this.log.warn(`Skipping adding partitions ${toAdd.map((a) => a.tp.partition).join(',')} for topic ${topic} since it is currently being deleted`);
      return;
    }
    this.log.info(`New partitions to be added ${toAdd.map((a) => `${topic}-${a.tp.partition} -> ${a.replicas.join(',')}`).join(', ')}`);
    for (const a of toAdd) ctx.updatePartitionReplicaAssignment(a.tp, a.replicas);
    await this.onNewPartitionCreation(toAdd.map((a) => ctx.tp(topic, a.tp.partition)));
  }

  /**
   * Kafka's onNewPartitionCreation, NEW_PARTITION_SLICE partitions at a time with the event loop
   * handed back in between: a topic of 10,000 partitions otherwise holds the loop for seconds
   * (state changes, their log lines, request building), and each slice is a complete creation
   * (its own LeaderAndIsr/UpdateMetadata), so clients see leaders appear slice by slice.
   */
  private async onNewPartitionCreation(all: TopicPartition[]): Promise<void> {
    for (let i = 0; i < all.length; i += NEW_PARTITION_SLICE) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (!this.isActive()) return;
      const partitions = all.slice(i, i + NEW_PARTITION_SLICE);
      this.log.info(`New partition creation callback for ${partitions.map(keyOf).join(',')}`);
      const replicas = this.context.replicasForPartitions(partitions);
      await this.partitionStateMachine.handleStateChanges(partitions, 'NewPartition');
      await this.replicaStateMachine.handleStateChanges(replicas, 'NewReplica');
      await this.partitionStateMachine.handleStateChanges(partitions, 'OnlinePartition', { kind: 'OfflinePartition', allowUnclean: false });
      await this.replicaStateMachine.handleStateChanges(replicas, 'OnlineReplica');
    }
  }

  private async processTopicDeletion(): Promise<void> {
    if (!this.isActive()) return;
    const ctx = this.context;
    const marked = await this.zk.getTopicDeletions(this.watcher({ type: 'TopicDeletion' }));
    this.log.debug(`Delete topics listener fired for topics ${marked.join(',')} to be deleted`);
    const nonExistent = marked.filter((t) => !ctx.allTopics.has(t));
    if (nonExistent.length > 0) {
      this.log.warn(`Ignoring request to delete non-existing topics ${nonExistent.join(',')}`);
      await this.zk.deleteTopicDeletions(nonExistent, ctx.epochZkVersion);
    }
    const toDelete = marked.filter((t) => ctx.allTopics.has(t));
    if (toDelete.length === 0) return;
    if (!this.config.deleteTopicEnable) {
      // Kafka removes the markers so they do not linger (kafka-topics reports "marked for deletion").
      this.log.info(`Removing ${toDelete.join(',')} since delete topic is disabled`);
      await this.zk.deleteTopicDeletions(toDelete, ctx.epochZkVersion);
      return;
    }
    this.log.info(`Starting topic deletion for topics ${toDelete.join(',')}`);
    await this.topicDeletionManager.enqueueTopicsForDeletion(toDelete);
  }

  private onStopReplicaDeleteResponse(brokerId: number, response: ControllerResponse, partitions: TopicPartition[]): void {
    const errors = new Map((response.partitionErrors ?? []).map((p) => [`${p.topicName}-${p.partitionIndex}`, p.errorCode]));
    this.eventManager.put({
      type: 'TopicDeletionStopReplicaResponseReceived',
      replicaId: brokerId,
      errorCode: response.errorCode,
      partitionErrors: partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition, errorCode: errors.get(keyOf(tp)) ?? response.errorCode })),
    });
  }

  private async processTopicDeletionStopReplicaResponse(
    event: Extract<ControllerEvent, { type: 'TopicDeletionStopReplicaResponseReceived' }>,
  ): Promise<void> {
    if (!this.isActive()) return;
    this.log.debug(
      `Delete topic callback invoked on StopReplica response received from broker ${event.replicaId}: request error = ${ErrorCode[event.errorCode] ?? event.errorCode}, ` +
        `partition errors = Map(${event.partitionErrors.map((p) => `${p.topic}-${p.partition} -> ${ErrorCode[p.errorCode] ?? p.errorCode}`).join(', ')})`,
    );
    const failedAll = event.errorCode !== ErrorCode.NONE;
    const inError = event.partitionErrors.filter((p) => failedAll || p.errorCode !== ErrorCode.NONE);
    const ok = event.partitionErrors.filter((p) => !failedAll && p.errorCode === ErrorCode.NONE);
    const asReplica = (p: { topic: string; partition: number }) => ({ topic: p.topic, partition: p.partition, replica: event.replicaId });
    if (inError.length > 0) await this.topicDeletionManager.failReplicaDeletion(inError.map(asReplica));
    if (ok.length > 0) await this.topicDeletionManager.completeReplicaDeletion(ok.map(asReplica));
  }

  /**
   * Every LeaderAndIsr answer that reports a replica in an offline log dir, or may bring one of a
   * broker's offline replicas back, becomes an event (Kafka enqueues them all; the others change nothing).
   */
  private onLeaderAndIsrResponse(brokerId: number, response: ControllerResponse): void {
    const errors = response.partitionErrors ?? [];
    const relevant = errors.some((p) => p.errorCode === ErrorCode.KAFKA_STORAGE_ERROR) || this.context.replicasOnOfflineDirs.has(brokerId);
    if (!relevant || this.stopped) return;
    this.eventManager.put({
      type: 'LeaderAndIsrResponseReceived',
      brokerId,
      partitionErrors: errors.map((p) => ({ topic: p.topicName, partition: p.partitionIndex, errorCode: p.errorCode })),
    });
  }

  // ---- ISR changes ----

  private async processIsrChangeNotification(): Promise<void> {
    if (!this.isActive()) return;
    const notifications = await this.zk.getIsrChangeNotifications(this.watcher({ type: 'IsrChangeNotification' }));
    if (notifications.length === 0) return;
    try {
      const partitions = (await this.zk.getPartitionsFromIsrChangeNotifications(notifications)).filter((tp) =>
        this.context.hasPartition(tp),
      );
      if (partitions.length > 0) {
        const canonical = partitions.map((tp) => this.context.tp(tp.topic, tp.partition));
        await this.damaged.loadStates(canonical);
        const brokers = this.context.liveOrShuttingDownBrokerIds();
        this.log.debug(`Sending MetadataRequest to Brokers: ${brokers.join(', ')} for TopicPartitions: ${canonical.map(keyOf).join(', ')}`);
        this.sendUpdateMetadataRequest(brokers, canonical);
        await this.reassignments.onIsrChangeNotification(canonical);
      }
    } finally {
      await this.zk.deleteIsrChangeNotifications(notifications, this.context.epochZkVersion);
    }
  }
}

function electLeadersFailed(partitions: { topic: string; partition: number }[] | null, errorCode: ErrorCode): ElectLeaderResult[] {
  return (partitions ?? []).map((tp) => ({ topic: tp.topic, partition: tp.partition, errorCode, errorMessage: null, leader: -1 }));
}

function alterReassignmentsFailed(partitions: AlterReassignmentRequest[], errorCode: ErrorCode): AlterReassignmentResult[] {
  return partitions.map((p) => ({ topic: p.topic, partition: p.partition, errorCode, errorMessage: null }));
}

function formatEpochs(epochs: Map<number, number>): string {
  return `Map(${[...epochs].map(([id, e]) => `${id} -> ${e}`).join(', ')})`;
}
