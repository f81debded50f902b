// Kafka's Sanitizer (URLEncoder, '*' -> %2A, ' ' -> %20) and its inverse.
import { desanitize, sanitize } from '../../../broker/quota/sanitizer';

describe('sanitize', () => {
  it.each([
    ['ANONYMOUS', 'ANONYMOUS'],
    ['my-client_1.0', 'my-client_1.0'],
    ['CN=alice, O=Acme', 'CN%3Dalice%2C%20O%3DAcme'],
    ['a*b', 'a%2Ab'],
    ['user@EXAMPLE.COM', 'user%40EXAMPLE.COM'],
    ['ä~/', '%C3%A4%7E%2F'],
  ])('%s -> %s', (name, sanitized) => {
    expect(sanitize(name)).toBe(sanitized);
    expect(desanitize(sanitized)).toBe(name);
  });

  it('reads + as a space, as URLDecoder does', () => {
    expect(desanitize('a+b')).toBe('a b');
  });

  it('refuses a malformed escape', () => {
    expect(() => desanitize('%zz')).toThrow('Invalid sanitized name');
  });
});
