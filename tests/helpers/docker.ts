// Whether a Docker engine answers, decided synchronously (before jest collects the tests), so a
// Docker test can skip with one line saying why.
import { spawnSync } from 'child_process';
import { REPO_ROOT } from './cluster';

/** null when dockerode is installed and an engine answers its ping; otherwise why not. */
export function dockerUnavailableReason(): string | null {
  const probe = spawnSync(
    process.execPath,
    ['-e', "let D; try { D = require('dockerode') } catch { console.log('the dockerode package is not installed'); process.exit(1) }" +
      "; new D().ping().then(() => process.exit(0), (e) => { console.log('no engine at ' + (process.env.DOCKER_HOST || '/var/run/docker.sock') + ': ' + e.message); process.exit(1) })"],
    { encoding: 'utf8', timeout: 15000, cwd: REPO_ROOT },
  );
  return probe.status === 0 ? null : (probe.stdout.trim() || probe.stderr.trim() || 'the probe failed');
}
