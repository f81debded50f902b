// DockerEngine over dockerode (the Docker Engine API; honours DOCKER_HOST, DOCKER_TLS_VERIFY and
// DOCKER_CERT_PATH like the docker CLI). dockerode is loaded at run time, so a missing package is
// one clear error instead of a build failure for the whole project.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Readable } from 'stream';
import { BuildRequest, ContainerInfo, ContainerSpec, DockerEngine, DockerUnavailableError, dockerEndpoint } from './docker-engine';

/* eslint-disable @typescript-eslint/no-explicit-any -- dockerode's API is used untyped on purpose (see header). */
type Dockerode = any;

function loadDockerode(): new () => Dockerode {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('dockerode');
  } catch {
    throw new Error("The 'dockerode' package is not installed: run 'npm install' in the Zafka directory (package.json lists it).");
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

/** Connection-level failures (no socket, refused, DNS) mean there is no engine, not a failed call. */
function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return statusOf(err) === undefined && ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(code ?? '');
}

export class DockerodeEngine implements DockerEngine {
  private readonly docker: Dockerode;

  constructor() {
    const Docker = loadDockerode();
    this.docker = new Docker();
  }

  private async call<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      if (isUnreachable(err)) throw new DockerUnavailableError(dockerEndpoint(), (err as Error).message);
      throw err;
    }
  }

  ping(): Promise<void> {
    return this.call(async () => {
      await this.docker.ping();
    });
  }

  imageExists(tag: string): Promise<boolean> {
    return this.call(async () => {
      try {
        await this.docker.getImage(tag).inspect();
        return true;
      } catch (err) {
        if (statusOf(err) === 404) return false;
        throw err;
      }
    });
  }

  pullImage(tag: string, onProgress: (line: string) => void): Promise<void> {
    return this.call(async () => {
      const stream: Readable = await this.docker.pull(tag);
      await this.follow(stream, onProgress);
    });
  }

  /** Waits for a build or pull progress stream to end; an error event rejects. */
  private follow(stream: Readable, onProgress: (line: string) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (event: { stream?: string; status?: string; error?: string; errorDetail?: { message?: string } }) => {
          if (event.error) reject(new Error(event.errorDetail?.message ?? event.error));
          const text = event.stream ?? event.status;
          if (text) for (const line of text.split('\n')) if (line.trim() !== '') onProgress(line);
        },
      );
    });
  }

  buildImage(request: BuildRequest, onProgress: (line: string) => void): Promise<void> {
    return this.call(async () => {
      // An uncompressed tar from the tar tool: faster than dockerode's gzip of node_modules.
      const tar = spawn('tar', ['-c', ...request.exclude.map((e) => `--exclude=${e}`), ...tarMembers(request.contextDir, request.files)], {
        cwd: request.contextDir,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const stream: Readable = await this.docker.buildImage(tar.stdout, {
        t: request.tag,
        dockerfile: request.dockerfile,
        buildargs: request.buildArgs,
        rm: true,
        forcerm: true,
      });
      try {
        await this.follow(stream, onProgress);
      } catch (err) {
        throw new Error(`building ${request.tag} failed: ${(err as Error).message}`);
      }
    });
  }

  listContainers(labels: Record<string, string>): Promise<ContainerInfo[]> {
    return this.call(async () => {
      const list: any[] = await this.docker.listContainers({ all: true, filters: { label: labelFilters(labels) } });
      return list.map((c) => ({
        id: c.Id,
        name: String(c.Names?.[0] ?? c.Id).replace(/^\//, ''),
        image: c.Image,
        state: c.State,
        status: c.Status,
        labels: c.Labels ?? {},
      }));
    });
  }

  ensureVolume(name: string, labels: Record<string, string>): Promise<void> {
    return this.call(async () => {
      try {
        await this.docker.getVolume(name).inspect();
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
        await this.docker.createVolume({ Name: name, Labels: labels });
      }
    });
  }

  removeVolumes(labels: Record<string, string>): Promise<string[]> {
    return this.call(async () => {
      const result = await this.docker.listVolumes({ filters: { label: labelFilters(labels) } });
      const names: string[] = (result.Volumes ?? []).map((v: { Name: string }) => v.Name);
      for (const name of names) await this.docker.getVolume(name).remove();
      return names;
    });
  }

  run(spec: ContainerSpec): Promise<string> {
    return this.call(async () => {
      const container = await this.docker.createContainer({
        name: spec.name,
        Image: spec.image,
        Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
        Labels: spec.labels,
        Cmd: spec.cmd,
        StopTimeout: spec.stopTimeoutSeconds,
        HostConfig: {
          NetworkMode: spec.hostNetwork ? 'host' : undefined,
          Mounts: [
            ...spec.mounts.map((m) => ({ Type: 'volume' as const, Source: m.volume, Target: m.target })),
            ...(spec.binds ?? []).map((b) => ({ Type: 'bind' as const, Source: b.hostPath, Target: b.target, ReadOnly: b.readOnly })),
          ],
        },
      });
      await container.start();
      return container.id as string;
    });
  }

  start(name: string): Promise<void> {
    return this.call(() => ignoreNotModified(this.docker.getContainer(name).start()));
  }

  stop(name: string, timeoutSeconds: number): Promise<void> {
    return this.call(() => ignoreNotModified(this.docker.getContainer(name).stop({ t: timeoutSeconds })));
  }

  restart(name: string, timeoutSeconds: number): Promise<void> {
    return this.call(() => this.docker.getContainer(name).restart({ t: timeoutSeconds }));
  }

  kill(name: string, signal: string): Promise<void> {
    return this.call(() => this.docker.getContainer(name).kill({ signal }));
  }

  pause(name: string): Promise<void> {
    return this.call(() => this.docker.getContainer(name).pause());
  }

  unpause(name: string): Promise<void> {
    return this.call(() => this.docker.getContainer(name).unpause());
  }

  remove(name: string, options: { force: boolean; volumes: boolean }): Promise<void> {
    return this.call(async () => {
      try {
        await this.docker.getContainer(name).remove({ force: options.force, v: options.volumes });
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    });
  }

  logs(name: string, options: { follow: boolean; tail?: number }, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
    return this.call(async () => {
      const container = this.docker.getContainer(name);
      const query = { stdout: true, stderr: true, follow: options.follow, tail: options.tail ?? 'all' };
      if (!options.follow) {
        // Without follow dockerode returns the whole multiplexed output as one Buffer.
        demux(await container.logs(query), out, err);
        return;
      }
      const stream: Readable = await container.logs(query);
      this.docker.modem.demuxStream(stream, out, err);
      await new Promise<void>((resolve) => stream.on('end', resolve));
    });
  }
}

/**
 * tar arguments for the context files. A top-level entry that is a symlink (a worktree's
 * node_modules pointing at a shared one) is archived from where it points, under its own name:
 * tar would otherwise store the link and the Dockerfile's COPY would find nothing.
 */
export function tarMembers(contextDir: string, files: string[]): string[] {
  const args: string[] = [];
  for (const f of files) {
    const full = path.join(contextDir, f);
    let real: string | null = null;
    try {
      if (fs.lstatSync(full).isSymbolicLink()) real = fs.realpathSync(full);
    } catch {
      real = null;
    }
    if (real !== null && !f.includes('/') && path.basename(real) === f) args.push('-C', path.dirname(real), f, '-C', path.resolve(contextDir));
    else args.push(f);
  }
  return args;
}

function labelFilters(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

/** start/stop of a container already in that state answers 304: not an error for us. */
async function ignoreNotModified(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (statusOf(err) !== 304) throw err;
  }
}

/** Docker's multiplexed log format: [stream, 0, 0, 0, size (uint32 BE)] + payload, repeated. */
export function demux(buffer: Buffer, out: NodeJS.WritableStream, err: NodeJS.WritableStream): void {
  let pos = 0;
  while (pos + 8 <= buffer.length) {
    const kind = buffer[pos];
    const size = buffer.readUInt32BE(pos + 4);
    const payload = buffer.subarray(pos + 8, pos + 8 + size);
    (kind === 2 ? err : out).write(payload);
    pos += 8 + size;
  }
}
