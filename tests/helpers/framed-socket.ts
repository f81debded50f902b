// A step-by-step client conversation over one TCP socket: write frames, read size-prefixed
// frames back one at a time, and learn when the broker closes. For protocol flows no client
// library speaks any more (SaslHandshake v0 followed by raw SASL tokens).
import * as net from 'net';

export class FramedSocket {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, d]);
      this.waiting?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<FramedSocket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new FramedSocket(socket)));
      socket.once('error', reject);
    });
  }

  write(chunks: Buffer | Buffer[]): void {
    for (const c of Array.isArray(chunks) ? chunks : [chunks]) this.socket.write(c);
  }

  /** Writes a raw token with its 4-byte size prefix. */
  writeToken(token: Buffer): void {
    const size = Buffer.alloc(4);
    size.writeInt32BE(token.length);
    this.write([size, token]);
  }

  /** The next frame without its size prefix, or null if the broker closed first (or timeout). */
  async readFrame(timeoutMs = 10000): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length >= 4 + size) {
          const frame = this.buffered.subarray(4, 4 + size);
          this.buffered = this.buffered.subarray(4 + size);
          return frame;
        }
      }
      if (this.closed || Date.now() > deadline) return null;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 100);
      });
      this.waiting = null;
    }
  }

  /** Resolves true once the broker has closed the connection (false after timeoutMs). */
  async waitClosed(timeoutMs = 10000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
