import type { ModuleApiName } from '@bigin-attachments/contract';
import type { RecordRef } from '../model.js';

// Records: lookups, field values and writes, search, and links between records.

export interface RecordRepository {
  /** A live (not deleted) record of `module` in `orgId`, with its owner's role; null otherwise. */
  findLive(orgId: string, module: ModuleApiName, recordId: string): Promise<RecordRef | null>;
}

/** A record with its field values, as the records API stores it. */
export interface StoredRecord {
  id: string;
  module: ModuleApiName;
  name: string;
  ownerId: string;
  /** Field values by API name, in the order they were first set; lookups as `{"id": "…"}`. */
  fields: Record<string, unknown>;
  createdBy: string;
  modifiedBy: string;
  createdAt: number;
  modifiedAt: number;
}

export type RecordSortKey = 'id' | 'Created_Time' | 'Modified_Time';

/** Where a page of records starts after: the sort value and id of the last record already seen. */
export interface RecordCursor {
  value: number | null;
  id: string;
}

/** A unique field to check on write: no other live record of the module may hold `value` (case-insensitively). */
export interface UniqueCheck {
  field: string;
  value: string;
}

export type RecordWriteResult = { ok: true } | { ok: false; duplicate: { field: string; id: string } };

/** Which records go to the recycle bin with a record of `module`: records of `module` whose lookup `field` points at it. */
export type CascadeRule = (module: ModuleApiName) => ReadonlyArray<{ module: ModuleApiName; field: string }>;

export interface RecordDataRepository {
  /** Live records of `module` among `ids` (missing, deleted and foreign ones are absent from the map). */
  findLive(orgId: string, module: ModuleApiName, ids: readonly string[]): Promise<Map<string, StoredRecord>>;
  /** Display names of live records among `ids`, any module. */
  names(orgId: string, ids: readonly string[]): Promise<Map<string, { name: string; module: ModuleApiName }>>;
  /** Users of the organisation among `ids`. */
  users(
    orgId: string,
    ids: readonly string[],
  ): Promise<Map<string, { name: string; email: string; active: boolean; roleId: string }>>;
  /** Ids of the users whose role is one of `roleIds`. */
  usersInRoles(orgId: string, roleIds: readonly string[]): Promise<string[]>;
  /** Every role below `roleId` in the hierarchy (any depth). */
  rolesBelow(orgId: string, roleId: string): Promise<string[]>;
  /**
   * A page of live records of `module`, owned by one of `ownerIds` (every owner when null), sorted
   * by `sortBy` then id, numerically; starting after `after` when given, else skipping `offset`.
   */
  list(input: {
    orgId: string;
    module: ModuleApiName;
    ownerIds: readonly string[] | null;
    sortBy: RecordSortKey;
    descending: boolean;
    limit: number;
    offset: number;
    after: RecordCursor | null;
    /** Only records whose lookup `field` points at record `id` (a related list). */
    lookup?: { field: string; id: string };
  }): Promise<StoredRecord[]>;
  /**
   * Inserts the records in one transaction, each unless one of its unique checks finds a live
   * record (earlier ones of the same call included) holding the value; one result per record.
   */
  insert(
    orgId: string,
    records: ReadonlyArray<StoredRecord & { unique: readonly UniqueCheck[] }>,
  ): Promise<RecordWriteResult[]>;
  /**
   * Replaces a live record's fields, name, owner and modification stamp, unless a unique check
   * finds another live record with the value. Resolves null when the record is not live.
   */
  update(
    orgId: string,
    record: Pick<
      StoredRecord,
      'id' | 'module' | 'name' | 'ownerId' | 'fields' | 'modifiedBy' | 'modifiedAt'
    > & {
      unique: readonly UniqueCheck[];
    },
  ): Promise<RecordWriteResult | null>;
  /**
   * Moves a live record to the recycle bin in one transaction, with every live record the cascade
   * rule reaches from it (transitively) and the live attachments of all of them, all stamped with
   * the same time and with `deleted_with` = the record's id. Resolves false when it is not live.
   */
  deleteCascade(input: {
    orgId: string;
    module: ModuleApiName;
    id: string;
    deletedBy: string;
    at: number;
    cascade: CascadeRule;
  }): Promise<{ records: number; attachments: number } | false>;
  /**
   * Restores, in one transaction, a record deleted directly at or after `deletedSince` together
   * with everything its delete took along; nothing being purged is restored. Null when there is
   * no such deleted record.
   */
  restoreCascade(input: {
    orgId: string;
    id: string;
    deletedSince: number;
    /** When the restore happens, on the server's clock (notification channels live then are told). */
    at: number;
  }): Promise<{ records: number; attachments: number } | null>;
  /** Records deleted directly, most recent first, with how much went with each. */
  listDeleted(input: {
    orgId: string;
    limit: number;
    offset: number;
  }): Promise<
    Array<{ id: string; module: ModuleApiName; name: string; deletedAt: number; deletedBy: string | null }>
  >;
  /** Organisations that hold a record with this id, in any state. */
  organizationsOf(id: string): Promise<string[]>;
  /** Removes up to `limit` records deleted before `deletedBefore` that no attachment row refers to. */
  purge(input: { deletedBefore: number; limit: number }): Promise<number>;
}

