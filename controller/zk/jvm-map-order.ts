// The key order of Kafka's znode JSON. Kafka serialises Scala/Java maps with Jackson, so the key order
// in /brokers/ids/<id>, /brokers/topics/<t> and /config/topics/<t> is the iteration order of the JVM
// map Kafka built (e.g. {"listener_security_protocol_map":..,"endpoints":..,"jmx_port":..,...} and
// {"partitions":{"30":[0],"39":[0],...}}). To write byte-identical znodes we reproduce those orders:
// - scala.collection.mutable.HashMap (Scala 2.12): table of 16 growing x2 past 0.75 load, bucket
//   = top bits of byteswap32(hash) rotated by a seed that is fixed when the map is created (4, from the
//   initial 16-slot table; it is NOT updated on resize), iterated from the last bucket down, each bucket
//   newest-first;
// - scala.collection.immutable.HashMap: Map1..Map4 keep insertion order; bigger maps are hash tries
//   iterated by 5-bit chunks of the improved hash, lowest chunk first;
// - java.util.Properties (Java 9+: a ConcurrentHashMap of 16 slots): ascending bucket of
//   (h ^ h >>> 16), insertion order within a bucket.
// Verified against the znodes Kafka 2.4 wrote (shared/reference/kafka-2.4-zookeeper).

/** java.lang.String.hashCode. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** org.apache.kafka.common.TopicPartition.hashCode. */
export function topicPartitionHashCode(topic: string, partition: number): number {
  return (Math.imul(31, 31 + partition) + javaStringHashCode(topic)) | 0;
}

function reverseBytes(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | ((v >>> 24) & 0xff);
}

/** scala.util.hashing.byteswap32. */
function byteswap32(v: number): number {
  const hc = Math.imul(v, 0x9e3775cd | 0);
  return Math.imul(reverseBytes(hc), 0x9e3775cd | 0);
}

/**
 * Iteration order of a Scala 2.12 mutable.HashMap filled with `keys` in this order (no removals).
 * `hash` is the key's `##` (String.hashCode for strings, the value itself for Ints).
 */
export function scalaMutableHashMapOrder<K>(keys: readonly K[], hash: (key: K) => number): K[] {
  interface Entry {
    key: K;
    next: Entry | null;
  }
  const seed = 4; // bitCount(16 - 1), frozen at construction
  let table: Array<Entry | null> = new Array(16).fill(null);
  let threshold = 12;
  let size = 0;
  const index = (h: number) => {
    const ones = table.length - 1;
    const i = byteswap32(h);
    const rotated = (i >>> seed) | (i << (32 - seed));
    return (rotated >>> Math.clz32(ones)) & ones;
  };
  for (const key of keys) {
    const b = index(hash(key));
    table[b] = { key, next: table[b] };
    size++;
    if (size > threshold) {
      const old = table;
      table = new Array(old.length * 2).fill(null);
      for (let i = old.length - 1; i >= 0; i--) {
        for (let e = old[i]; e; ) {
          const next: Entry | null = e.next;
          const nb = index(hash(e.key));
          e.next = table[nb];
          table[nb] = e;
          e = next;
        }
      }
      threshold = Math.floor((table.length * 750) / 1000);
    }
  }
  const out: K[] = [];
  for (let i = table.length - 1; i >= 0; i--) for (let e = table[i]; e; e = e.next) out.push(e.key);
  return out;
}

/** scala.collection.immutable.HashMap.improve (Scala 2.12). */
function improve(hcode: number): number {
  let h = (hcode + ~(hcode << 9)) | 0;
  h = h ^ (h >>> 14);
  h = (h + (h << 4)) | 0;
  return h ^ (h >>> 10);
}

/** Iteration order of a Scala 2.12 immutable Map built from `keys` in this order. */
export function scalaImmutableMapOrder<K>(keys: readonly K[], hash: (key: K) => number): K[] {
  if (keys.length <= 4) return [...keys];
  const withHash = keys.map((key) => ({ key, h: improve(hash(key)) }));
  withHash.sort((a, b) => {
    for (let shift = 0; shift < 32; shift += 5) {
      const d = ((a.h >>> shift) & 31) - ((b.h >>> shift) & 31);
      if (d !== 0) return d;
    }
    return 0;
  });
  return withHash.map((x) => x.key);
}

/** Iteration order of a java.util.Properties (Java 9+, ConcurrentHashMap-backed) filled in this order. */
export function javaPropertiesOrder(keys: readonly string[]): string[] {
  let n = 16;
  while (keys.length >= (n * 3) / 4) n *= 2; // CHM doubles once size reaches 0.75 n
  const bucket = (k: string) => {
    const h = javaStringHashCode(k);
    return ((h ^ (h >>> 16)) & 0x7fffffff) & (n - 1);
  };
  return keys
    .map((key, i) => ({ key, i, b: bucket(key) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((x) => x.key);
}

/**
 * Order of the "partitions" object Kafka 2.4 writes in /brokers/topics/<topic>: TopicZNode.encode
 * copies the assignment (an immutable Map keyed by TopicPartition, built from the assignment
 * algorithm's mutable Int map) into a mutable HashMap of String keys.
 */
export function topicAssignmentKeyOrder(topic: string, partitions: readonly number[]): number[] {
  const sorted = [...partitions].sort((a, b) => a - b);
  const fromAlgorithm = scalaMutableHashMapOrder(sorted, (p) => p);
  const byTopicPartition = scalaImmutableMapOrder(fromAlgorithm, (p) => topicPartitionHashCode(topic, p));
  return scalaMutableHashMapOrder(byTopicPartition, (p) => javaStringHashCode(String(p)));
}

/** JSON text of an object whose keys are written in `order` (values via JSON.stringify). */
export function jsonWithKeyOrder(entries: ReadonlyArray<readonly [string, unknown]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}
