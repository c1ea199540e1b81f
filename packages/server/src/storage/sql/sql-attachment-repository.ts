import type { AttachmentRepository, DeletedAttachment, PurgeClaim } from '../../domain/ports.js';
import { columnList, reader } from './columns.js';
import type { SqlDialect } from './dialect.js';
import { ATTACHMENT_KEYS, ATTACHMENTS } from './tables.js';

const DELETED_KEYS = [
  'orgId',
  'id',
  'recordId',
  'module',
  'fileName',
  'size',
  'deletedAt',
  'deletedBy',
] as const satisfies ReadonlyArray<keyof DeletedAttachment>;

/**
 * Attachments. Every state change is one conditional UPDATE: under READ COMMITTED (PostgreSQL) a
 * second writer waits for the first's row lock and then re-checks its WHERE clause against the
 * row the first committed, and SQLite has one writer, so of concurrent deletes (on any number of
 * nodes) exactly one matches. The DELETE and the download are hot paths: one prepared statement
 * each, nothing built per request.
 */
export function createSqlAttachmentRepository(d: SqlDialect): AttachmentRepository {
  const f = d.fragments;
  const markDeleted = d.prepare(`UPDATE attachments SET deleted_at = $1, deleted_by = $2
    WHERE org_id = $3 AND id = $4 AND record_id = $5 AND deleted_at IS NULL`);
  const findLive = d.prepare(`SELECT ${columnList(ATTACHMENTS, ATTACHMENT_KEYS)} FROM attachments
    WHERE org_id = $1 AND id = $2 AND record_id = $3 AND deleted_at IS NULL`);
  const existing = d.prepare(`SELECT id FROM attachments WHERE org_id = $1 AND ${f.inList('id', '$2')}`);
  const listDeleted = d.prepare(`SELECT ${columnList(ATTACHMENTS, DELETED_KEYS)} FROM attachments
    WHERE org_id = $1 AND deleted_at IS NOT NULL AND purge_claimed_at IS NULL
    ORDER BY deleted_at DESC, id DESC LIMIT $2 OFFSET $3`);
  const restore = d.prepare(`UPDATE attachments SET deleted_at = NULL, deleted_by = NULL
    WHERE org_id = $1 AND id = $2 AND deleted_at IS NOT NULL AND deleted_at >= $3
      AND purge_claimed_at IS NULL AND deleted_with IS NULL`);
  // SKIP LOCKED (PostgreSQL): rows another node is claiming, or a restore is changing, right now
  // are left to it rather than waited for, so purges on several nodes never block each other or
  // claim the same row at once. The claim re-checks `deleted_at`, keeping a row just restored out.
  const claimable = d.prepare(`SELECT org_id, id, blob_key FROM attachments
    WHERE deleted_at IS NOT NULL AND (purge_claimed_at IS NOT NULL OR deleted_at < $1)
    ORDER BY deleted_at, org_id, id LIMIT $2${f.forUpdateSkipLocked}`);
  const claim = d.prepare(
    'UPDATE attachments SET purge_claimed_at = $1 WHERE org_id = $2 AND id = $3 AND deleted_at IS NOT NULL',
  );
  const remove = d.prepare(
    'DELETE FROM attachments WHERE org_id = $1 AND id = $2 AND purge_claimed_at IS NOT NULL',
  );
  const toAttachment = reader(d, ATTACHMENTS, ATTACHMENT_KEYS);
  const toDeleted = reader(d, ATTACHMENTS, DELETED_KEYS) as (r: Record<string, unknown>) => DeletedAttachment;

  return {
    markDeleted: async ({ orgId, recordId, attachmentId, deletedBy, at }) => {
      const [changes] = await d.write([[markDeleted, [at, deletedBy, orgId, attachmentId, recordId]]]);
      return changes === 1;
    },
    findLive: async (orgId, recordId, attachmentId) => {
      const r = await d.get(findLive, [orgId, attachmentId, recordId]);
      return r ? toAttachment(r) : null;
    },
    existingIds: async (orgId, ids) =>
      ids.length === 0
        ? new Set()
        : new Set((await d.all(existing, [orgId, d.list(ids)])).map((r) => r.id as string)),
    listDeleted: async ({ orgId, limit, offset }) =>
      (await d.all(listDeleted, [orgId, limit, offset])).map(toDeleted),
    restore: async ({ orgId, attachmentId, deletedSince }) =>
      (await d.run(restore, [orgId, attachmentId, deletedSince])) === 1,
    claimPurge: ({ deletedBefore, limit, at }) =>
      d.transaction(function* (tx) {
        const claims: PurgeClaim[] = [];
        for (const r of yield* tx.all(claimable, [deletedBefore, limit])) {
          const c = { orgId: r.org_id as string, id: r.id as string, blobKey: r.blob_key as string | null };
          if ((yield* tx.run(claim, [at, c.orgId, c.id])) === 1) claims.push(c);
        }
        return claims;
      }),
    finishPurge: async (claims) => {
      if (claims.length === 0) return;
      await d.transaction(function* (tx) {
        for (const c of claims) yield* tx.run(remove, [c.orgId, c.id]);
      });
    },
  };
}
