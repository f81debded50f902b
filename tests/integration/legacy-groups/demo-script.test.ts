// scripts/demo-zk-offset-migration.sh runs clean against a fresh cluster (bin/ wrappers included).
import * as path from 'path';
import { REPO_ROOT, TestCluster } from '../../helpers/cluster';
import { runCommand } from '../cli/run-cli';

jest.setTimeout(120000);

describe('demo-zk-offset-migration.sh', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'offsets.topic.num.partitions': 4 } });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('walks the upgrade path: lag 600 in ZooKeeper, kafkajs resumes at record-400', async () => {
    const script = path.join(REPO_ROOT, 'scripts/demo-zk-offset-migration.sh');
    const r = await runCommand('env', [`ZK=${cluster.zkConnect}`, `BOOTSTRAP=${cluster.bootstrap}`, 'bash', script], { timeoutMs: 100000 });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('first: record-0, last: record-399, count: 400');
    expect(r.stdout).toMatch(/kafkajs consumer in group legacy-app-\d+: 600 records, first record-400, last record-999/);
  });
});
