// What zafka-docker needs from a Docker engine, as a small interface: the launcher and its tests
// depend on this, and only dockerode-engine.ts knows dockerode (so the rest is unit-testable with a
// fake engine, and the project builds without dockerode installed).

export interface VolumeMount {
  /** A named volume (created with the cluster's labels so `down --volumes` finds it). */
  volume: string;
  target: string;
}

/** A host directory seen inside the container (e.g. the certificates of --secure). */
export interface BindMount {
  hostPath: string;
  target: string;
  readOnly: boolean;
}

export interface ContainerSpec {
  name: string;
  image: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  mounts: VolumeMount[];
  binds?: BindMount[];
  /** Docker's host networking: the containers listen on this machine's loopback ports. */
  hostNetwork: boolean;
  /** Seconds `docker stop` waits after SIGTERM before SIGKILL (controlled shutdown takes a while). */
  stopTimeoutSeconds?: number;
  cmd?: string[];
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' | string;

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  state: ContainerState;
  /** Docker's status text, e.g. "Up 2 minutes (healthy)". */
  status: string;
  labels: Record<string, string>;
}

export interface BuildRequest {
  /** Directory the context files are relative to (the repository root). */
  contextDir: string;
  /** Files and directories sent as the build context. */
  files: string[];
  /** Paths under contextDir left out of the context (tar --exclude patterns). */
  exclude: string[];
  dockerfile: string;
  tag: string;
  buildArgs: Record<string, string>;
}

export interface DockerEngine {
  /** Rejects with DockerUnavailableError when no engine answers. */
  ping(): Promise<void>;
  imageExists(tag: string): Promise<boolean>;
  /** Pulls an image from its registry; rejects when it cannot. */
  pullImage(tag: string, onProgress: (line: string) => void): Promise<void>;
  /** Builds, calling onProgress with each line of build output; rejects on a build error. */
  buildImage(request: BuildRequest, onProgress: (line: string) => void): Promise<void>;
  listContainers(labels: Record<string, string>): Promise<ContainerInfo[]>;
  ensureVolume(name: string, labels: Record<string, string>): Promise<void>;
  removeVolumes(labels: Record<string, string>): Promise<string[]>;
  /** Creates and starts a container; returns its id. */
  run(spec: ContainerSpec): Promise<string>;
  start(name: string): Promise<void>;
  stop(name: string, timeoutSeconds: number): Promise<void>;
  restart(name: string, timeoutSeconds: number): Promise<void>;
  kill(name: string, signal: string): Promise<void>;
  pause(name: string): Promise<void>;
  unpause(name: string): Promise<void>;
  remove(name: string, options: { force: boolean; volumes: boolean }): Promise<void>;
  /** Writes the container's output to out/err; with follow, until the container stops. */
  logs(name: string, options: { follow: boolean; tail?: number }, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void>;
}

/** No engine answered: the message says where it looked and how to point at one. */
export class DockerUnavailableError extends Error {
  constructor(where: string, reason: string) {
    super(
      `No Docker engine is reachable at ${where} (${reason}): start one (as root: bash scripts/docker-setup.sh) ` +
        'or point DOCKER_HOST at one, e.g. DOCKER_HOST=unix:///var/run/docker.sock or DOCKER_HOST=tcp://host:2375.',
    );
    this.name = 'DockerUnavailableError';
  }
}

/** Where dockerode will connect, for messages: DOCKER_HOST or the default socket. */
export function dockerEndpoint(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.DOCKER_HOST && env.DOCKER_HOST !== '' ? `DOCKER_HOST=${env.DOCKER_HOST}` : 'unix:///var/run/docker.sock';
}
