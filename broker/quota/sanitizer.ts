// Kafka's org.apache.kafka.common.utils.Sanitizer: user principals and client ids are stored in
// ZooKeeper znode names URL-encoded (java.net.URLEncoder, UTF-8), with '*' and ' ' written as
// %2A and %20, so any name is a valid znode name and metric tag. "<default>" is not sanitized:
// it is the reserved entity name of the defaults (Kafka's ConfigEntityName.Default).

/** URLEncoder keeps only these; everything else becomes %XX of each UTF-8 byte. */
const KEPT = /^[A-Za-z0-9._-]$/;

export function sanitize(name: string): string {
  let out = '';
  for (const ch of name) {
    if (KEPT.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** java.net.URLDecoder: '+' is a space, %XX a byte; a malformed escape throws (Kafka throws too). */
export function desanitize(name: string): string {
  const plus = name.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    throw new Error(`Invalid sanitized name: ${name}`);
  }
}
