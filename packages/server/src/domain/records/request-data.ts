import { recordErrors } from './record-errors.js';

/** Most records one insert, update or delete call may carry (Bigin API limits). */
export const MAX_RECORDS_PER_CALL = 100;

/** The `data` array of a records write body, refused as a whole when it is not a 1–100 item array. */
export function dataItems(body: unknown, limit = MAX_RECORDS_PER_CALL): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw recordErrors.invalidJson('not an object');
  const data = (body as { data?: unknown }).data;
  if (data === undefined || data === null) throw recordErrors.dataMissing();
  if (!Array.isArray(data)) throw recordErrors.dataNotArray();
  if (data.length === 0) throw recordErrors.dataEmpty();
  if (data.length > limit) throw recordErrors.tooManyRecords(limit);
  return data;
}
