// kafka-acls' command line: Kafka 2.4's AclCommandOptions (the options, their help, and checkArgs
// with Kafka's messages). Problems with the command line throw UsageError (message + usage,
// exit 1), as Kafka's CommandLineUtils.printUsageAndDie.
import { Command, Option } from 'commander';
import { collectList } from '../shared/options';
import { newProgram } from '../shared/run-tool';
import { UsageError } from '../shared/usage-error';
import { PATTERN_TYPE_FILTERS, type PatternTypeFilter } from './acl-filter';
import { OPERATION_NAMES } from './acl-specs';

export const ACLS_DESCRIPTION = 'This tool helps to manage acls on kafka.';

export interface AclCommandOptions {
  action: 'add' | 'remove' | 'list';
  bootstrapServer?: string;
  commandConfig?: string;
  /** --authorizer-properties k=v, in order. */
  authorizerProperties: Map<string, string>;
  topics: string[];
  groups: string[];
  transactionalIds: string[];
  delegationTokens: string[];
  cluster: boolean;
  idempotent: boolean;
  producer: boolean;
  consumer: boolean;
  force: boolean;
  patternType: PatternTypeFilter;
  /** --operation values as given (parsed when the ACLs are built, as Kafka does). */
  operations: string[];
  allowPrincipals: string[];
  denyPrincipals: string[];
  allowHosts: string[];
  denyHosts: string[];
  /** --principal values of --list (empty: every principal). */
  listPrincipals: string[];
  /** Which of the options were given (Kafka's options.has). */
  has: (name: string) => boolean;
}

/** PatternTypeConverter: the enum names, case-insensitively, except UNKNOWN. */
function parsePatternTypeFilter(value: string): PatternTypeFilter {
  const found = PATTERN_TYPE_FILTERS.find((p) => p.toLowerCase() === value.trim().toLowerCase());
  if (!found) throw new UsageError(`Unknown resource-pattern-type: ${value}`);
  return found;
}

/** --principal takes an optional value (joptsimple withOptionalArg); a bare one lists nothing extra. */
function collectOptional(value: string | boolean, previous: string[] | undefined): string[] {
  return typeof value === 'string' ? [...(previous ?? []), value] : (previous ?? []);
}

export function aclsProgram(): Command {
  const operationHelp = `Operation that is being allowed or denied. Valid operation names are: \n${OPERATION_NAMES.map((o) => `\t${o}`).join('\n')}\n`;
  return newProgram('kafka-acls', ACLS_DESCRIPTION)
    .option('--bootstrap-server <server to connect to>', 'A list of host/port pairs to use for establishing the connection to the Kafka cluster. This list should be in the form host1:port1,host2:port2,... This config is required for acl management using admin client API.')
    .option('--command-config [command-config]', 'A property file containing configs to be passed to Admin Client.')
    .option('--authorizer <authorizer>', 'Fully qualified class name of the authorizer, defaults to kafka.security.auth.SimpleAclAuthorizer.')
    .option('--authorizer-properties <authorizer-properties>', 'REQUIRED: properties required to configure an instance of Authorizer. These are key=val pairs. For the default authorizer the example values are: zookeeper.connect=localhost:2181', collectList)
    .option('--topic <topic>', 'topic to which ACLs should be added or removed. A value of * indicates ACL should apply to all topics.', collectList)
    .option('--cluster', 'Add/Remove cluster ACLs.')
    .option('--group <group>', 'Consumer Group to which the ACLs should be added or removed. A value of * indicates the ACLs should apply to all groups.', collectList)
    .option('--transactional-id <transactional-id>', 'The transactionalId to which ACLs should be added or removed. A value of * indicates the ACLs should apply to all transactionalIds.', collectList)
    .option('--idempotent', 'Enable idempotence for the producer. This should be used in combination with the --producer option. Note that idempotence is enabled automatically if the producer is authorized to a particular transactional-id.')
    .option('--delegation-token <delegation-token>', 'Delegation token to which ACLs should be added or removed. A value of * indicates ACL should apply to all tokens.', collectList)
    .addOption(
      new Option(
        '--resource-pattern-type <ANY|MATCH|LITERAL|PREFIXED>',
        "The type of the resource pattern or pattern filter. When adding acls, this should be a specific pattern type, e.g. 'literal' or 'prefixed'. When listing or removing acls, a specific pattern type can be used to list or remove acls from specific resource patterns, or use the filter values of 'any' or 'match', where 'any' will match any pattern type, but will match the resource name exactly, where as 'match' will perform pattern matching to list or remove all acls that affect the supplied resource(s). WARNING: 'match', when used in combination with the '--remove' switch, should be used with care.",
      ).argParser(parsePatternTypeFilter).default('LITERAL', 'LITERAL'),
    )
    .option('--add', 'Indicates you are trying to add ACLs.')
    .option('--remove', 'Indicates you are trying to remove ACLs.')
    .option('--list', 'List ACLs for the specified resource, use --topic <topic> or --group <group> or --cluster to specify a resource.')
    .option('--operation <operation>', operationHelp, collectList)
    .option('--allow-principal <allow-principal>', 'principal is in principalType:name format. Note that principalType must be supported by the Authorizer being used. For example, User:* is the wild card indicating all users.', collectList)
    .option('--deny-principal <deny-principal>', 'principal is in principalType:name format. By default anyone not added through --allow-principal is denied access. You only need to use this option as negation to already allowed set. Note that principalType must be supported by the Authorizer being used. For example if you wanted to allow access to all users in the system but not test-user you can define an ACL that allows access to User:* and specify --deny-principal=User:test@EXAMPLE.COM. AND PLEASE REMEMBER DENY RULES TAKES PRECEDENCE OVER ALLOW RULES.', collectList)
    .option('--principal [principal]', 'List ACLs for the specified principal. principal is in principalType:name format. Note that principalType must be supported by the Authorizer being used. Multiple --principal option can be passed.', collectOptional)
    .option('--allow-host <allow-host>', 'Host from which principals listed in --allow-principal will have access. If you have specified --allow-principal then the default for this option will be set to * which allows access from all hosts.', collectList)
    .option('--deny-host <deny-host>', 'Host from which principals listed in --deny-principal will be denied access. If you have specified --deny-principal then the default for this option will be set to * which denies access from all hosts.', collectList)
    .option('--producer', 'Convenience option to add/remove ACLs for producer role. This will generate ACLs that allows WRITE,DESCRIBE and CREATE on topic.')
    .option('--consumer', 'Convenience option to add/remove ACLs for consumer role. This will generate ACLs that allows READ,DESCRIBE on topic and READ on group.')
    .option('--force', 'Assume Yes to all queries and do not prompt.');
}

