import { ConfigError } from '../../../broker/config/config-error';
import { parseOverride, parseProperties } from '../../../broker/config/properties';

describe('parseProperties (java.util.Properties rules)', () => {
  it('accepts =, : and whitespace as separators, with whitespace around them', () => {
    const props = parseProperties(['a=1', 'b:2', 'c 3', '  d   =   4', 'e\t:\t5', 'f = = 6'].join('\n'));
    expect(props).toEqual({ a: '1', b: '2', c: '3', d: '4', e: '5', f: '= 6' });
  });

  it('skips # and ! comments and blank lines, and keeps the last value of a repeated key', () => {
    const props = parseProperties('# comment\n! also a comment\n\n   \nkey=first\n  # indented comment\nkey=second\n');
    expect(props).toEqual({ key: 'second' });
  });

  it('joins lines ending with an odd number of backslashes, dropping the next line\'s indentation', () => {
    const props = parseProperties('list=a,\\\n    b,\\\n\tc\npath=C:\\\\\nnext=x');
    expect(props).toEqual({ list: 'a,b,c', path: 'C:\\', next: 'x' });
  });

  it('does not continue a comment line ending with a backslash', () => {
    expect(parseProperties('# comment \\\nkey=v')).toEqual({ key: 'v' });
  });

  it('handles \\r\\n and \\r line endings', () => {
    expect(parseProperties('a=1\r\nb=2\rc=3')).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('decodes escapes in keys and values', () => {
    const props = parseProperties('my\\ key\\=x=tab\\there\\u0041\\n\\#');
    expect(props).toEqual({ 'my key=x': 'tab\there\u0041\n#' });
  });

  it('keeps trailing whitespace in values and gives an empty value to a bare key', () => {
    expect(parseProperties('a=value  \nbare\nempty=')).toEqual({ a: 'value  ', bare: '', empty: '' });
  });

  it('rejects a malformed \\u escape', () => {
    expect(() => parseProperties('a=\\u12G4')).toThrow(ConfigError);
  });

  it('parses --override arguments at the first =', () => {
    expect(parseOverride('listeners=PLAINTEXT://:9092')).toEqual(['listeners', 'PLAINTEXT://:9092']);
    expect(parseOverride('a=b=c')).toEqual(['a', 'b=c']);
    expect(() => parseOverride('novalue')).toThrow(/novalue/);
  });
});
