// Kafka's ControllerChannelManager + RequestSendThread: one queue and one connection per live
// broker (the controller's own broker included - it is told about leadership over the protocol
// like everyone else). Requests to one broker go strictly in order, one in flight at a time, so
// a LeaderAndIsr is never overtaken by a later UpdateMetadata. A failed send closes the
// connection, backs off and retries the SAME request until it succeeds or the broker is removed
// (it died, or the controller resigned): brokers must not miss a state change.
//
// Response callbacks run outside the event loop; they may only enqueue controller events.

import { getLogger, Logger } from '../broker/logging';
import { ControllerRequest, ControllerResponse, describeRequest } from './controller-requests';
import { BrokerInfo } from './controller-types';

export interface BrokerConnection {
  send(request: ControllerRequest, timeoutMs: number): Promise<ControllerResponse>;
  close(): void;
}

export type ConnectionFactory = (endpoint: { host: string; port: number }, broker: BrokerInfo) => Promise<BrokerConnection>;

export interface ChannelManagerOptions {
  controllerId: number;
  connect: ConnectionFactory;
  interBrokerListenerName?: string;
  requestTimeoutMs?: number;
  /** First retry delay; doubles up to maxBackoffMs (Kafka: retry.backoff.ms = 100). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Current controller epoch, for the state-change log prefix. */
  epoch?: () => number;
}

interface QueuedRequest {
  request: ControllerRequest;
  onResponse?: (response: ControllerResponse) => void;
}

const API_NAMES: Record<ControllerRequest['api'], string> = {
  LeaderAndIsr: 'LEADER_AND_ISR',
  UpdateMetadata: 'UPDATE_METADATA',
  StopReplica: 'STOP_REPLICA',
};

class RequestSendThread {
  private readonly queue: QueuedRequest[] = [];
  private connection: BrokerConnection | null = null;
  private running = false;
  private stopped = false;
  private wakeBackoff: (() => void) | null = null;
  private backoffTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly broker: BrokerInfo,
    private readonly endpoint: { host: string; port: number },
    private readonly options: ChannelManagerOptions,
    private readonly log: Logger,
  ) {}

  enqueue(item: QueuedRequest): void {
    if (this.stopped) return;
    this.queue.push(item);
    if (!this.running) {
      this.running = true;
      void this.loop();
    }
  }

  get pending(): number {
    return this.queue.length;
  }

  stop(): void {
    this.log.info('Shutting down');
    this.stopped = true;
    this.queue.length = 0;
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.wakeBackoff?.();
    this.connection?.close();
    this.connection = null;
    this.log.info('Stopped');
    this.log.info('Shutdown completed');
  }

  private describeBroker(): string {
    return `${this.endpoint.host}:${this.endpoint.port} (id: ${this.broker.id} rack: ${this.broker.rack ?? 'null'})`;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped && this.queue.length > 0) {
      const item = this.queue[0];
      try {
        if (!this.connection) {
          this.connection = await this.options.connect(this.endpoint, this.broker);
          if (this.stopped) break;
          this.log.info(`Controller ${this.options.controllerId} connected to ${this.describeBroker()} for sending state change requests`);
        }
        const response = await this.connection.send(item.request, this.options.requestTimeoutMs ?? 30000);
        if (this.stopped) break;
        this.queue.shift();
        failures = 0;
        const epoch = this.options.epoch?.() ?? 0;
        getLogger('state.change.logger', `[Controller id=${this.options.controllerId} epoch=${epoch}] `, 'state-change').debug(
          `Received response ${JSON.stringify(response)} for request ${API_NAMES[item.request.api]} sent to broker ${this.describeBroker()}`,
        );
        try {
          item.onResponse?.(response);
        } catch (err) {
          this.log.error(`Response callback failed: ${(err as Error).stack ?? String(err)}`);
        }
      } catch (err) {
        if (this.stopped) break;
        failures++;
        this.log.warn(
          `Controller ${this.options.controllerId} epoch ${this.options.epoch?.() ?? 0} fails to send request ` +
            `${describeRequest(item.request)} to broker ${this.describeBroker()}. Reconnecting to broker. (${(err as Error).message})`,
        );
        this.connection?.close();
        this.connection = null;
        const base = this.options.backoffMs ?? 100;
        const delay = Math.min(base * 2 ** Math.min(failures - 1, 10), this.options.maxBackoffMs ?? 1000);
        await new Promise<void>((resolve) => {
          this.wakeBackoff = resolve;
          this.backoffTimer = setTimeout(resolve, delay);
        });
        this.wakeBackoff = null;
        this.backoffTimer = null;
      }
    }
    this.running = false;
  }
}

export class ControllerChannelManager {
  private readonly brokers = new Map<number, RequestSendThread>();
  private readonly log: Logger;

  constructor(private readonly options: ChannelManagerOptions) {
    this.log = getLogger('kafka.controller.ControllerChannelManager', `[Channel manager on controller ${options.controllerId}]: `, 'controller');
  }

  startup(brokers: BrokerInfo[]): void {
    for (const b of brokers) this.addBroker(b);
  }

  hasBroker(id: number): boolean {
    return this.brokers.has(id);
  }

  addBroker(broker: BrokerInfo): void {
    if (this.brokers.has(broker.id)) return;
    this.log.debug(`Controller ${this.options.controllerId} trying to connect to broker ${broker.id}`);
    const name = this.options.interBrokerListenerName ?? 'PLAINTEXT';
    const ep = broker.endpoints.find((e) => e.listenerName === name) ?? broker.endpoints[0];
    const endpoint = ep ? { host: ep.host, port: ep.port } : { host: broker.host, port: broker.port };
    const threadLog = getLogger('kafka.controller.RequestSendThread', `[RequestSendThread controllerId=${this.options.controllerId}] `, 'controller');
    threadLog.info('Starting');
    this.brokers.set(broker.id, new RequestSendThread(broker, endpoint, this.options, threadLog));
  }

  removeBroker(id: number): void {
    const thread = this.brokers.get(id);
    if (!thread) return;
    this.brokers.delete(id);
    thread.stop();
  }

  /** Queues a request; a broker that is not (or no longer) known is skipped, as in Kafka. */
  sendRequest(brokerId: number, request: ControllerRequest, onResponse?: (response: ControllerResponse) => void): void {
    const thread = this.brokers.get(brokerId);
    if (!thread) {
      this.log.warn(`Not sending request ${describeRequest(request)} to broker ${brokerId}, since it is offline.`);
      return;
    }
    thread.enqueue({ request, onResponse });
  }

  pendingRequests(brokerId: number): number {
    return this.brokers.get(brokerId)?.pending ?? 0;
  }

  shutdown(): void {
    for (const id of [...this.brokers.keys()]) this.removeBroker(id);
  }
}
