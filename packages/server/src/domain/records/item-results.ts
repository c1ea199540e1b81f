import type { ItemResult } from '@bigin-attachments/contract';

/** Per-item results of records writes (D1): one per input item, in input order. */
export const item = {
  success: (message: string, details: Record<string, unknown>): ItemResult => ({
    code: 'SUCCESS',
    details,
    message,
    status: 'success',
  }),
  mandatoryNotFound: (apiName: string, jsonPath: string): ItemResult => ({
    code: 'MANDATORY_NOT_FOUND',
    details: { api_name: apiName, json_path: jsonPath },
    message: 'required field not found',
    status: 'error',
  }),
  invalidData: (details: Record<string, unknown>): ItemResult => ({
    code: 'INVALID_DATA',
    details,
    message: 'invalid data',
    status: 'error',
  }),
  invalidId: (id: string): ItemResult => ({
    code: 'INVALID_DATA',
    details: { id },
    message: 'the id given seems to be invalid',
    status: 'error',
  }),
  noPermission: (id: string): ItemResult => ({
    code: 'NO_PERMISSION',
    details: { id },
    message: 'permission denied',
    status: 'error',
  }),
  duplicate: (apiName: string, jsonPath: string, module: string, id: string): ItemResult => ({
    code: 'DUPLICATE_DATA',
    details: {
      api_name: apiName,
      json_path: jsonPath,
      duplicate_record: { id, module: { api_name: module } },
    },
    message: 'duplicate data',
    status: 'error',
  }),
};

/**
 * HTTP status of a call with per-item results: every item succeeded → `allOk` for one item
 * (201 insert, 200 update/delete), 202 for several (Bigin's status table); some failed → 207
 * (Multi-Status, CRM v8); all failed → 400.
 */
export function batchStatus(results: readonly ItemResult[], allOk: number): number {
  const ok = results.filter((r) => r.status === 'success').length;
  if (ok === results.length) return results.length === 1 ? allOk : 202;
  return ok === 0 ? 400 : 207;
}
