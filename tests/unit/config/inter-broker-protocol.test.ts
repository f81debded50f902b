import { interBrokerRequestVersions } from '../../../broker/config/inter-broker-protocol';
import { ConfigError } from '../../../broker/config/config-error';

describe('inter.broker.protocol.version -> request versions (Kafka 2.4 ControllerChannelManager / KafkaServer)', () => {
  test.each([
    ['2.4', [4, 6, 2, 3]],
    ['2.4-IV1', [4, 6, 2, 3]],
    ['2.4-IV0', [3, 5, 1, 2]],
    ['2.3', [2, 5, 1, 2]],
    ['2.2-IV0', [2, 5, 1, 2]],
    ['2.1', [1, 4, 0, 1]],
    ['2.0', [1, 4, 0, 1]],
    ['1.0', [1, 4, 0, 1]],
    ['0.11.0', [0, 3, 0, 1]],
    ['0.10.0-IV0', [0, 1, 0, 1]],
    ['0.10.0', [0, 2, 0, 1]],
    ['0.8.2', [0, 0, 0, 0]],
  ])('%s', (ibp, [leaderAndIsr, updateMetadata, stopReplica, controlledShutdown]) => {
    expect(interBrokerRequestVersions(ibp)).toEqual({ leaderAndIsr, updateMetadata, stopReplica, controlledShutdown });
  });

  test('a value that is not a version is a configuration error', () => {
    expect(() => interBrokerRequestVersions('two point four')).toThrow(ConfigError);
  });
});
