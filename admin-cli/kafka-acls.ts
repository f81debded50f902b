// kafka-acls: add, remove and list ACLs with Kafka 2.4's AclCommand options and output, either in
// ZooKeeper directly (--authorizer-properties zookeeper.connect=..., the default SimpleAclAuthorizer
// way) or through the brokers' ACL APIs (--bootstrap-server, optionally as a TLS/SASL principal with
// --command-config). Like Kafka, a failure of the operation prints "Error while executing ACL
// command: <message>" on stdout and exits 1; command-line problems print the usage and exit 1.
import * as readline from 'readline';
import { ACLS_DESCRIPTION, aclsProgram, validateAclOptions } from './acls/acl-command-options';
import { runAclCommand } from './acls/acl-command';
import { AclSpecError } from './acls/acl-specs';
import { AdminAclService } from './acls/admin-acl-service';
import type { AclService } from './acls/acl-service';
import { ZkAclService } from './acls/zk-acl-service';
import { runToolOrUsage } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

/** The next line of stdin, or null at its end (Scala's StdIn.readLine). */
function stdinLines(): () => Promise<string | null> {
  let rl: readline.Interface | null = null;
  const pending: string[] = [];
  const waiting: Array<(l: string | null) => void> = [];
  let ended = false;
  return () => {
    if (!rl) {
      rl = readline.createInterface({ input: process.stdin });
      rl.on('line', (l) => (waiting.length > 0 ? waiting.shift()!(l) : pending.push(l)));
      rl.on('close', () => {
        ended = true;
        while (waiting.length > 0) waiting.shift()!(null);
      });
    }
    if (pending.length > 0) return Promise.resolve(pending.shift()!);
    if (ended) return Promise.resolve(null);
    return new Promise((resolve) => waiting.push(resolve));
  };
}

async function main(raw: Record<string, unknown>): Promise<number> {
  const opts = validateAclOptions(raw);
  const out = (text: string) => process.stdout.write(text);
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  let service: AclService | null = null;
  try {
    service = opts.bootstrapServer !== undefined ? await AdminAclService.connect(opts.bootstrapServer, opts.commandConfig) : await ZkAclService.connect(opts.authorizerProperties, warn);
    await runAclCommand(opts, service, { out, readLine: stdinLines() });
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // Kafka prints the message, then the exception's stack trace (here: its first line).
    const message = (err as Error).message;
    out(`Error while executing ACL command: ${message}\n`);
    if (err instanceof AclSpecError) out(`${err.javaClass}: ${message}\n`);
    return 1;
  } finally {
    await service?.close().catch(() => undefined);
    process.stdin.destroy();
  }
}

if (require.main === module) {
  runToolOrUsage(aclsProgram(), process.argv.slice(2), main, ACLS_DESCRIPTION);
}
