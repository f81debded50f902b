// The bits of java.util.Formatter and java.text.SimpleDateFormat the perf tools print with, so
// their lines parse exactly like Kafka's: "%.Nf" rounds half up on the shortest decimal and prints
// NaN / Infinity as Java does; "%f" is "%.6f".
export function javaFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  // Java rounds the shortest decimal form of the double half up (1.005 -> "1.01", 9.95 -> "10.0"),
  // where toFixed rounds the exact binary value (1.00, 9.9).
  const negative = value < 0 || Object.is(value, -0);
  const [intPart, fracPart = ''] = decimalDigits(Math.abs(value)).split('.');
  let scaled = BigInt(intPart + fracPart.slice(0, digits).padEnd(digits, '0'));
  if (fracPart.length > digits && fracPart.charCodeAt(digits) >= 53 /* '5' */) scaled += 1n;
  const text = scaled.toString().padStart(digits + 1, '0');
  const body = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/** The shortest round-trip decimal of a finite non-negative double, without exponent notation. */
function decimalDigits(x: number): string {
  const s = String(x);
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[1] + (m[2] ?? '');
  const exp = Number(m[3]);
  if (exp >= 0) return digits.length - 1 <= exp ? digits + '0'.repeat(exp - digits.length + 1) : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `0.${'0'.repeat(-exp - 1)}${digits}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * java.text.SimpleDateFormat in the local time zone for the letters y M d H h m s S a E and
 * quoted literals; other letters are printed as they are.
 */
export function simpleDateFormat(pattern: string, ms: number): string {
  const d = new Date(ms);
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) out += "'";
      else out += pattern.slice(i + 1, end < 0 ? pattern.length : end);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    switch (c) {
      case 'y': out += n === 2 ? pad(d.getFullYear() % 100, 2) : pad(d.getFullYear(), n); break;
      case 'M': out += pad(d.getMonth() + 1, n); break;
      case 'd': out += pad(d.getDate(), n); break;
      case 'H': out += pad(d.getHours(), n); break;
      case 'h': out += pad(d.getHours() % 12 || 12, n); break;
      case 'm': out += pad(d.getMinutes(), n); break;
      case 's': out += pad(d.getSeconds(), n); break;
      case 'S': out += pad(d.getMilliseconds(), n); break;
      case 'a': out += d.getHours() < 12 ? 'AM' : 'PM'; break;
      case 'E': out += ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()]; break;
      default: out += c.repeat(n);
    }
  }
  return out;
}

/** Double.toString, as Jackson writes a double: "12.0", "1234.5678", "1.0E7", "1.5E-4", "NaN". */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(x);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = decimalDigits(abs);
    return (x < 0 ? '-' : '') + (s.includes('.') ? s : `${s}.0`);
  }
  const [mantissa, exponent] = x.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}
