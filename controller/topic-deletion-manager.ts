// Kafka's TopicDeletionManager (2.4). A topic marked in /admin/delete_topics is deleted in steps:
// 1. its partitions go Offline -> NonExistent and every broker gets UpdateMetadata with leader
//    -2 (LeaderDuringDelete), so they stop serving it;
// 2. live replicas go OfflineReplica (StopReplica without delete, removed from the ISR) then
//    ReplicaDeletionStarted (StopReplica with deletePartitions=true);
// 3. each broker's answer marks its replicas ReplicaDeletionSuccessful (or Ineligible on error);
// 4. once every replica is deleted: /brokers/topics/<t> (recursively), /config/topics/<t> and
//    /admin/delete_topics/<t> are removed, epoch-checked, and the topic leaves the context.
// A replica on a dead broker makes the topic ineligible: deletion WAITS until that broker comes
// back (Kafka's behaviour, so a returning broker cannot resurrect a half-deleted topic's data).
// With delete.topic.enable=false the markers are removed and nothing is deleted.

import { getLogger, Logger } from '../broker/logging';
import { ControllerContext } from './controller-context';
import { ReplicaState } from './controller-states';
import { PartitionAndReplica, TopicPartition } from './controller-types';
import { PartitionStateMachine } from './partition-state-machine';
import { ReplicaStateMachine } from './replica-state-machine';

/** What the deletion manager needs from the controller (Kafka's DeletionClient). */
export interface DeletionClient {
  sendMetadataUpdate(partitions: TopicPartition[]): void;
  deleteTopic(topic: string): Promise<void>;
  deleteTopicDeletions(topics: string[]): Promise<void>;
}

export class TopicDeletionManager {
  private readonly log: Logger;

  constructor(
    controllerId: number,
    private readonly deleteTopicEnable: boolean,
    private readonly ctx: ControllerContext,
    private readonly replicaStateMachine: ReplicaStateMachine,
    private readonly partitionStateMachine: PartitionStateMachine,
    private readonly client: DeletionClient,
  ) {
    this.log = getLogger('kafka.controller.TopicDeletionManager', `[Topic Deletion Manager ${controllerId}] `, 'controller');
  }

  async init(topicsToBeDeleted: Set<string>, topicsIneligible: Set<string>): Promise<void> {
    this.log.info(
      `Initializing manager with initial deletions: Set(${[...topicsToBeDeleted].join(', ')}), ` +
        `initial ineligible deletions: Set(${[...topicsIneligible].join(', ')})`,
    );
    if (this.deleteTopicEnable) {
      for (const t of topicsToBeDeleted) this.ctx.topicsToBeDeleted.add(t);
      for (const t of topicsIneligible) if (topicsToBeDeleted.has(t)) this.ctx.topicsIneligibleForDeletion.add(t);
    } else if (topicsToBeDeleted.size > 0) {
      this.log.info(`Removing ${[...topicsToBeDeleted].join(',')} since delete topic is disabled`);
      await this.client.deleteTopicDeletions([...topicsToBeDeleted]);
    }
  }

  async tryTopicDeletion(): Promise<void> {
    if (this.deleteTopicEnable) await this.resumeDeletions();
  }

  async enqueueTopicsForDeletion(topics: Iterable<string>): Promise<void> {
    if (!this.deleteTopicEnable) return;
    for (const t of topics) this.ctx.topicsToBeDeleted.add(t);
    await this.resumeDeletions();
  }

  /** A broker came back: topics that waited for its replicas may proceed. */
  async resumeDeletionForTopics(topics: Iterable<string>): Promise<void> {
    if (!this.deleteTopicEnable) return;
    const resumed = [...new Set(topics)].filter((t) => this.ctx.topicsToBeDeleted.has(t));
    if (resumed.length === 0) return;
    for (const t of resumed) this.ctx.topicsIneligibleForDeletion.delete(t);
    await this.resumeDeletions();
  }

  async failReplicaDeletion(replicas: PartitionAndReplica[]): Promise<void> {
    if (!this.deleteTopicEnable) return;
    const failed = replicas.filter((r) => this.isTopicQueuedUpForDeletion(r.topic));
    if (failed.length === 0) return;
    const topics = new Set(failed.map((r) => r.topic));
    this.log.debug(`Deletion failed for replicas ${failed.map(fmtReplica).join(',')}. Halting deletion for topics ${[...topics].join(',')}`);
    await this.replicaStateMachine.handleStateChanges(failed, 'ReplicaDeletionIneligible');
    this.markTopicIneligibleForDeletion(topics, 'replica deletion failure');
    await this.resumeDeletions();
  }

  async completeReplicaDeletion(replicas: PartitionAndReplica[]): Promise<void> {
    const deleted = replicas.filter((r) => this.isTopicQueuedUpForDeletion(r.topic));
    this.log.debug(`Deletion successfully completed for replicas ${deleted.map(fmtReplica).join(',')}`);
    await this.replicaStateMachine.handleStateChanges(deleted, 'ReplicaDeletionSuccessful');
    await this.resumeDeletions();
  }

  markTopicIneligibleForDeletion(topics: Iterable<string>, reason: string): void {
    if (!this.deleteTopicEnable) return;
    const halted = [...topics].filter((t) => this.ctx.topicsToBeDeleted.has(t));
    for (const t of halted) this.ctx.topicsIneligibleForDeletion.add(t);
    if (halted.length > 0) this.log.info(`Halted deletion of topics ${halted.join(',')} due to ${reason}`);
  }

