// Kafka's DefaultMessageFormatter (kafka.tools.DefaultMessageFormatter): optional columns
// timestamp ("CreateTime:<ms>"), partition ("Partition:<n>"), offset ("Offset:<n>"), headers,
// key and value, separated by key.separator (TAB), each record ending with line.separator (\n).
// Keys, values and header values are written as raw bytes; null prints as "null".
import { TimestampType } from '../../broker/protocol/records/record-batch';
import type { ConsumerRecord } from '../client/fetch-records';
import { propertyIsTrue, unescapeJava } from '../shared/options';

export interface FormatterOptions {
  printTimestamp: boolean;
  printKey: boolean;
  printValue: boolean;
  printPartition: boolean;
  printOffset: boolean;
  printHeaders: boolean;
  keySeparator: Buffer;
  lineSeparator: Buffer;
  headersSeparator: Buffer;
  nullLiteral: Buffer;
}

export function formatterOptionsFrom(props: Map<string, string>): FormatterOptions {
  const str = (k: string, d: string) => Buffer.from(unescapeJava(props.get(k) ?? d));
  return {
    printTimestamp: propertyIsTrue(props, 'print.timestamp'),
    printKey: propertyIsTrue(props, 'print.key'),
    printValue: propertyIsTrue(props, 'print.value', true),
    printPartition: propertyIsTrue(props, 'print.partition'),
    printOffset: propertyIsTrue(props, 'print.offset'),
    printHeaders: propertyIsTrue(props, 'print.headers'),
    keySeparator: str('key.separator', '\t'),
    lineSeparator: str('line.separator', '\n'),
    headersSeparator: str('headers.separator', ','),
    nullLiteral: str('null.literal', 'null'),
  };
}

/** Appends the formatted record to parts (no concatenation per record). */
export function formatRecord(r: ConsumerRecord, o: FormatterOptions, parts: Buffer[]): void {
  const columns: Buffer[] = [];
  if (o.printTimestamp) {
    const type = r.timestamp < 0 ? null : r.timestampType === TimestampType.LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime';
    columns.push(Buffer.from(type === null ? 'NO_TIMESTAMP' : `${type}:${r.timestamp}`));
  }
  if (o.printPartition) columns.push(Buffer.from(`Partition:${r.partition}`));
  if (o.printOffset) columns.push(Buffer.from(`Offset:${r.offset}`));
  if (o.printHeaders) {
    if (r.headers.length === 0) columns.push(Buffer.from('NO_HEADERS'));
    else {
      const hs: Buffer[] = [];
      r.headers.forEach((h, i) => {
        if (i > 0) hs.push(o.headersSeparator);
        hs.push(Buffer.from(`${h.key}:`), h.value ?? o.nullLiteral);
      });
      columns.push(Buffer.concat(hs));
    }
  }
  if (o.printKey) columns.push(r.key ?? o.nullLiteral);
  if (o.printValue) columns.push(r.value ?? o.nullLiteral);
  columns.forEach((c, i) => {
    if (i > 0) parts.push(o.keySeparator);
    parts.push(c);
  });
  parts.push(o.lineSeparator);
}
