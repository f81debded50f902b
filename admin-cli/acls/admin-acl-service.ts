// kafka-acls --bootstrap-server: ACLs through the brokers' CreateAcls / DescribeAcls / DeleteAcls
// (KIP-140; pattern types from v1, KIP-290), as Kafka 2.4's AclCommand.AdminClientService does
// through the AdminClient, sent to any broker (the AdminClient's least-loaded node). An error in a
// result fails the command with the Java exception text the AdminClient's future would carry.
import { ErrorCode } from '../../broker/protocol/errors';
import {
  OPERATION_BY_CODE, OPERATION_CODE, PATTERN_TYPE_BY_CODE, PATTERN_TYPE_CODE, PERMISSION_TYPE_BY_CODE, PERMISSION_TYPE_CODE,
  RESOURCE_TYPE_BY_CODE, RESOURCE_TYPE_CODE, sameEntry, type AclEntry, type ResourcePattern,
} from '../../broker/authorizer/acl';
import { CreateAcls, DeleteAcls, DescribeAcls } from '../../broker/protocol/messages/acls';
import { ClusterClient } from '../client/cluster-client';
import { adminClientOptions } from '../shared/admin-client-config';
import { javaExceptionText } from '../shared/kafka-exceptions';
import { wireFilter, type ResourcePatternFilter } from './acl-filter';
import type { AclService, ResourceWithAcls } from './acl-service';
import { ADMIN_CLIENT_STYLE } from './acl-text';

const TIMEOUT_MS = 30000;

/** What an AdminClient future's ExecutionException says: the Java exception of the error code. */
export class AclApiError extends Error {}

function check(errorCode: number, errorMessage: string | null): void {
  if (errorCode !== ErrorCode.NONE) throw new AclApiError(javaExceptionText(errorCode, errorMessage));
}

/** A described or deleted ACL in wire codes, as a pattern and an entry (null: a code this tool does not know). */
function fromWire(r: { resourceType: number; resourceName: string; patternType: number }, a: { principal: string; host: string; operation: number; permissionType: number }) {
  const resourceType = RESOURCE_TYPE_BY_CODE.get(r.resourceType);
  const patternType = PATTERN_TYPE_BY_CODE.get(r.patternType);
  const operation = OPERATION_BY_CODE.get(a.operation);
  const permissionType = PERMISSION_TYPE_BY_CODE.get(a.permissionType);
  if (!resourceType || !patternType || !operation || !permissionType) return null;
  return { pattern: { resourceType, name: r.resourceName, patternType } as ResourcePattern, entry: { principal: a.principal, host: a.host, operation, permissionType } as AclEntry };
}

export class AdminAclService implements AclService {
  readonly style = ADMIN_CLIENT_STYLE;

  private constructor(private readonly client: ClusterClient) {}

  static async connect(bootstrapServer: string, commandConfig: string | undefined): Promise<AdminAclService> {
    const options = adminClientOptions(commandConfig, { clientId: 'adminclient-1', requestTimeoutMs: TIMEOUT_MS });
    return new AdminAclService(await ClusterClient.connect(bootstrapServer, options));
  }


  async addAcls(pattern: ResourcePattern, entries: readonly AclEntry[]): Promise<void> {
    const creations = entries.map((e) => ({
      resourceType: RESOURCE_TYPE_CODE[pattern.resourceType],
      resourceName: pattern.name,
      resourcePatternType: PATTERN_TYPE_CODE[pattern.patternType],
      principal: e.principal,
      host: e.host,
      operation: OPERATION_CODE[e.operation],
      permissionType: PERMISSION_TYPE_CODE[e.permissionType],
    }));
    const { response } = await this.client.withRetries(async () => (await this.client.anyConnection()).send(CreateAcls, { creations }));
    for (const r of response.results) check(r.errorCode, r.errorMessage);
  }

  async removeAcls(filter: ResourcePatternFilter, entries: readonly AclEntry[]): Promise<void> {
    const filters = entries.length === 0 ? [wireFilter(filter, null)] : entries.map((e) => wireFilter(filter, e));
    const { response } = await this.client.withRetries(async () => (await this.client.anyConnection()).send(DeleteAcls, { filters }));
    for (const r of response.filterResults) {
      check(r.errorCode, r.errorMessage);
      for (const m of r.matchingAcls) check(m.errorCode, m.errorMessage);
    }
  }

  async listAcls(filters: readonly ResourcePatternFilter[]): Promise<ResourceWithAcls[]> {
    const out: ResourceWithAcls[] = [];
    const bodies = filters.length === 0 ? [wireFilter(null, null)] : filters.map((f) => wireFilter(f, null));
    for (const body of bodies) {
      const { response } = await this.client.withRetries(async () => (await this.client.anyConnection()).send(DescribeAcls, body));
      check(response.errorCode, response.errorMessage);
      for (const r of response.resources) {
        for (const a of r.acls) {
          const acl = fromWire(r, a);
          if (!acl) continue;
          let group = out.find((g) => g.pattern.resourceType === acl.pattern.resourceType && g.pattern.patternType === acl.pattern.patternType && g.pattern.name === acl.pattern.name);
          if (!group) out.push((group = { pattern: acl.pattern, entries: [] }));
          if (!group.entries.some((e) => sameEntry(e, acl.entry))) group.entries.push(acl.entry);
        }
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
