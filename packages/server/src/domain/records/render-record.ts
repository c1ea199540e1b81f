import { formatBiginTime } from '../bigin-time.js';
import type { FieldDef, OrgCustomization } from '../metadata/field-model.js';
import { moduleFields } from '../metadata/module-metadata.js';
import { type DollarKeyContext, dollarKeys } from '../metadata/system-keys.js';
import type { StoredRecord } from '../ports.js';

export interface RenderContext {
  users: Map<string, { name: string; email: string }>;
  /** Names of records that lookups point at. */
  names: Map<string, { name: string }>;
  /** The requesting user's IANA zone: every datetime is written in it (D9). */
  timeZone: string;
  customization: OrgCustomization;
  dollar: DollarKeyContext;
  /** Each record's tags (docs/tags.md); a record absent here has none. */
  tags: Map<string, Array<{ name: string; id: string }>>;
  /** Each record's `Record_Image` token (D20); a record absent here has no photo. */
  photos?: Map<string, string>;
}

const userRef = (ctx: RenderContext, id: string) => ({
  name: ctx.users.get(id)?.name ?? null,
  id,
  email: ctx.users.get(id)?.email ?? null,
});

const text = (v: unknown) => (typeof v === 'string' ? v : '');

function time(ctx: RenderContext, v: unknown): string | null {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(ms) ? null : formatBiginTime(ms, ctx.timeZone);
}

/** A field's value as Bigin renders it: computed for system fields, `null` when empty, `[]` for an empty list. */
function fieldValue(record: StoredRecord, field: FieldDef, ctx: RenderContext): unknown {
  switch (field.apiName) {
    case 'Owner':
      return userRef(ctx, record.ownerId);
    case 'Created_By':
      return userRef(ctx, record.createdBy);
    case 'Modified_By':
      return userRef(ctx, record.modifiedBy);
    case 'Created_Time':
      return formatBiginTime(record.createdAt, ctx.timeZone);
    case 'Modified_Time':
      return formatBiginTime(record.modifiedAt, ctx.timeZone);
    // Decision: the last activity on a record is its last change (no activities are tracked).
    case 'Last_Activity_Time':
      return formatBiginTime(record.modifiedAt, ctx.timeZone);
    case 'Full_Name': {
      const full = [text(record.fields.First_Name), text(record.fields.Last_Name)]
        .filter((s) => s !== '')
        .join(' ');
      return full === '' ? null : full;
    }
    case 'Locked__s':
      return false;
    // Tags live in their own table, so that a rename shows in every record at once.
    // The photo lives in its own table (D20): an opaque token per upload, null without one.
    case 'Record_Image':
      return ctx.photos?.get(record.id) ?? null;
    case 'Tag':
      return ctx.tags.get(record.id) ?? [];
    // Recorded as strings: bigints exceed 2^53.
    case 'Record_Creation_Source_ID__s':
    case 'Account_Number':
      return '0';
  }
  const value = record.fields[field.apiName];
  if (value === undefined || value === null || value === '') return field.list ? [] : null;
  if (field.lookup !== undefined) {
    if (typeof value !== 'object' || !('id' in value)) return null;
    const id = String((value as { id: unknown }).id);
    return { name: ctx.names.get(id)?.name ?? null, id };
  }
  if (field.dataType === 'datetime') return time(ctx, value);
  if (field.dataType === 'bigint' && typeof value === 'number') return String(value);
  return value;
}

/**
 * A record as Bigin renders it (D9). `only` is the `fields` parameter: every named field the
 * module defines comes back (null when empty, lists as `[]`), `$`-keys are computed, names the
 * module lacks are dropped, and `id` is always there. Without `fields` the whole record comes
 * back, as Bigin's search answers it. Keys are inserted in the module's field order; the
 * serializer puts them in HashMap order.
 */
export function renderRecord(record: StoredRecord, ctx: RenderContext, only: ReadonlySet<string> | null) {
  const out: Record<string, unknown> = { id: record.id };
  const model = moduleFields(record.module, ctx.customization);
  for (const field of model.fields)
    if (only === null || only.has(field.apiName)) out[field.apiName] = fieldValue(record, field, ctx);
  for (const [key, compute] of dollarKeys(record.module))
    if (only === null || only.has(key)) out[key] = compute(ctx.dollar);
  return out;
}

/** Ids of users and looked-up records a set of records mentions, to fetch before rendering. */
export function referencesOf(
  records: readonly StoredRecord[],
  customization: OrgCustomization,
): { users: string[]; records: string[] } {
  const users = new Set<string>();
  const recs = new Set<string>();
  for (const r of records) {
    users.add(r.ownerId).add(r.createdBy).add(r.modifiedBy);
    for (const field of moduleFields(r.module, customization).lookups) {
      const v = r.fields[field.apiName];
      if (typeof v === 'object' && v !== null && 'id' in v) recs.add(String((v as { id: unknown }).id));
    }
  }
  return { users: [...users], records: [...recs] };
}
