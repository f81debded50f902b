// What the pre-0.9 ZooKeeper-coordinated consumer and the --zookeeper group tools do on
// ZooKeeper (Kafka 0.8's ZkUtils consumer helpers): register a consumer, list a group's members
// with a child watch, claim and release partition ownership, read and delete a group's offsets.
// Offsets themselves are read and written through KafkaZkClient (getConsumerOffset /
// setConsumerOffset), which OffsetCommit/OffsetFetch v0 share.
import { deleteRecursive } from './fenced-ops';
import type { KafkaZkClient } from './kafka-zk-client';
import { settle } from './kafka-zk-client-core';
import {
  consumerThreadId,
  ConsumerIdsZNode,
  ConsumerIdZNode,
  ConsumerOffsetsTopicZNode,
  ConsumerOffsetsZNode,
  ConsumerOwnersTopicZNode,
  ConsumerOwnerZNode,
  ConsumerGroupZNode,
  type ConsumerRegistration,
} from './consumer-zk-data';
import { NodeExistsError, NoNodeError } from './zk-errors';
import { ConsumerOffset, ConsumerPathZNode, TopicZNode } from './zk-data';
import { CreateMode, MATCH_ANY_VERSION, type ZkWatcher } from './zookeeper-client';

export type { ConsumerRegistration, SubscriptionPattern } from './consumer-zk-data';
export { consumerThreadId } from './consumer-zk-data';

export class ConsumerGroupZkClient {
  constructor(readonly zkClient: KafkaZkClient) {}

  private get zk() {
    return this.zkClient.zk;
  }

  private async childrenOrEmpty(path: string, watcher?: ZkWatcher): Promise<string[]> {
    try {
      return await this.zk.getChildren(path, watcher);
    } catch (e) {
      if (e instanceof NoNodeError) return [];
      throw e;
    }
  }

  /** Groups that ever used ZooKeeper (children of /consumers), sorted. */
  async getConsumerGroups(): Promise<string[]> {
    return (await this.childrenOrEmpty(ConsumerPathZNode.path)).sort();
  }

  async groupExists(group: string): Promise<boolean> {
    return (await this.zk.exists(ConsumerGroupZNode.path(group))) !== null;
  }

  // ---- membership (/consumers/<g>/ids) ----

  /** The ephemeral registration; parents are created as needed (Kafka's ZKCheckedEphemeral). */
  async registerConsumer(group: string, consumerId: string, registration: ConsumerRegistration): Promise<void> {
    await this.zk.createRecursive(ConsumerIdZNode.path(group, consumerId), ConsumerIdZNode.encode(registration), CreateMode.EPHEMERAL);
  }

  async deregisterConsumer(group: string, consumerId: string): Promise<void> {
    await this.zk.delete(ConsumerIdZNode.path(group, consumerId)).catch((e) => {
      if (!(e instanceof NoNodeError)) throw e;
    });
  }

  /** Registered consumer ids, sorted; the watcher fires once when members join or leave. */
  async getConsumersInGroup(group: string, watcher?: ZkWatcher): Promise<string[]> {
    if (watcher) await this.zk.createRecursive(ConsumerIdsZNode.path(group), null, CreateMode.PERSISTENT, true);
    return (await this.childrenOrEmpty(ConsumerIdsZNode.path(group), watcher)).sort();
  }

  /** consumerId -> registration, for members still registered when read (damaged registrations skipped, logged once). */
  async getConsumerRegistrations(group: string, consumerIds: readonly string[]): Promise<Map<string, ConsumerRegistration>> {
    const reads = await Promise.all(consumerIds.map((id) => settle(this.zk.getData(ConsumerIdZNode.path(group, id)))));
    const out = new Map<string, ConsumerRegistration>();
    reads.forEach((r, i) => {
      const path = ConsumerIdZNode.path(group, consumerIds[i]);
      if (r.ok) {
        const d = this.zkClient.decodeZnode(path, `ignoring consumer ${consumerIds[i]}`, () => ConsumerIdZNode.decode(r.v.data, path));
        if (d.ok) out.set(consumerIds[i], d.value);
      } else if (!(r.e instanceof NoNodeError)) throw r.e;
    });
    return out;
  }

  /**
   * Kafka 0.8's getConsumersPerTopic: topic -> consumer thread ids ("<consumerId>-<n>"), sorted as
   * Kafka sorts ConsumerThreadId (by consumer id, then thread number). Only static subscriptions
   * name topics directly; wildcard ones are left out (the console consumer only registers static).
   */
  async getConsumersPerTopic(group: string, watcher?: ZkWatcher): Promise<Map<string, string[]>> {
    const ids = await this.getConsumersInGroup(group, watcher);
    const regs = await this.getConsumerRegistrations(group, ids);
    const perTopic = new Map<string, Array<{ consumer: string; thread: number }>>();
    for (const [consumer, reg] of regs) {
      if (reg.pattern !== 'static') continue;
      for (const [topic, n] of Object.entries(reg.subscription)) {
        const list = perTopic.get(topic) ?? [];
        for (let t = 0; t < n; t++) list.push({ consumer, thread: t });
        perTopic.set(topic, list);
      }
    }
    const out = new Map<string, string[]>();
    for (const [topic, list] of perTopic) {
      list.sort((a, b) => (a.consumer < b.consumer ? -1 : a.consumer > b.consumer ? 1 : a.thread - b.thread));
      out.set(topic, list.map((x) => consumerThreadId(x.consumer, x.thread)));
    }
    return out;
  }

