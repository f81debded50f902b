// inter.broker.protocol.version decides which versions of the broker-to-broker requests a broker
// sends, so that a cluster in a rolling upgrade (old and new brokers, Kafka or Zafka, side by
// side) only sends what every broker understands. The thresholds are Kafka 2.4's
// (ControllerChannelManager.sendRequestsToBrokers, KafkaServer.controlledShutdown).
import { ConfigError } from './config-error';

export interface InterBrokerRequestVersions {
  leaderAndIsr: number;
  updateMetadata: number;
  stopReplica: number;
  controlledShutdown: number;
}

/** A version as comparable numbers: "2.4-IV1" -> [2, 4, 0, 1]; "2.4" -> [2, 4, 0, latest IV]. */
type IbpKey = [number, number, number, number];

/** "2.4" means 2.4's latest internal version (Kafka's ApiVersion.apply maps it so). */
const LATEST_IV = Number.MAX_SAFE_INTEGER;

export function parseInterBrokerProtocolVersion(value: string): IbpKey {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:-IV(\d+))?$/.exec(value.trim());
  if (!m) throw new ConfigError(`Version \`${value}\` is not a valid version (inter.broker.protocol.version)`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), m[4] === undefined ? LATEST_IV : Number(m[4])];
}

function atLeast(v: IbpKey, threshold: string): boolean {
  const t = parseInterBrokerProtocolVersion(threshold);
  for (let i = 0; i < 4; i++) if (v[i] !== t[i]) return v[i] > t[i];
  return true;
}

export function interBrokerRequestVersions(interBrokerProtocolVersion: string): InterBrokerRequestVersions {
  const v = parseInterBrokerProtocolVersion(interBrokerProtocolVersion);
  return {
    leaderAndIsr: atLeast(v, '2.4-IV1') ? 4 : atLeast(v, '2.4-IV0') ? 3 : atLeast(v, '2.2-IV0') ? 2 : atLeast(v, '1.0-IV0') ? 1 : 0,
    updateMetadata: atLeast(v, '2.4-IV1') ? 6 : atLeast(v, '2.2-IV0') ? 5 : atLeast(v, '1.0-IV0') ? 4
      : atLeast(v, '0.10.2-IV0') ? 3 : atLeast(v, '0.10.0-IV1') ? 2 : atLeast(v, '0.9.0') ? 1 : 0,
    stopReplica: atLeast(v, '2.4-IV1') ? 2 : atLeast(v, '2.2-IV0') ? 1 : 0,
    controlledShutdown: atLeast(v, '2.4-IV1') ? 3 : atLeast(v, '2.2-IV0') ? 2 : atLeast(v, '0.9.0') ? 1 : 0,
  };
}
