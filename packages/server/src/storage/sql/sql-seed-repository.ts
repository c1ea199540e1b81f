import type { DataCenterId } from '@bigin-attachments/contract';
import { sequenceOf } from '../../domain/ids.js';
import type { SeedCounts, SeedData, SeedRepository } from '../../domain/ports.js';
import { allKeys, bulkColumns, type Columns, type RowOf, type Table, writer } from './columns.js';
import type { SqlDialect, Tx, TxOp } from './dialect.js';
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
  TAGS,
  tagNameKey,
  USERS,
} from './tables.js';

/**
 * Imports run in one transaction with INSERT … ON CONFLICT DO NOTHING (a thousand rows a
 * statement on PostgreSQL), so that two nodes loading the same fixture at once insert each row
 * once (the second waits on the first's uncommitted rows, then skips them) and a migration of
 * millions of rows is not millions of round trips.
 */
export function createSqlSeedRepository(d: SqlDialect): SeedRepository {
  const f = d.fragments;
  /** The rows of one table that are not there yet; answers how many were added. */
  const importer = <C extends Columns>(t: Table<C>) => {
    const keys = allKeys(t).filter((k) => k !== 'purgeClaimedAt');
    const columns = bulkColumns(t, keys);
    const encode = writer(d, t, keys);
    return (tx: Tx, rows: ReadonlyArray<RowOf<C>>): Generator<TxOp, number, unknown> =>
      d.insertMissing(tx, t.name, columns, rows.map(encode));
  };
  const put = {
    clients: importer(OAUTH_CLIENTS),
    organizations: importer(ORGANIZATIONS),
    profiles: importer(PROFILES),
    roles: importer(ROLES),
    users: importer(USERS),
    orgMetadata: importer(ORG_METADATA),
    tokens: importer(ACCESS_TOKENS),
    records: importer(RECORDS),
    attachments: importer(ATTACHMENTS),
    refreshTokens: importer(REFRESH_TOKENS),
    consents: importer(CONSENTS),
    grantCodes: importer(GRANT_CODES),
    tags: importer(TAGS),
    recordTags: importer(RECORD_TAGS),
    photos: importer(RECORD_PHOTOS),
  };
  const forgetJournal = d.prepare(`DELETE FROM blob_journal WHERE ${f.inList('blob_key', '$1')}`);
  // A skipped photo's key stays journalled, so that the purge removes bytes nothing refers to.
  const forgetPhotoJournal = d.prepare(
    `DELETE FROM blob_journal WHERE ${f.inList('blob_key', '$1')}
       AND EXISTS (SELECT 1 FROM record_photos p WHERE p.blob_key = blob_journal.blob_key)`,
  );
  const prefixes = d.prepare(`SELECT id, id_prefix FROM organizations WHERE ${f.inList('id', '$1')}`);
  const bumpSeq = d.prepare(
    'UPDATE organizations SET next_seq = CASE WHEN next_seq < $1 THEN $1 ELSE next_seq END WHERE id = $2',
  );
  const orgCount = d.prepare('SELECT COUNT(*) AS n FROM organizations');
  const organization = d.prepare('SELECT id_prefix, data_center FROM organizations WHERE id = $1');
  const prefixTaken = d.prepare('SELECT 1 FROM organizations WHERE data_center = $1 AND id_prefix = $2');
  // One UPDATE … RETURNING: the row lock makes concurrent reservations, on any node, disjoint.
  const reserve = d.prepare(
    'UPDATE organizations SET next_seq = next_seq + $1 WHERE id = $2 RETURNING next_seq',
  );

  function* importAll(tx: Tx, x: SeedData): Generator<TxOp, SeedCounts, unknown> {
    const c: SeedCounts = {
      clients: yield* put.clients(
        tx,
        x.clients.map((r) => ({ ...r, type: r.type ?? 'server' })),
      ),
      organizations: yield* put.organizations(
        tx,
        x.organizations.map((r) => ({ ...r, nextSeq: 1 })),
      ),
      profiles: yield* put.profiles(tx, x.profiles),
      roles: yield* put.roles(tx, x.roles),
      users: yield* put.users(
        tx,
        x.users.map((r) => ({ ...r, passwordHash: r.passwordHash ?? null, details: r.details ?? {} })),
      ),
      tokens: 0,
      records: 0,
      attachments: 0,
    };
    // Only when given, so that a fixture's counts do not grow keys it never had.
    if (x.orgMetadata) c.orgMetadata = yield* put.orgMetadata(tx, x.orgMetadata);
    c.tokens = yield* put.tokens(
      tx,
      x.tokens.map((r) => ({
        ...r,
        refreshTokenHash: r.refreshTokenHash ?? null,
        fromRefresh: r.fromRefresh ?? false,
      })),
    );
    c.records = yield* put.records(
      tx,
      x.records.map((r) => ({
        ...r,
        fields: r.fields ?? {},
        // A record seeded as deleted was deleted directly, so it can be restored by its id.
        deletedWith: r.deletedWith !== undefined ? r.deletedWith : r.deletedAt === null ? null : r.id,
        createdBy: r.createdBy ?? null,
        modifiedBy: r.modifiedBy ?? null,
        deletedBy: r.deletedBy ?? null,
      })),
    );
    c.attachments = yield* put.attachments(
      tx,
      x.attachments.map((a) => ({ ...a, deletedWith: a.deletedWith ?? null, purgeClaimedAt: null })),
    );
    if (x.refreshTokens)
      // Oldest first, so that issue order (which the refresh-token limit evicts by) carries over.
      c.refreshTokens = yield* put.refreshTokens(
        tx,
        [...x.refreshTokens].sort((a, b) => a.createdAt - b.createdAt),
      );
    if (x.consents) c.consents = yield* put.consents(tx, x.consents);
    if (x.grantCodes) c.grantCodes = yield* put.grantCodes(tx, x.grantCodes);
    if (x.tags)
      c.tags = yield* put.tags(
        tx,
        x.tags.map((t) => ({ ...t, nameKey: tagNameKey(t.name) })),
      );
    if (x.recordTags) c.recordTags = yield* put.recordTags(tx, x.recordTags);
    if (x.photos) {
      // Live photos: a row whose id, or whose record's live photo, is already there is skipped.
      c.photos = yield* put.photos(
        tx,
        x.photos.map((p) => ({ ...p, deletedAt: null })),
      );
      const photoKeys = x.photos.map((p) => p.blobKey);
      if (photoKeys.length) yield* tx.run(forgetPhotoJournal, [d.list(photoKeys)]);
    }
    const keys = x.attachments.flatMap((a) => (a.blobKey ? [a.blobKey] : []));
    if (keys.length) yield* tx.run(forgetJournal, [d.list(keys)]);
    // Keep generated ids clear of ids the seed chose under the organisation's own prefix.
    const owned = [...x.records, ...x.attachments, ...(x.tags ?? []), ...(x.photos ?? [])];
    const orgIds = [...new Set(owned.map((r) => r.orgId))];
    if (orgIds.length) {
      const prefixOf = new Map(
        (yield* tx.all(prefixes, [d.list(orgIds)])).map((r) => [r.id as string, r.id_prefix as string]),
      );
      const maxSeq = new Map<string, number>();
      for (const r of owned) {
        const prefix = prefixOf.get(r.orgId);
        const seq = prefix === undefined ? null : sequenceOf(prefix, r.id);
        if (seq !== null) maxSeq.set(r.orgId, Math.max(maxSeq.get(r.orgId) ?? 0, seq + 1));
      }
      for (const [orgId, next] of maxSeq) yield* tx.run(bumpSeq, [next, orgId]);
    }
    return c;
  }

  return {
    import: (data) => d.transaction((tx) => importAll(tx, data)),
    organizationCount: async () => Number((await d.get(orgCount))!.n),
    organization: async (orgId) => {
      const r = await d.get(organization, [orgId]);
      return r ? { idPrefix: r.id_prefix as string, dataCenter: r.data_center as DataCenterId } : null;
    },
    idPrefixTaken: async (dc, prefix) => (await d.get(prefixTaken, [dc, prefix])) !== undefined,
    reserveSequence: async (orgId, count) => {
      const row = (await d.reserve(reserve, [count, orgId]))[0];
      if (!row) throw new Error(`unknown organisation ${orgId}`);
      return Number(row.next_seq) - count;
    },
  };
}
