// A listener with an empty host listens on every interface (Kafka's PLAINTEXT://:9092).
import * as net from 'net';
import { SocketServer } from '../../../broker/network/socket-server';

jest.mock('../../../broker/logging', () => ({
  getLogger: () => ({ error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined }),
}));

it('accepts IPv4 loopback connections on an all-interfaces listener and reports plain IPv4 addresses', async () => {
  const seen: string[] = [];
  const server = new SocketServer(
    { brokerId: 1, listeners: [{ listenerName: 'PLAINTEXT', host: '', port: 0 }], socketRequestMaxBytes: 100 },
    {
      handle: async (frame, connection) => {
        seen.push(connection.remoteAddress);
        const out = Buffer.alloc(4 + frame.length);
        out.writeInt32BE(frame.length);
        frame.copy(out, 4);
        return [out];
      },
    },
  );
  await server.startup();
  const socket = net.connect(server.boundPort(), '127.0.0.1');
  const echoed = await new Promise<Buffer>((resolve) => {
    socket.on('data', resolve);
    socket.write(Buffer.from([0, 0, 0, 2, 7, 9]));
  });
  expect([...echoed]).toEqual([0, 0, 0, 2, 7, 9]);
  expect(seen).toEqual(['127.0.0.1']);
  socket.destroy();
  await server.shutdown();
});
