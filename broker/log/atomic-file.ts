// Replacing a small file so that a crash leaves either the old or the new content, never a mix:
// write <file>.tmp, fsync it, rename it over the file, then fsync the directory so the rename
// itself survives a power loss. Kafka does the same for checkpoints and meta.properties
// (CheckpointFile.write / BrokerMetadataCheckpoint.write: write the .tmp file, force it, then
// Utils.atomicMoveWithFallback).
import * as fs from 'fs';
import * as path from 'path';

/** Writes data to file atomically; on failure the old file is untouched and no .tmp is left. */
export function writeFileAtomically(file: string, data: Buffer | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const tmp = `${file}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w', 0o644);
    try {
      let done = 0;
      while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    // A half-written .tmp would only hold space that a full disk lacks.
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // a read-only dir: nothing was written either
    }
    throw err;
  }
  fsyncDir(path.dirname(file));
}

export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}
