import type { ModuleApiName } from '@bigin-attachments/contract';

// Tags and the records they are on.

/** A tag of one module (issue 13 item 5, docs/tags.md). Names are unique per module, in any case. */
export interface TagRow {
  orgId: string;
  id: string;
  module: ModuleApiName;
  name: string;
  colourCode: string | null;
  createdBy: string;
  createdAt: number;
  modifiedBy: string;
  modifiedAt: number;
}

/** A tag on a record. Kept while the record is in the recycle bin, so that a restore needs nothing. */
export interface RecordTagRow {
  orgId: string;
  recordId: string;
  tagId: string;
  createdAt: number;
}

/** Tags and the records they are on. */
export interface TagRepository {
  /** The module's tags, by name (case-insensitive) then id; only those `createdBy` made when given. */
  list(orgId: string, module: ModuleApiName, createdBy: string | null): Promise<TagRow[]>;
  /** Tags of `module` among `ids`. */
  byIds(orgId: string, module: ModuleApiName, ids: readonly string[]): Promise<Map<string, TagRow>>;
  /** Tags of `module` named one of `names` in any case, keyed by the lower-cased name. */
  byNames(orgId: string, module: ModuleApiName, names: readonly string[]): Promise<Map<string, TagRow>>;
  /**
   * Inserts each tag unless its module already has one of that name in any case (earlier rows of
   * the same call included); per row, the tag that holds the name afterwards and whether it is the
   * new one. One transaction; safe under concurrent creates of one name.
   */
  create(orgId: string, rows: readonly TagRow[]): Promise<Array<{ tag: TagRow; created: boolean }>>;
  /** Renames (and recolours, when `colourCode` is given) a tag of `module`. */
  update(
    orgId: string,
    input: {
      module: ModuleApiName;
      id: string;
      name: string;
      colourCode?: string | null | undefined;
      modifiedBy: string;
      modifiedAt: number;
    },
  ): Promise<
    | { ok: true; tag: TagRow }
    | { ok: false; reason: 'missing' }
    | { ok: false; reason: 'duplicate'; id: string }
  >;
  /** Each record's tags, by name (case-insensitive); records without tags are absent. */
  ofRecords(
    orgId: string,
    recordIds: readonly string[],
  ): Promise<Map<string, Array<{ name: string; id: string }>>>;
  /** Puts the tags on each record, first taking every tag off it when `overwrite`. One transaction. */
  tagRecords(
    orgId: string,
    recordIds: readonly string[],
    tagIds: readonly string[],
    overwrite: boolean,
    at: number,
  ): Promise<void>;
  /** Takes the tags off each record. One transaction. */
  untagRecords(orgId: string, recordIds: readonly string[], tagIds: readonly string[]): Promise<void>;
}
