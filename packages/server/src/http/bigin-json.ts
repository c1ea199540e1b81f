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

/** Keys in wire order with their JSON-encoded `"key":` prefixes, per distinct key sequence. */
interface Plan {
  keys: readonly string[];
  prefixes: readonly string[];
}

/** Distinct key sequences seen; bounded so that arbitrary client-chosen keys cannot grow it forever. */
const PLAN_CACHE_LIMIT = 4096;
const planCache = new Map<string, Plan>();

function planFor(keys: string[]): Plan {
  // NUL cannot occur in a field name the server emits, so the join is unambiguous.
  const signature = keys.length === 1 ? keys[0]! : keys.join('\u0000');
  let plan = planCache.get(signature);
  if (plan === undefined) {
    const ordered = keys.length < 2 ? keys : hashMapOrder(keys);
    plan = { keys: ordered, prefixes: ordered.map((k) => `${JSON.stringify(k)}:`) };
    if (planCache.size >= PLAN_CACHE_LIMIT) planCache.clear();
    planCache.set(signature, plan);
  }
  return plan;
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
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (write(value[i]) ?? 'null');
    return `${out}]`;
  }
  const object = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') return write(object.toJSON());
  const plan = planFor(Object.keys(object));
  let out = '{';
  let first = true;
  for (let i = 0; i < plan.keys.length; i++) {
    const written = write(object[plan.keys[i]!]);
    if (written === undefined) continue;
    out += (first ? '' : ',') + plan.prefixes[i] + written;
    first = false;
  }
  return `${out}}`;
}

/** JSON.stringify with every object's keys in HashMap order; arrays keep their element order. */
export function biginStringify(value: unknown): string {
  return write(value) ?? 'null';
}
