// ACL znode codecs against the formats Kafka 2.4 writes (ZkData.scala's ResourceZNode, Acl.toJsonCompatibleMap,
// LiteralAclChangeStore, ExtendedAclChangeEvent): byte-identical JSON and paths, and damaged znodes refused.
import { AclChangeZNode, LITERAL_ACL_STORE, PREFIXED_ACL_STORE, ResourceAclsZNode } from '../../../controller/zk/acl-store';
import { InvalidZnodeError } from '../../../controller/zk/znode-json';

const alice = { principal: 'User:alice', permissionType: 'Allow', operation: 'Read', host: '*' } as const;

describe('ResourceAclsZNode', () => {
  it('puts LITERAL patterns under /kafka-acl and PREFIXED under /kafka-acl-extended/prefixed', () => {
    expect(ResourceAclsZNode.path({ resourceType: 'Topic', name: 't1', patternType: 'LITERAL' })).toBe('/kafka-acl/Topic/t1');
    expect(ResourceAclsZNode.path({ resourceType: 'Cluster', name: 'kafka-cluster', patternType: 'LITERAL' })).toBe('/kafka-acl/Cluster/kafka-cluster');
    expect(ResourceAclsZNode.path({ resourceType: 'Group', name: 'g-', patternType: 'PREFIXED' })).toBe('/kafka-acl-extended/prefixed/Group/g-');
  });

  it("encodes with Kafka's key order", () => {
    expect(ResourceAclsZNode.encode([alice]).toString()).toBe(
      '{"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}',
    );
  });

  it('decodes what Kafka writes, names case-insensitively, duplicates once', () => {
    const kafka = Buffer.from('{"version": 1, "acls": [ { "host":"host1", "permissionType": "deny","operation": "DESCRIBECONFIGS","principal": "User:bob"},' +
      '{"host":"host1","permissionType":"Deny","operation":"DescribeConfigs","principal":"User:bob"}]}');
    expect(ResourceAclsZNode.decode('/kafka-acl/Topic/t', kafka)).toEqual([
      { principal: 'User:bob', permissionType: 'Deny', operation: 'DescribeConfigs', host: 'host1' },
    ]);
    expect(ResourceAclsZNode.decode('/kafka-acl/Topic/t', Buffer.alloc(0))).toEqual([]);
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['another version', '{"version":2,"acls":[]}'],
    ['an unknown operation', '{"version":1,"acls":[{"principal":"User:a","permissionType":"Allow","operation":"Fly","host":"*"}]}'],
    ['an unknown permission type', '{"version":1,"acls":[{"principal":"User:a","permissionType":"Maybe","operation":"Read","host":"*"}]}'],
    ['a principal without a type', '{"version":1,"acls":[{"principal":"alice","permissionType":"Allow","operation":"Read","host":"*"}]}'],
    ['a missing host', '{"version":1,"acls":[{"principal":"User:a","permissionType":"Allow","operation":"Read"}]}'],
  ])('refuses %s with InvalidZnodeError', (_, body) => {
    expect(() => ResourceAclsZNode.decode('/kafka-acl/Topic/t', Buffer.from(body))).toThrow(InvalidZnodeError);
  });
});

describe('AclChangeZNode', () => {
  it('writes "Type:name" for literal changes, which may contain colons', () => {
    const r = { resourceType: 'Topic', name: 'a:b', patternType: 'LITERAL' } as const;
    expect(AclChangeZNode.encode(r).toString()).toBe('Topic:a:b');
    expect(AclChangeZNode.decode(LITERAL_ACL_STORE, '/kafka-acl-changes/acl_changes_0000000000', Buffer.from('Topic:a:b'))).toEqual(r);
    expect(AclChangeZNode.decode(LITERAL_ACL_STORE, 'p', Buffer.from('topic:x')).resourceType).toBe('Topic');
  });

  it('writes ExtendedAclChangeEvent JSON for prefixed changes', () => {
    const r = { resourceType: 'Group', name: 'g-', patternType: 'PREFIXED' } as const;
    const bytes = AclChangeZNode.encode(r);
    expect(bytes.toString()).toBe('{"version":1,"resourceType":"Group","name":"g-","patternType":"PREFIXED"}');
    expect(AclChangeZNode.decode(PREFIXED_ACL_STORE, 'p', bytes)).toEqual(r);
  });

  it.each([
    ['literal without a colon', LITERAL_ACL_STORE, 'Topic'],
    ['literal with an unknown type', LITERAL_ACL_STORE, 'Broker:1'],
    ['extended version 2', PREFIXED_ACL_STORE, '{"version":2,"resourceType":"Group","name":"g","patternType":"PREFIXED"}'],
    ['extended without a name', PREFIXED_ACL_STORE, '{"version":1,"resourceType":"Group","patternType":"PREFIXED"}'],
  ])('refuses %s', (_, store, body) => {
    expect(() => AclChangeZNode.decode(store, 'p', Buffer.from(body))).toThrow(InvalidZnodeError);
  });
});
