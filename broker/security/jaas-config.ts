// JAAS configuration as Kafka reads it: the value of a sasl.jaas.config key
// ("<LoginModule class> required key="value" ...;") and a JAAS file named by
// -Djava.security.auth.login.config in KAFKA_OPTS, whose sections are "KafkaServer",
// "<listener>.KafkaServer" (KIP-103) and "KafkaClient". Only the module class, its flag and its
// options matter to Zafka: PlainLoginModule's user_<name> entries and username/password.

export interface JaasLoginModule {
  readonly className: string;
  readonly flag: string;
  readonly options: Readonly<Record<string, string>>;
}

type Token = { kind: 'word' | 'string' | 'punct'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (text.startsWith('//', i) || c === '#') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if ('{};='.includes(c)) { tokens.push({ kind: 'punct', text: c }); i++; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j++];
      }
      if (j >= text.length) throw new Error('JAAS config has an unterminated quoted string');
      tokens.push({ kind: 'string', text: value });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s{};="']/.test(text[j])) j++;
    tokens.push({ kind: 'word', text: text.slice(i, j) });
    i = j;
  }
  return tokens;
}

/** Reads "<class> <flag> key=value ... ;" entries until `stop` ('}' in a file, end for a key value). */
function parseModules(tokens: Token[], pos: { i: number }, stop: string | null): JaasLoginModule[] {
  const modules: JaasLoginModule[] = [];
  while (pos.i < tokens.length && !(stop !== null && tokens[pos.i].text === stop && tokens[pos.i].kind === 'punct')) {
    const className = tokens[pos.i++];
    const flag = tokens[pos.i++];
    if (className?.kind !== 'word' || flag?.kind !== 'word') throw new Error('JAAS config: expected "<LoginModule class> <flag>"');
    if (!['required', 'requisite', 'sufficient', 'optional'].includes(flag.text.toLowerCase())) {
      throw new Error(`JAAS config: invalid control flag ${flag.text} for ${className.text}`);
    }
    const options: Record<string, string> = {};
    while (pos.i < tokens.length && tokens[pos.i].text !== ';') {
      const key = tokens[pos.i++];
      const eq = tokens[pos.i++];
      const value = tokens[pos.i++];
      if (key.kind !== 'word' || eq?.text !== '=' || value === undefined || value.kind === 'punct') {
        throw new Error(`JAAS config: expected key=value in the options of ${className.text}`);
      }
      options[key.text] = value.text;
    }
    if (tokens[pos.i]?.text !== ';') throw new Error(`JAAS config: the entry for ${className.text} must end with ';'`);
    pos.i++;
    modules.push({ className: className.text, flag: flag.text.toLowerCase(), options });
  }
  return modules;
}

/** The value of a sasl.jaas.config key. */
export function parseJaasConfigValue(text: string): JaasLoginModule[] {
  const tokens = tokenize(text);
  const modules = parseModules(tokens, { i: 0 }, null);
  if (modules.length === 0) throw new Error('JAAS config property does not contain any login modules');
  return modules;
}

/** A JAAS file: section name -> its login modules. */
export function parseJaasFile(text: string): Map<string, JaasLoginModule[]> {
  const tokens = tokenize(text);
  const sections = new Map<string, JaasLoginModule[]>();
  const pos = { i: 0 };
  while (pos.i < tokens.length) {
    const name = tokens[pos.i++];
    if (name.kind !== 'word' || tokens[pos.i++]?.text !== '{') throw new Error('JAAS file: expected "<Section> {"');
    const modules = parseModules(tokens, pos, '}');
    pos.i++; // '}'
    if (tokens[pos.i]?.text === ';') pos.i++;
    sections.set(name.text, modules);
  }
  return sections;
}

/** The file named by -Djava.security.auth.login.config=<path> in KAFKA_OPTS (or null). */
export function jaasFileFromKafkaOpts(kafkaOpts: string | undefined): string | null {
  const m = /-Djava\.security\.auth\.login\.config=("([^"]*)"|(\S+))/.exec(kafkaOpts ?? '');
  if (!m) return null;
  return m[2] ?? m[3];
}
