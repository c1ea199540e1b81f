import type { ItemResult } from '@bigin-attachments/contract';
import type { Principal } from '../model.js';
import type { RecordSearchRepository } from '../ports.js';
import { SEARCH_FIELD_TYPES } from '../search/field-types.js';
import { batchStatus, item } from './item-results.js';
import { authorizeRecordOperation, isVisible, visibleOwners } from './record-access.js';
import { recordErrors } from './record-errors.js';
import { RECORD_MODULES } from './record-modules.js';
import { dataItems } from './request-data.js';
import { type BatchAnswer, insertRecords, type RecordWriteDeps, updateRecords } from './write-records.js';

export interface UpsertDeps extends RecordWriteDeps {
  recordSearch: RecordSearchRepository;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** How often an item whose insert lost a race to a concurrent insert of the same key looks again. */
const RACE_RETRIES = 3;

/** `duplicate_check_fields`: API names, or the module's unique fields (its default order) when absent. */
function duplicateCheckFields(module: keyof typeof RECORD_MODULES, body: unknown): string[] {
  const given = (body as { duplicate_check_fields?: unknown }).duplicate_check_fields;
  if (given === undefined || given === null) return [...RECORD_MODULES[module].unique];
  if (
    !Array.isArray(given) ||
    given.length === 0 ||
    !given.every((f) => typeof f === 'string' && FIELD_NAME.test(f) && f in SEARCH_FIELD_TYPES[module])
  )
    throw recordErrors.invalidParam('duplicate_check_fields');
  return [...new Set(given as string[])];
}

/** Bigin's upsert item: the write result with `duplicate_field` and `action`, in the recorded key order. */
function upsertItem(r: ItemResult, action: 'insert' | 'update', field: string | null) {
  if (r.status !== 'success') return r;
  return {
    code: r.code,
    duplicate_field: field,
    action,
    details: r.details,
    message: r.message,
    status: r.status,
  };
}

/**
 * POST /bigin/v2/{module}/upsert (docs/upsert.md): per item, the first duplicate check field
 * whose value a live record of the module holds (case-insensitively) makes it an update of that
 * record; otherwise it is inserted, with those fields held unique inside the insert's
 * transaction, so that of concurrent upserts of one key exactly one inserts and the others,
 * finding the duplicate, update. Each item is its own write (atomic per item).
 */
export async function upsertRecords(
  deps: UpsertDeps,
  principal: Principal,
  moduleName: string,
  readBody: () => Promise<unknown>,
): Promise<BatchAnswer> {
  const module = authorizeRecordOperation(principal, moduleName, 'CREATE');
  authorizeRecordOperation(principal, moduleName, 'UPDATE');
  const body = await readBody();
  const items = dataItems(body);
  const checkFields = duplicateCheckFields(module, body);
  const owners = await visibleOwners(deps, principal);
  const results: unknown[] = [];
  let inserts = 0;
  for (const raw of items) {
    const fields =
      typeof raw === 'object' && raw !== null && !Array.isArray(raw)
        ? (raw as Record<string, unknown>)
        : null;
    let answer: unknown;
    for (let attempt = 0; attempt <= RACE_RETRIES && answer === undefined; attempt++) {
      const match = fields ? await findDuplicate(deps, principal.orgId, module, checkFields, fields) : null;
      if (match) {
        if (!isVisible(owners, match.ownerId)) {
          answer = item.noPermission(match.id);
          break;
        }
        const r = await updateRecords(
          deps,
          principal,
          module,
          async () => ({ data: [{ ...fields, id: match.id }] }),
          null,
        );
        answer = upsertItem(r.results[0]!, 'update', match.field);
        break;
      }
      const r = await insertRecords(deps, principal, module, async () => ({ data: [raw] }), {}, checkFields);
      const result = r.results[0]!;
      const lostRace =
        result.code === 'DUPLICATE_DATA' && checkFields.includes(String(result.details.api_name));
      if (lostRace && attempt < RACE_RETRIES) continue;
      if (result.status === 'success') inserts++;
      answer = upsertItem(result, 'insert', null);
    }
    results.push(answer);
  }
  const done = results as ItemResult[];
  return { status: batchStatus(done, inserts > 0 ? 201 : 200), results: done };
}

async function findDuplicate(
  deps: UpsertDeps,
  orgId: string,
  module: keyof typeof RECORD_MODULES,
  checkFields: readonly string[],
  fields: Record<string, unknown>,
): Promise<{ id: string; ownerId: string; field: string } | null> {
  for (const field of checkFields) {
    const value = fields[field];
    if (typeof value !== 'string' || value === '') continue;
    const [found] = await deps.recordSearch.search({
      orgId,
      module,
      filter: { target: { field, as: 'text' }, op: 'eq', values: [value] },
      ownerIds: null,
      limit: 1,
      offset: 0,
    });
    if (found) return { id: found.id, ownerId: found.ownerId, field };
  }
  return null;
}
