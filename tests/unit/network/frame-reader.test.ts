import { FrameReader, InvalidReceiveError } from '../../../broker/network/frame-reader';

function framed(...payloads: Buffer[]): Buffer {
  return Buffer.concat(payloads.flatMap((p) => {
    const size = Buffer.alloc(4);
    size.writeInt32BE(p.length);
    return [size, p];
  }));
}

describe('FrameReader', () => {
  it('returns a frame lying inside one chunk as a subarray of it (no copy)', () => {
    const chunk = framed(Buffer.from('hello'), Buffer.from('world!'));
    const reader = new FrameReader(100);
    reader.push(chunk);
    const a = reader.next()!;
    const b = reader.next()!;
    expect(a.toString()).toBe('hello');
    expect(b.toString()).toBe('world!');
    expect(a.buffer).toBe(chunk.buffer);
    expect(b.byteOffset).toBe(chunk.byteOffset + 4 + 5 + 4);
    expect(reader.next()).toBeNull();
    expect(reader.bufferedBytes).toBe(0);
  });

  it('reassembles frames and size prefixes split at every byte', () => {
    const bytes = framed(Buffer.from('abc'), Buffer.alloc(0), Buffer.from('0123456789'));
    const reader = new FrameReader(100);
    const frames: string[] = [];
    for (let i = 0; i < bytes.length; i++) {
      reader.push(bytes.subarray(i, i + 1));
      for (let f = reader.next(); f !== null; f = reader.next()) frames.push(f.toString());
    }
    expect(frames).toEqual(['abc', '', '0123456789']);
  });

  it('waits for the whole frame before returning it', () => {
    const bytes = framed(Buffer.from('abcdef'));
    const reader = new FrameReader(100);
    reader.push(bytes.subarray(0, 7));
    expect(reader.next()).toBeNull();
    reader.push(bytes.subarray(7));
    expect(reader.next()!.toString()).toBe('abcdef');
  });

  it('rejects a size over the limit or negative as soon as the prefix is read', () => {
    const big = new FrameReader(10);
    big.push(Buffer.from([0, 0, 0, 11]));
    expect(() => big.next()).toThrow(new InvalidReceiveError(11, 10));
    expect(() => big.next()).toThrow('Invalid receive (size = 11 larger than 10)');
    const negative = new FrameReader(10);
    negative.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(() => negative.next()).toThrow('Invalid receive (size = -1)');
  });
});
