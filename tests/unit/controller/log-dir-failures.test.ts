// The controller's handling of a broker's failed log dir (Kafka 2.4's LogDirEventNotification):
// the notification makes it send LeaderAndIsr to that broker; replicas the broker answers
// KAFKA_STORAGE_ERROR for are offline, so their leaderships move to a live in-sync replica and
// they leave the ISR, while the broker's other replicas stay; a malformed notification is logged
// once and skipped; a later NONE answer brings the replica back.
import type { ConnectionFactory } from '../../../controller/controller-channel-manager';
import type { ControllerRequest } from '../../../controller/controller-requests';
import type { Watcher } from '../../../controller/controller-zk';
import { KafkaController } from '../../../controller/kafka-controller';
import { decodeLogDirEvent } from '../../../controller/zk/log-dir-event-notifications';
import { ErrorCode } from '../../../broker/protocol/errors';
import { broker, FakeZk, flush, SentRequest } from './fake-cluster';

class FakeZkWithLogDirEvents extends FakeZk {
  events = new Map<string, Buffer>();
  private seq = 0;
  private eventWatch: Watcher | undefined;

  propagate(data: Buffer): void {
    this.events.set(`log_dir_event_${String(this.seq++).padStart(10, '0')}`, data);
    const w = this.eventWatch;
    this.eventWatch = undefined;
    w?.();
  }
  async getLogDirEventNotifications(watcher?: Watcher): Promise<string[]> {
    if (watcher) this.eventWatch = watcher;
    return [...this.events.keys()].sort();
  }
  async getBrokerIdsFromLogDirEvents(names: readonly string[], onBad: (name: string, reason: string) => void): Promise<number[]> {
    const ids = new Set<number>();
    for (const n of names) {
      const d = decodeLogDirEvent(this.events.get(n) ?? null);
      if ('error' in d) onBad(n, d.error);
      else ids.add(d.broker);
    }
    return [...ids];
  }
  async deleteLogDirEventNotifications(names: readonly string[] | undefined): Promise<void> {
    for (const n of names ?? [...this.events.keys()]) this.events.delete(n);
  }
}

/** Brokers answer success, except KAFKA_STORAGE_ERROR for the "topic-partition" keys in offline.get(brokerId). */
function connections(sent: SentRequest[], offline: Map<number, Set<string>>): ConnectionFactory {
  return async (_endpoint, b) => ({
    async send(request: ControllerRequest) {
      sent.push({ broker: b.id, request });
      if (request.api === 'LeaderAndIsr') {
        return {
          errorCode: 0,
          partitionErrors: request.body.topicStates.flatMap((t) =>
            t.partitionStates.map((p) => ({
              topicName: t.topicName,
              partitionIndex: p.partitionIndex,
              errorCode: offline.get(b.id)?.has(`${t.topicName}-${p.partitionIndex}`) ? ErrorCode.KAFKA_STORAGE_ERROR : ErrorCode.NONE,
            })),
          ),
        };
      }
      return { errorCode: 0, partitionErrors: [] };
    },
    close() {},
  });
}

async function settle(controller: KafkaController): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await controller.idle();
    await flush();
  }
}

describe('controller: a broker log dir failure', () => {
  let controller: KafkaController | undefined;
  afterEach(async () => {
    await controller?.shutdown();
    controller = undefined;
  });

  test('replicas in the failed dir go offline and lose their leaderships; the broker keeps its other replicas', async () => {
    const zk = new FakeZkWithLogDirEvents();
    for (let i = 0; i < 3; i++) zk.brokers.set(i, broker(i));
    const sent: SentRequest[] = [];
    const offline = new Map<number, Set<string>>();
    controller = new KafkaController({ brokerId: 0, zkClient: zk, config: { autoLeaderRebalanceEnable: false }, connectionFactory: connections(sent, offline) });
    await controller.startup();
    await settle(controller);
    zk.createTopic('t', [
      [1, 2, 0],
      [1, 0, 2],
    ]);
    await settle(controller);
    expect(zk.states.get('t-0')!.leaderAndIsr.leader).toBe(1);
    expect(zk.states.get('t-1')!.leaderAndIsr.leader).toBe(1);

    // Broker 1's dir holding t-0 fails; a malformed notification arrives too.
    offline.set(1, new Set(['t-0']));
    zk.propagate(Buffer.from('{"version":1,"broker":"one"}'));
    zk.propagate(Buffer.from('{"version":1,"broker":1,"event":1}'));
    await settle(controller);

    const t0 = zk.states.get('t-0')!.leaderAndIsr;
    expect(t0.leader).toBe(2);
    expect(t0.isr).not.toContain(1);
    const t1 = zk.states.get('t-1')!.leaderAndIsr;
    expect(t1.leader).toBe(1); // its dir is fine
    expect(controller.context.replicasOnOfflineDirs.get(1)).toEqual(new Set(['t-0']));
    expect(zk.events.size).toBe(0); // processed and deleted, the malformed one included
    // StopReplica (no delete) to broker 1 for the offline replica only.
    const stops = sent.filter((s) => s.broker === 1 && s.request.api === 'StopReplica');
    expect(stops.flatMap((s) => (s.request.api === 'StopReplica' ? s.request.body.topics.flatMap((t) => t.partitionIndexes.map((p) => `${t.name}-${p}`)) : []))).toEqual(['t-0']);

    // A restart of broker 1 (registration again) forgets the offline replicas.
    zk.removeBroker(1);
    await settle(controller);
    offline.delete(1);
    zk.addBroker(broker(1, 200));
    await settle(controller);
    expect(controller.context.replicasOnOfflineDirs.has(1)).toBe(false);
  });
});
