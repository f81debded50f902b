// kafka-consumer-groups --bootstrap-server: groups kept by the group coordinator
// (__consumer_offsets), through ListGroups / DescribeGroups / OffsetFetch / OffsetCommit /
// DeleteGroups / OffsetDelete / ListOffsets. Messages and their placement follow Kafka 2.4's
// ConsumerGroupCommand (its printError goes to stdout, prefixed by a blank line).
import { ErrorCode } from '../../broker/protocol/errors';
import { FindCoordinator } from '../../broker/protocol/messages/find-coordinator';
import type { ClusterClient } from '../client/cluster-client';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets } from '../client/list-offsets';
import { errorName } from '../client/retry';
import { javaExceptionText } from '../shared/kafka-exceptions';
import { decodeMemberAssignment } from './consumer-protocol';
import { commitOffsets, deleteGroups, deleteOffsets, describeGroup, fetchCommittedOffsets, listGroups, tpKey } from './coordinator-client';
import type { GroupCommand } from './group-command-options';
import { formatMembers, formatOffsets, formatResetOffsets, formatState, type OffsetRow } from './group-output';
import { computeResetOffsets, parseTopicArg, type NewOffset, type PartitionOffsets } from './reset-offsets';

type Out = (s: string) => void;

const INACTIVE = new Set(['Empty', 'Dead']);

export class KafkaGroupService {
  constructor(
    private readonly client: ClusterClient,
    private readonly out: Out,
  ) {}

  async listGroupIds(): Promise<string[]> {
    return (await listGroups(this.client)).filter((g) => g.protocolType === 'consumer' || g.protocolType === '').map((g) => g.groupId);
  }

  private async groupsOf(cmd: { groups: string[]; allGroups: boolean }): Promise<string[]> {
    return cmd.allGroups ? this.listGroupIds() : cmd.groups;
  }

  private printError(msg: string): void {
    this.out(`\nError: ${msg}\n`);
  }

  /** Kafka's shouldPrintMemberState: the notes printed before a group's table. */
  private shouldPrint(group: string, state: string, rows: number): boolean {
    if (state === 'Dead') this.printError(`Consumer group '${group}' does not exist.`);
    else if (state === 'Empty') process.stderr.write(`\nConsumer group '${group}' has no active members.\n`);
    else if (state === 'PreparingRebalance' || state === 'CompletingRebalance') process.stderr.write(`\nWarning: Consumer group '${group}' is rebalancing.\n`);
    return state !== 'Dead' && rows > 0;
  }

  async describe(cmd: Extract<GroupCommand, { action: 'describe' }>): Promise<void> {
    for (const group of await this.groupsOf(cmd)) {
      const g = await describeGroup(this.client, group);
      if (cmd.mode === 'state') {
        if (this.shouldPrint(group, g.groupState, 1)) {
          const c = await this.coordinatorOf(group);
          this.out(formatState({ group, coordinator: c, assignmentStrategy: g.protocolData, state: g.groupState, members: g.members.length }));
        }
      } else if (cmd.mode === 'members') {
        const rows = g.members.map((m) => ({
          group,
          consumerId: m.memberId,
          host: m.clientHost,
          clientId: m.clientId,
          partitions: decodeMemberAssignment(m.memberAssignment).reduce((n, a) => n + a.partitions.length, 0),
        }));
        if (this.shouldPrint(group, g.groupState, rows.length)) this.out(formatMembers(rows, group));
      } else {
        const rows = await this.offsetRows(group, g);
        // A group known only by its committed offsets is Empty, not Dead.
        const state = g.groupState === 'Dead' && rows.length > 0 ? 'Empty' : g.groupState;
        if (this.shouldPrint(group, state, rows.length)) this.out(formatOffsets(rows, group));
      }
    }
  }

  private async coordinatorOf(group: string): Promise<string> {
    const { response } = await (await this.client.anyConnection()).send(FindCoordinator, { key: group, keyType: 0 });
    return `${response.host}:${response.port} (${response.nodeId})`;
  }

