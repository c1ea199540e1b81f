import { MODULE_API_NAMES, type ModuleApiName } from '@bigin-attachments/contract';

/*
 * Ids of modules, fields and layouts. Bigin's are org-prefixed like every other id (module
 * Contacts `…002179`, reference §7). Here they are derived, not stored: the organisation id's
 * 7-digit prefix, then a sequence in a range (9 × 10^11 upwards) that record ids, minted from 1
 * upwards, never reach. Stable across restarts and nodes, so clients may keep them.
 */
const BASE = 900_000_000_000;

function prefixOf(orgId: string): string {
  return orgId.length === 19 ? orgId.slice(0, 7) : '1000000';
}

const at = (orgId: string, n: number) => prefixOf(orgId) + String(BASE + n).padStart(12, '0');

/** Extra modules /settings/modules lists that are not records modules. */
export const NON_RECORD_MODULES = ['Social', 'Associated_Products', 'Attachments'] as const;

function moduleIndex(module: string): number {
  const i = (MODULE_API_NAMES as readonly string[]).indexOf(module);
  return i >= 0 ? i : MODULE_API_NAMES.length + (NON_RECORD_MODULES as readonly string[]).indexOf(module);
}

export const metadataIds = {
  module: (orgId: string, module: string) => at(orgId, 2000 + moduleIndex(module)),
  /** The module's Standard layout. */
  layout: (orgId: string, module: ModuleApiName) => at(orgId, 3000 + moduleIndex(module)),
  field: (orgId: string, module: ModuleApiName, index: number) =>
    at(orgId, 100_000 + moduleIndex(module) * 1000 + index),
  relatedList: (orgId: string, module: ModuleApiName, index: number) =>
    at(orgId, 200_000 + moduleIndex(module) * 100 + index),
};
