// What the console can change, each one the same code path as a command-line tool, and each with
// the equivalent command so the operator can see (and script) what the button does:
// topics through AdminZkClient (kafka-topics --zookeeper), preferred leader election through
// ElectLeaders (kafka-leader-election), reassignment through the --zookeeper reassign command
// (kafka-reassign-partitions), offset resets through KafkaGroupService (kafka-consumer-groups
// --reset-offsets) and the ZooKeeper -> Kafka offset migration (kafka-migrate-offsets).
// Input is checked here first so that bad input gets a sentence, not a stack trace.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { AdminZkClient } from '../../controller/zk/admin-zk-client';
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import type { ClusterClient } from '../../admin-cli/client/cluster-client';
import { electPreferredLeaders } from '../../admin-cli/election/elect-leaders-client';
import { describeGroup } from '../../admin-cli/groups/coordinator-client';
import { KafkaGroupService } from '../../admin-cli/groups/kafka-group-service';
import { migrateZkOffsets } from '../../admin-cli/groups/migrate-offsets';
import type { ResetScenario } from '../../admin-cli/groups/reset-offsets';
import { executeAssignment, generateAssignment, verifyAssignment } from '../../admin-cli/reassign/reassign-command';
import { formatReassignmentJson } from '../../admin-cli/reassign/reassignment-json';

/** A refusal the page shows as is (HTTP 400). */
export class ActionInputError extends Error {}

export interface ActionPlan {
  /** The equivalent command line. */
  cli: string;
  run: () => Promise<{ message: string; details?: unknown }>;
}

type Params = Record<string, unknown>;

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function str(p: Params, name: string, required = true): string {
  const v = p[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw new ActionInputError(`Missing ${name}.`);
    return '';
  }
  if (typeof v !== 'string') throw new ActionInputError(`${name} must be a string.`);
  return v.trim();
}

function int(p: Params, name: string, min: number, max = 0x7fffffff): number {
  const raw = p[name];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new ActionInputError(`${name} must be a whole number${max < 0x7fffffff ? ` from ${min} to ${max}` : ` of at least ${min}`}.`);
  return n;
}

function stringMap(p: Params, name: string): Record<string, string> {
  const v = p[name] ?? {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ActionInputError(`${name} must be an object of name: value.`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k.trim() === '') continue;
    out[k.trim()] = String(x).trim();
  }
  return out;
}

function intList(p: Params, name: string): number[] {
  const v = p[name];
  const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',').filter((s) => s.trim() !== '') : [];
  const out = items.map((x) => (typeof x === 'number' ? x : /^\s*\d+\s*$/.test(String(x)) ? Number(x) : NaN));
  if (out.length === 0 || out.some((n) => !Number.isInteger(n))) throw new ActionInputError(`${name} must be a comma-separated list of broker ids.`);
  return out;
}

