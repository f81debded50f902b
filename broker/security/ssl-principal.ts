// The principal of an SSL connection, as Kafka's DefaultKafkaPrincipalBuilder makes it without
// ssl.principal.mapping.rules: "User:" + the client certificate's subject as Java's
// X500Principal.getName() renders it (RFC 2253: most specific RDN first, "CN=client,OU=eng,O=acme,C=US",
// special characters escaped, attributes without an RFC 2253 keyword as OID=#<DER hex>), or
// ANONYMOUS when the client showed no certificate.
import type * as tls from 'tls';

// RFC 2253's keywords; every other attribute is written by OID (X500Principal.RFC2253).
const RFC2253_KEYWORDS = new Set(['CN', 'C', 'L', 'ST', 'O', 'OU', 'STREET', 'DC', 'UID']);
// OpenSSL's short names of attributes Java writes by OID.
const OIDS: Readonly<Record<string, string>> = {
  emailAddress: '1.2.840.113549.1.9.1',
  serialNumber: '2.5.4.5',
  title: '2.5.4.12',
  GN: '2.5.4.42',
  SN: '2.5.4.4',
  initials: '2.5.4.43',
  pseudonym: '2.5.4.65',
  description: '2.5.4.13',
  postalCode: '2.5.4.17',
};

function escapeValue(value: string): string {
  let out = value.replace(/([,+"\\<>;])/g, '\\$1');
  if (out.startsWith('#') || out.startsWith(' ')) out = '\\' + out;
  if (out.endsWith(' ') && out.length > 1) out = out.slice(0, -1) + '\\ ';
  return out;
}

/** An attribute Java renders by OID: its value as a DER string (IA5String for email, else UTF8String). */
function derHex(oid: string, value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  const tag = oid === '1.2.840.113549.1.9.1' ? 0x16 : 0x0c;
  const length = bytes.length < 128 ? Buffer.from([bytes.length]) : Buffer.from([0x81, bytes.length]);
  return Buffer.concat([Buffer.from([tag]), length, bytes]).toString('hex');
}

/**
 * Node's X509Certificate.subject ("C=US\nO=acme\nCN=client", in certificate order, values escaped
 * OpenSSL-style) -> the RFC 2253 string.
 */
export function rfc2253Name(subject: string): string {
  const rdns = subject.split('\n').filter((l) => l !== '');
  return rdns
    .reverse()
    .map((rdn) =>
      rdn
        .split(' + ')
        .map((ava) => {
          const eq = ava.indexOf('=');
          const key = ava.slice(0, eq);
          const value = ava.slice(eq + 1).replace(/\\(.)/g, '$1');
          if (RFC2253_KEYWORDS.has(key.toUpperCase())) return `${key.toUpperCase()}=${escapeValue(value)}`;
          const oid = OIDS[key] ?? key;
          return `${oid}=#${derHex(oid, value)}`;
        })
        .join('+'),
    )
    .join(',');
}

/**
 * The principal name for a TLS connection. A certificate that was shown but not trusted
 * (ssl.client.auth=requested lets the handshake finish) is refused, as Java's trust manager does.
 */
export function sslPrincipal(socket: tls.TLSSocket): string {
  const cert = socket.getPeerX509Certificate();
  if (cert === undefined) return 'ANONYMOUS';
  const verifyError = peerVerifyError(socket);
  if (verifyError !== null) throw new Error(`client certificate not trusted: ${verifyError}`);
  return rfc2253Name(cert.subject);
}

/**
 * The OpenSSL verification result of the peer's certificate. A TLSSocket wrapped by hand (not
 * accepted by a tls.Server) never gets `authorized` set, so this asks the handle as Node's own
 * tls.Server does in onServerSocketSecure (_handle.verifyError(): null when trusted).
 */
function peerVerifyError(socket: tls.TLSSocket): string | null {
  const handle = (socket as unknown as { _handle?: { verifyError?: () => (Error & { code?: string }) | null } })._handle;
  if (typeof handle?.verifyError !== 'function') return socket.authorized ? null : 'verification result unavailable';
  const err = handle.verifyError();
  return err ? (err.code ?? err.message) : null;
}
