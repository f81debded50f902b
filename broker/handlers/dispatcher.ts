// From a request frame to a response: decode the header, find the handler that serves the
// API and version, decode the body, run the handler, encode the answer. ApiVersions at a version
// nobody serves answers UNSUPPORTED_VERSION in the v0 layout so clients can downgrade; any other
// API whose schema Zafka knows, at a version it can parse but does not serve, answers
// UNSUPPORTED_VERSION in its own shape (see unsupported-api.ts). A frame that cannot be parsed,
// an unknown API key or a version beyond what the codec knows closes the connection with one
// log line, as Kafka 2.4 does. Each answered request is counted and timed (Kafka's RequestMetrics).
import { performance } from 'perf_hooks';
import { RequestMetrics } from '../metrics/request-metrics';
import { CloseConnection, type ConnectionInfo, type RequestChannel, type RequestHandler } from '../network/request-handler';
import type { ApiDefinition } from '../protocol/api-definition';
import { decodeRequestBody, encodeApiVersionsFallback, encodeResponse } from '../protocol/codec';
import { decodeRequestHeader } from '../protocol/header';
import type { RequestHeader } from '../protocol/header';
import type { ApiHandler, BrokerContext } from './api-handler';
import { versionRangesOf, type ApiVersionRange } from './api-versions';
import { ApiVersions } from '../protocol/messages/api-versions';
import { apiByKey } from '../protocol/messages/index';
import { getLogger } from '../logging';
import { Fetch } from '../protocol/messages/fetch';
import { ALL_HANDLERS } from './registry';
import { canAnswer, unsupportedResponseBody } from './unsupported-api';

export class RequestDispatcher implements RequestHandler {
  private readonly handlers = new Map<number, ApiHandler>();
  private readonly supportedVersions: ApiVersionRange[];
  private readonly logger = getLogger('kafka.network.RequestChannel');
  readonly requestMetrics = new RequestMetrics();

  constructor(private readonly broker: BrokerContext) {
    for (const handler of ALL_HANDLERS) {
      this.handlers.set(handler.api.apiKey, handler);
      this.requestMetrics.register(handler.api.apiKey, handler.api.name);
    }
    this.supportedVersions = versionRangesOf(ALL_HANDLERS);
  }

  async handle(frame: Buffer, connection: ConnectionInfo, channel: RequestChannel): Promise<Buffer[] | null> {
    const startMs = performance.now();
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(frame);
    } catch (err) {
      // ApiVersions from a newer client may use a header we cannot read; its first 8 bytes
      // (key, version, correlation id) are enough to answer with the versions we support.
      if (frame.length >= 8 && frame.readInt16BE(0) === ApiVersions.apiKey && frame.readInt16BE(2) > ApiVersions.maxVersion) {
        return encodeApiVersionsFallback(frame.readInt32BE(4), this.supportedVersions);
      }
      throw new CloseConnection(`Error parsing request header from ${connection.remoteAddress}: ${(err as Error).message}`);
    }
    const handler = this.handlers.get(header.apiKey);
    if (!handler || header.apiVersion < 0 || header.apiVersion > handler.api.maxVersion) {
      if (header.apiKey === ApiVersions.apiKey) {
        return encodeApiVersionsFallback(header.correlationId, this.supportedVersions);
      }
      const known = apiByKey(header.apiKey);
      if (canAnswer(known, header.apiVersion)) {
        this.logger.info(
          `Unsupported API ${known.name} (key ${header.apiKey}) version ${header.apiVersion} from ${connection.remoteAddress} (clientId ${header.clientId}); answered UNSUPPORTED_VERSION`,
        );
        return encodeResponse(known, header.apiVersion, header.correlationId, unsupportedResponseBody(known));
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
        principal: channel.principal,
        requestSize: frame.length,
        throttle: (ms: number) => channel.throttle(ms),
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
