// Integration tests share ONE real ZooKeeper per jest run; each cluster uses its own chroot.
// Broker processes run the compiled dist/, so the project is built first.
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startZooKeeper } from './zookeeper';

export const STATE_FILE = path.join(os.tmpdir(), `zafka-jest-zk-${process.ppid}-${process.pid}.json`);

export default async function globalSetup(): Promise<void> {
  if (!process.env.ZAFKA_SKIP_BUILD) {
    execSync('npx tsc -p tsconfig.json', { cwd: path.resolve(__dirname, '../..'), stdio: 'inherit' });
  }
  const zk = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zk.connectString;
  process.env.ZAFKA_TEST_ZK_STATE = STATE_FILE;
  fs.writeFileSync(STATE_FILE, JSON.stringify({ pid: zk.pid, dataDir: zk.dataDir, port: zk.port }));
}
