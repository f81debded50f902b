// Zafka for the side-by-side benchmark: Debian's ZooKeeper and dist/broker/main.js processes,
// started the way the other benches start them (tests/helpers/cluster.ts).
import * as fs from 'fs';
import { TestCluster } from '../../helpers/cluster';
import { startZooKeeper, ZooKeeperProcess } from '../../helpers/zookeeper';
import { BrokerSide } from './broker-side';

export class ZafkaSide implements BrokerSide {
  readonly name = 'Zafka';
  private zk: ZooKeeperProcess | null = null;
  private cluster: TestCluster | null = null;

  /** extraConfig: broker settings a bench needs on top (e.g. a longer zookeeper.session.timeout.ms). */
  constructor(private readonly extraConfig: Record<string, string | number> = {}) {}

  async start(brokers: number): Promise<void> {
    this.zk = await startZooKeeper();
    process.env.ZAFKA_TEST_ZK = this.zk.connectString;
    process.env.ZAFKA_BROKER_LOG_LEVEL ??= 'warn';
    // The same broker settings kref.sh gives Kafka that differ from the defaults.
    this.cluster = await TestCluster.start({ brokers, firstId: 1, config: { 'transaction.state.log.replication.factor': Math.min(brokers, 3), 'transaction.state.log.min.isr': Math.min(brokers, 2), ...this.extraConfig } });
  }

  get bootstrap(): string {
    return this.cluster!.bootstrap;
  }

  brokerPids(): number[] {
    return this.cluster!.brokers.map((b) => b.process?.pid).filter((p): p is number => p !== undefined);
  }

  async stopBrokerOne(): Promise<void> {
    await this.cluster!.stopBroker(1);
  }

  async startBrokerOne(): Promise<void> {
    // Up to 10 minutes: bench:transactions restarts it on a crafted log of 1,000,000 producer ids.
    await this.cluster!.startBroker(1, 600_000);
  }

  brokerOneLogDir(): string {
    return this.cluster!.broker(1).logDir;
  }

  async stop(): Promise<void> {
    await this.cluster?.stop();
    if (this.zk) {
      await this.zk.stop();
      fs.rmSync(this.zk.dataDir, { recursive: true, force: true });
    }
    this.cluster = null;
    this.zk = null;
  }
}
