// kafka-configs --add-config 'SCRAM-SHA-256=[iterations=8192,password=p]' for users: Kafka 2.4's
// ConfigCommand.preProcessScramCredentials turns each mechanism's "[iterations=n,]password=p" into
// the stored credential (ScramFormatter.generateCredential, ScramCredentialUtils.credentialToString)
// before the user's znode is written, so ZooKeeper never holds the password itself.
import { formatScramCredential, makeScramCredential, SCRAM_MECHANISMS, SCRAM_MIN_ITERATIONS } from '../../broker/security/scram-credential';
import { ConfigArgumentError } from './config-command-options';

/** ConfigCommand.DefaultScramIterations. */
export const DEFAULT_SCRAM_ITERATIONS = 4096;

/** Kafka's pattern "(?:iterations=([0-9]*),)?password=(.*)", matched whole (Scala's Regex extractor). */
const CREDENTIAL_SPEC = /^(?:iterations=([0-9]*),)?password=(.*)$/;

/** Integer.parseInt as Scala's toInt calls it; Kafka prints its NumberFormatException message bare. */
function javaInt(s: string): number {
  const n = Number(s);
  if (s === '' || !Number.isInteger(n) || n > 0x7fffffff) throw new ConfigArgumentError(`For input string: "${s}"`);
  return n;
}

/** Replaces, in place, every SCRAM mechanism's "[iterations=n,]password=p" by its credential string. */
export function preProcessScramCredentials(toAdd: Map<string, string>): void {
  for (const mechanism of SCRAM_MECHANISMS) {
    const spec = toAdd.get(mechanism);
    if (spec === undefined) continue;
    const match = CREDENTIAL_SPEC.exec(spec);
    if (!match) throw new ConfigArgumentError(`Invalid credential property ${mechanism}=${spec}`);
    const iterations = match[1] === undefined ? DEFAULT_SCRAM_ITERATIONS : javaInt(match[1]);
    if (iterations < SCRAM_MIN_ITERATIONS) {
      throw new ConfigArgumentError(`Iterations ${iterations} is less than the minimum ${SCRAM_MIN_ITERATIONS} required for ${mechanism}`);
    }
    toAdd.set(mechanism, formatScramCredential(makeScramCredential(mechanism, match[2], iterations)));
  }
}
