// kafka-acls' output, as Kafka 2.4's AclCommand prints it. Two vocabularies meet there: the
// --add lines and the --remove prompt show org.apache.kafka.common.acl objects (ResourcePattern,
// AccessControlEntry: Java enum names, TOPIC / READ / ALLOW), while the listing shows what the
// command's source of ACLs returns: with --authorizer-properties the ZooKeeper authorizer's
// kafka.security.auth objects ("Topic:LITERAL:t", "User:a has Allow permission for operations: Read
// from hosts: *"), with --bootstrap-server the AdminClient's ResourcePattern / AccessControlEntry.
import { resourceToString, type AclEntry, type ResourcePattern } from '../../broker/authorizer/acl';
import type { ResourcePatternFilter } from './acl-filter';

/** Java enum constant names of the Scala names ("TransactionalId" -> "TRANSACTIONAL_ID"). */
function javaEnumName(scalaName: string): string {
  return scalaName.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/** ResourcePattern.toString. */
export function resourcePatternText(p: ResourcePattern): string {
  return `ResourcePattern(resourceType=${javaEnumName(p.resourceType)}, name=${p.name}, patternType=${p.patternType})`;
}

/** ResourcePatternFilter.toString. */
export function resourcePatternFilterText(f: ResourcePatternFilter): string {
  return `ResourcePatternFilter(resourceType=${javaEnumName(f.resourceType)}, name=${f.name}, patternType=${f.patternType})`;
}

/** AccessControlEntry.toString. */
export function accessControlEntryText(e: AclEntry): string {
  return `(principal=${e.principal}, host=${e.host}, operation=${javaEnumName(e.operation)}, permissionType=${javaEnumName(e.permissionType)})`;
}

/** kafka.security.auth.Acl.toString. */
export function legacyAclText(e: AclEntry): string {
  return `${e.principal} has ${e.permissionType} permission for operations: ${e.operation} from hosts: ${e.host}`;
}

/** How a listing names resources and entries: the authorizer's (ZooKeeper) or the AdminClient's. */
export interface ListingStyle {
  resource(p: ResourcePattern): string;
  entry(e: AclEntry): string;
}
export const AUTHORIZER_STYLE: ListingStyle = { resource: resourceToString, entry: legacyAclText };
export const ADMIN_CLIENT_STYLE: ListingStyle = { resource: resourcePatternText, entry: accessControlEntryText };

/**
 * AclCommand's blocks: s"$title `$resource`: $Newline ${lines.map("\t" + _).mkString(Newline)} $Newline"
 * then println, so a space after the colon's newline and before the last one, and a blank line.
 */
export function aclBlock(title: string, resource: string, lines: readonly string[]): string {
  return `${title} \`${resource}\`: \n ${lines.map((l) => `\t${l}`).join('\n')} \n\n`;
}
