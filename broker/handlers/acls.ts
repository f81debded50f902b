// DescribeAcls, CreateAcls, DeleteAcls (KIP-140), as Kafka 2.4's KafkaApis: DescribeAcls needs
// Describe on the Cluster, CreateAcls and DeleteAcls Alter on the Cluster (else
// CLUSTER_AUTHORIZATION_FAILED for the request / each creation / each filter). Without an authorizer
// (authorizer.class.name unset) they answer SECURITY_DISABLED ("No Authorizer is configured on the
// broker") and store nothing; kafka-acls --bootstrap-server then prints SecurityDisabledException.
// A creation or filter with UNKNOWN elements (or ANY where a binding needs a value), a Cluster
// resource not named kafka-cluster or an empty name is refused with INVALID_REQUEST.
// Version notes: v1 adds resource pattern types (KIP-290: PREFIXED, and filters ANY / MATCH);
// v0 means LITERAL.
import type { AclBinding } from '../authorizer/acl';
import type { AclBindingFilter } from '../authorizer/acl-filter';
import { bindingFromWire, bindingToWire, filterFromWire } from '../authorizer/acl-wire';
import { authorizeCluster } from '../authorizer/request-authorization';
import { getLogger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import { CreateAcls, DeleteAcls, DescribeAcls } from '../protocol/messages/acls';
import { defineHandler, type RequestContext } from './api-handler';

const NO_AUTHORIZER = 'No Authorizer is configured on the broker';
const logger = getLogger('kafka.server.KafkaApis');

/** One line per request that carried refused creations or filters (not one per item). */
function logRefused(ctx: RequestContext, what: string, reasons: readonly string[]): void {
  if (reasons.length > 0) logger.info(`Refused ${reasons.length} ${what} from client ${ctx.header.clientId ?? ''} at ${ctx.clientAddress}: ${[...new Set(reasons)].join('; ')}`);
}
const notAuthorized = (ctx: RequestContext) => `Request ${ctx.header.clientId ?? ''} ${ctx.header.correlationId} is not authorized.`;

export const describeAclsHandler = defineHandler({
  api: DescribeAcls,
  handle: (request, _version, ctx) => {
    const failed = (errorCode: ErrorCode, errorMessage: string) => ({ throttleTimeMs: 0, errorCode, errorMessage, resources: [] });
    if (!authorizeCluster(ctx, 'Describe')) return failed(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, notAuthorized(ctx));
    const authorizer = ctx.broker.authorizer;
    if (authorizer === null) return failed(ErrorCode.SECURITY_DISABLED, NO_AUTHORIZER);
    const filter = filterFromWire(request);
    if (typeof filter === 'string') {
      logRefused(ctx, 'DescribeAcls filter', [filter]);
      return failed(ErrorCode.INVALID_REQUEST, filter);
    }
    const byPattern = new Map<string, AclBinding[]>();
    for (const b of authorizer.acls(filter)) {
      const k = `${b.pattern.resourceType}:${b.pattern.patternType}:${b.pattern.name}`;
      byPattern.set(k, [...(byPattern.get(k) ?? []), b]);
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      resources: [...byPattern.values()].map((bindings) => {
        const w = bindingToWire(bindings[0]);
        return {
          resourceType: w.resourceType,
          resourceName: w.resourceName,
          patternType: w.patternType,
          acls: bindings.map((b) => {
            const e = bindingToWire(b);
            return { principal: e.principal, host: e.host, operation: e.operation, permissionType: e.permissionType };
          }),
        };
      }),
    };
  },
});

export const createAclsHandler = defineHandler({
  api: CreateAcls,
  async handle(request, _version, ctx) {
    const all = (errorCode: ErrorCode, errorMessage: string) => ({ throttleTimeMs: 0, results: request.creations.map(() => ({ errorCode, errorMessage })) });
    if (!authorizeCluster(ctx, 'Alter')) return all(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, notAuthorized(ctx));
    const authorizer = ctx.broker.authorizer;
    if (authorizer === null) return all(ErrorCode.SECURITY_DISABLED, `${NO_AUTHORIZER}.`);
    const parsed = request.creations.map((c) => bindingFromWire(c));
    const valid = parsed.filter((p): p is AclBinding => typeof p !== 'string');
    logRefused(ctx, 'ACL creation(s)', parsed.filter((p): p is string => typeof p === 'string'));
    const created = await authorizer.createAcls(valid);
    let next = 0;
    return {
      throttleTimeMs: 0,
      results: parsed.map((p) => {
        if (typeof p === 'string') return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: p };
        const r = created[next++];
        return r.error === null ? { errorCode: ErrorCode.NONE, errorMessage: null } : { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: r.error };
      }),
    };
  },
});

export const deleteAclsHandler = defineHandler({
  api: DeleteAcls,
  async handle(request, _version, ctx) {
    const all = (errorCode: ErrorCode, errorMessage: string) => ({
      throttleTimeMs: 0,
      filterResults: request.filters.map(() => ({ errorCode, errorMessage, matchingAcls: [] })),
    });
    if (!authorizeCluster(ctx, 'Alter')) return all(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, notAuthorized(ctx));
    const authorizer = ctx.broker.authorizer;
    if (authorizer === null) return all(ErrorCode.SECURITY_DISABLED, `${NO_AUTHORIZER}.`);
    const parsed = request.filters.map((f) => filterFromWire(f));
    logRefused(ctx, 'DeleteAcls filter(s)', parsed.filter((p): p is string => typeof p === 'string'));
    const deleted = await authorizer.deleteAcls(parsed.filter((p): p is AclBindingFilter => typeof p !== 'string'));
    let next = 0;
    return {
      throttleTimeMs: 0,
      filterResults: parsed.map((p) => {
        if (typeof p === 'string') return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: p, matchingAcls: [] };
        return {
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          matchingAcls: deleted[next++].deleted.map(({ binding, error }) => ({
            errorCode: error === null ? ErrorCode.NONE : ErrorCode.UNKNOWN_SERVER_ERROR,
            errorMessage: error,
            ...bindingToWire(binding),
          })),
        };
      }),
    };
  },
});
