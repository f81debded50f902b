// kafka-migrate-offsets: copies a consumer group's offsets from ZooKeeper (the pre-0.9 consumer's
// /consumers/<g>/offsets) into Kafka's group coordinator, so that modern consumers of the same
// group resume where the old ones stopped. Step (b) of docs/MIGRATION.md. Apache Kafka had no
// single tool for this (0.8.2 relied on dual-commit consumers, or Export/ImportZkOffsets).
import { KafkaZkClient } from '../controller/zk/kafka-zk-client';
import { ClusterClient } from './client/cluster-client';
import { MigrationRefused, migrateZkOffsets } from './groups/migrate-offsets';
import { bootstrapFromZooKeeper } from './groups/zk-group-service';
import { collectList } from './shared/options';
import { die, newProgram, runTool } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

function program() {
  return newProgram('kafka-migrate-offsets', "Copies a consumer group's offsets from ZooKeeper (/consumers/<group>/offsets) to Kafka's group coordinator.")
    .option('--zookeeper <urls>', 'REQUIRED: The ZooKeeper connection string in the form host:port[/chroot].')
    .option('--bootstrap-server <servers>', 'The server(s) to connect to (default: the brokers registered in ZooKeeper).')
    .option('--group <group>', 'REQUIRED: The consumer group to migrate.')
    .option('--topic <topic>', 'Only migrate this topic (repeatable; default: every topic with ZooKeeper offsets).', collectList)
    .option('--force', 'Migrate even while old consumers of the group are registered in ZooKeeper (safe only when they run in dual-commit mode).')
    .option('--delete-zk-offsets', "After a verified copy, delete the group's offsets from ZooKeeper.")
    .option('--dry-run', 'Only show what would be committed.');
}

const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));

async function main(o: Record<string, unknown>): Promise<number> {
  if (o.zookeeper === undefined) throw new UsageError('Missing required argument "[zookeeper]"');
  if (o.group === undefined) throw new UsageError('Missing required argument "[group]"');
  if (o.dryRun === true && o.deleteZkOffsets === true) throw new UsageError('Option --delete-zk-offsets is not valid with --dry-run.');
  const group = o.group as string;
  const zk = await KafkaZkClient.connect(o.zookeeper as string, 30000, { connectionTimeoutMs: 30000, name: 'kafka-migrate-offsets' });
  let client: ClusterClient | null = null;
  try {
    const bootstrap = (o.bootstrapServer as string | undefined) ?? (await bootstrapFromZooKeeper(zk));
    if (bootstrap === '') throw new Error('No brokers are registered in ZooKeeper: pass --bootstrap-server');
    client = await ClusterClient.connect(bootstrap, { clientId: 'kafka-migrate-offsets' });
    let result;
    try {
      result = await migrateZkOffsets(zk, client, {
        group,
        topics: o.topic as string[] | undefined,
        force: o.force === true,
        deleteZkOffsets: o.deleteZkOffsets === true,
        dryRun: o.dryRun === true,
      });
    } catch (err) {
      if (err instanceof MigrationRefused) die(`Error: ${err.message}`);
      throw err;
    }
    const line = (c: string[]) => [pad(c[0], 30), pad(c[1], 30), pad(c[2], 10), pad(c[3], 15), pad(c[4], 15), c[5]].join(' ');
    process.stdout.write(`\n${line(['GROUP', 'TOPIC', 'PARTITION', 'ZK-OFFSET', 'KAFKA-OFFSET', 'NEW-OFFSET'])}\n`);
    for (const p of result.partitions) {
      process.stdout.write(`${line([group, p.topic, String(p.partition), String(p.zkOffset), p.kafkaOffset === undefined ? '-' : String(p.kafkaOffset), String(p.newOffset)])}\n`);
    }
    if (o.dryRun === true) process.stdout.write('\nDry run: nothing was committed.\n');
    else process.stdout.write(`\nMigrated ${result.partitions.length} partition offset(s) of group '${group}' to Kafka.${result.deletedZkOffsets ? ' Deleted its offsets from ZooKeeper.' : ''}\n`);
    return 0;
  } finally {
    client?.close();
    await zk.close();
  }
}

if (require.main === module) void runTool(program(), process.argv.slice(2), main);
