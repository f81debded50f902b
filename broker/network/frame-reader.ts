// Kafka's framing: a 4-byte big-endian size, then that many bytes. Incoming chunks are kept as
// they arrive and frames are cut out of them: a frame that lies inside one chunk is returned as a
// subarray (no copy); only a frame spanning chunks is copied, once, into a buffer of its size.

/** Kafka's InvalidReceiveException: a size prefix that is negative or above the limit. */
export class InvalidReceiveError extends Error {
  constructor(
    readonly size: number,
    readonly maxSize: number,
  ) {
    super(size < 0 ? `Invalid receive (size = ${size})` : `Invalid receive (size = ${size} larger than ${maxSize})`);
    this.name = 'InvalidReceiveException';
  }
}

export class FrameReader {
  private chunks: Buffer[] = [];
  /** Read position inside chunks[0]. */
  private offset = 0;
  /** Unread bytes over all chunks. */
  private available = 0;

  constructor(private readonly maxFrameBytes: number) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
  }

  /** Bytes received but not yet returned as frames (a partial frame at close is simply dropped). */
  get bufferedBytes(): number {
    return this.available;
  }

  /**
   * The next complete frame (without its size prefix), or null when more bytes are needed.
   * Throws InvalidReceiveError as soon as a bad size prefix is seen, before buffering the body.
   */
  next(): Buffer | null {
    if (this.available < 4) return null;
    const size = this.peekSize();
    if (size < 0 || size > this.maxFrameBytes) throw new InvalidReceiveError(size, this.maxFrameBytes);
    if (this.available < 4 + size) return null;
    this.skip(4);
    const first = this.chunks[0];
    if (first !== undefined && first.length - this.offset >= size) {
      const frame = first.subarray(this.offset, this.offset + size);
      this.skip(size);
      return frame;
    }
    const frame = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.chunks[0];
      const n = Math.min(chunk.length - this.offset, size - filled);
      chunk.copy(frame, filled, this.offset, this.offset + n);
      filled += n;
      this.skip(n);
    }
    return frame;
  }

  private peekSize(): number {
    const first = this.chunks[0];
    if (first.length - this.offset >= 4) return first.readInt32BE(this.offset);
    // The prefix straddles chunks: gather its 4 bytes.
    const bytes = Buffer.allocUnsafe(4);
    let filled = 0;
    for (let i = 0, off = this.offset; filled < 4; i++, off = 0) {
      const chunk = this.chunks[i];
      const n = Math.min(chunk.length - off, 4 - filled);
      chunk.copy(bytes, filled, off, off + n);
      filled += n;
    }
    return bytes.readInt32BE(0);
  }

  private skip(n: number): void {
    this.available -= n;
    while (n > 0) {
      const first = this.chunks[0];
      const left = first.length - this.offset;
      if (n < left) {
        this.offset += n;
        return;
      }
      n -= left;
      this.chunks.shift();
      this.offset = 0;
    }
  }
}
