import { xxhash32 } from '../../../broker/protocol/records/xxhash32';

describe('xxhash32', () => {
  // Reference values published with xxHash (XXH32, seed 0).
  it('matches the published test vectors', () => {
    expect(xxhash32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxhash32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxhash32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });

  it('gives the HC byte lz4 writes for the descriptor FLG=0x60 BD=0x40', () => {
    expect((xxhash32(Buffer.from([0x60, 0x40])) >>> 8) & 0xff).toBe(0x82);
  });
});
