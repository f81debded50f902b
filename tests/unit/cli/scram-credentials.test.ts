// ConfigCommand.preProcessScramCredentials: "[iterations=n,]password=p" becomes a credential that
// verifies the password (RFC 5802 stored_key = H(HMAC(salted, "Client Key"))), with Kafka's refusals.
import { clientKey, hash, parseScramCredential, saltedPassword } from '../../../broker/security/scram-credential';
import { parseAddConfig } from '../../../admin-cli/configs/add-config';
import { preProcessScramCredentials } from '../../../admin-cli/configs/scram-credentials';

describe('preProcessScramCredentials', () => {
  it('replaces each mechanism spec by a credential for that password, default 4096 iterations; other keys untouched', () => {
    const toAdd = parseAddConfig('SCRAM-SHA-256=[iterations=8192,password=alice-secret],SCRAM-SHA-512=[password=a=b,c],consumer_byte_rate=10');
    preProcessScramCredentials(toAdd);
    const c256 = parseScramCredential(toAdd.get('SCRAM-SHA-256')!);
    expect(c256.iterations).toBe(8192);
    expect(c256.storedKey.equals(hash('SCRAM-SHA-256', clientKey('SCRAM-SHA-256', saltedPassword('SCRAM-SHA-256', 'alice-secret', c256.salt, 8192))))).toBe(true);
    const c512 = parseScramCredential(toAdd.get('SCRAM-SHA-512')!);
    expect(c512.iterations).toBe(4096);
    // The password is everything after "password=", commas and '=' included.
    expect(c512.storedKey.equals(hash('SCRAM-SHA-512', clientKey('SCRAM-SHA-512', saltedPassword('SCRAM-SHA-512', 'a=b,c', c512.salt, 4096))))).toBe(true);
    expect(c512.salt.toString('latin1')).toMatch(/^[0-9a-z]{1,26}$/);
    expect(toAdd.get('consumer_byte_rate')).toBe('10');
  });

  it.each([
    ['SCRAM-SHA-256=[iterations=4095,password=x]', 'Iterations 4095 is less than the minimum 4096 required for SCRAM-SHA-256'],
    ['SCRAM-SHA-512=[password]', 'Invalid credential property SCRAM-SHA-512=password'],
    ['SCRAM-SHA-512=[password=x,iterations=5000]', null],
    ['SCRAM-SHA-256=[iterations=99999999999,password=x]', 'For input string: "99999999999"'],
  ])('%s -> %s', (spec, message) => {
    const toAdd = parseAddConfig(spec);
    if (message === null) expect(() => preProcessScramCredentials(toAdd)).not.toThrow();
    else expect(() => preProcessScramCredentials(toAdd)).toThrow(message);
  });
});
