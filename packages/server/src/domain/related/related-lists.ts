import type { ModuleApiName } from '@bigin-attachments/contract';
import { relatedList } from '../records/record-modules.js';

/**
 * The related lists each module has (docs/related-records.md; reference §10): `link` lists are
 * many-to-many links that PUT and DELETE make and break (Products with Contacts, Pipelines and
 * Accounts, Contacts on Pipelines); `lookup` lists are the records whose lookup field points at
 * the parent (Notes, a company's contacts and deals, a contact's deals) and are read-only here.
 * Attachments are served by the attachments routes.
 */
export type RelatedListDef =
  | { kind: 'link'; module: ModuleApiName }
  | { kind: 'lookup'; module: ModuleApiName; field: string };

const LINKS: Partial<Record<ModuleApiName, Partial<Record<string, ModuleApiName>>>> = {
  Contacts: { Products: 'Products' },
  Pipelines: { Products: 'Products', Contacts: 'Contacts' },
  Accounts: { Products: 'Products' },
  Products: { Contacts: 'Contacts', Pipelines: 'Pipelines', Accounts: 'Accounts' },
};

export function findRelatedList(parent: ModuleApiName, name: string): RelatedListDef | null {
  const linked = LINKS[parent]?.[name];
  if (linked) return { kind: 'link', module: linked };
  const lookup = relatedList(parent, name);
  return lookup ? { kind: 'lookup', ...lookup } : null;
}

/** Every name that can follow a record id as a related list (for the URL check). */
export const RELATED_NAMES: ReadonlySet<string> = new Set([
  'Notes',
  'Contacts',
  'Pipelines',
  'Products',
  'Accounts',
]);
