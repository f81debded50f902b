// Java .properties parsing, following java.util.Properties.load: Kafka reads server.properties
// with it, so files written for Kafka (comments, "key value", continuations, \uXXXX escapes) must
// mean the same here. Values keep trailing whitespace like Java; the typed config trims them as
// Kafka's ConfigDef does. Files are read as UTF-8 (Java uses ISO-8859-1; ASCII files agree).
import { ConfigError } from './config-error';

const WHITESPACE = new Set([' ', '\t', '\f']);

/** Logical lines: physical lines joined where a line ends with an odd number of backslashes. */
function logicalLines(text: string): string[] {
  const physical = text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  let pending: string | null = null;
  for (const raw of physical) {
    let line = raw;
    if (pending !== null) {
      // Java skips leading whitespace on continuation lines.
      let i = 0;
      while (i < line.length && WHITESPACE.has(line[i])) i++;
      line = pending + line.slice(i);
      pending = null;
    } else {
      let i = 0;
      while (i < line.length && WHITESPACE.has(line[i])) i++;
      if (i === line.length) continue; // blank line
      // A comment line never continues, even if it ends with a backslash.
      if (line[i] === '#' || line[i] === '!') continue;
      line = line.slice(i);
    }
    let slashes = 0;
    for (let j = line.length - 1; j >= 0 && line[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 1) pending = line.slice(0, -1);
    else out.push(line);
  }
  if (pending !== null) out.push(pending); // continuation at end of file: Java keeps what it has
  return out;
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i === s.length - 1) {
      out += c;
      continue;
    }
    const e = s[++i];
    switch (e) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        const hex = s.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ConfigError('Malformed \\uxxxx encoding.');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default: out += e; // "\=" "\:" "\ " "\\" "\#" and any other char stand for themselves
    }
  }
  return out;
}

/** Splits one logical line into key and raw value, at the first unescaped '=', ':' or whitespace. */
function splitLine(line: string): [string, string] {
  let keyEnd = line.length;
  let valueStart = line.length;
  let sawSeparator = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '=' || c === ':') {
      keyEnd = i;
      valueStart = i + 1;
      sawSeparator = true;
      break;
    }
    if (WHITESPACE.has(c)) {
      keyEnd = i;
      valueStart = i + 1;
      break;
    }
  }
  // After whitespace, skip more whitespace and at most one '=' or ':' ("key = value").
  let v = valueStart;
  while (v < line.length && WHITESPACE.has(line[v])) v++;
  if (!sawSeparator && v < line.length && (line[v] === '=' || line[v] === ':')) {
    v++;
    while (v < line.length && WHITESPACE.has(line[v])) v++;
  }
  return [line.slice(0, keyEnd), line.slice(v)];
}

/** Parses .properties text into key -> value (insertion order; a repeated key keeps its last value). */
export function parseProperties(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of logicalLines(text)) {
    const [rawKey, rawValue] = splitLine(line);
    props[unescape(rawKey)] = unescape(rawValue);
  }
  return props;
}

/** One `--override key=value` argument (kafka-server-start.sh), split at the first '='. */
export function parseOverride(arg: string): [string, string] {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new ConfigError(`Invalid override ${arg}: expected key=value`);
  return [arg.slice(0, eq).trim(), arg.slice(eq + 1)];
}
