import type { SeedData } from '../../domain/ports.js';
import { allKeys, type Columns, reader, type Table } from '../sql/columns.js';
import type { Tx, TxOp } from '../sql/dialect.js';
import {
  ACCESS_TOKENS,
  ATTACHMENTS,
  CONSENTS,
  GRANT_CODES,
  OAUTH_CLIENTS,
  ORG_METADATA,
  ORGANIZATIONS,
  PROFILES,
  RECORD_PHOTOS,
  RECORD_TAGS,
  RECORDS,
  REFRESH_TOKENS,
  ROLES,
  TAG_KEYS,
  TAGS,
  USERS,
} from '../sql/tables.js';
import type { SqliteMetadataStore } from '../sqlite/sqlite-metadata-store.js';

export interface EmbeddedSnapshot {
  data: SeedData;
  /** Next free id sequence of each organisation (may be past every id in use). */
  nextSequence: Map<string, number>;
  /** Attachments the purge had claimed: already unrestorable, so not carried over. */
  beingPurged: number;
}

/**
 * Everything in an embedded SQLite database, as the seed shape every store imports. Reads every
 * table whole through the row mappers of storage/sql/tables.ts (the same the repositories use, so
 * a new column is carried over once it is declared there); one read transaction, so the snapshot
 * is consistent even while a server writes to the same file.
 */
export function readEmbedded(store: SqliteMetadataStore): Promise<EmbeddedSnapshot> {
  const d = store.dialect;
  const rowsOf = <C extends Columns, K extends keyof C>(
    t: Table<C>,
    keys: readonly K[],
    order: string,
    where = '',
  ) => {
    const q = d.prepare(`SELECT * FROM ${t.name}${where && ` WHERE ${where}`} ORDER BY ${order}`);
    const read = reader(d, t, keys);
    return function* (tx: Tx) {
      return (yield* tx.all(q)).map(read);
    };
  };
  const without = <C extends Columns, K extends keyof C>(t: Table<C>, ...left: K[]) =>
    allKeys(t).filter((k): k is Exclude<keyof C, K> => !left.includes(k as K));
  const read = {
    clients: rowsOf(OAUTH_CLIENTS, allKeys(OAUTH_CLIENTS), 'id'),
    organizations: rowsOf(ORGANIZATIONS, allKeys(ORGANIZATIONS), 'id'),
    profiles: rowsOf(PROFILES, allKeys(PROFILES), 'org_id, id'),
    roles: rowsOf(ROLES, allKeys(ROLES), 'org_id, id'),
    users: rowsOf(USERS, allKeys(USERS), 'org_id, id'),
    orgMetadata: rowsOf(ORG_METADATA, allKeys(ORG_METADATA), 'org_id'),
    // In issue order: the token limits evict the oldest, and the target keeps that order.
    tokens: rowsOf(ACCESS_TOKENS, allKeys(ACCESS_TOKENS), 'created_at, rowid'),
    records: rowsOf(RECORDS, allKeys(RECORDS), 'org_id, id'),
    attachments: rowsOf(ATTACHMENTS, allKeys(ATTACHMENTS), 'org_id, id'),
    refreshTokens: rowsOf(REFRESH_TOKENS, allKeys(REFRESH_TOKENS), 'created_at, rowid'),
    consents: rowsOf(CONSENTS, allKeys(CONSENTS), 'org_id, user_id, client_id'),
    // Codes live minutes, but one issued just before the switch must still redeem after it.
    grantCodes: rowsOf(GRANT_CODES, allKeys(GRANT_CODES), 'hash'),
    tags: rowsOf(TAGS, TAG_KEYS, 'org_id, id'),
    recordTags: rowsOf(RECORD_TAGS, allKeys(RECORD_TAGS), 'org_id, record_id, tag_id'),
    // Live photos; replaced and deleted ones wait for the source's purge.
    photos: rowsOf(RECORD_PHOTOS, allKeys(RECORD_PHOTOS), 'org_id, id', 'deleted_at IS NULL'),
  };
  const orgKeys = without(ORGANIZATIONS, 'nextSeq');
  const attachmentKeys = without(ATTACHMENTS, 'purgeClaimedAt');
  return d.transaction(
    function* (tx): Generator<TxOp, EmbeddedSnapshot, unknown> {
      const orgs = yield* read.organizations(tx);
      const attachments = yield* read.attachments(tx);
      const pick = <T extends object, K extends keyof T>(row: T, keys: readonly K[]) =>
        Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<T, K>;
      const live = attachments.filter((a) => a.purgeClaimedAt === null);
      const data: SeedData = {
        clients: yield* read.clients(tx),
        organizations: orgs.map((o) => pick(o, orgKeys)),
        profiles: yield* read.profiles(tx),
        roles: yield* read.roles(tx),
        users: yield* read.users(tx),
        orgMetadata: yield* read.orgMetadata(tx),
        tokens: yield* read.tokens(tx),
        records: yield* read.records(tx),
        attachments: live.map((a) => pick(a, attachmentKeys)),
        refreshTokens: yield* read.refreshTokens(tx),
        consents: yield* read.consents(tx),
        grantCodes: yield* read.grantCodes(tx),
        tags: yield* read.tags(tx),
        recordTags: yield* read.recordTags(tx),
        photos: yield* read.photos(tx),
      };
      return {
        data,
        nextSequence: new Map(orgs.map((o) => [o.id, o.nextSeq])),
        beingPurged: attachments.length - live.length,
      };
    },
    { snapshot: true },
  );
}
