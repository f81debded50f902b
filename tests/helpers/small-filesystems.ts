// Real small filesystems for storage-failure tests: a tmpfs of a few MB mounted on a temp dir
// (needs root, as in this project's test machines), filled to the last byte, remounted read-only,
// and always unmounted at the end. Nothing is simulated: writes fail with the kernel's ENOSPC / EROFS.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export class Tmpfs {
  private mounted = false;
  private fillers = 0;

  private constructor(readonly dir: string) {}

  /** A tmpfs of sizeKb mounted on a new temp dir; null (with the reason) when mounting is not permitted. */
  static mount(sizeKb: number, prefix = 'zafka-tmpfs-'): Tmpfs | string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const fsys = new Tmpfs(dir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'pipe' });
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      return `cannot mount a tmpfs (${(err as Error).message.split('\n')[0]})`;
    }
    fsys.mounted = true;
    return fsys;
  }

  /** Writes a filler file until the filesystem refuses (ENOSPC): the disk is then full to the last page. */
  fill(): string {
    const file = path.join(this.dir, `filler-${this.fillers++}`);
    const fd = fs.openSync(file, 'w');
    const chunk = Buffer.alloc(64 * 1024, 0x66);
    try {
      for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
        for (;;) {
          try {
            if (fs.writeSync(fd, chunk, 0, size) < size) break;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
            break;
          }
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    return file;
  }

  /** Removes every filler file: the space comes back without any remount or restart. */
  free(): void {
    for (const name of fs.readdirSync(this.dir)) if (name.startsWith('filler-')) fs.rmSync(path.join(this.dir, name), { force: true });
  }

  /** Bytes still free, as statfs reports them. */
  freeBytes(): number {
    const s = fs.statfsSync(this.dir);
    return s.bavail * s.bsize;
  }

  remount(mode: 'ro' | 'rw'): void {
    execFileSync('mount', ['-o', `remount,${mode}`, this.dir], { stdio: 'pipe' });
  }

  /** Unmounts (lazily, so an open descriptor cannot block it) and removes the mount point. */
  unmount(): void {
    if (!this.mounted) return;
    this.mounted = false;
    try {
      execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/**
 * A small ext4 filesystem on a loop device, mounted with errors=remount-ro. failReadOnly() makes
 * the kernel record a filesystem error (/sys/fs/ext4/<dev>/trigger_fs_error), which turns it
 * read-only at once, open descriptors included, exactly as a failing disk does (EROFS on every
 * write). Dirty pages not yet written back are lost, as on a real failure. repair() unmounts,
 * runs e2fsck and mounts it again (what an operator does before restarting the broker).
 */
export class LoopExt4 {
  private mounted = false;

  private constructor(
    readonly dir: string,
    private readonly image: string,
  ) {}

  static mount(sizeMb: number, prefix = 'zafka-ext4-'): LoopExt4 | string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const image = `${dir}.img`;
    const loop = new LoopExt4(dir, image);
    try {
      execFileSync('truncate', ['-s', `${sizeMb}M`, image], { stdio: 'pipe' });
      execFileSync('mkfs.ext4', ['-q', '-F', image], { stdio: 'pipe' });
      loop.mountImage();
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(image, { force: true });
      return `cannot mount a loop ext4 (${(err as Error).message.split('\n')[0]})`;
    }
    return loop;
  }

  private mountImage(): void {
    execFileSync('mount', ['-o', 'loop,errors=remount-ro', this.image, this.dir], { stdio: 'pipe' });
    this.mounted = true;
    fs.rmSync(path.join(this.dir, 'lost+found'), { recursive: true, force: true });
  }

  private device(): string {
    const line = fs.readFileSync('/proc/mounts', 'utf8').split('\n').find((l) => l.split(' ')[1] === this.dir);
    if (!line) throw new Error(`${this.dir} is not mounted`);
    return path.basename(line.split(' ')[0]);
  }

  failReadOnly(): void {
    fs.writeFileSync(`/sys/fs/ext4/${this.device()}/trigger_fs_error`, '1');
  }

  repair(): void {
    execFileSync('umount', [this.dir], { stdio: 'pipe' });
    this.mounted = false;
    try {
      execFileSync('e2fsck', ['-fy', this.image], { stdio: 'pipe' });
    } catch {
      // exit code 1: errors corrected
    }
    this.mountImage();
  }

  unmount(): void {
    try {
      if (this.mounted) execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
    } finally {
      this.mounted = false;
      fs.rmSync(this.dir, { recursive: true, force: true });
      fs.rmSync(this.image, { force: true });
    }
  }
}
