import { NAME_FIELDS } from './bigin.js';

export type Item = Record<string, unknown> & { id: string };
export const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** What a record is called in tables: its module's name fields, joined. */
export const nameOf = (module: string, r: Item) =>
  (NAME_FIELDS[module] ?? [])
    .map((k) => r[k])
    .filter((v) => v !== null && v !== undefined && v !== '')
    .join(' ') || r.id;
