// The fuzzer's sockets and probes: a lane's connection that counts answers by their size
// prefixes, the ApiVersions probe that tells a serving broker from a stalled one, and the RSS
// read from /proc/<pid>/status.
import * as fs from 'fs';
import * as net from 'net';
import { rawRequest } from '../helpers/raw-socket';

export function rssKb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}

/** Sends an ApiVersions v0 request on a fresh connection; resolves with the ms it took, or null. */
export function probeApiVersions(port: number, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (ms: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ms);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('connect', () => socket.write(rawRequest(18, 0, 0x7ffffff0, Buffer.alloc(0), 'fuzz-probe')));
    socket.on('data', (d) => {
      received = Buffer.concat([received, d]);
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0) && received.readInt32BE(4) === 0x7ffffff0) {
        finish(Date.now() - started);
      }
    });
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
  });
}

/** One lane's connection: answers are counted by their size prefixes. */
export class LaneConnection {
  readonly socket: net.Socket;
  closed = false;
  responses = 0;
  localPort = 0;
  private pending = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  readonly ready: Promise<boolean>;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve) => {
      this.socket.once('connect', () => {
        this.localPort = this.socket.localPort ?? 0;
        resolve(true);
      });
      this.socket.once('error', () => resolve(false));
    });
    this.socket.on('data', (d) => {
      this.pending = this.pending.length === 0 ? d : Buffer.concat([this.pending, d]);
      while (this.pending.length >= 4 && this.pending.length >= 4 + Math.max(0, this.pending.readInt32BE(0))) {
        this.pending = this.pending.subarray(4 + Math.max(0, this.pending.readInt32BE(0)));
        this.responses++;
      }
      this.wake();
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    this.waiter?.();
  }

  /** Writes, then waits for `answers` answers, a close, or idleMs of silence. */
  async send(bytes: Buffer, idleMs: number, answers = 1): Promise<void> {
    const before = this.responses;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = null;
        resolve();
      };
      let timer = setTimeout(done, idleMs);
      this.waiter = () => {
        if (this.closed || this.responses >= before + answers) done();
        else {
          // Answers are still coming: the silence starts over.
          clearTimeout(timer);
          timer = setTimeout(done, idleMs);
        }
      };
      this.socket.write(bytes, () => undefined);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
