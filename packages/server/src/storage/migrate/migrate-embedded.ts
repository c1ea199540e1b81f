import { createHash } from 'node:crypto';
import type { BlobStore, SeedCounts } from '../../domain/ports.js';
import type { Stores } from '../create-stores.js';
import type { SqliteMetadataStore } from '../sqlite/sqlite-metadata-store.js';
import { type EmbeddedSnapshot, readEmbedded } from './read-embedded.js';
import { replaceUnstorableRows } from './unstorable-text.js';

export interface MigrationReport {
  /** Rows found in the embedded database, by kind. */
  source: SeedCounts;
  /** Rows this run added to the target (0 everywhere on a re-run). */
  inserted: SeedCounts;
  /** Blobs copied by this run, and blobs already in the target with the right bytes. */
  blobs: { copied: number; alreadyThere: number; bytes: number };
  /** Attachments the embedded purge had claimed (unrestorable already): not carried over. */
  skippedBeingPurged: number;
  /** Every problem the verification found; empty means the target holds everything, byte for byte. */
  problems: string[];
  /** Rows copied with text PostgreSQL cannot hold (NUL, unpaired surrogates) replaced by U+FFFD (D-14). */
  replacedText: string[];
}

async function sha256Of(blobs: BlobStore, key: string): Promise<string | null> {
  if ((await blobs.stat(key)) === null) return null;
  const hash = createHash('sha256');
  for await (const chunk of (await blobs.get(key)).body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const countsOf = (d: EmbeddedSnapshot['data']): SeedCounts => ({
  clients: d.clients.length,
  organizations: d.organizations.length,
  profiles: d.profiles.length,
  roles: d.roles.length,
  users: d.users.length,
  tokens: d.tokens.length,
  records: d.records.length,
  attachments: d.attachments.length,
  refreshTokens: d.refreshTokens?.length ?? 0,
  consents: d.consents?.length ?? 0,
  grantCodes: d.grantCodes?.length ?? 0,
  orgMetadata: d.orgMetadata?.length ?? 0,
  tags: d.tags?.length ?? 0,
  recordTags: d.recordTags?.length ?? 0,
  photos: d.photos?.length ?? 0,
});

/**
 * Copies an embedded deployment (SQLite + folder) into other stores (PostgreSQL + S3), bytes
 * first and metadata after, exactly as uploads are written, then verifies the target: every row
 * findable and in the same state, every blob's SHA-256 equal to the one recorded at upload.
 * Re-runnable: rows already there are left as they are and blobs already there with the right
 * bytes are not copied again, so an interrupted run is completed by running it again. A row that
 * changed in the source after it was copied (a delete, a revocation) is reported as a problem,
 * never silently kept: run the final migration with the embedded server stopped.
 */
export async function migrateEmbedded(
  source: { metadata: SqliteMetadataStore; blobs: BlobStore },
  target: Stores,
  options: { now: number; log?: (line: string) => void } = { now: Date.now() },
): Promise<MigrationReport> {
  const log = options.log ?? (() => {});
  const read = await readEmbedded(source.metadata);
  const { data, replaced } = replaceUnstorableRows(read.data);
  const snapshot = { ...read, data };
  for (const line of replaced) log(line);
  const report: MigrationReport = {
    source: countsOf(data),
    inserted: {
      clients: 0,
      organizations: 0,
      profiles: 0,
      roles: 0,
      users: 0,
      tokens: 0,
      records: 0,
      attachments: 0,
      refreshTokens: 0,
      consents: 0,
      grantCodes: 0,
      orgMetadata: 0,
      tags: 0,
      recordTags: 0,
      photos: 0,
    },
    blobs: { copied: 0, alreadyThere: 0, bytes: 0 },
    skippedBeingPurged: snapshot.beingPurged,
    problems: [],
    replacedText: replaced,
  };

  const withBytes = [
    ...data.attachments.map((a) => ({ ...a, what: 'attachment' })),
    ...(data.photos ?? []).map((p) => ({ ...p, what: 'photo' })),
  ];
  for (const a of withBytes) {
    if (!a.blobKey) continue;
    const expected = a.sha256 ?? (await sha256Of(source.blobs, a.blobKey));
    if (expected === null) {
      report.problems.push(`${a.what} ${a.orgId}/${a.id}: no bytes at ${a.blobKey} in the source`);
      continue;
    }
    if ((await sha256Of(target.blobs, a.blobKey)) === expected) {
      report.blobs.alreadyThere++;
      continue;
    }
    await target.metadata.blobJournal.begin(a.blobKey, options.now);
    const { body } = await source.blobs.get(a.blobKey);
    const put = await target.blobs.put(a.blobKey, body);
    if (put.sha256 !== expected)
      report.problems.push(
        `${a.what} ${a.orgId}/${a.id}: copied bytes have SHA-256 ${put.sha256}, expected ${expected}`,
      );
    report.blobs.copied++;
    report.blobs.bytes += put.size;
    if (report.blobs.copied % 1000 === 0) log(`copied ${report.blobs.copied} blobs`);
  }

  report.inserted = await target.metadata.seed.import(data);

  // Ids minted in the embedded deployment but not (or no longer) in use must not be reused.
  for (const [orgId, next] of snapshot.nextSequence) {
    const current = await target.metadata.seed.reserveSequence(orgId, 0);
    if (next > current) await target.metadata.seed.reserveSequence(orgId, next - current);
  }

  report.problems.push(...(await verify(target, snapshot.data)));
  return report;
}

async function verify(target: Stores, data: EmbeddedSnapshot['data']): Promise<string[]> {
  const problems: string[] = [];
  const m = target.metadata;
  for (const o of data.organizations)
    if (!(await m.seed.organization(o.id))) problems.push(`organization ${o.id} missing in the target`);
  for (const r of data.roles)
    if (!(await m.roles.find(r.orgId, r.id))) problems.push(`role ${r.orgId}/${r.id} missing in the target`);
  for (const t of data.tokens) {
    const grant = await m.auth.findByTokenHash(t.hash);
    if (!grant) problems.push(`a token of user ${t.orgId}/${t.userId} missing in the target`);
    else if (grant.token.revokedAt !== t.revokedAt)
      problems.push(
        `a token of user ${t.orgId}/${t.userId} differs in revocation (copied before it changed)`,
      );
  }
  for (const t of data.refreshTokens ?? []) {
    const row = await m.oauth.findRefreshToken(t.hash);
    if (!row) problems.push(`a refresh token of user ${t.orgId}/${t.userId} missing in the target`);
    else if (row.revokedAt !== t.revokedAt)
      problems.push(
        `a refresh token of user ${t.orgId}/${t.userId} differs in revocation (copied before it changed)`,
      );
  }
  for (const r of data.records)
    if (r.deletedAt === null && !(await m.records.findLive(r.orgId, r.module, r.id)))
      problems.push(`record ${r.orgId}/${r.id} missing in the target`);
  for (const x of data.tags ?? [])
    if (!(await m.tags.byIds(x.orgId, x.module, [x.id])).has(x.id))
      problems.push(`tag ${x.orgId}/${x.id} missing in the target`);
  const byOrg = new Map<string, string[]>();
  // Appended in place: a copy of the list per attachment made this quadratic (250,000
  // attachments did not finish in 7 minutes).
  for (const a of data.attachments) {
    const ids = byOrg.get(a.orgId);
    if (ids) ids.push(a.id);
    else byOrg.set(a.orgId, [a.id]);
  }
  for (const [orgId, ids] of byOrg) {
    const found = await m.attachments.existingIds(orgId, ids);
    for (const id of ids)
      if (!found.has(id)) problems.push(`attachment ${orgId}/${id} missing in the target`);
  }
  for (const a of data.attachments) {
    const live = (await m.attachments.findLive(a.orgId, a.recordId, a.id)) !== null;
    if (live !== (a.deletedAt === null))
      problems.push(
        `attachment ${a.orgId}/${a.id} is ${a.deletedAt === null ? 'live' : 'deleted'} in the source but not in the target (copied before it changed)`,
      );
    if (!a.blobKey || !a.sha256) continue;
    const actual = await sha256Of(target.blobs, a.blobKey);
    if (actual !== a.sha256)
      problems.push(
        `attachment ${a.orgId}/${a.id}: target bytes ${actual === null ? 'missing' : `have SHA-256 ${actual}`}`,
      );
  }
  for (const p of data.photos ?? []) {
    const found = await m.recordPhotos.find(p.orgId, p.recordId);
    if (found?.id !== p.id)
      problems.push(`photo ${p.orgId}/${p.id} missing in the target (or replaced since)`);
    else if ((await sha256Of(target.blobs, p.blobKey)) !== p.sha256)
      problems.push(`photo ${p.orgId}/${p.id}: target bytes missing or different`);
  }
  return problems;
}