/** Commander's camel-case keys of the options checkArgs names, by Kafka's option name. */
const KEYS: Record<string, string> = {
  'bootstrap-server': 'bootstrapServer', 'command-config': 'commandConfig', authorizer: 'authorizer', 'authorizer-properties': 'authorizerProperties',
  topic: 'topic', cluster: 'cluster', group: 'group', 'transactional-id': 'transactionalId', idempotent: 'idempotent', 'delegation-token': 'delegationToken',
  add: 'add', remove: 'remove', list: 'list', operation: 'operation', 'allow-principal': 'allowPrincipal', 'deny-principal': 'denyPrincipal',
  principal: 'principal', 'allow-host': 'allowHost', 'deny-host': 'denyHost', producer: 'producer', consumer: 'consumer', force: 'force',
};

/** CommandLineUtils.parseKeyValueArgs(acceptMissingValue = false): "k=v" split at the first '='. */
function parseAuthorizerProperties(values: readonly string[]): Map<string, string> {
  const props = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw new UsageError(`Missing value for key ${v}`);
    props.set(v.slice(0, eq), v.slice(eq + 1));
  }
  return props;
}

/** AclCommandOptions.checkArgs. */
export function validateAclOptions(raw: Record<string, unknown>): AclCommandOptions {
  const has = (name: string) => {
    const v = raw[KEYS[name] ?? name];
    return v !== undefined && v !== false;
  };
  const list = (name: string) => (raw[KEYS[name]] as string[] | undefined) ?? [];
  if (has('bootstrap-server') && has('authorizer')) throw new UsageError('Only one of --bootstrap-server or --authorizer must be specified');
  if (!has('bootstrap-server') && !has('authorizer-properties')) throw new UsageError('Missing required argument "[authorizer-properties]"');
  if (has('command-config') && !has('bootstrap-server')) throw new UsageError('The --command-config option can only be used with --bootstrap-server option');
  if (has('authorizer-properties') && has('bootstrap-server')) throw new UsageError('The --authorizer-properties option can only be used with --authorizer option');
  const actions = (['add', 'remove', 'list'] as const).filter(has);
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --list, --add, --remove. ');
  const invalidWith = (used: string, others: readonly string[]) => {
    const bad = others.find(has);
    if (has(used) && bad) throw new UsageError(`Option "[${used}]" can't be used with option "[${bad}]"`);
  };
  invalidWith('list', ['producer', 'consumer', 'allow-host', 'allow-principal', 'deny-host', 'deny-principal']);
  // --producer and --consumer imply their operations and allow only.
  invalidWith('producer', ['operation', 'deny-principal', 'deny-host']);
  invalidWith('consumer', ['operation', 'deny-principal', 'deny-host']);
  if (has('principal') && !has('list')) throw new UsageError('The --principal option is only available if --list is set');
  if (has('producer') && !has('topic')) throw new UsageError('With --producer you must specify a --topic');
  if (has('idempotent') && !has('producer')) throw new UsageError('The --idempotent option is only available if --producer is set');
  if (has('consumer') && (!has('topic') || !has('group') || (!has('producer') && (has('cluster') || has('transactional-id'))))) {
    throw new UsageError('With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.');
  }
  if (has('authorizer') && raw.authorizer !== 'kafka.security.auth.SimpleAclAuthorizer' && raw.authorizer !== 'kafka.security.authorizer.AclAuthorizer') {
    throw new UsageError(`Authorizer ${String(raw.authorizer)} is not available: Zafka's kafka-acls writes ACLs as kafka.security.authorizer.AclAuthorizer does`);
  }
  return {
    action: actions[0],
    bootstrapServer: raw.bootstrapServer as string | undefined,
    commandConfig: typeof raw.commandConfig === 'string' ? raw.commandConfig : undefined,
    authorizerProperties: parseAuthorizerProperties(list('authorizer-properties')),
    topics: list('topic'),
    groups: list('group'),
    transactionalIds: list('transactional-id'),
    delegationTokens: list('delegation-token'),
    cluster: has('cluster'),
    idempotent: has('idempotent'),
    producer: has('producer'),
    consumer: has('consumer'),
    force: has('force'),
    patternType: raw.resourcePatternType as PatternTypeFilter,
    operations: has('operation') ? list('operation') : ['All'],
    allowPrincipals: list('allow-principal'),
    denyPrincipals: list('deny-principal'),
    allowHosts: list('allow-host'),
    denyHosts: list('deny-host'),
    listPrincipals: (raw.principal as string[] | boolean | undefined) instanceof Array ? (raw.principal as string[]) : [],
    has,
  };
}
