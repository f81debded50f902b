// `npm run migration:demo` (prints figures; not a test): the rolling migration of
// docs/MIGRATION.md ("Replacing Kafka brokers with Zafka") with 3 Apache Kafka 2.4 brokers and
// 3 Zafka brokers, a producer (acks=all) and a consumer group running throughout, both ways.
// Needs the Kafka 2.4 distribution (KREF_DIST) and ~2 GB of memory for the JVMs.
//
//   npm run migration:demo -- [--brokers 3] [--partitions 6]
import { runRollingMigration } from './migration/rolling-migration';
import { KAFKA_DIST } from '../helpers/reference-kafka';
import { startZooKeeper } from '../helpers/zookeeper';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  if (!KAFKA_DIST) {
    console.error('migration:demo needs the Apache Kafka 2.4 distribution: set KREF_DIST (see shared/tools/reference-kafka/README.md)');
    process.exit(2);
  }
  const zk = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zk.connectString;
  const brokers = arg('brokers', 3);
  const started = Date.now();
  const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
  try {
    const r = await runRollingMigration({ brokers, partitions: arg('partitions', 2 * brokers), log });
    console.log('');
    console.log(`rolling migration, ${brokers} Kafka 2.4 + ${brokers} Zafka brokers`);
    console.log(`  Kafka -> Zafka (join, reassign, retire): ${(r.forwardMs / 1000).toFixed(1)} s`);
    console.log(`  Zafka -> Kafka (the way back):           ${(r.backMs / 1000).toFixed(1)} s`);
    console.log(`  worst producer stall (no acks):          ${r.worstStallMs} ms`);
    console.log(`  acknowledged ${r.acknowledged}, lost ${r.lost}; group consumed ${r.consumed}, re-read ${r.reread} over ${r.moves} moves (largest batch ${r.largestBatch})`);
    console.log(`  controllers: ${r.controllers.join(' -> ')}`);
    process.exitCode = r.lost === 0 ? 0 : 1;
  } finally {
    await zk.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
