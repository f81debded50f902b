// Kafka's LineMessageReader: one record per input line; with parse.key=true the key is the
// text before the first key.separator (default TAB) and the value the rest. A line without the
// separator is an error unless ignore.error=true (then it is sent whole, without a key).
import { propertyIsTrue, unescapeJava } from '../shared/options';

export interface LineRecord {
  key: string | null;
  value: string;
}

export class LineParseError extends Error {}

export class LineMessageReader {
  private readonly parseKey: boolean;
  private readonly separator: string;
  private readonly ignoreError: boolean;
  private lineNumber = 0;

  constructor(props: Map<string, string>) {
    this.parseKey = propertyIsTrue(props, 'parse.key');
    this.separator = unescapeJava(props.get('key.separator') ?? '\t');
    this.ignoreError = propertyIsTrue(props, 'ignore.error');
  }

  read(line: string): LineRecord {
    this.lineNumber++;
    if (!this.parseKey) return { key: null, value: line };
    const at = line.indexOf(this.separator);
    if (at < 0) {
      if (this.ignoreError) return { key: null, value: line };
      throw new LineParseError(`No key found on line ${this.lineNumber}: ${line}`);
    }
    return { key: line.slice(0, at), value: line.slice(at + this.separator.length) };
  }
}
