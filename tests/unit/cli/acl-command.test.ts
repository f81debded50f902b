// kafka-acls' pure parts: options as Kafka 2.4's AclCommand checks them, the ACLs the options mean
// (--producer / --consumer / --idempotent, default hosts), the output text, and the filters' wire codes.
import { CODE_ANY, PATTERN_CODE_MATCH } from '../../../broker/authorizer/acl';
import { aclsProgram, validateAclOptions } from '../../../admin-cli/acls/acl-command-options';
import { bindingFilter, filterMatches, filterToWire } from '../../../admin-cli/acls/acl-filter';
import { resourceFilterToAcls, resourceToAcls } from '../../../admin-cli/acls/acl-specs';
import { aclBlock, accessControlEntryText, legacyAclText, resourcePatternText } from '../../../admin-cli/acls/acl-text';

function options(...args: string[]) {
  const program = aclsProgram();
  program.parse(['--authorizer-properties', 'zookeeper.connect=zk:2181', ...args], { from: 'user' });
  return validateAclOptions(program.opts());
}

describe('kafka-acls options and ACLs', () => {
  it('--producer --idempotent: Write, Describe, Create on topics, Write, Describe on transactional ids, IdempotentWrite on the cluster', () => {
    const specs = resourceToAcls(options('--add', '--producer', '--idempotent', '--topic', 't', '--transactional-id', 'tx', '--allow-principal', 'User:p'));
    expect(specs.map((s) => [s.pattern.resourceType, s.pattern.name, s.entries.map((e) => e.operation)])).toEqual([
      ['Topic', 't', ['Write', 'Describe', 'Create']],
      ['TransactionalId', 'tx', ['Write', 'Describe']],
      ['Cluster', 'kafka-cluster', ['IdempotentWrite']],
    ]);
    expect(specs[0].entries.every((e) => e.host === '*' && e.permissionType === 'Allow' && e.principal === 'User:p')).toBe(true);
  });

  it('--producer --consumer on one topic: the union, each once', () => {
    const specs = resourceFilterToAcls(options('--add', '--producer', '--consumer', '--topic', 't', '--group', 'g', '--allow-principal', 'User:p'));
    expect(specs.map((s) => [s.filter.resourceType, s.entries.map((e) => e.operation).sort()])).toEqual([
      ['Topic', ['Create', 'Describe', 'Read', 'Write']],
      ['Group', ['Read']],
    ]);
  });

  it('principals x operations x hosts, allow then deny; hosts default to * only for a side with principals', () => {
    const [spec] = resourceToAcls(options('--add', '--allow-principal', 'User:a', '--allow-principal', 'User:b', '--operation', 'Read', '--operation', 'Write', '--deny-principal', 'User:c', '--deny-host', '1.2.3.4', '--topic', 't'));
    expect(spec.entries.map((e) => `${e.permissionType} ${e.principal} ${e.operation} ${e.host}`)).toEqual([
      'Allow User:a Read *', 'Allow User:a Write *', 'Allow User:b Read *', 'Allow User:b Write *', 'Deny User:c Read 1.2.3.4', 'Deny User:c Write 1.2.3.4',
    ]);
  });

  it('refuses what Kafka refuses', () => {
    expect(() => options('--list', '--producer', '--topic', 't')).toThrow('Option "[list]" can\'t be used with option "[producer]"');
    expect(() => options('--add', '--consumer', '--topic', 't', '--allow-principal', 'User:a')).toThrow('With --consumer you must specify a --topic and a --group');
    expect(() => options('--add', '--idempotent', '--topic', 't')).toThrow('The --idempotent option is only available if --producer is set');
    expect(() => options('--add', '--principal', 'User:a', '--topic', 't')).toThrow('The --principal option is only available if --list is set');
    expect(() => options('--list', '--resource-pattern-type', 'bogus')).toThrow('Unknown resource-pattern-type: bogus');
    const program = aclsProgram();
    program.parse(['--list', '--bootstrap-server', 'b:9092', '--authorizer-properties', 'zookeeper.connect=z'], { from: 'user' });
    expect(() => validateAclOptions(program.opts())).toThrow('The --authorizer-properties option can only be used with --authorizer option');
  });

  it('prints as Kafka: ResourcePattern / AccessControlEntry with Java enum names, the authorizer\'s Acl text, blocks with their spaces', () => {
    const entry = { principal: 'User:a', permissionType: 'Allow' as const, operation: 'IdempotentWrite' as const, host: '*' };
    expect(resourcePatternText({ resourceType: 'TransactionalId', name: 'x', patternType: 'PREFIXED' })).toBe('ResourcePattern(resourceType=TRANSACTIONAL_ID, name=x, patternType=PREFIXED)');
    expect(accessControlEntryText(entry)).toBe('(principal=User:a, host=*, operation=IDEMPOTENT_WRITE, permissionType=ALLOW)');
    expect(legacyAclText(entry)).toBe('User:a has Allow permission for operations: IdempotentWrite from hosts: *');
    expect(aclBlock('Current ACLs for resource', 'Topic:LITERAL:t', ['a', 'b'])).toBe('Current ACLs for resource `Topic:LITERAL:t`: \n \ta\n\tb \n\n');
  });

  it('MATCH finds the literal name, the wildcard and the prefixes; filters go out in Kafka\'s wire codes', () => {
    const match = { resourceType: 'Topic' as const, name: 'orders-eu', patternType: 'MATCH' as const };
    expect(filterMatches(match, { resourceType: 'Topic', name: '*', patternType: 'LITERAL' })).toBe(true);
    expect(filterMatches(match, { resourceType: 'Topic', name: 'orders-', patternType: 'PREFIXED' })).toBe(true);
    expect(filterMatches(match, { resourceType: 'Topic', name: 'orders', patternType: 'LITERAL' })).toBe(false);
    expect(filterMatches(match, { resourceType: 'Group', name: '*', patternType: 'LITERAL' })).toBe(false);
    expect(filterToWire(bindingFilter(match, null))).toEqual({ resourceTypeFilter: 2, resourceNameFilter: 'orders-eu', patternTypeFilter: PATTERN_CODE_MATCH, principalFilter: null, hostFilter: null, operation: CODE_ANY, permissionType: CODE_ANY });
    expect(filterToWire(bindingFilter(null, { principal: 'User:a', host: '*', operation: 'Read', permissionType: 'Deny' }))).toEqual({
      resourceTypeFilter: CODE_ANY, resourceNameFilter: null, patternTypeFilter: CODE_ANY, principalFilter: 'User:a', hostFilter: '*', operation: 3, permissionType: 2,
    });
  });
});
