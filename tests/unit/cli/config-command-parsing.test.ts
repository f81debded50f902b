// kafka-configs' command-line pieces against Kafka 2.4's ConfigCommand behaviour: the
// --add-config grammar (brackets group commas, '=' splits once, values trimmed and unbracketed),
// Sanitizer's URL-encoding of user and client names, and how entity options become a ConfigEntity.
import { parseAddConfig, parseDeleteConfig } from '../../../admin-cli/configs/add-config';
import { desanitize, parseEntity, sanitize } from '../../../admin-cli/configs/config-entity';
import { entityNamesInOrder } from '../../../admin-cli/configs/config-command-options';

describe('--add-config', () => {
  it('splits at commas outside brackets and drops the brackets', () => {
    expect([...parseAddConfig('k1=v1,k2=[v1,v2,v2],k3=v3')]).toEqual([['k1', 'v1'], ['k2', 'v1,v2,v2'], ['k3', 'v3']]);
    expect([...parseAddConfig('follower.replication.throttled.replicas=[0:1,1:2], retention.ms = 5')]).toEqual([
      ['follower.replication.throttled.replicas', '0:1,1:2'],
      ['retention.ms', '5'],
    ]);
  });
  it('allows an empty value (ssl.endpoint.identification.algorithm=) and keeps "=" after the first split out', () => {
    expect([...parseAddConfig('ssl.endpoint.identification.algorithm=')]).toEqual([['ssl.endpoint.identification.algorithm', '']]);
    expect(() => parseAddConfig('a=b=c')).toThrow('Invalid entity config: all configs to be added must be in the format "key=val".');
    expect(() => parseAddConfig('novalue')).toThrow('Invalid entity config');
  });
  it('--delete-config values split at commas', () => {
    expect(parseDeleteConfig(['a,b', ' c '])).toEqual(['a', 'b', 'c']);
  });
});

describe('entity names', () => {
  it('sanitizes like Kafka (URLEncoder, then * -> %2A and + -> %20) and back', () => {
    expect(sanitize('my client*')).toBe('my%20client%2A');
    expect(sanitize('CN=alice,O=x')).toBe('CN%3Dalice%2CO%3Dx');
    expect(sanitize('a.b-c_d~é')).toBe('a.b-c_d%7E%C3%A9');
    expect(desanitize('my%20client%2A')).toBe('my client*');
  });
  it('keeps --entity-name / --entity-default in command-line order', () => {
    expect(entityNamesInOrder(['--entity-type', 'clients', '--entity-default', '--entity-type', 'users', '--entity-name', 'bob'])).toEqual(['', 'bob']);
  });
  it('makes the user the root of a <user, client> entity whichever type comes first', () => {
    const e = parseEntity({ types: ['clients', 'users'], names: ['c 1', 'bob'] }, true);
    expect(e.fullSanitizedName).toBe('bob/clients/c%201');
    expect(e.toString()).toBe("user-principal 'bob', client-id 'c 1'");
    expect(parseEntity({ types: ['brokers'], names: [''] }, true).toString()).toBe('default brokers');
    expect(parseEntity({ types: ['topics'], names: ['t'] }, true).toString()).toBe("topic 't'");
    expect(() => parseEntity({ types: ['users', 'clients'], names: ['bob'] }, true)).toThrow('--entity-name or --entity-default must be specified with each --entity-type for --alter');
  });
});
