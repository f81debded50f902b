// AclAuthorizer's decision rules (Kafka 2.4's authorizeAction / matchingAcls) and the DescribeAcls /
// DeleteAcls filter semantics (ResourcePatternFilter, AccessControlEntryFilter), without ZooKeeper.
import type { AclEntry, AclOperation, PermissionType } from '../../../broker/authorizer/acl';
import { AclCache } from '../../../broker/authorizer/acl-cache';
import { bindingMatches, type AclBindingFilter } from '../../../broker/authorizer/acl-filter';
import { authorizerSettings } from '../../../broker/authorizer/authorizer-config';
import { ConfigError } from '../../../broker/config/config-error';

const acl = (principal: string, permissionType: PermissionType, operation: AclOperation, host = '*'): AclEntry => ({ principal, permissionType, operation, host });
const topic = (name: string, patternType: 'LITERAL' | 'PREFIXED' = 'LITERAL') => ({ resourceType: 'Topic' as const, name, patternType });

describe('AclCache.decide', () => {
  const cache = (allowEveryone = false) => new AclCache(new Set(['User:admin']), allowEveryone);
  const allowed = (c: AclCache, principal: string, op: AclOperation, name: string, host = '10.0.0.1') => c.decide(principal, host, op, 'Topic', name);

  it('denies without ACLs unless allow.everyone.if.no.acl.found; super users always pass', () => {
    expect(allowed(cache(), 'User:alice', 'Read', 't')).toBe(false);
    expect(allowed(cache(true), 'User:alice', 'Read', 't')).toBe(true);
    expect(allowed(cache(), 'User:admin', 'Write', 't')).toBe(true);
  });

  it('allow.everyone.if.no.acl.found stops applying once the resource has any ACL', () => {
    const c = cache(true);
    c.set(topic('t'), [acl('User:bob', 'Allow', 'Read')]);
    expect(allowed(c, 'User:alice', 'Read', 't')).toBe(false);
    expect(allowed(c, 'User:alice', 'Read', 'other')).toBe(true);
  });

  it('lets a Deny beat an Allow, from any matching pattern', () => {
    const c = cache();
    c.set(topic('t'), [acl('User:alice', 'Allow', 'All')]);
    c.set(topic('t', 'PREFIXED'), [acl('User:*', 'Deny', 'Write', '10.0.0.1')]);
    expect(allowed(c, 'User:alice', 'Read', 't')).toBe(true);
    expect(allowed(c, 'User:alice', 'Write', 't')).toBe(false);
    expect(allowed(c, 'User:alice', 'Write', 't', '10.0.0.2')).toBe(true);
  });

  it('matches the wildcard resource, prefixes and the wildcard principal', () => {
    const c = cache();
    c.set(topic('*'), [acl('User:alice', 'Allow', 'Read')]);
    c.set(topic('logs-', 'PREFIXED'), [acl('User:*', 'Allow', 'Write')]);
    expect(allowed(c, 'User:alice', 'Read', 'anything')).toBe(true);
    expect(allowed(c, 'User:bob', 'Write', 'logs-1')).toBe(true);
    expect(allowed(c, 'User:bob', 'Write', 'log')).toBe(false);
  });

  it('implies Describe from Read/Write/Delete/Alter and DescribeConfigs from AlterConfigs, not the reverse', () => {
    const c = cache();
    c.set(topic('r'), [acl('User:a', 'Allow', 'Read')]);
    c.set(topic('ac'), [acl('User:a', 'Allow', 'AlterConfigs')]);
    c.set(topic('d'), [acl('User:a', 'Allow', 'Describe')]);
    expect(allowed(c, 'User:a', 'Describe', 'r')).toBe(true);
    expect(allowed(c, 'User:a', 'DescribeConfigs', 'ac')).toBe(true);
    expect(allowed(c, 'User:a', 'Describe', 'ac')).toBe(false);
    expect(allowed(c, 'User:a', 'Read', 'd')).toBe(false);
  });

  it('forgets a resource whose ACLs become empty', () => {
    const c = cache();
    c.set(topic('p', 'PREFIXED'), [acl('User:a', 'Allow', 'Read')]);
    c.set(topic('p', 'PREFIXED'), []);
    expect(allowed(c, 'User:a', 'Read', 'p1')).toBe(false);
    expect(c.all()).toEqual([]);
  });
});

describe('AclBindingFilter', () => {
  const f = (over: Partial<AclBindingFilter>): AclBindingFilter => ({ resourceType: null, name: null, patternType: 'ANY', principal: null, host: null, operation: null, permissionType: null, ...over });
  const b = (name: string, patternType: 'LITERAL' | 'PREFIXED') => ({ pattern: topic(name, patternType), entry: acl('User:a', 'Allow', 'Read') });

  it('MATCH finds the literal, the wildcard and the prefixes that apply to a name', () => {
    const match = f({ name: 'logs-1', patternType: 'MATCH' });
    expect(bindingMatches(match, b('logs-1', 'LITERAL'))).toBe(true);
    expect(bindingMatches(match, b('*', 'LITERAL'))).toBe(true);
    expect(bindingMatches(match, b('logs-', 'PREFIXED'))).toBe(true);
    expect(bindingMatches(match, b('logs-2', 'LITERAL'))).toBe(false);
  });

  it('ANY with a name matches that exact name in every pattern type; a specific type only that type', () => {
    expect(bindingMatches(f({ name: 'logs-' }), b('logs-', 'PREFIXED'))).toBe(true);
    expect(bindingMatches(f({ name: 'logs-' }), b('logs-1', 'LITERAL'))).toBe(false);
    expect(bindingMatches(f({ patternType: 'LITERAL' }), b('logs-', 'PREFIXED'))).toBe(false);
    expect(bindingMatches(f({ principal: 'User:b' }), b('x', 'LITERAL'))).toBe(false);
    expect(bindingMatches(f({ operation: 'Read', permissionType: 'Allow' }), b('x', 'LITERAL'))).toBe(true);
  });
});

describe('authorizerSettings', () => {
  it('is off without authorizer.class.name and on for both Kafka 2.4 classes', () => {
    expect(authorizerSettings({})).toBeNull();
    const s = authorizerSettings({ 'authorizer.class.name': 'kafka.security.auth.SimpleAclAuthorizer', 'super.users': 'User:admin; User:CN=broker,O=x', 'allow.everyone.if.no.acl.found': 'TRUE' })!;
    expect([...s.superUsers]).toEqual(['User:admin', 'User:CN=broker,O=x']);
    expect(s.allowEveryoneIfNoAclFound).toBe(true);
    expect(authorizerSettings({ 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer' })!.allowEveryoneIfNoAclFound).toBe(false);
  });

  it('refuses another class and a super user without a principal type with a ConfigError', () => {
    expect(() => authorizerSettings({ 'authorizer.class.name': 'com.example.MyAuthorizer' })).toThrow(ConfigError);
    expect(() => authorizerSettings({ 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'super.users': 'admin' })).toThrow(ConfigError);
  });
});
