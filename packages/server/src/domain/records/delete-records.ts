import type { ItemResult } from '@bigin-attachments/contract';
import { isId } from '@bigin-attachments/contract';
import type { Principal } from '../model.js';
import { batchStatus, item } from './item-results.js';
import { authorizeRecordOperation, isVisible, visibleOwners } from './record-access.js';
import { recordErrors } from './record-errors.js';
import { CASCADE } from './record-modules.js';
import { MAX_RECORDS_PER_CALL } from './request-data.js';
import type { BatchAnswer, RecordWriteDeps } from './write-records.js';

/** The `ids` query parameter of a bulk delete: required, comma-separated, at most 100. */
export function parseIdsParam(value: string | undefined): string[] {
  const ids = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0) throw recordErrors.paramMissing('ids');
  if (ids.length > MAX_RECORDS_PER_CALL) throw recordErrors.tooManyIds(MAX_RECORDS_PER_CALL);
  return ids;
}

/**
 * DELETE /bigin/v2/{module}/{id} and DELETE /bigin/v2/{module}?ids=…: each record, with what
 * cascades from it and all their attachments, goes to the recycle bin in one transaction (D5).
 * Not idempotent: a second delete of an id answers INVALID_DATA for it.
 */
export async function deleteRecords(
  deps: RecordWriteDeps,
  principal: Principal,
  moduleName: string,
  target: { id: string } | { idsParam: string | undefined },
): Promise<BatchAnswer> {
  const module = authorizeRecordOperation(principal, moduleName, 'DELETE');
  const ids = 'id' in target ? [target.id] : parseIdsParam(target.idsParam);
  const existing = await deps.recordData.findLive(principal.orgId, module, ids.filter(isId));
  const owners = await visibleOwners(deps, principal);
  const results: ItemResult[] = [];
  for (const id of ids) {
    const record = existing.get(id);
    if (!record) results.push(item.invalidId(id));
    else if (!isVisible(owners, record.ownerId)) results.push(item.noPermission(id));
    else {
      const deleted = await deps.recordData.deleteCascade({
        orgId: principal.orgId,
        module,
        id,
        deletedBy: principal.userId,
        at: deps.clock.now(),
        cascade: CASCADE,
      });
      results.push(deleted ? item.success('record deleted', { id }) : item.invalidId(id));
    }
  }
  return { status: batchStatus(results, 200), results };
}