  isTopicQueuedUpForDeletion(topic: string): boolean {
    return this.deleteTopicEnable && this.ctx.topicsToBeDeleted.has(topic);
  }

  private replicasInState(topic: string, state: ReplicaState): PartitionAndReplica[] {
    return this.ctx.replicasForTopic(topic).filter((r) => this.ctx.replicaState(r) === state);
  }

  private isEligible(topic: string): boolean {
    return (
      this.isTopicQueuedUpForDeletion(topic) &&
      this.replicasInState(topic, 'ReplicaDeletionStarted').length === 0 &&
      !this.ctx.topicsIneligibleForDeletion.has(topic)
    );
  }

  private async resumeDeletions(): Promise<void> {
    const queued = [...this.ctx.topicsToBeDeleted];
    const retry: string[] = [];
    const eligible: string[] = [];
    if (queued.length > 0) this.log.info(`Handling deletion for topics ${queued.join(',')}`);
    for (const topic of queued) {
      const replicas = this.ctx.replicasForTopic(topic);
      if (replicas.every((r) => this.ctx.replicaState(r) === 'ReplicaDeletionSuccessful')) {
        await this.completeDeleteTopic(topic);
        this.log.info(`Deletion of topic ${topic} successfully completed`);
        continue;
      }
      const states = replicas.map((r) => this.ctx.replicaState(r));
      if (!states.includes('ReplicaDeletionStarted') && states.includes('ReplicaDeletionIneligible')) retry.push(topic);
      if (this.isEligible(topic)) {
        this.log.info(`Deletion of topic ${topic} (re)started`);
        eligible.push(topic);
      }
    }
    if (retry.length > 0) {
      const failed = retry.flatMap((t) => this.replicasInState(t, 'ReplicaDeletionIneligible'));
      this.log.debug(`Retrying deletion of topics ${retry.join(',')} since replicas ${failed.map(fmtReplica).join(',')} were not successfully deleted`);
      await this.replicaStateMachine.handleStateChanges(failed, 'OfflineReplica');
    }
    if (eligible.length > 0) await this.onTopicDeletion(eligible);
  }

  private async completeDeleteTopic(topic: string): Promise<void> {
    const deleted = this.replicasInState(topic, 'ReplicaDeletionSuccessful');
    await this.replicaStateMachine.handleStateChanges(deleted, 'NonExistentReplica');
    this.ctx.topicsToBeDeleted.delete(topic);
    this.ctx.topicsWithDeletionStarted.delete(topic);
    this.ctx.topicsIneligibleForDeletion.delete(topic);
    await this.client.deleteTopic(topic);
    this.ctx.removeTopic(topic);
  }

  private async onTopicDeletion(topics: string[]): Promise<void> {
    this.log.info(`Topic deletion callback for ${topics.join(',')}`);
    const unseen = topics.filter((t) => !this.ctx.topicsWithDeletionStarted.has(t));
    if (unseen.length > 0) {
      const partitions = unseen.flatMap((t) => this.ctx.partitionsForTopic(t));
      await this.partitionStateMachine.handleStateChanges(partitions, 'OfflinePartition');
      await this.partitionStateMachine.handleStateChanges(partitions, 'NonExistentPartition');
      for (const t of unseen) this.ctx.topicsWithDeletionStarted.add(t);
    }
    // Brokers stop serving the topic: UpdateMetadata announces leader -2 for its partitions.
    this.client.sendMetadataUpdate(topics.flatMap((t) => this.ctx.partitionsForTopic(t)));
    await this.onPartitionDeletion(topics);
  }

  private async onPartitionDeletion(topics: string[]): Promise<void> {
    const partitions = topics.flatMap((t) => this.ctx.partitionsForTopic(t));
    this.log.info(`Partition deletion callback for ${partitions.map((tp) => `${tp.topic}-${tp.partition}`).join(',')}`);
    const dead: PartitionAndReplica[] = [];
    const toDelete: PartitionAndReplica[] = [];
    const ineligible = new Set<string>();
    for (const topic of topics) {
      for (const r of this.ctx.replicasForTopic(topic)) {
        if (!this.ctx.isReplicaOnline(r.replica)) {
          dead.push(r);
          ineligible.add(topic);
        } else if (this.ctx.replicaState(r) !== 'ReplicaDeletionSuccessful') toDelete.push(r);
      }
    }
    await this.replicaStateMachine.handleStateChanges(dead, 'ReplicaDeletionIneligible');
    // Stop the followers first (OfflineReplica) so they stop fetching, then delete.
    await this.replicaStateMachine.handleStateChanges(toDelete, 'OfflineReplica');
    this.log.debug(`Deletion started for replicas ${toDelete.map(fmtReplica).join(',')}`);
    await this.replicaStateMachine.handleStateChanges(toDelete, 'ReplicaDeletionStarted');
    if (ineligible.size > 0) this.markTopicIneligibleForDeletion(ineligible, 'offline replicas');
  }
}

function fmtReplica(r: PartitionAndReplica): string {
  return `[Topic=${r.topic},Partition=${r.partition},Replica=${r.replica}]`;
}
