// ClusterClient.connect with no broker listening must reject with a message, not hang: the retry
// of the bootstrap Metadata request used to wait on a metadata refresh that waited on it, so a
// tool with a wrong --bootstrap-server exited 0 with no output.
import * as net from 'net';
import { ClusterClient } from '../../../admin-cli/client/cluster-client';

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

test('an unreachable bootstrap server gets "Could not connect to any bootstrap server" after the retries', async () => {
  const port = await closedPort();
  await expect(ClusterClient.connect(`127.0.0.1:${port}`, { retries: 2, retryBackoffMs: 10 })).rejects.toThrow(
    `Could not connect to any bootstrap server (127.0.0.1:${port})`,
  );
});
