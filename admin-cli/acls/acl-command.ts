// kafka-acls' three actions over either source of ACLs, as Kafka 2.4's AclCommand services: --add
// prints each resource's new entries and adds them, --remove asks (unless --force) and removes, and
// both end with the listing of the resources the command named; --list prints the ACLs of the named
// resources (or all), optionally only those of some --principal values.
import type { AclCommandOptions } from './acl-command-options';
import { principals, resourceFilters, resourceFilterToAcls, resourceToAcls } from './acl-specs';
import type { AclService } from './acl-service';
import { accessControlEntryText, aclBlock, resourcePatternFilterText, resourcePatternText } from './acl-text';

export interface AclCommandIo {
  out: (text: string) => void;
  /** One line from the user (null at end of input). */
  readLine: () => Promise<string | null>;
}

export async function runAclCommand(opts: AclCommandOptions, service: AclService, io: AclCommandIo): Promise<void> {
  if (opts.action === 'add') {
    for (const { pattern, entries } of resourceToAcls(opts)) {
      io.out(aclBlock('Adding ACLs for resource', resourcePatternText(pattern), entries.map(accessControlEntryText)));
      await service.addAcls(pattern, entries);
    }
  } else if (opts.action === 'remove') {
    for (const { filter, entries } of resourceFilterToAcls(opts)) {
      const question =
        entries.length === 0
          ? `Are you sure you want to delete all ACLs for resource filter \`${resourcePatternFilterText(filter)}\`? (y/n)`
          : `Are you sure you want to remove ACLs: \n ${entries.map((e) => `\t${accessControlEntryText(e)}`).join('\n')} \n from resource filter \`${resourcePatternFilterText(filter)}\`? (y/n)`;
      if (await confirm(opts, io, question)) await service.removeAcls(filter, entries);
    }
  }
  await listAcls(opts, service, io);
}

async function confirm(opts: AclCommandOptions, io: AclCommandIo, question: string): Promise<boolean> {
  if (opts.force) return true;
  io.out(`${question}\n`);
  return (await io.readLine())?.toLowerCase() === 'y';
}

async function listAcls(opts: AclCommandOptions, service: AclService, io: AclCommandIo): Promise<void> {
  const filters = resourceFilters(opts, false);
  const listPrincipals = principals(opts.listPrincipals);
  const resources = await service.listAcls(filters);
  const print = (pattern: (typeof resources)[number]['pattern'], entries: (typeof resources)[number]['entries']) =>
    io.out(aclBlock('Current ACLs for resource', service.style.resource(pattern), entries.map(service.style.entry)));
  if (listPrincipals.length === 0) {
    for (const r of resources) print(r.pattern, r.entries);
    return;
  }
  for (const principal of listPrincipals) {
    io.out(`ACLs for principal \`${principal}\`\n`);
    for (const r of resources) {
      const mine = r.entries.filter((e) => e.principal === principal);
      if (mine.length > 0) print(r.pattern, mine);
    }
  }
}
