import { hasUnstorableText, replaceUnstorableText } from '../../domain/text.js';

/** Deep copy of `value` with every unstorable character (D-14) replaced; `changed` says whether any was. */
function clean(value: unknown, depth = 0): { value: unknown; changed: boolean } {
  if (typeof value === 'string')
    return hasUnstorableText(value)
      ? { value: replaceUnstorableText(value), changed: true }
      : { value, changed: false };
  if (value === null || typeof value !== 'object' || depth > 64) return { value, changed: false };
  let changed = false;
  if (Array.isArray(value)) {
    const out = value.map((v) => {
      const c = clean(v, depth + 1);
      changed ||= c.changed;
      return c.value;
    });
    return changed ? { value: out, changed } : { value, changed };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = hasUnstorableText(k) ? replaceUnstorableText(k) : k;
    const c = clean(v, depth + 1);
    changed ||= c.changed || key !== k;
    out[key] = c.value;
  }
  return changed ? { value: out, changed } : { value, changed };
}

/**
 * Rows written by the embedded store before the D-14 rule may hold a NUL or an unpaired
 * surrogate, which PostgreSQL refuses (the whole import used to stop on the first). Each such row
 * is copied with those characters replaced by U+FFFD and named in the returned lines, so the
 * migration goes on and the operator sees exactly what changed.
 */
export function replaceUnstorableRows<T extends object>(data: T): { data: T; replaced: string[] } {
  const replaced: string[] = [];
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const [kind, rows] of Object.entries(data)) {
    if (!Array.isArray(rows)) continue;
    out[kind] = rows.map((row: unknown) => {
      const c = clean(row);
      if (c.changed) {
        const r = row as { orgId?: unknown; id?: unknown };
        const name = [r.orgId, r.id].filter((x) => typeof x === 'string').join('/') || '(no id)';
        replaced.push(`${kind} ${replaceUnstorableText(name)}: NUL or unpaired surrogate replaced by U+FFFD`);
      }
      return c.value;
    });
  }
  return { data: out as T, replaced };
}
