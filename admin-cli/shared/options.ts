// Option parsing shared by every tool: host:port lists, repeated k=v options (--property,
// --config, --producer-property), integers. Parsers throw UsageError; runTool turns that into
// "message + usage, exit 1", as Kafka's CommandLineUtils.printUsageAndDie does.
import { UsageError } from './usage-error';

export interface HostPort {
  host: string;
  port: number;
}

/** "h1:9092,h2:9093" -> [{host, port}]. IPv6 literals may be bracketed: "[::1]:9092". */
export function parseHostPortList(value: string, optionName = 'bootstrap-server'): HostPort[] {
  const entries = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (entries.length === 0) throw new UsageError(`Option --${optionName} needs at least one host:port`);
  return entries.map((entry) => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(entry);
    const port = m ? Number(m[2]) : NaN;
    if (!m || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new UsageError(`Invalid host:port '${entry}' in --${optionName} (expected host:port[,host:port...])`);
    }
    return { host: m[1], port };
  });
}

/** Commander collector for repeated k=v options; keeps insertion order, last value wins. */
export function collectKeyValue(optionName: string): (value: string, previous: Map<string, string> | undefined) => Map<string, string> {
  return (value, previous) => {
    const map = previous ?? new Map<string, string>();
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`Invalid --${optionName} '${value}': expected key=value`);
    map.set(value.slice(0, eq).trim(), value.slice(eq + 1));
    return map;
  };
}

/** Commander collector for repeated plain options (--delete-config k). */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A whole decimal number within int32 (or a narrower range). */
export function parseIntOption(optionName: string, min = -0x80000000, max = 0x7fffffff): (value: string) => number {
  return (value) => {
    const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n)) throw new UsageError(`Option --${optionName} expects an integer, got '${value}'`);
    if (n < min || n > max) throw new UsageError(`Option --${optionName} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

/** Kafka's properties are strings; booleans are "true" case-insensitively, as Java's Boolean.parseBoolean. */
export function propertyIsTrue(props: Map<string, string> | undefined, key: string, defaultValue = false): boolean {
  const v = props?.get(key);
  return v === undefined ? defaultValue : v.trim().toLowerCase() === 'true';
}

/**
 * Java properties escapes that Kafka users pass in key.separator / line.separator
 * ("\t", "\n", "\\"); the shell hands us the backslash literally.
 */
export function unescapeJava(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[c] ?? c;
  });
}
