// kafka-topics: create, list, describe, alter and delete topics, with Kafka 2.4's options,
// output and exit codes. --zookeeper writes ZooKeeper directly (AdminZkClient);
// --bootstrap-server goes through the brokers (CreateTopics, DeleteTopics, CreatePartitions,
// Metadata, DescribeConfigs).
import { UnsupportedApiError } from './client/broker-connection';
import { runToolOrUsage } from './shared/run-tool';
import { AdminTopicService } from './topics/admin-topic-service';
import { runTopicCommand } from './topics/topic-command';
import { topicsProgram, validateTopicOptions } from './topics/topic-command-options';
import type { TopicService } from './topics/topic-service';
import { ZkTopicService } from './topics/zk-topic-service';

async function main(raw: Record<string, unknown>): Promise<number> {
  const opts = validateTopicOptions(raw);
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  let service: TopicService | null = null;
  try {
    service = opts.zookeeper !== undefined ? await ZkTopicService.connect(opts.zookeeper) : await AdminTopicService.connect(opts.bootstrapServer!, warn);
    await runTopicCommand(opts, service, { out: (line) => process.stdout.write(`${line}\n`), err: warn });
    return 0;
  } catch (err) {
    const message = err instanceof UnsupportedApiError ? `${err.message} (this operation needs it)` : (err as Error).message;
    process.stderr.write(`Error while executing topic command : ${message}\n`);
    return 1;
  } finally {
    await service?.close().catch(() => undefined);
  }
}

if (require.main === module) {
  const program = topicsProgram();
  runToolOrUsage(program, process.argv.slice(2), main, 'Create, delete, describe, or change a topic.');
}
