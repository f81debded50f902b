// AclZkStore against a real ZooKeeper: the znodes and change notifications Kafka 2.4's AclAuthorizer
// writes, conditional updates that survive a concurrent writer, and removal of emptied resources.
import { AclZkStore, LITERAL_ACL_STORE, PREFIXED_ACL_STORE } from '../../../controller/zk/acl-store';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { freshChroot } from '../../helpers/zookeeper';

const allow = (principal: string, operation: 'Read' | 'Write') => ({ principal, permissionType: 'Allow' as const, operation, host: '*' });

describe('AclZkStore', () => {
  let zk: KafkaZkClient;
  let store: AclZkStore;
  const text = async (path: string) => (await zk.zk.getData(path)).data!.toString('utf8');

  beforeAll(async () => {
    zk = await KafkaZkClient.connect(freshChroot('zk-acl'), 6000);
    store = new AclZkStore(zk.zk);
    await store.createAclPaths();
  });
  afterAll(() => zk.close());

  it('creates the roots Kafka creates', async () => {
    expect((await zk.zk.getChildren('/kafka-acl')).sort()).toEqual(['Cluster', 'DelegationToken', 'Group', 'Topic', 'TransactionalId']);
    expect((await zk.zk.getChildren('/kafka-acl-extended/prefixed')).sort()).toEqual(['Cluster', 'DelegationToken', 'Group', 'Topic', 'TransactionalId']);
    expect(await zk.zk.exists('/kafka-acl-changes')).not.toBeNull();
    expect(await zk.zk.exists('/kafka-acl-extended-changes')).not.toBeNull();
  });

  it('writes a literal resource and a "Topic:name" notification', async () => {
    const r = { resourceType: 'Topic', name: 't1', patternType: 'LITERAL' } as const;
    const res = await store.updateResourceAcls(r, (cur) => [...cur, allow('User:alice', 'Read')]);
    expect(res).toEqual({ changed: true, acls: { entries: [allow('User:alice', 'Read')], zkVersion: 0 } });
    expect(await text('/kafka-acl/Topic/t1')).toBe('{"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}');
    const names = await store.getChangeNotifications(LITERAL_ACL_STORE);
    expect(names).toEqual(['acl_changes_0000000000']);
    expect(await text('/kafka-acl-changes/acl_changes_0000000000')).toBe('Topic:t1');
    expect((await store.readChangeNotification(LITERAL_ACL_STORE, names[0]))!.resource).toEqual(r);
    // the same ACL again changes nothing and writes no notification
    expect((await store.updateResourceAcls(r, (cur) => [...cur, allow('User:alice', 'Read')])).changed).toBe(false);
    expect(await store.getChangeNotifications(LITERAL_ACL_STORE)).toHaveLength(1);
  });

  it('retries when another writer changed the znode since the cached read', async () => {
    const r = { resourceType: 'Group', name: 'g-', patternType: 'PREFIXED' } as const;
    await store.updateResourceAcls(r, () => [allow('User:alice', 'Read')]);
    const stale = await store.getVersionedAcls(r);
    await store.updateResourceAcls(r, (cur) => [...cur, allow('User:bob', 'Read')]);
    const res = await store.updateResourceAcls(r, (cur) => [...cur, allow('User:carol', 'Read')], stale);
    expect(res.acls.entries.map((e) => e.principal)).toEqual(['User:alice', 'User:bob', 'User:carol']);
    expect(res.acls.zkVersion).toBe(2);
    expect(JSON.parse(await text('/kafka-acl-extended/prefixed/Group/g-')).acls).toHaveLength(3);
    const names = await store.getChangeNotifications(PREFIXED_ACL_STORE);
    expect(JSON.parse(await text(`/kafka-acl-extended-changes/${names[0]}`))).toEqual({ version: 1, resourceType: 'Group', name: 'g-', patternType: 'PREFIXED' });
  });

  it('deletes the znode when the last ACL goes, and loadAll reads both stores', async () => {
    const r = { resourceType: 'Topic', name: 'gone', patternType: 'LITERAL' } as const;
    await store.updateResourceAcls(r, () => [allow('User:x', 'Write')]);
    expect((await store.loadAll()).map((a) => a.resource.name).sort()).toEqual(['g-', 'gone', 't1']);
    await store.updateResourceAcls(r, () => []);
    expect(await zk.zk.exists('/kafka-acl/Topic/gone')).toBeNull();
    expect((await store.loadAll()).map((a) => a.resource.name).sort()).toEqual(['g-', 't1']);
  });

  it('skips a damaged znode and an unknown resource type when loading, with a warning', async () => {
    const warnings: string[] = [];
    const warned = new AclZkStore(zk.zk, (m) => warnings.push(m));
    await zk.zk.create('/kafka-acl/Topic/broken', Buffer.from('{"version":1,"acls":[{"principal":"nobody"}]}'));
    await zk.zk.create('/kafka-acl/Broker', null);
    expect((await warned.loadAll()).map((a) => a.resource.name).sort()).toEqual(['g-', 't1']);
    expect(warnings.some((w) => w.includes('/kafka-acl/Topic/broken'))).toBe(true);
    expect(warnings).toContain('Ignoring unknown ResourceType: Broker');
  });
});
