// kafka-consumer-groups: list, describe, delete, reset and delete the offsets of consumer groups, as Kafka
// 2.4's ConsumerGroupCommand (--bootstrap-server), plus --list / --describe with --zookeeper for
// groups of the old ZooKeeper-coordinated consumer. Moving such a group's offsets into Kafka is
// kafka-migrate-offsets (docs/MIGRATION.md).
import { ClusterClient } from './client/cluster-client';
import { groupCommandProgram, validateGroupCommand } from './groups/group-command-options';
import { KafkaGroupService } from './groups/kafka-group-service';
import { ZkGroupService } from './groups/zk-group-service';
import { runTool } from './shared/run-tool';

const out = (s: string) => {
  process.stdout.write(s);
};

async function main(o: Record<string, unknown>): Promise<number> {
  const cmd = validateGroupCommand(o);
  if ((cmd.action === 'list' || cmd.action === 'describe') && cmd.zookeeper !== undefined) {
    const zk = await ZkGroupService.connect(cmd.zookeeper, out);
    try {
      if (cmd.action === 'list') for (const g of await zk.listGroupIds()) out(`${g}\n`);
      else await zk.describe(cmd);
    } finally {
      await zk.close();
    }
    return 0;
  }
  const client = await ClusterClient.connect(cmd.bootstrapServer!, { clientId: 'kafka-consumer-groups' });
  try {
    const service = new KafkaGroupService(client, out);
    switch (cmd.action) {
      case 'list':
        for (const g of await service.listGroupIds()) out(`${g}\n`);
        return 0;
      case 'describe':
        await service.describe(cmd);
        return 0;
      case 'delete':
        await service.delete(cmd);
        return 0;
      case 'reset-offsets':
        await service.resetOffsets(cmd);
        return 0;
      case 'delete-offsets':
        await service.deleteOffsets(cmd); // Kafka 2.4 exits 0 whatever the outcome
        return 0;
    }
  } finally {
    client.close();
  }
}

if (require.main === module) void runTool(groupCommandProgram(), process.argv.slice(2), main);
