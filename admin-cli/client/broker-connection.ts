// One connection to one broker plus the API version ranges it advertised (ApiVersions, KIP-35),
// so each request can be sent at the highest version both sides speak, and an API the broker
// lacks fails with a clear message instead of a closed connection.
import type { ApiDefinition } from '../../broker/protocol/api-definition';
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { ApiVersions } from '../../broker/protocol/messages/api-versions';
import { KafkaClient, KafkaClientOptions } from '../../broker/network/kafka-client';

export interface VersionRange {
  minVersion: number;
  maxVersion: number;
}

/** Thrown when the broker does not offer any version of an API that this client can use. */
export class UnsupportedApiError extends KafkaError {
  constructor(
    readonly apiName: string,
    readonly host: string,
    readonly port: number,
  ) {
    super(ErrorCode.UNSUPPORTED_VERSION, `The broker at ${host}:${port} does not support the ${apiName} API`);
  }
}

export class BrokerConnection {
  private constructor(
    readonly client: KafkaClient,
    readonly versions: ReadonlyMap<number, VersionRange>,
  ) {}

  static async open(host: string, port: number, options: KafkaClientOptions): Promise<BrokerConnection> {
    const client = await KafkaClient.connect(host, port, options);
    try {
      // v2 has an empty body and a plain v0 header: every Kafka since 2.0 answers it.
      const res = await client.send(ApiVersions, 2, {});
      const versions = new Map<number, VersionRange>();
      for (const k of res.apiKeys) versions.set(k.apiKey, { minVersion: k.minVersion, maxVersion: k.maxVersion });
      return new BrokerConnection(client, versions);
    } catch (err) {
      client.close();
      throw err;
    }
  }

  get closed(): boolean {
    return this.client.closed;
  }

  get address(): string {
    return `${this.client.host}:${this.client.port}`;
  }

  /** Highest version in [min, max] the broker supports (max defaults to what our codec knows). */
  versionFor(api: { apiKey: number; name: string; maxVersion: number }, min = 0, max = api.maxVersion): number {
    const range = this.versions.get(api.apiKey);
    const top = Math.min(max, api.maxVersion, range?.maxVersion ?? -1);
    if (range === undefined || top < Math.max(min, range.minVersion)) {
      throw new UnsupportedApiError(api.name, this.client.host, this.client.port);
    }
    return top;
  }

  supports(api: { apiKey: number }): boolean {
    return this.versions.has(api.apiKey);
  }

  /** Sends at the highest common version in [min, max]. */
  send<Req, Res, ReqIn>(
    api: ApiDefinition<Req, Res, ReqIn, unknown>,
    body: ReqIn,
    options: { min?: number; max?: number; timeoutMs?: number } = {},
  ): Promise<{ version: number; response: Res }> {
    let version: number;
    try {
      version = this.versionFor(api, options.min ?? 0, options.max ?? api.maxVersion);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.client.send(api, version, body, { timeoutMs: options.timeoutMs }).then((response) => ({ version, response }));
  }

  close(): void {
    this.client.close();
  }
}
