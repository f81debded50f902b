// A raw TCP conversation with a broker, for bad-input tests: send arbitrary bytes, collect what
// comes back, and learn whether the broker closed the connection.
import * as net from 'net';

export interface RawExchange {
  received: Buffer;
  closedByBroker: boolean;
}

/** Sends bytes, then waits up to waitMs for the broker to answer or close. */
export function rawExchange(port: number, bytes: Buffer, waitMs = 1500, endAfterWrite = false): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByBroker = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), closedByBroker });
    };
    socket.on('connect', () => {
      socket.write(bytes);
      if (endAfterWrite) socket.end();
    });
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => { closedByBroker = true; finish(); });
    socket.on('close', () => { closedByBroker = true; finish(); });
    socket.on('error', (err) => (chunks.length > 0 || done ? finish() : reject(err)));
    setTimeout(finish, waitMs);
  });
}

/** A request frame: int32 size, then int16 apiKey, int16 apiVersion, int32 correlationId, string clientId, body. */
export function rawRequest(apiKey: number, apiVersion: number, correlationId: number, body: Buffer = Buffer.alloc(0), clientId = 'raw'): Buffer {
  const header = Buffer.alloc(10 + Buffer.byteLength(clientId));
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(Buffer.byteLength(clientId), 8);
  header.write(clientId, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length, 0);
  return Buffer.concat([size, header, body]);
}