function scenarioOf(p: Params): { scenario: ResetScenario; flag: string } {
  const to = str(p, 'to');
  switch (to) {
    case 'earliest':
      return { scenario: { kind: 'to-earliest' }, flag: '--to-earliest' };
    case 'latest':
      return { scenario: { kind: 'to-latest' }, flag: '--to-latest' };
    case 'offset': {
      const offset = int(p, 'offset', 0, Number.MAX_SAFE_INTEGER);
      return { scenario: { kind: 'to-offset', offset }, flag: `--to-offset ${offset}` };
    }
    case 'shift': {
      const shift = int(p, 'shift', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      return { scenario: { kind: 'shift-by', shift }, flag: `--shift-by ${shift}` };
    }
    case 'datetime': {
      const ms = Date.parse(str(p, 'datetime'));
      if (Number.isNaN(ms)) throw new ActionInputError('datetime must be a date and time such as 2026-01-31T12:00:00.000Z.');
      return { scenario: { kind: 'to-datetime', timestamp: ms }, flag: `--to-datetime ${new Date(ms).toISOString().replace('Z', '+00:00')}` };
    }
    default:
      throw new ActionInputError(`Unknown reset target '${to}': use earliest, latest, offset, shift or datetime.`);
  }
}

export class ConsoleActions {
  private readonly admin: AdminZkClient;
  /** The last reassignment started from the console, for its progress. */
  private lastReassignment: string | null = null;

  constructor(
    private readonly zk: KafkaZkClient,
    private readonly client: ClusterClient,
    private readonly connect: { zookeeper: string; bootstrap: string },
  ) {
    this.admin = new AdminZkClient(zk);
  }

  readonly names = ['create-topic', 'add-partitions', 'alter-topic-config', 'delete-topic', 'preferred-election', 'generate-reassignment', 'execute-reassignment', 'reset-offsets', 'migrate-offsets'] as const;

  plan(name: string, p: Params): ActionPlan {
    const zk = `--zookeeper ${quote(this.connect.zookeeper)}`;
    const bs = `--bootstrap-server ${quote(this.connect.bootstrap)}`;
    switch (name) {
      case 'create-topic': {
        const topic = str(p, 'topic');
        const partitions = int(p, 'partitions', 1, 100000);
        const rf = int(p, 'replicationFactor', 1, 32767);
        const configs = stringMap(p, 'configs');
        const cfg = Object.entries(configs).map(([k, v]) => ` --config ${quote(`${k}=${v}`)}`).join('');
        return {
          cli: `bin/kafka-topics.sh ${zk} --create --topic ${quote(topic)} --partitions ${partitions} --replication-factor ${rf}${cfg}`,
          run: async () => {
            const assignment = await this.admin.createTopic(topic, partitions, rf, configs);
            return { message: `Created topic ${topic} (${assignment.size} partitions, replication factor ${rf}).` };
          },
        };
      }
      case 'add-partitions': {
        const topic = str(p, 'topic');
        const partitions = int(p, 'partitions', 1, 100000);
        return {
          cli: `bin/kafka-topics.sh ${zk} --alter --topic ${quote(topic)} --partitions ${partitions}`,
          run: async () => {
            await this.admin.addPartitions(topic, partitions);
            return { message: `Topic ${topic} now has ${partitions} partitions.` };
          },
        };
      }
      case 'alter-topic-config': {
        const topic = str(p, 'topic');
        const set = stringMap(p, 'set');
        const remove = Array.isArray(p.remove) ? (p.remove as unknown[]).map(String).filter((s) => s.trim() !== '') : [];
        if (Object.keys(set).length === 0 && remove.length === 0) throw new ActionInputError('Nothing to change: give a config to set or one to remove.');
        const flags = [...Object.entries(set).map(([k, v]) => `--config ${quote(`${k}=${v}`)}`), ...remove.map((k) => `--delete-config ${quote(k)}`)].join(' ');
        return {
          cli: `bin/kafka-topics.sh ${zk} --alter --topic ${quote(topic)} ${flags}`,
          run: async () => {
            const now = await this.admin.alterTopicConfig(topic, set, remove);
            return { message: `Configs of ${topic} updated.`, details: now };
          },
        };
      }
      case 'delete-topic': {
        const topic = str(p, 'topic');
        return {
          cli: `bin/kafka-topics.sh ${zk} --delete --topic ${quote(topic)}`,
          run: async () => {
            const marked = await this.admin.deleteTopic(topic);
            return { message: marked ? `Topic ${topic} is marked for deletion.` : `Topic ${topic} was already marked for deletion.` };
          },
        };
      }
      case 'preferred-election': {
        const topic = str(p, 'topic', false);
        const partition = topic === '' || p.partition === undefined || p.partition === '' ? null : int(p, 'partition', 0);
        const target = topic === '' ? '--all-topic-partitions' : partition === null ? null : `--topic ${quote(topic)} --partition ${partition}`;
        return {
          cli: target === null ? `bin/kafka-leader-election.sh ${bs} --election-type preferred --path-to-json-file <every partition of ${topic}>` : `bin/kafka-leader-election.sh ${bs} --election-type preferred ${target}`,
          run: async () => {
            let partitions: Array<{ topic: string; partition: number }> | null = null;
            if (topic !== '') {
              const md = await this.client.topicMetadata(topic, { requireLeaders: false });
              partitions = partition !== null ? [{ topic, partition }] : md.partitions.map((x) => ({ topic, partition: x.partition }));
            }
            const results = await electPreferredLeaders(this.client, partitions, 30000);
            const elected = results.filter((r) => r.errorCode === ErrorCode.NONE).length;
            const notNeeded = results.filter((r) => r.errorCode === ErrorCode.ELECTION_NOT_NEEDED).length;
            const failed = results.filter((r) => r.errorCode !== ErrorCode.NONE && r.errorCode !== ErrorCode.ELECTION_NOT_NEEDED);
            const failures = failed.slice(0, 20).map((r) => `${r.topic}-${r.partition}: ${r.errorMessage ?? ErrorCode[r.errorCode]}`);
            return { message: `Preferred leader elected for ${elected} partition(s); ${notNeeded} already had it; ${failed.length} failed.`, details: failures };
          },
        };
      }
      case 'generate-reassignment': {
        const topics = String(p.topics ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
        if (topics.length === 0) throw new ActionInputError('Give the topics to move (comma-separated).');
        const brokers = intList(p, 'brokers');
        const topicsJson = JSON.stringify({ version: 1, topics: topics.map((topic) => ({ topic })) });
        return {
          cli: `echo ${quote(topicsJson)} > topics.json; bin/kafka-reassign-partitions.sh ${zk} --generate --topics-to-move-json-file topics.json --broker-list ${brokers.join(',')}`,
          run: async () => {
            const { current, proposed } = await generateAssignment(this.zk, topicsJson, brokers, 'enforced', () => undefined);
            if (current.length === 0) throw new ActionInputError(`None of ${topics.join(', ')} exists.`);
            return { message: `Proposed a reassignment of ${proposed.length} partition(s).`, details: { current: formatReassignmentJson(current), proposed: formatReassignmentJson(proposed) } };
          },
        };
      }
      case 'execute-reassignment': {
        const json = str(p, 'json');
        return {
          cli: `echo ${quote(json)} > plan.json; bin/kafka-reassign-partitions.sh ${zk} --execute --reassignment-json-file plan.json`,
          run: async () => {
            const lines: string[] = [];
            const started = await executeAssignment(this.zk, json, (l) => lines.push(l));
            if (!started) throw new ActionInputError('A reassignment is already running: wait for it to finish.');
            this.lastReassignment = json;
            return { message: 'Reassignment started.', details: lines.join('\n') };
          },
        };
      }
      case 'reset-offsets': {
        const group = str(p, 'group');
        const topic = str(p, 'topic', false);
        const { scenario, flag } = scenarioOf(p);
        const scope = topic === '' ? '--all-topics' : `--topic ${quote(topic)}`;
        return {
          cli: `bin/kafka-consumer-groups.sh ${bs} --reset-offsets --group ${quote(group)} ${scope} ${flag} --execute`,
          run: async () => {
            const state = (await describeGroup(this.client, group)).groupState;
            if (state !== 'Empty' && state !== 'Dead') {
              throw new ActionInputError(`Offsets can only be reset while the group '${group}' is inactive; it is ${state}. Stop its consumers first.`);
            }
            const out: string[] = [];
            await new KafkaGroupService(this.client, (s) => out.push(s)).resetOffsets({
              action: 'reset-offsets',
              bootstrapServer: this.connect.bootstrap,
              groups: [group],
              allGroups: false,
              topics: topic === '' ? [] : [topic],
              allTopics: topic === '',
              scenario,
              execute: true,
              warnNoAction: false,
            });
            return { message: `Offsets of group ${group} reset.`, details: out.join('') };
          },
        };
      }
      case 'migrate-offsets': {
        const group = str(p, 'group');
        const force = p.force === true;
        const deleteZkOffsets = p.deleteZkOffsets === true;
        return {
          cli: `bin/kafka-migrate-offsets.sh ${zk} ${bs} --group ${quote(group)}${force ? ' --force' : ''}${deleteZkOffsets ? ' --delete-zk-offsets' : ''}`,
          run: async () => {
            const r = await migrateZkOffsets(this.zk, this.client, { group, force, deleteZkOffsets, dryRun: false });
            return { message: `Migrated ${r.partitions.length} partition offset(s) of ${group} into Kafka${r.deletedZkOffsets ? ' and deleted them from ZooKeeper' : ''}.`, details: r.partitions };
          },
        };
      }
      default:
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unknown action '${name}'.`);
    }
  }

  /** Progress of the last reassignment started here, or of whatever /admin/reassign_partitions holds. */
  async reassignmentProgress(): Promise<{ running: Array<{ topic: string; partition: number; replicas: number[] }>; statuses: Record<string, string> }> {
    const running = (await this.zk.getPartitionReassignmentList()) ?? [];
    const statuses: Record<string, string> = {};
    if (this.lastReassignment !== null) {
      for (const [k, v] of await verifyAssignment(this.zk, this.lastReassignment, () => undefined)) statuses[k] = v;
    }
    return { running: running.map((r) => ({ topic: r.topic, partition: r.partition, replicas: r.replicas })), statuses };
  }
}
