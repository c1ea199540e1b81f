import type {
  AttachmentCatalog,
  AttachmentListColumns,
  AttachmentListEntry,
  UserSummary,
} from '../../domain/ports.js';
import { columnList, reader, writer } from './columns.js';
import type { Row, SqlDialect } from './dialect.js';
import { pageStatements } from './page-statements.js';
import { ATTACHMENT_KEYS, ATTACHMENTS } from './tables.js';

// Only what the answer uses, the record id aside (the caller's): every value read is a string or
// number made in JavaScript, about 0.6 µs each (docs/benchmarks.md), eleven rows a list.
const LISTED = [
  'id',
  'module',
  'kind',
  'fileName',
  'size',
  'linkUrl',
  'ownerId',
  'createdBy',
  'modifiedBy',
  'createdAt',
  'modifiedAt',
] as const satisfies readonly (keyof AttachmentListColumns)[];
const INSERTED = ATTACHMENT_KEYS.filter(
  (k) => k !== 'recordId' && k !== 'module' && k !== 'deletedAt' && k !== 'deletedBy',
);

/** Uploading and listing attachments: the upload and the list are hot paths (docs/benchmarks.md). */
export function createSqlAttachmentCatalog(d: SqlDialect): AttachmentCatalog {
  const f = d.fragments;
  // INSERT … SELECT from the live record, which it locks FOR SHARE (PostgreSQL): a record delete
  // that got there first is waited for and then seen (the record no longer matches), and one that
  // comes after waits for this insert to commit and so marks the new attachment deleted with its
  // record. An upload racing a record delete, on any node, never leaves a live attachment on a
  // deleted record. The casts give PostgreSQL the parameters' types, which a SELECT list lacks.
  const insert = d.prepare(`
    INSERT INTO attachments
      (org_id, id, record_id, module, kind, file_name, content_type, size, blob_key, link_url, sha256,
       owner_id, created_by, modified_by, created_at, modified_at, deleted_at, deleted_by)
    SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), r.id, r.module, CAST($3 AS TEXT), CAST($4 AS TEXT),
           CAST($5 AS TEXT), CAST($6 AS BIGINT), CAST($7 AS TEXT), CAST($8 AS TEXT), CAST($9 AS TEXT),
           CAST($10 AS TEXT), CAST($11 AS TEXT), CAST($12 AS TEXT), CAST($13 AS BIGINT), CAST($14 AS BIGINT),
           NULL, NULL
    FROM (SELECT id, module FROM records
          WHERE org_id = $1 AND id = $15 AND module = $16 AND deleted_at IS NULL${f.forShare}) r`);
  // The journal entry goes only if the row went in (ids are fresh, so the row exists iff it did):
  // an upload refused here leaves its blob journalled, for the purge to remove.
  const forgetJournal = d.prepare(`
    DELETE FROM blob_journal WHERE blob_key = $1
      AND EXISTS (SELECT 1 FROM attachments WHERE org_id = $2 AND id = $3)`);
  const insertValues = writer(d, ATTACHMENTS, INSERTED);
  const timeZone = d.prepare('SELECT time_zone FROM users WHERE org_id = $1 AND id = $2');
  return {
    // Durable once it resolves; on SQLite group-committed off the event loop (writer thread), with
    // the journal cleanup in the same transaction.
    insertLive: async (row) => {
      const steps: Array<readonly [typeof insert, unknown[]]> = [
        [insert, [...insertValues(row), row.recordId, row.module]],
      ];
      if (row.blobKey) steps.push([forgetJournal, [row.blobKey, row.orgId, row.id]]);
      const [inserted] = await d.write(steps);
      return inserted === 1;
    },
    listLive: d.inProcess ? listByLookups(d) : listJoined(d),
    userTimeZone: async (orgId, userId) => {
      const r = await d.get(timeZone, [orgId, userId]);
      return r ? (r.time_zone as string) : null;
    },
  };
}

// Ids are digit strings without leading zeros, so (length, bytes) orders them as numbers.