  private async offsetRows(group: string, g: Awaited<ReturnType<typeof describeGroup>>): Promise<OffsetRow[]> {
    const committed = await fetchCommittedOffsets(this.client, group, null);
    const assigned: OffsetRow[] = [];
    const seen = new Set<string>();
    for (const m of g.members) {
      for (const a of decodeMemberAssignment(m.memberAssignment)) {
        for (const p of [...a.partitions].sort((x, y) => x - y)) {
          seen.add(tpKey(a.topic, p));
          assigned.push({ group, topic: a.topic, partition: p, currentOffset: committed.get(tpKey(a.topic, p))?.offset, consumerId: m.memberId, host: m.clientHost, clientId: m.clientId });
        }
      }
    }
    const unassigned: OffsetRow[] = [...committed.values()]
      .filter((c) => !seen.has(tpKey(c.topic, c.partition)))
      .sort((x, y) => (x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : x.partition - y.partition))
      .map((c) => ({ group, topic: c.topic, partition: c.partition, currentOffset: c.offset }));
    const rows = [...assigned, ...unassigned];
    const ends = await this.logEndOffsets(rows);
    for (const r of rows) r.logEndOffset = ends.get(tpKey(r.topic, r.partition));
    return rows;
  }

  private async logEndOffsets(partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<Map<string, number>> {
    if (partitions.length === 0) return new Map();
    try {
      return await listOffsets(this.client, partitions.map((p) => ({ topic: p.topic, partition: p.partition, timestamp: LATEST_TIMESTAMP })));
    } catch {
      // A deleted topic's committed offsets still show, without a log end offset.
      return new Map();
    }
  }

  /** Returns false when some group could not be deleted. */
  async delete(cmd: Extract<GroupCommand, { action: 'delete' }>): Promise<boolean> {
    const groups = await this.groupsOf(cmd);
    const results = await deleteGroups(this.client, groups);
    const failed = [...results].filter(([, code]) => code !== ErrorCode.NONE);
    if (failed.length === 0) {
      this.out(`Deletion of requested consumer groups (${groups.map((g) => `'${g}'`).join(', ')}) was successful.\n`);
      return true;
    }
    const ok = [...results].filter(([, code]) => code === ErrorCode.NONE).map(([g]) => g);
    if (ok.length > 0) this.out(`These consumer groups were deleted successfully: ${ok.map((g) => `'${g}'`).join(', ')}\n`);
    this.out('Deletion of some consumer groups failed:\n');
    for (const [g, code] of failed) this.out(`* Group '${g}' could not be deleted due to: ${deleteErrorMessage(code)}\n`);
    return false;
  }

  /**
   * --delete-offsets (Kafka 2.4's ConsumerGroupCommand.deleteOffsets): topics given without
   * partitions mean all their partitions; the summary line or error, then one status row per
   * partition, sorted by topic and partition as Kafka prints them. Returns false on any error.
   */
  async deleteOffsets(cmd: Extract<GroupCommand, { action: 'delete-offsets' }>): Promise<boolean> {
    const rows: { topic: string; partition: number; error: string | null }[] = [];
    const partitions: { topic: string; partition: number }[] = [];
    for (const arg of cmd.topics) {
      const { topic, partitions: listed } = parseTopicArg(arg);
      if (listed) {
        for (const partition of listed) partitions.push({ topic, partition });
        continue;
      }
      try {
        for (const p of (await this.client.topicMetadata(topic)).partitions) partitions.push({ topic, partition: p.partition });
      } catch {
        rows.push({ topic, partition: -1, error: javaExceptionText(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) });
      }
    }
    const result = await deleteOffsets(this.client, cmd.group, partitions);
    const codeOf = (p: { topic: string; partition: number }) =>
      result.errorCode !== ErrorCode.NONE ? result.errorCode : (result.partitions.find((r) => r.topic === p.topic && r.partition === p.partition)?.errorCode ?? ErrorCode.NONE);
    for (const p of partitions) {
      const code = codeOf(p);
      rows.push({ ...p, error: code === ErrorCode.NONE ? null : javaExceptionText(code) });
    }
    const firstPartitionError = partitions.map(codeOf).find((c) => c !== ErrorCode.NONE) ?? ErrorCode.NONE;
    const topLevel = result.errorCode !== ErrorCode.NONE ? result.errorCode : firstPartitionError;
    this.printDeleteOffsetsSummary(topLevel, cmd.group, cmd.topics);
    this.out(`\n${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(15)} ${'STATUS'.padEnd(15)}\n`);
    rows.sort((a, b) => (a.topic + String(a.partition) < b.topic + String(b.partition) ? -1 : a.topic + String(a.partition) > b.topic + String(b.partition) ? 1 : 0));
    for (const r of rows) {
      const partition = r.partition >= 0 ? String(r.partition) : 'Not Provided';
      this.out(`${r.topic.padEnd(30)} ${partition.padEnd(15)} ${(r.error === null ? 'Successful' : `Error: ${r.error}`).padEnd(15)}\n`);
    }
    return topLevel === ErrorCode.NONE && rows.every((r) => r.error === null);
  }

  private printDeleteOffsetsSummary(code: ErrorCode, group: string, topics: string[]): void {
    switch (code) {
      case ErrorCode.NONE:
        return this.out(`Request succeed for deleting offsets with topic ${topics.join(', ')} group ${group}\n`);
      case ErrorCode.INVALID_GROUP_ID:
        return this.printError(`'${group}' is not valid.`);
      case ErrorCode.GROUP_ID_NOT_FOUND:
        return this.printError(`'${group}' does not exist.`);
      case ErrorCode.GROUP_AUTHORIZATION_FAILED:
        return this.printError(`Access to '${group}' is not authorized.`);
      case ErrorCode.NON_EMPTY_GROUP:
        return this.printError(`Deleting offsets of a consumer group '${group}' is forbidden if the group is not empty.`);
      case ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC:
      case ErrorCode.TOPIC_AUTHORIZATION_FAILED:
      case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
        return this.printError('Encounter some partition level error, see the follow-up details:');
      default:
        return this.printError(`Encounter some unknown error: ${errorName(code)}`);
    }
  }

  async resetOffsets(cmd: Extract<GroupCommand, { action: 'reset-offsets' }>): Promise<void> {
    if (cmd.warnNoAction) {
      this.out(
        'WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n',
      );
    }
    const all: Array<NewOffset & { group: string }> = [];
    for (const group of await this.groupsOf(cmd)) {
      const g = await describeGroup(this.client, group);
      if (!INACTIVE.has(g.groupState)) {
        this.printError(`Assignments can only be reset if the group '${group}' is inactive, but the current state is ${g.groupState}.`);
        continue;
      }
      const offsets = await this.planReset(group, cmd);
      if (cmd.execute) {
        const results = await commitOffsets(this.client, group, offsets);
        const failed = [...results].filter(([, c]) => c !== ErrorCode.NONE);
        if (failed.length > 0) throw new Error(`Committing the new offsets of group ${group} failed: ${failed.map(([k, c]) => `${k.replace('\u0000', '-')}: ${errorName(c)}`).join(', ')}`);
      }
      for (const o of offsets) all.push({ group, ...o });
    }
    this.out(formatResetOffsets(all));
  }

  /** Looks up what the scenario needs and computes the new offsets (Kafka's prepareOffsetsToReset). */
  async planReset(group: string, cmd: Extract<GroupCommand, { action: 'reset-offsets' }>): Promise<NewOffset[]> {
    const committed = await fetchCommittedOffsets(this.client, group, null);
    let partitions: Array<{ topic: string; partition: number }> = [];
    if (cmd.allTopics) {
      partitions = [...committed.values()].map((c) => ({ topic: c.topic, partition: c.partition }));
    } else {
      for (const arg of cmd.topics) {
        const { topic, partitions: listed } = parseTopicArg(arg);
        const md = await this.client.topicMetadata(topic);
        for (const p of listed ?? md.partitions.map((x) => x.partition)) partitions.push({ topic, partition: p });
      }
    }
    partitions.sort((x, y) => (x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : x.partition - y.partition));
    if (partitions.length === 0) return [];
    const q = (timestamp: number) => partitions.map((p) => ({ ...p, timestamp }));
    const [starts, ends] = await Promise.all([listOffsets(this.client, q(EARLIEST_TIMESTAMP)), listOffsets(this.client, q(LATEST_TIMESTAMP))]);
    const byTime = cmd.scenario.kind === 'to-datetime' ? await listOffsets(this.client, q(cmd.scenario.timestamp)) : new Map<string, number>();
    const input: PartitionOffsets[] = partitions.map((p) => {
      const k = tpKey(p.topic, p.partition);
      return { ...p, logStartOffset: starts.get(k) ?? 0, logEndOffset: ends.get(k) ?? 0, committed: committed.get(k)?.offset, offsetForTimestamp: byTime.get(k) };
    });
    return computeResetOffsets(cmd.scenario, input);
  }
}

function deleteErrorMessage(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.NON_EMPTY_GROUP:
      return 'org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.';
    case ErrorCode.GROUP_ID_NOT_FOUND:
      return 'org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.';
    default:
      return errorName(code);
  }
}
