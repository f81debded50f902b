// Where kafka-acls reads and writes ACLs: ZooKeeper directly (--authorizer-properties, as Kafka's
// AclCommand does through the ZooKeeper authorizer) or the brokers' ACL APIs (--bootstrap-server).
import type { AclEntry, ResourcePattern } from '../../broker/authorizer/acl';
import type { ResourcePatternFilter } from './acl-filter';
import type { ListingStyle } from './acl-text';

export interface ResourceWithAcls {
  pattern: ResourcePattern;
  entries: AclEntry[];
}

export interface AclService {
  /** How this source's listing names resources and entries (Kafka prints its objects' toString). */
  readonly style: ListingStyle;
  addAcls(pattern: ResourcePattern, entries: readonly AclEntry[]): Promise<void>;
  /** Removes `entries` (none: every entry) from every resource the filter matches. */
  removeAcls(filter: ResourcePatternFilter, entries: readonly AclEntry[]): Promise<void>;
  /** The ACLs of every resource any filter matches (no filters: all of them). */
  listAcls(filters: readonly ResourcePatternFilter[]): Promise<ResourceWithAcls[]>;
  close(): Promise<void>;
}
