import type { Principal } from '../model.js';
import type { StoredRecord } from '../ports.js';
import { type RecordReadDeps, renderRecords as renderAsRead } from '../records/read-records.js';
import { recordErrors } from '../records/record-errors.js';

/** What rendering a read needs: records, the organisation's field model, the caller's zone. */
export type RenderDeps = Pick<RecordReadDeps, 'recordData' | 'directory' | 'catalog' | 'tags' | 'photos'>;

/**
 * Renders records as GET records does (the one place search, upsert and related lists call the
 * records renderer, so that its changes reach them all). The records are of one module.
 */
export async function renderRecords(
  deps: RenderDeps,
  principal: Principal,
  records: readonly StoredRecord[],
  only: ReadonlySet<string> | null,
): Promise<unknown[]> {
  const module = records[0]?.module;
  if (module === undefined) return [];
  return renderAsRead(deps, principal, module, [...records], only === null ? null : new Set(only));
}

const FIELD_NAME = /^[$A-Za-z][A-Za-z0-9_$]*$/;
const MAX_FIELDS = 50;

/** The `fields` parameter: up to 50 API names; absent means every field. */
export function parseFieldsParam(value: string | undefined): Set<string> | null {
  if (value === undefined) return null;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0 || names.length > MAX_FIELDS || !names.every((n) => FIELD_NAME.test(n)))
    throw recordErrors.invalidParam('fields');
  return new Set(names);
}

/** A whole number parameter within [1, max], or the fallback when absent. */
export function positiveIntParam(
  query: Record<string, string | undefined>,
  name: string,
  fallback: number,
  max = 1_000_000_000,
): number {
  const raw = query[name];
  if (raw === undefined) return fallback;
  if (!/^[0-9]{1,10}$/.test(raw)) throw recordErrors.invalidParam(name);
  const n = Number(raw);
  if (n < 1 || n > max) throw recordErrors.invalidParam(name);
  return n;
}
