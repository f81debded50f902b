// SCRAM credentials as Kafka stores them (RFC 5802 section 3, RFC 7677): Kafka's ScramFormatter
// derives the keys, ScramCredentialUtils writes them into /config/users/<user> as
// "salt=<base64>,stored_key=<base64>,server_key=<base64>,iterations=<n>" under the mechanism's
// name ("SCRAM-SHA-256" / "SCRAM-SHA-512"). kafka-configs --zookeeper uses makeScramCredential /
// formatScramCredential; the broker parses them with parseScramCredential.
import * as crypto from 'crypto';

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
export const SCRAM_MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];
/** Kafka's ScramMechanism.minIterations for both SHA-256 and SHA-512. */
export const SCRAM_MIN_ITERATIONS = 4096;

export interface ScramCredential {
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
  readonly iterations: number;
}

export function isScramMechanism(name: string): name is ScramMechanism {
  return (SCRAM_MECHANISMS as readonly string[]).includes(name);
}

/** 'sha256' / 'sha512' for node's crypto. */
export function scramHash(mechanism: ScramMechanism): 'sha256' | 'sha512' {
  return mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
}

export function hmac(mechanism: ScramMechanism, key: Buffer, data: Buffer | string): Buffer {
  return crypto.createHmac(scramHash(mechanism), key).update(data).digest();
}

export function hash(mechanism: ScramMechanism, data: Buffer): Buffer {
  return crypto.createHash(scramHash(mechanism)).update(data).digest();
}

/** RFC 5802 Hi(): PBKDF2 with the mechanism's HMAC. Kafka does not SASLprep the password (nor do we). */
export function saltedPassword(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Buffer {
  const length = mechanism === 'SCRAM-SHA-256' ? 32 : 64;
  return crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, length, scramHash(mechanism));
}

export function clientKey(mechanism: ScramMechanism, salted: Buffer): Buffer {
  return hmac(mechanism, salted, 'Client Key');
}

export function serverKey(mechanism: ScramMechanism, salted: Buffer): Buffer {
  return hmac(mechanism, salted, 'Server Key');
}

/**
 * A fresh credential for `password`. The salt, like Kafka's ScramFormatter.secureRandomBytes, is
 * the bytes of a random base-36 string of 130 random bits (new BigInteger(130, random)).
 */
export function makeScramCredential(mechanism: ScramMechanism, password: string, iterations = SCRAM_MIN_ITERATIONS, salt?: Buffer): ScramCredential {
  // Kafka 2.4 has a minimum only (the 16384 maximum came with KIP-554, Kafka 2.7).
  if (iterations < SCRAM_MIN_ITERATIONS) throw new Error(`Invalid iterations ${iterations} for ${mechanism}: must be at least ${SCRAM_MIN_ITERATIONS}`);
  const theSalt = salt ?? Buffer.from((BigInt('0x' + crypto.randomBytes(17).toString('hex')) >> 6n).toString(36), 'ascii');
  const salted = saltedPassword(mechanism, password, theSalt, iterations);
  return {
    salt: theSalt,
    storedKey: hash(mechanism, clientKey(mechanism, salted)),
    serverKey: serverKey(mechanism, salted),
    iterations,
  };
}

/** ScramCredentialUtils.credentialToString. */
export function formatScramCredential(c: ScramCredential): string {
  return `salt=${c.salt.toString('base64')},stored_key=${c.storedKey.toString('base64')},server_key=${c.serverKey.toString('base64')},iterations=${c.iterations}`;
}

/** ScramCredentialUtils.credentialFromString; throws on a malformed value. */
export function parseScramCredential(value: string): ScramCredential {
  const fields = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`Invalid SCRAM credential: ${part} is not key=value`);
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const need = (k: string) => {
    const v = fields.get(k);
    if (v === undefined) throw new Error(`Invalid SCRAM credential: ${k} is missing`);
    return v;
  };
  const iterations = Number(need('iterations'));
  if (!Number.isInteger(iterations) || iterations <= 0) throw new Error(`Invalid SCRAM credential: iterations ${need('iterations')}`);
  return {
    salt: Buffer.from(need('salt'), 'base64'),
    storedKey: Buffer.from(need('stored_key'), 'base64'),
    serverKey: Buffer.from(need('server_key'), 'base64'),
    iterations,
  };
}
