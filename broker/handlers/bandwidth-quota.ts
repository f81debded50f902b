// How Produce and Fetch apply byte-rate quotas, as Kafka 2.4's KafkaApis does: record the bytes
// against the client's quota sensor once the answer is ready and, when the client is over its
// quota, put the throttle time in the response's throttle_time_ms and mute the connection for that
// long after the response is sent (KIP-219; clients from Produce v6 / Fetch v8 also hold back by
// themselves, older ones simply find the connection muted).
import type { ClientQuotaManager } from '../quota/client-quota-manager';
import type { RequestContext } from './api-handler';

/** Records `bytes` for the request's user and client id; returns the throttle time (0: within quota). */
export function recordBandwidth(quota: ClientQuotaManager, ctx: RequestContext, bytes: number, nowMs = Date.now()): number {
  return quota.recordAndGetThrottleTimeMs(ctx.principal, ctx.header.clientId ?? '', bytes, nowMs);
}

/** Records `bytes` and mutes the connection when over quota; returns the throttle time for the response. */
export function recordAndThrottle(quota: ClientQuotaManager, ctx: RequestContext, bytes: number): number {
  const throttleTimeMs = recordBandwidth(quota, ctx, bytes);
  if (throttleTimeMs > 0) ctx.throttle(throttleTimeMs);
  return throttleTimeMs;
}
