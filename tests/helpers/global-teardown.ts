import * as fs from 'fs';
import { stopProcess } from './zookeeper';

export default async function globalTeardown(): Promise<void> {
  const stateFile = process.env.ZAFKA_TEST_ZK_STATE;
  if (!stateFile || !fs.existsSync(stateFile)) return;
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { pid: number; dataDir: string };
  await stopProcess(state.pid);
  fs.rmSync(state.dataDir, { recursive: true, force: true });
  fs.rmSync(stateFile, { force: true });
}
