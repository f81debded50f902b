// Kafka's RequestMetrics (kafka.network:type=RequestMetrics,request=<api>): requests per API and
// version (RequestsPerSec, KIP-272) and the total time of each request (TotalTimeMs). As in
// Kafka's RequestChannel, a Fetch counts under "Fetch" and under FetchConsumer or FetchFollower.
// Everything a request touches is resolved when the API is registered: recording is array
// indexing and addition, with no strings built per request.
import { SampleWindow } from './sample-window';

export class ApiRequestMetrics {
  /** Requests by request version. */
  readonly requestsByVersion: number[] = [];
  readonly totalTimeMs = new SampleWindow();

  constructor(readonly name: string) {}

  record(version: number, totalTimeMs: number): void {
    this.requestsByVersion[version] = (this.requestsByVersion[version] ?? 0) + 1;
    this.totalTimeMs.record(totalTimeMs);
  }
}

export const FETCH_CONSUMER = 'FetchConsumer';
export const FETCH_FOLLOWER = 'FetchFollower';

export class RequestMetrics {
  private readonly byApiKey: (ApiRequestMetrics | undefined)[] = [];
  private readonly all = new Map<string, ApiRequestMetrics>();
  readonly fetchConsumer = this.named(FETCH_CONSUMER);
  readonly fetchFollower = this.named(FETCH_FOLLOWER);
  /** Requests handed to the dispatcher whose handler has not finished (see queueSize). */
  inFlight = 0;

  /** Registers an API the broker serves; its metrics exist (at zero) from start-up, as in Kafka. */
  register(apiKey: number, name: string): void {
    this.byApiKey[apiKey] = this.named(name);
  }

  forApiKey(apiKey: number): ApiRequestMetrics | undefined {
    return this.byApiKey[apiKey];
  }

  apis(): IterableIterator<ApiRequestMetrics> {
    return this.all.values();
  }

  private named(name: string): ApiRequestMetrics {
    let m = this.all.get(name);
    if (m === undefined) {
      m = new ApiRequestMetrics(name);
      this.all.set(name, m);
    }
    return m;
  }
}
