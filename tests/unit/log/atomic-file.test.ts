import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from '../../../broker/log/atomic-file';
import { rmDir, tmpDir } from './batch-builder';

describe('writeFileAtomically', () => {
  let dir: string;
  beforeEach(() => (dir = tmpDir()));
  afterEach(() => rmDir(dir));

  it('creates and then replaces the file, leaving no .tmp behind', () => {
    const file = path.join(dir, 'checkpoint');
    writeFileAtomically(file, 'first\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('first\n');
    writeFileAtomically(file, Buffer.from('second\n'));
    expect(fs.readFileSync(file, 'utf8')).toBe('second\n');
    expect(fs.readdirSync(dir)).toEqual(['checkpoint']);
  });

  it('a failed write throws and leaves the old content untouched', () => {
    const file = path.join(dir, 'meta.properties');
    writeFileAtomically(file, 'old\n');
    // The temp file cannot be opened for writing: a directory holds its name.
    fs.mkdirSync(`${file}.tmp`);
    expect(() => writeFileAtomically(file, 'new\n')).toThrow(/EISDIR/);
    expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
  });
});
