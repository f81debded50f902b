// Reading Kafka's ssl.* settings for Node: the DN of a real certificate as Java's X500Principal
// renders it, protocol and cipher lists, and store types (JKS refused with the way out named).
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../../broker/config/config-error';
import { loadKeystore, loadTruststore } from '../../../broker/security/keystores';
import { rfc2253Name } from '../../../broker/security/ssl-principal';
import { cipherList, protocolRange } from '../../../broker/security/tls-settings';

describe('TLS settings', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-tls-unit-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("a certificate's subject in RFC 2253 order with escapes (X500Principal.getName())", () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', 'k.pem', '-out', 'c.pem', '-subj', '/C=US/O=Acme, Inc./OU=eng/CN=client 1'], { cwd: dir, stdio: 'ignore' });
    const cert = new crypto.X509Certificate(fs.readFileSync(path.join(dir, 'c.pem')));
    expect(rfc2253Name(cert.subject)).toBe('CN=client 1,OU=eng,O=Acme\\, Inc.,C=US');
    expect(rfc2253Name('CN=a\nemailAddress=a@b.c')).toBe('1.2.840.113549.1.9.1=#16056140622e63,CN=a');
  });

  test('ssl.enabled.protocols and ssl.cipher.suites', () => {
    expect(protocolRange(undefined)).toEqual({ minVersion: 'TLSv1', maxVersion: 'TLSv1.2' });
    expect(protocolRange('TLSv1.3')).toEqual({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    expect(() => protocolRange('SSLv3')).toThrow(ConfigError);
    expect(cipherList('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384')).toBe('ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_256_GCM_SHA384');
    expect(cipherList('')).toBeUndefined();
    expect(() => cipherList('TLS_MADE_UP_SUITE')).toThrow(/no known OpenSSL name/);
  });

  test('JKS stores are refused with the conversion named; PEM and PKCS12 are read', () => {
    const jks = path.join(dir, 'store.jks');
    fs.writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    expect(() => loadKeystore(jks, undefined, 'pw', undefined)).toThrow(/cannot read JKS stores; convert it with keytool -importkeystore/);
    expect(() => loadTruststore(path.join(dir, 'c.pem'), 'JKS', 'pw')).toThrow(/ssl.truststore.type=JKS/);
    fs.writeFileSync(path.join(dir, 'ks.pem'), fs.readFileSync(path.join(dir, 'k.pem'), 'utf8') + fs.readFileSync(path.join(dir, 'c.pem'), 'utf8'));
    const pem = loadKeystore(path.join(dir, 'ks.pem'), 'PEM', undefined, undefined);
    expect(pem.key).toContain('PRIVATE KEY');
    expect(pem.cert).toContain('BEGIN CERTIFICATE');
    execFileSync('openssl', ['pkcs12', '-export', '-nokeys', '-in', 'c.pem', '-out', 'trust.p12', '-passout', 'pass:pw'], { cwd: dir, stdio: 'ignore' });
    expect(loadTruststore(path.join(dir, 'trust.p12'), 'PKCS12', 'pw')).toContain('BEGIN CERTIFICATE');
    expect(() => loadTruststore(path.join(dir, 'trust.p12'), 'PKCS12', 'wrong')).toThrow(/cannot read the PKCS12 truststore/);
  });
});
