// kafka-acls --bootstrap-server: ACLs through the brokers' CreateAcls / DescribeAcls / DeleteAcls
// (KIP-140; pattern types from v1, KIP-290), as Kafka 2.4's AclCommand.AdminClientService does
// through the AdminClient, sent to any broker (the AdminClient's least-loaded node). An error in a
// result fails the command with the Java exception text the AdminClient's future would carry.
import { ErrorCode } from '../../broker/protocol/errors';
import { sameEntry, type AclEntry, type ResourcePattern } from '../../broker/authorizer/acl';
import { bindingFromWire, bindingToWire } from '../../broker/authorizer/acl-wire';
import { CreateAcls, DeleteAcls, DescribeAcls } from '../../broker/protocol/messages/acls';
import { ClusterClient } from '../client/cluster-client';
import { adminClientOptions } from '../shared/admin-client-config';
import { javaExceptionText } from '../shared/kafka-exceptions';
import { bindingFilter, filterToWire, type ResourcePatternFilter } from './acl-filter';
import type { AclService, ResourceWithAcls } from './acl-service';
import { ADMIN_CLIENT_STYLE } from './acl-text';

const TIMEOUT_MS = 30000;

/** What an AdminClient future's ExecutionException says: the Java exception of the error code. */
export class AclApiError extends Error {}

function check(errorCode: number, errorMessage: string | null): void {
  if (errorCode !== ErrorCode.NONE) throw new AclApiError(javaExceptionText(errorCode, errorMessage));
}

export class AdminAclService implements AclService {
  readonly style = ADMIN_CLIENT_STYLE;

  private constructor(private readonly client: ClusterClient) {}

  static async connect(bootstrapServer: string, commandConfig: string | undefined): Promise<AdminAclService> {
    const options = adminClientOptions(commandConfig, { clientId: 'adminclient-1', requestTimeoutMs: TIMEOUT_MS });
    return new AdminAclService(await ClusterClient.connect(bootstrapServer, options));
  }


  async addAcls(pattern: ResourcePattern, entries: readonly AclEntry[]): Promise<void> {
    const creations = entries.map((entry) => {
      const { patternType, ...wire } = bindingToWire({ pattern, entry });
      return { ...wire, resourcePatternType: patternType };
    });
    const { response } = await this.client.withRetries(async () => (await this.client.anyConnection()).send(CreateAcls, { creations }));
    for (const r of response.results) check(r.errorCode, r.errorMessage);
  }

  async removeAcls(filter: ResourcePatternFilter, entries: readonly AclEntry[]): Promise<void> {
    const filters = entries.length === 0 ? [filterToWire(bindingFilter(filter, null))] : entries.map((e) => filterToWire(bindingFilter(filter, e)));
    const { response } = await this.client.withRetries(async () => (await this.client.anyConnection()).send(DeleteAcls, { filters }));
    for (const r of response.filterResults) {
      check(r.errorCode, r.errorMessage);
      for (const m of r.matchingAcls) check(m.errorCode, m.errorMessage);
    }
  }

  async listAcls(filters: readonly ResourcePatternFilter[]): Promise<ResourceWithAcls[]> {
    const out: ResourceWithAcls[] = [];
    const bodies = (filters.length === 0 ? [null] : filters).map((f) => filterToWire(bindingFilter(f, null)));
    for (const body of bodies) {
      const { response } = await this.client.withRetries(async () => (await this.client.anyConnection()).send(DescribeAcls, body));
      check(response.errorCode, response.errorMessage);
      for (const r of response.resources) {
        for (const a of r.acls) {
          const acl = bindingFromWire({ ...r, ...a, resourcePatternType: r.patternType });
          if (typeof acl === 'string') continue; // a type this version does not know
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
