/** Inclusive byte offsets. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Reads a `Range` header against a representation of `size` bytes (RFC 9110 §14). Only a single
 * `bytes` range is served; a header that is absent, malformed, of another unit or asks for
 * several ranges is ignored (the whole body is sent, which the RFC allows). A well-formed range
 * that lies wholly outside the body is unsatisfiable.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { kind: 'whole' } | { kind: 'range'; range: ByteRange } | { kind: 'unsatisfiable' } {
  if (header === undefined) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*([0-9]*)\s*-\s*([0-9]*)\s*$/i.exec(header);
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first.length > 15 || last.length > 15) return { kind: 'whole' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - n), end: size - 1 } };
  }
  const start = Number(first);
  // A last position before the first makes the header invalid, which means: ignore it.
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'range', range: { start, end } };
}
