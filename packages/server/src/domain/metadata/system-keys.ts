import type { ModuleApiName } from '@bigin-attachments/contract';

/*
 * The `$`-keys Bigin computes on every record (reference §1.4, §1.6, with their recorded types).
 * They are not stored; a read returns them when `fields` names them, and a full read (no
 * `fields`) returns them all. `$followed` is not here: Bigin dropped it when asked (§1.3).
 */

export interface DollarKeyContext {
  /** Whether the caller's profile may edit / delete records of the module. */
  canEdit: boolean;
  canDelete: boolean;
  /** The module's "Standard" layout id in the organisation. */
  layoutId: string;
}

type Compute = (ctx: DollarKeyContext) => unknown;

const APPROVAL = () => ({ delegate: false, takeover: false, approve: false, reject: false, resubmit: false });

const COMMON: ReadonlyArray<[string, Compute]> = [
  ['$currency_symbol', () => '$'],
  ['$field_states', () => null],
  [
    '$sharing_permission',
    (c) => (c.canEdit && c.canDelete ? 'full_access' : c.canEdit ? 'read_write' : 'read_only'),
  ],
  ['$state', () => 'save'],
  ['$process_flow', () => false],
  ['$locked_for_me', () => false],
  ['$approval', APPROVAL],
  ['$editable', (c) => c.canEdit],
  ['$zia_owner_assignment', () => 'owner_recommendation_unavailable'],
  ['$is_duplicate', () => false],
  ['$review_process', () => ({ approve: false, reject: false, resubmit: false })],
  ['$layout_id', (c) => ({ display_label: 'Standard', name: 'Standard', id: c.layoutId })],
  ['$review', () => null],
  ['$zia_visions', () => null],
  ['$orchestration', () => null],
  ['$in_merge', () => false],
  ['$approval_state', () => 'approved'],
  ['$pathfinder', () => null],
];

const byModule = new Map<ModuleApiName, ReadonlyMap<string, Compute>>();

/** The `$`-keys of a module, in the order a full read inserts them. */
export function dollarKeys(module: ModuleApiName): ReadonlyMap<string, Compute> {
  let keys = byModule.get(module);
  if (!keys) {
    keys = new Map([
      ...COMMON,
      ...(module === 'Products' ? [['$taxable', () => false] as [string, Compute]] : []),
    ]);
    byModule.set(module, keys);
  }
  return keys;
}

/** Modules whose insert `details` end with `$approval_state` (recorded: Accounts, Products; not Contacts). */
export const APPROVAL_STATE_ON_INSERT: ReadonlySet<ModuleApiName> = new Set(['Accounts', 'Products']);
