// --add-config 'k1=v1,k2=[v1,v2],k3=v3' and --delete-config k1,k2 as Kafka 2.4's ConfigCommand
// parses them: commas inside [...] do not split, '=' splits once per pair (an empty value is
// allowed), brackets are then dropped from values and both sides trimmed.
import { UsageError } from '../shared/usage-error';

/** Splits at `sep` only where no ']' comes before the next '[' (ConfigCommand's lookahead). */
const OUTSIDE_BRACKETS = '(?=[^\\]]*(?:\\[|$))';

/** Java's String.split(regex) with limit 0: trailing empty strings are dropped. */
function javaSplit(s: string, re: RegExp): string[] {
  const parts = s.split(re);
  if (parts.length === 1) return parts;
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Returns the pairs in command-line order (a repeated key: the last value wins). */
export function parseAddConfig(value: string): Map<string, string> {
  const pairs = javaSplit(value, new RegExp(`,${OUTSIDE_BRACKETS}`)).map((p) => p.split(new RegExp(`\\s*=\\s*${OUTSIDE_BRACKETS}`)));
  if (!pairs.every((p) => p.length === 2)) throw new UsageError('Invalid entity config: all configs to be added must be in the format "key=val".');
  const props = new Map<string, string>();
  for (const [k, v] of pairs) props.set(k.trim(), v.replace(/[[\]]/g, '').trim());
  return props;
}

/** --delete-config values, each split at commas (joptsimple withValuesSeparatedBy(',')). */
export function parseDeleteConfig(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((k) => k.trim());
}
