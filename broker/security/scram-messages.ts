// The four SCRAM messages (RFC 5802 section 7) as Kafka's ScramMessages parses them, shared by the
// broker's ScramSaslServer and the inter-broker client. Extensions after the nonce in the
// client-first message (KIP-84 tokenauth) are accepted and ignored.

export interface ClientFirstMessage {
  readonly gs2Header: string;
  readonly authorizationId: string;
  readonly saslName: string;
  readonly nonce: string;
  /** "n=<name>,r=<nonce>[,ext]": the part that enters the AuthMessage. */
  readonly bare: string;
}

const CLIENT_FIRST = /^([ny]),(?:a=([^,]*))?,(n=([^,]*),r=([\x21-\x2b\x2d-\x7e]+)(?:,.*)?)$/s;

export function parseClientFirst(text: string): ClientFirstMessage {
  const m = CLIENT_FIRST.exec(text);
  if (!m) throw new Error('Invalid SCRAM client first message format');
  return { gs2Header: `${m[1]},${m[2] === undefined ? '' : `a=${m[2]}`},`, authorizationId: m[2] ?? '', saslName: m[4], nonce: m[5], bare: m[3] };
}

/** RFC 5802 saslname: "=2C" is ',' and "=3D" is '='. */
export function usernameOf(saslName: string): string {
  return saslName.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

export function saslNameOf(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

export interface ServerFirstMessage {
  readonly nonce: string;
  readonly salt: Buffer;
  readonly iterations: number;
}

export function formatServerFirst(m: ServerFirstMessage): string {
  return `r=${m.nonce},s=${m.salt.toString('base64')},i=${m.iterations}`;
}

export function parseServerFirst(text: string): ServerFirstMessage {
  const m = /^(?:m=[^,]*,)?r=([^,]+),s=([^,]+),i=([0-9]+)(?:,.*)?$/s.exec(text);
  if (!m) throw new Error('Invalid SCRAM server first message format');
  return { nonce: m[1], salt: Buffer.from(m[2], 'base64'), iterations: Number(m[3]) };
}

export interface ClientFinalMessage {
  readonly channelBinding: Buffer;
  readonly nonce: string;
  readonly proof: Buffer;
  /** "c=...,r=..." : the part that enters the AuthMessage. */
  readonly withoutProof: string;
}

export function parseClientFinal(text: string): ClientFinalMessage {
  const m = /^(c=([^,]*),r=([^,]*)(?:,[^p][^,]*)*),p=([A-Za-z0-9+/=]+)$/s.exec(text);
  if (!m) throw new Error('Invalid SCRAM client final message format');
  return { channelBinding: Buffer.from(m[2], 'base64'), nonce: m[3], proof: Buffer.from(m[4], 'base64'), withoutProof: m[1] };
}

export function parseServerFinal(text: string): { error: string | null; serverSignature: Buffer } {
  const e = /^e=([^,]*)/.exec(text);
  if (e) return { error: e[1], serverSignature: Buffer.alloc(0) };
  const v = /^v=([A-Za-z0-9+/=]+)/.exec(text);
  if (!v) throw new Error('Invalid SCRAM server final message format');
  return { error: null, serverSignature: Buffer.from(v[1], 'base64') };
}

export function xor(a: Buffer, b: Buffer): Buffer {
  if (a.length !== b.length) throw new Error('SCRAM proof of the wrong length');
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}
