// /log_dir_event_notification/log_dir_event_<seq> (Kafka's LogDirEventNotificationSequenceZNode):
// a broker whose log dir went offline writes {"version":1,"broker":<id>,"event":1}; the controller
// reads them all, re-checks that broker's replicas with LeaderAndIsr, and deletes them (fenced).
// A znode that is not exactly that (bad JSON, no integer broker id, an unknown event) is reported
// once through onBad and skipped (then deleted with the rest), never thrown at the controller.
import { fencedBatch } from './fenced-ops';
import { NoNodeError } from './zk-errors';
import { LogDirEventNotificationSequenceZNode, LogDirEventNotificationZNode } from './zk-data';
import { CreateMode, MATCH_ANY_VERSION, type ZkWatcher, type ZooKeeperClient } from './zookeeper-client';

export const LOG_DIR_FAILURE_EVENT = 1;

/** The broker id a notification names, or why it cannot be used. */
export function decodeLogDirEvent(bytes: Buffer | null): { broker: number } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse((bytes ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    return { error: 'not JSON' };
  }
  const o = parsed as { version?: unknown; broker?: unknown; event?: unknown } | null;
  if (o === null || typeof o !== 'object') return { error: 'not a JSON object' };
  if (o.version !== 1) return { error: `unsupported version ${JSON.stringify(o.version)}` };
  if (!Number.isInteger(o.broker) || (o.broker as number) < 0) return { error: `bad broker id ${JSON.stringify(o.broker)}` };
  if (o.event !== undefined && o.event !== LOG_DIR_FAILURE_EVENT) return { error: `unknown event ${JSON.stringify(o.event)}` };
  return { broker: o.broker as number };
}

/** Kafka's KafkaZkClient.propagateLogDirEvent. Returns the created path. */
export async function propagateLogDirEvent(zk: ZooKeeperClient, brokerId: number): Promise<string> {
  return zk.create(LogDirEventNotificationSequenceZNode.path(), LogDirEventNotificationSequenceZNode.encode(brokerId), CreateMode.PERSISTENT_SEQUENTIAL);
}

/** Pending notifications as child names ("log_dir_event_0000000003"), ascending; watches the parent. */
export async function getLogDirEventNotifications(zk: ZooKeeperClient, watcher?: ZkWatcher): Promise<string[]> {
  try {
    return (await zk.getChildren(LogDirEventNotificationZNode.path, watcher)).sort();
  } catch (e) {
    if (e instanceof NoNodeError) return [];
    throw e;
  }
}

/** The broker ids these notifications name; unusable ones go to onBad (name, reason) and are skipped. */
export async function getBrokerIdsFromLogDirEvents(zk: ZooKeeperClient, names: readonly string[], onBad: (name: string, reason: string) => void): Promise<number[]> {
  const ids = new Set<number>();
  for (const name of names) {
    let data: Buffer | null;
    try {
      data = (await zk.getData(`${LogDirEventNotificationZNode.path}/${name}`)).data;
    } catch (e) {
      if (e instanceof NoNodeError) continue;
      throw e;
    }
    const decoded = decodeLogDirEvent(data);
    if ('error' in decoded) onBad(name, decoded.error);
    else ids.add(decoded.broker);
  }
  return [...ids].sort((a, b) => a - b);
}

/** Deletes processed notifications, fenced by the controller epoch's zkVersion. */
export async function deleteLogDirEventNotifications(zk: ZooKeeperClient, names: readonly string[], epochZkVersion: number): Promise<void> {
  const results = await fencedBatch(
    zk,
    names.map((n) => ({ type: 'delete' as const, path: `${LogDirEventNotificationZNode.path}/${n}`, version: MATCH_ANY_VERSION })),
    epochZkVersion,
  );
  for (const r of results) if (r instanceof Error && !(r instanceof NoNodeError)) throw r;
}
