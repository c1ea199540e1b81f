import type { StoredRecord } from '../../storage/ports.js';
import { formatTime } from '../time.js';
import { RECORD_MODULES } from './record-modules.js';

export interface RenderContext {
  users: Map<string, { name: string; email: string }>;
  /** Names of records that lookups point at. */
  names: Map<string, { name: string }>;
}

const userRef = (ctx: RenderContext, id: string) => ({
  name: ctx.users.get(id)?.name ?? null,
  id,
  email: ctx.users.get(id)?.email ?? null,
});

/**
 * A record as the API returns it: `id`, the field values in the order they were set (lookups as
 * `{name, id}`), then `Owner`, `Created_By`, `Modified_By`, `Created_Time`, `Modified_Time`.
 * Unset fields are omitted rather than null. `only` restricts the keys (the `fields` parameter);
 * `id` is always present.
 */
export function renderRecord(record: StoredRecord, ctx: RenderContext, only: ReadonlySet<string> | null) {
  const lookups = RECORD_MODULES[record.module].lookups;
  const out: Record<string, unknown> = { id: record.id };
  const want = (key: string) => only === null || only.has(key);
  for (const [key, value] of Object.entries(record.fields)) {
    if (!want(key)) continue;
    if (key in lookups && typeof value === 'object' && value !== null && 'id' in value) {
      const id = String((value as { id: unknown }).id);
      out[key] = { name: ctx.names.get(id)?.name ?? null, id };
    } else out[key] = value;
  }
  if (want('Owner')) out.Owner = userRef(ctx, record.ownerId);
  if (want('Created_By')) out.Created_By = userRef(ctx, record.createdBy);
  if (want('Modified_By')) out.Modified_By = userRef(ctx, record.modifiedBy);
  if (want('Created_Time')) out.Created_Time = formatTime(record.createdAt);
  if (want('Modified_Time')) out.Modified_Time = formatTime(record.modifiedAt);
  return out;
}

/** Ids of users and looked-up records a set of records mentions, to fetch before rendering. */
export function referencesOf(records: readonly StoredRecord[]): { users: string[]; records: string[] } {
  const users = new Set<string>();
  const recs = new Set<string>();
  for (const r of records) {
    users.add(r.ownerId).add(r.createdBy).add(r.modifiedBy);
    for (const key of Object.keys(RECORD_MODULES[r.module].lookups)) {
      const v = r.fields[key];
      if (typeof v === 'object' && v !== null && 'id' in v) recs.add(String((v as { id: unknown }).id));
    }
  }
  return { users: [...users], records: [...recs] };
}
