/**
 * Bigin's JSON writer. Every object the real service sends comes out in java.util.HashMap
 * iteration order (reference §1.9: 191 of 191 recorded objects), so every JSON answer here goes
 * through `biginStringify`, which reorders each object's keys the same way. The order depends only
 * on the key set and the insertion order of keys that share a bucket, so it is computed once per
 * distinct key sequence and cached: a request pays a string join and a map lookup per object.
 */

/** Java's String.hashCode: h = 31*h + c over UTF-16 code units, 32-bit two's complement. */
export function javaStringHash(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
  return h;
}

/** HashMap's table size for `size` entries under default growth (16, doubled past 0.75 load). */
export function hashMapCapacity(size: number): number {
  let n = 16;
  while (size > 0.75 * n) n *= 2;
  return n;
}

/**
 * Keys as a java.util.HashMap built by inserting them in `keys` order would iterate them: by
 * bucket (spread hash masked by capacity − 1) ascending, insertion order within a bucket.
 * (HashMap treeifies a bucket of 8 or more keys; no Bigin object comes near that.)
 */
export function hashMapOrder(keys: readonly string[]): string[] {
  const mask = hashMapCapacity(keys.length) - 1;
  const withBucket = keys.map((key, index) => {
    const h = javaStringHash(key);
    return { key, index, bucket: (h ^ (h >>> 16)) & mask };
  });
  withBucket.sort((a, b) => a.bucket - b.bucket || a.index - b.index);
  return withBucket.map((k) => k.key);
}

/** Distinct key sequences seen; bounded so that arbitrary client-chosen keys cannot grow it forever. */
const ORDER_CACHE_LIMIT = 4096;
const orderCache = new Map<string, readonly string[]>();

function cachedOrder(keys: string[]): readonly string[] {
  // NUL cannot occur in a field name the server emits, so the join is unambiguous.
  const signature = keys.join('\u0000');
  let order = orderCache.get(signature);
  if (order === undefined) {
    order = hashMapOrder(keys);
    if (orderCache.size >= ORDER_CACHE_LIMIT) orderCache.clear();
    orderCache.set(signature, order);
  }
  return order;
}

function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (Array.isArray(value)) return `[${value.map((v) => write(v) ?? 'null').join(',')}]`;
  const object = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') return write(object.toJSON());
  const keys = Object.keys(object).filter((k) => {
    const t = typeof object[k];
    return t !== 'undefined' && t !== 'function' && t !== 'symbol';
  });
  const parts: string[] = [];
  for (const key of keys.length < 2 ? keys : cachedOrder(keys))
    parts.push(`${JSON.stringify(key)}:${write(object[key])}`);
  return `{${parts.join(',')}}`;
}

/** JSON.stringify with every object's keys in HashMap order; arrays keep their element order. */
export function biginStringify(value: unknown): string {
  return write(value) ?? 'null';
}