  /**
   * A subscribed topic's partition ids, sorted ([] when the topic does not exist). The watcher fires
   * once when /brokers/topics/<t> is created, changed (partitions added) or deleted, as Kafka 0.8's
   * ZKTopicPartitionChangeListener (exists + data watch).
   */
  async getTopicPartitionsWatched(topic: string, watcher?: ZkWatcher): Promise<number[]> {
    if ((await this.zk.exists(TopicZNode.path(topic), watcher)) === null) return [];
    try {
      const { data } = await this.zk.getData(TopicZNode.path(topic), watcher);
      const d = this.zkClient.decodeZnode(TopicZNode.path(topic), `consuming no partition of topic ${topic} until it is repaired`, () => TopicZNode.decode(topic, data));
      return d.ok ? [...d.value.partitions.keys()].sort((a, b) => a - b) : [];
    } catch (e) {
      if (e instanceof NoNodeError) return [];
      throw e;
    }
  }

  // ---- ownership (/consumers/<g>/owners/<t>/<p>) ----

  /**
   * Kafka's createEphemeralPathExpectConflict: true when we now own it (or already did, with the
   * same owner string), false while another consumer still holds it.
   */
  async claimPartition(group: string, topic: string, partition: number, ownerThreadId: string): Promise<boolean> {
    const path = ConsumerOwnerZNode.path(group, topic, partition);
    try {
      await this.zk.createRecursive(path, ConsumerOwnerZNode.encode(ownerThreadId), CreateMode.EPHEMERAL);
      return true;
    } catch (e) {
      if (!(e instanceof NodeExistsError)) throw e;
      const current = await this.getPartitionOwner(group, topic, partition);
      return current === ownerThreadId;
    }
  }

  async releasePartition(group: string, topic: string, partition: number): Promise<void> {
    await this.zk.delete(ConsumerOwnerZNode.path(group, topic, partition), MATCH_ANY_VERSION).catch((e) => {
      if (!(e instanceof NoNodeError)) throw e;
    });
  }

  async getPartitionOwner(group: string, topic: string, partition: number): Promise<string | null> {
    try {
      return ConsumerOwnerZNode.decode((await this.zk.getData(ConsumerOwnerZNode.path(group, topic, partition))).data);
    } catch (e) {
      if (e instanceof NoNodeError) return null;
      throw e;
    }
  }

  /** partition -> owner thread id for one topic of a group. */
  async getPartitionOwners(group: string, topic: string): Promise<Map<number, string>> {
    const partitions = (await this.childrenOrEmpty(ConsumerOwnersTopicZNode.path(group, topic))).map(Number);
    const owners = await Promise.all(partitions.map((p) => this.getPartitionOwner(group, topic, p)));
    const out = new Map<number, string>();
    partitions.forEach((p, i) => {
      const o = owners[i];
      if (o !== null) out.set(p, o);
    });
    return out;
  }

  // ---- offsets (/consumers/<g>/offsets/<t>/<p>) ----

  /** Topics the group has committed offsets for, sorted. */
  async getTopicsWithOffsets(group: string): Promise<string[]> {
    return (await this.childrenOrEmpty(ConsumerOffsetsZNode.path(group))).sort();
  }

  /** topic -> partition -> committed offset (reads pipelined). */
  async getGroupOffsets(group: string): Promise<Map<string, Map<number, number>>> {
    const out = new Map<string, Map<number, number>>();
    for (const topic of await this.getTopicsWithOffsets(group)) {
      const partitions = (await this.childrenOrEmpty(ConsumerOffsetsTopicZNode.path(group, topic))).map(Number).sort((a, b) => a - b);
      const reads = await Promise.all(partitions.map((p) => settle(this.zk.getData(ConsumerOffset.path(group, topic, p)))));
      const m = new Map<number, number>();
      reads.forEach((r, i) => {
        if (r.ok) {
          const path = ConsumerOffset.path(group, topic, partitions[i]);
          const d = this.zkClient.decodeZnode(path, 'ignoring this offset', () => ConsumerOffset.decode(r.v.data, path));
          if (d.ok && d.value !== null) m.set(partitions[i], d.value);
        } else if (!(r.e instanceof NoNodeError)) {
          throw r.e;
        }
      });
      out.set(topic, m);
    }
    return out;
  }

  /** Removes /consumers/<g>/offsets (or one topic's subtree). False when there was nothing. */
  async deleteGroupOffsets(group: string, topic?: string): Promise<boolean> {
    const path = topic === undefined ? ConsumerOffsetsZNode.path(group) : ConsumerOffsetsTopicZNode.path(group, topic);
    return deleteRecursive(this.zk, path, MATCH_ANY_VERSION);
  }
}