/**
 * A search filter over records (issue 13, docs/search.md), built by the domain from `criteria`,
 * `email`, `phone`, `word` or a COQL `where` (docs/coql.md). Text compares case-insensitively
 * (`lower()` on both sides); a leaf on a missing or mistyped value is false, except `ne` and
 * `null`, which are true there. `not` is true exactly where its filter is not (never unknown).
 */
export interface FilterLeaf {
  target:
    | { field: string; as: 'text' | 'date' | 'number' | 'boolean' | 'lookup' }
    | { column: 'id' | 'owner_id' | 'created_by' | 'modified_by' | 'created_at' | 'modified_at' | 'name' };
  /** `ends`: a suffix (COQL `like '%x'`); `null`: no value of the target's kind (takes no values). */
  op: 'eq' | 'ne' | 'starts' | 'ends' | 'contains' | 'in' | 'gt' | 'ge' | 'lt' | 'le' | 'between' | 'null';
  values: ReadonlyArray<string | number | boolean>;
}

export type RecordFilter =
  | FilterLeaf
  | { and: RecordFilter[] }
  | { or: RecordFilter[] }
  | { not: RecordFilter };

/**
 * The order of a search (COQL `order by`): by the target's value (text folded as in filters),
 * missing values first when ascending and last when descending, ties by id ascending. Ids order
 * numerically (shorter first).
 */
export interface RecordOrder {
  by: FilterLeaf['target'];
  desc: boolean;
}

export interface RecordSearchRepository {
  /**
   * Live records of `module` matching `filter`, owned by one of `ownerIds` (every owner when
   * null), newest id first unless `order` says otherwise, `limit` after skipping `offset`.
   * Equality and prefix conditions on the indexed name, email and phone fields use indexes (never
   * a scan of the module).
   */
  search(input: {
    orgId: string;
    module: ModuleApiName;
    filter: RecordFilter;
    ownerIds: readonly string[] | null;
    order?: RecordOrder;
    limit: number;
    offset: number;
  }): Promise<StoredRecord[]>;
  /** The query plan of the same search, for tests that pin index use. */
  explain(input: Parameters<RecordSearchRepository['search']>[0]): Promise<string>;
}

/** Many-to-many links between records (Products with Contacts, Pipelines and Accounts). */
export interface RecordLinkRepository {
  /**
   * Links `a` with each of `others` (order-free pairs); true per pair newly linked, false when it
   * was linked already. One transaction.
   */
  link(orgId: string, a: string, others: readonly string[], at: number): Promise<boolean[]>;
  /** Removes the links; true per pair that was linked. */
  unlink(orgId: string, a: string, others: readonly string[]): Promise<boolean[]>;
  /**
   * A page of the live records of `module` linked with `id`, owned by one of `ownerIds` (every
   * owner when null), newest id first. Links with records in the recycle bin are kept, and hidden,
   * so that a restore brings them back.
   */
  linked(input: {
    orgId: string;
    id: string;
    module: ModuleApiName;
    ownerIds: readonly string[] | null;
    limit: number;
    offset: number;
  }): Promise<StoredRecord[]>;
}
