// The bits of java.util.Formatter and java.text.SimpleDateFormat the perf tools print with, so
// their lines parse exactly like Kafka's: "%.Nf" rounds half up on the decimal value and prints
// NaN / Infinity as Java does; "%f" is "%.6f".
export function javaFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return value.toFixed(digits);
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
