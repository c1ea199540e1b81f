/**
 * The tests' own implementation of java.util.HashMap iteration order (reference §1.9), written
 * apart from the server's so that a mistake in one does not hide in the other.
 */
function hashCode(s: string): number {
  let h = 0;
  for (const unit of Array.from({ length: s.length }, (_, i) => s.charCodeAt(i))) {
    h = (h * 31 + unit) % 2 ** 32; // exact: both stay far below 2^53
  }
  return h >= 2 ** 31 ? h - 2 ** 32 : h;
}

/** `insertion` is the order keys were put in; ties in a bucket keep it. */
export function javaHashMapOrder(insertion: readonly string[]): string[] {
  let capacity = 16;
  while (insertion.length > capacity * 0.75) capacity *= 2;
  const buckets: string[][] = Array.from({ length: capacity }, () => []);
  for (const key of insertion) {
    const h = hashCode(key) >>> 0;
    const spread = (h ^ (h >>> 16)) >>> 0;
    buckets[spread % capacity]!.push(key);
  }
  return buckets.flat();
}

/** Every object in a parsed JSON value whose keys are not in HashMap order of themselves, as JSON paths. */
export function objectsOutOfOrder(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectsOutOfOrder(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const keys = Object.keys(value);
  // Ties make the insertion order unknowable from the output alone; bucket order is not.
  const own = bucketSequence(keys);
  const sorted = [...own].sort((a, b) => a - b);
  const bad = own.some((b, i) => b !== sorted[i]) ? [path] : [];
  return [
    ...bad,
    ...keys.flatMap((k) => objectsOutOfOrder((value as Record<string, unknown>)[k], `${path}.${k}`)),
  ];
}

function bucketSequence(keys: readonly string[]): number[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  return keys.map((k) => {
    const h = hashCode(k) >>> 0;
    return ((h ^ (h >>> 16)) >>> 0) % capacity;
  });
}
