// From a request frame to a response: decode the header, find the handler that serves the
// API and version, decode the body, run the handler, encode the answer. A frame that cannot be
// parsed, or an API/version nobody serves, closes the connection (as Kafka does) — except
// ApiVersions, which answers UNSUPPORTED_VERSION in the v0 layout so clients can downgrade.
// Each answered request is counted and timed (Kafka's RequestMetrics).
import { performance } from 'perf_hooks';
import { RequestMetrics } from '../metrics/request-metrics';
import { CloseConnection, type ConnectionInfo, type RequestHandler } from '../network/request-handler';
import type { ApiDefinition } from '../protocol/api-definition';
import { decodeRequestBody, encodeApiVersionsFallback, encodeResponse } from '../protocol/codec';
import { decodeRequestHeader } from '../protocol/header';
import type { RequestHeader } from '../protocol/header';
import type { ApiHandler, BrokerContext } from './api-handler';
import { apiVersionsHandler, versionRangesOf, type ApiVersionRange } from './api-versions';
import { ApiVersions } from '../protocol/messages/api-versions';
import { Fetch } from '../protocol/messages/fetch';
import { ALL_HANDLERS } from './registry';

export class RequestDispatcher implements RequestHandler {
  private readonly handlers = new Map<number, ApiHandler>();
  private readonly supportedVersions: ApiVersionRange[];
  readonly requestMetrics = new RequestMetrics();

  constructor(private readonly broker: BrokerContext) {
    for (const handler of ALL_HANDLERS) {
      this.handlers.set(handler.api.apiKey, handler);
      this.requestMetrics.register(handler.api.apiKey, handler.api.name);
    }
    this.supportedVersions = versionRangesOf(ALL_HANDLERS);
  }

  async handle(frame: Buffer, connection: ConnectionInfo): Promise<Buffer[] | null> {
    const startMs = performance.now();
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(frame);
    } catch (err) {
      // ApiVersions from a newer client may use a header we cannot read; its first 8 bytes
      // (key, version, correlation id) are enough to answer with the versions we support.
      if (frame.length >= 8 && frame.readInt16BE(0) === ApiVersions.apiKey && frame.readInt16BE(2) > apiVersionsHandler.maxVersion) {
        return encodeApiVersionsFallback(frame.readInt32BE(4), this.supportedVersions);
      }
      throw new CloseConnection(`Error parsing request header from ${connection.remoteAddress}: ${(err as Error).message}`);
    }
    const handler = this.handlers.get(header.apiKey);
    if (!handler || header.apiVersion < handler.minVersion || header.apiVersion > handler.maxVersion) {
      if (header.apiKey === ApiVersions.apiKey) {
        return encodeApiVersionsFallback(header.correlationId, this.supportedVersions);
      }
      throw new CloseConnection(
        `Unsupported API key ${header.apiKey} version ${header.apiVersion} from ${connection.remoteAddress} (clientId ${header.clientId}); closing connection`,
      );
    }
    let request: unknown;
    try {
      request = decodeRequestBody(handler.api as ApiDefinition<unknown, unknown>, header.apiVersion, frame, header.bodyOffset);
    } catch (err) {
      throw new CloseConnection(
        `Error parsing ${handler.api.name} v${header.apiVersion} request from ${connection.remoteAddress} (clientId ${header.clientId}): ${(err as Error).message}; closing connection`,
      );
    }
    const metrics = this.requestMetrics;
    metrics.inFlight++;
    let response;
    try {
      response = await handler.handle(request, header.apiVersion, {
        header,
        listenerName: connection.listenerName,
        clientAddress: connection.remoteAddress,
        broker: this.broker,
        supportedVersions: this.supportedVersions,
      });
    } finally {
      metrics.inFlight--;
    }
    const encoded = response === null ? null : encodeResponse(handler.api as ApiDefinition<unknown, unknown, unknown, unknown>, header.apiVersion, header.correlationId, response);
    this.recordRequest(header, request, performance.now() - startMs);
    return encoded;
  }

  /** Kafka's RequestChannel.updateRequestMetrics: a Fetch also counts as FetchConsumer or FetchFollower. */
  private recordRequest(header: RequestHeader, request: unknown, totalTimeMs: number): void {
    const metrics = this.requestMetrics;
    metrics.forApiKey(header.apiKey)?.record(header.apiVersion, totalTimeMs);
    if (header.apiKey === Fetch.apiKey) {
      const fromFollower = (request as { replicaId: number }).replicaId >= 0;
      (fromFollower ? metrics.fetchFollower : metrics.fetchConsumer).record(header.apiVersion, totalTimeMs);
    }
  }
}
