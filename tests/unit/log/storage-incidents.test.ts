// One log line per subject per incident: 1,000 failed produces to a partition on a full disk log
// one error, the first success logs one recovery line, and a new incident logs again.
import { StorageIncidents } from '../../../broker/log/storage-incidents';
import type { Logger } from '../../../broker/logging';

function recordingLogger(lines: string[]): Logger {
  const add = (m: string) => void lines.push(m);
  return { error: add, warn: add, info: add, debug: add, trace: add, isDebugEnabled: () => false } as unknown as Logger;
}

describe('StorageIncidents', () => {
  it('logs the first failure of each partition, counts the rest, and one line when it recovers', () => {
    const lines: string[] = [];
    const incidents = new StorageIncidents(recordingLogger(lines));
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    for (let i = 0; i < 1000; i++) {
      incidents.failed('orders-0', enospc);
      incidents.failed('orders-1', enospc);
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('orders-0');
    expect(lines[0]).toContain('ENOSPC');
    incidents.succeeded('orders-0');
    incidents.succeeded('orders-0');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('after 1000 failed attempts');
    expect(incidents.openSubjects()).toEqual(['orders-1']);
    incidents.failed('orders-0', enospc);
    expect(lines).toHaveLength(4);
  });
});