/**
 * In-process (SQLite): the page is read straight off attachments_listing, and the record name and
 * the three people are looked up once per page rather than joined per row (a page usually names
 * one or two users), which halved the list's SQLite time in the benchmark. One read transaction:
 * the page, its record and its people are one snapshot.
 */
function listByLookups(d: SqlDialect): AttachmentCatalog['listLive'] {
  const page = pageStatements(
    d,
    (limit, offset) => `
    SELECT ${columnList(ATTACHMENTS, LISTED)}
    FROM attachments
    WHERE org_id = $1 AND record_id = $2 AND deleted_at IS NULL
    ORDER BY created_at DESC, length(id) DESC, id DESC
    LIMIT ${limit} OFFSET ${offset}`,
  );
  const record = d.prepare('SELECT name FROM records WHERE org_id = $1 AND id = $2');
  const person = d.prepare('SELECT id, name, email FROM users WHERE org_id = $1 AND id = $2');
  const toRow = reader(d, ATTACHMENTS, LISTED);
  return ({ orgId, recordId, limit, offset }) =>
    d.transaction(
      function* (tx) {
        const rows = yield* tx.all(page(limit, offset), [orgId, recordId]);
        if (rows.length === 0) return [];
        const recordName = (yield* tx.get(record, [orgId, recordId]))!.name as string;
        const people = new Map<string, UserSummary>();
        const entries: AttachmentListEntry[] = [];
        for (const r of rows) {
          const a = toRow(r);
          const named: UserSummary[] = [];
          for (const id of [a.ownerId, a.createdBy, a.modifiedBy]) {
            let u = people.get(id);
            if (!u) {
              const p = (yield* tx.get(person, [orgId, id]))!;
              u = { id: p.id as string, name: p.name as string, email: p.email as string };
              people.set(id, u);
            }
            named.push(u);
          }
          // Completed in place: spreading the mapped row into a new object cost about 6 µs a
          // row (measured), more than reading it.
          const entry = a as AttachmentListEntry;
          entry.recordId = recordId;
          entry.recordName = recordName;
          entry.owner = named[0]!;
          entry.creator = named[1]!;
          entry.modifier = named[2]!;
          entries.push(entry);
        }
        return entries;
      },
      { snapshot: true },
    );
}

/** Over the network (PostgreSQL): one statement, joined, is one round trip. */
function listJoined(d: SqlDialect): AttachmentCatalog['listLive'] {
  const list = d.prepare(`
    SELECT ${columnList(ATTACHMENTS, LISTED, 'a')}, r.name AS record_name,
           o.id AS owner_id, o.name AS owner_name, o.email AS owner_email,
           c.id AS creator_id, c.name AS creator_name, c.email AS creator_email,
           m.id AS modifier_id, m.name AS modifier_name, m.email AS modifier_email
    FROM attachments a
    JOIN records r ON r.org_id = a.org_id AND r.id = a.record_id
    JOIN users o ON o.org_id = a.org_id AND o.id = a.owner_id
    JOIN users c ON c.org_id = a.org_id AND c.id = a.created_by
    JOIN users m ON m.org_id = a.org_id AND m.id = a.modified_by
    WHERE a.org_id = $1 AND a.record_id = $2 AND a.deleted_at IS NULL
    ORDER BY a.created_at DESC, length(a.id) DESC, a.id${d.fragments.collateC} DESC
    LIMIT $3 OFFSET $4`);
  const toRow = reader(d, ATTACHMENTS, LISTED);
  const user = (r: Row, prefix: string): UserSummary => ({
    id: r[`${prefix}_id`] as string,
    name: r[`${prefix}_name`] as string,
    email: r[`${prefix}_email`] as string,
  });
  return async ({ orgId, recordId, limit, offset }) =>
    (await d.all(list, [orgId, recordId, limit, offset])).map((r) => {
      const entry = toRow(r) as AttachmentListEntry;
      entry.recordId = recordId;
      entry.recordName = r.record_name as string;
      entry.owner = user(r, 'owner');
      entry.creator = user(r, 'creator');
      entry.modifier = user(r, 'modifier');
      return entry;
    });
}
