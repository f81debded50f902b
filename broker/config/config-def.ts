// Typed config keys in the manner of Kafka's ConfigDef: each key has a type, a default (null when
// Kafka has none) and an optional validator, and bad values fail with Kafka's own wording
// ("Invalid value abc for configuration broker.id: Not a number of type INT") so people can
// search for the message. Values are trimmed first, as ConfigDef.parseType does.
import { ConfigError } from './config-error';

export type ConfigType = 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'LIST' | 'PASSWORD' | 'CLASS';
export type ConfigValue = number | boolean | string | string[] | null;

export interface ConfigKey {
  readonly type: ConfigType;
  /** Kafka's default; `undefined` means required (no default), `null` means "unset". */
  readonly default: ConfigValue | undefined;
  /** Returns an explanation when the value is not acceptable. */
  readonly validate?: (value: ConfigValue) => string | undefined;
}

const INT_RANGE: Record<string, [bigint, bigint]> = {
  SHORT: [-32768n, 32767n],
  INT: [-2147483648n, 2147483647n],
  LONG: [-9223372036854775808n, 9223372036854775807n],
};

function invalid(name: string, value: string, why: string): ConfigError {
  return new ConfigError(`Invalid value ${value} for configuration ${name}: ${why}`);
}

/**
 * Java's Integer/Short/Long.parseInt accepts an optional sign and decimal digits only. int64s are
 * JS numbers in Zafka; Long.MAX_VALUE (Kafka's "never") becomes Number.MAX_SAFE_INTEGER.
 */
function parseInteger(name: string, raw: string, type: 'INT' | 'SHORT' | 'LONG'): number {
  if (!/^[+-]?\d+$/.test(raw)) throw invalid(name, raw, `Not a number of type ${type}`);
  const big = BigInt(raw);
  const [min, max] = INT_RANGE[type];
  if (big < min || big > max) throw invalid(name, raw, `Not a number of type ${type}`);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (big < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(big);
}

/** Parses one raw (string) value of a key into its typed value, or throws ConfigError. */
export function parseConfigValue(name: string, key: ConfigKey, rawValue: string): ConfigValue {
  const raw = rawValue.trim();
  let value: ConfigValue;
  switch (key.type) {
    case 'INT':
    case 'SHORT':
    case 'LONG':
      value = parseInteger(name, raw, key.type);
      break;
    case 'DOUBLE': {
      const n = Number(raw);
      if (raw === '' || Number.isNaN(n)) throw invalid(name, raw, 'Not a number of type DOUBLE');
      value = n;
      break;
    }
    case 'BOOLEAN':
      if (raw.toLowerCase() === 'true') value = true;
      else if (raw.toLowerCase() === 'false') value = false;
      else throw invalid(name, raw, 'Expected value to be either true or false');
      break;
    case 'LIST':
      value = raw === '' ? [] : raw.split(/\s*,\s*/);
      break;
    default:
      value = raw;
  }
  const why = key.validate?.(value);
  if (why !== undefined) throw invalid(name, raw, why);
  return value;
}

// Validators, worded like Kafka's ConfigDef.Range / ValidString / ValidList.
export function atLeast(min: number): (v: ConfigValue) => string | undefined {
  return (v) => (typeof v === 'number' && v < min ? `Value must be at least ${min}` : undefined);
}

export function oneOf(...allowed: string[]): (v: ConfigValue) => string | undefined {
  return (v) => {
    const values = Array.isArray(v) ? v : [v];
    const bad = values.find((x) => typeof x === 'string' && !allowed.includes(x));
    return bad !== undefined ? `String must be one of: ${allowed.join(', ')}` : undefined;
  };
}

/** Renders a typed value the way Kafka's "KafkaConfig values:" log block does. */
export function formatConfigValue(key: ConfigKey, value: ConfigValue): string {
  if (value === null) return 'null';
  if (key.type === 'PASSWORD') return '[hidden]';
  if (Array.isArray(value)) return key.type === 'LIST' ? `[${value.join(', ')}]` : value.join(',');
  if (value === Number.MAX_SAFE_INTEGER && key.type === 'LONG') return '9223372036854775807';
  return String(value);
}
