import { randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DataCenterId } from '@bigin-attachments/contract';
import type { Clock } from '../../domain/clock.js';
import type { OrganizationDump, SeedData } from '../../domain/ports.js';
import { generateToken, hashToken } from '../../domain/tokens.js';
import type { Fixture, FixtureOrganization } from '../../fixtures/fixture-schema.js';
import { loadFixture, parseFixture } from '../../fixtures/load-fixture.js';
import type { Stores } from '../../storage/create-stores.js';

/*
 * What the admin API does to whole organisations, over the storage ports: export and import
 * (exact), the baselines that reset restores, and organisations made from fixture fragments.
 */

export const EXPORT_FORMAT = 'bigin-attachments/organization';

/**
 * An organisation exactly as stored: its rows in the seed shape, its id sequence and the bytes of
 * its file attachments. Not a fixture file: fixtures carry tokens and passwords in plain text,
 * which the server never keeps, so an exact copy keeps their hashes instead (docs/admin-api.md).
 */
export interface OrganizationExport {
  format: typeof EXPORT_FORMAT;
  version: 1;
  organization: string;
  nextSequence: number;
  /** The rows in the seed shape, and the related-record links (which the seed shape has not). */
  data: SeedData & { recordLinks?: OrganizationDump['recordLinks'] };
  /** Base64 bytes by blob key, for each file attachment and photo whose bytes exist. */
  blobs: Record<string, string>;
}

export class AdminConflict extends Error {}

const EMPTY: SeedData = {
  clients: [],
  organizations: [],
  profiles: [],
  roles: [],
  users: [],
  tokens: [],
  records: [],
  attachments: [],
};
export const seedOf = (part: Partial<SeedData>): SeedData => ({ ...EMPTY, ...part });

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function exportOrganization(stores: Stores, orgId: string): Promise<OrganizationExport | null> {
  const dump = await stores.metadata.organizations.dump(orgId);
  if (!dump) return null;
  const blobs: Record<string, string> = {};
  const keys = [...dump.data.attachments, ...(dump.data.photos ?? [])].flatMap((a) =>
    a.blobKey ? [a.blobKey] : [],
  );
  for (const key of keys) {
    if ((await stores.blobs.stat(key)) === null) continue;
    blobs[key] = (await readAll((await stores.blobs.get(key)).body)).toString('base64');
  }
  return {
    format: EXPORT_FORMAT,
    version: 1,
    organization: orgId,
    nextSequence: dump.nextSequence,
    data: { ...dump.data, recordLinks: dump.recordLinks },
    blobs,
  };
}

/** Removes the organisation's rows, then its bytes (rows first: no live row ever lacks its bytes). */
export async function deleteOrganization(stores: Stores, orgId: string): Promise<boolean> {
  const removed = await stores.metadata.organizations.remove(orgId);
  if (!removed) return false;
  for (const key of removed.blobKeys) await stores.blobs.delete(key);
  return true;
}

/** Imports an export; the organisation must not exist (callers delete it first to replace it). */
export async function importOrganization(
  stores: Stores,
  clock: Clock,
  snapshot: OrganizationExport,
): Promise<void> {
  if (await stores.metadata.seed.organization(snapshot.organization))
    throw new AdminConflict(`organization ${snapshot.organization} already exists`);
  const taken = [];
  for (const t of snapshot.data.tokens)
    if (await stores.metadata.auth.findByTokenHash(t.hash)) taken.push(t.hash);
  if (taken.length) throw new AdminConflict('some of its access tokens belong to another organization here');
  // Bytes first, journalled, so that a failure leaves nothing the journal sweep would not remove.
  for (const [key, base64] of Object.entries(snapshot.blobs)) {
    await stores.metadata.blobJournal.begin(key, clock.now());
    await stores.blobs.put(key, Readable.from([Buffer.from(base64, 'base64')]));
  }
  const { recordLinks, ...rows } = snapshot.data;
  await stores.metadata.seed.import(rows);
  // Pair by pair with its own time: link() keeps each pair once, as the dump listed it.
  for (const l of recordLinks ?? [])
    await stores.metadata.recordLinks.link(snapshot.organization, l.a, [l.b], l.createdAt);
  await stores.metadata.organizations.setNextSequence(snapshot.organization, snapshot.nextSequence);
}

/** A fresh organisation id (11 digits, like Bigin's) that no organisation here has. */
export async function freshOrganizationId(stores: Stores): Promise<string> {
  for (;;) {
    const id = String(randomInt(10_000_000_000, 99_999_999_999));
    if (!(await stores.metadata.seed.organization(id))) return id;
  }
}

export const DEFAULT_SCOPE = 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL';

/**
 * A fixture fragment completed for a new organisation: a fresh id unless one is given, a default
 * name, an administrator when it names no users, and a token per user it names no tokens for
 * (fresh values: token values are unique across organisations). Everything is optional.
 */
export function completeFragment(
  given: Record<string, unknown>,
  id: string,
  options: { freshTokens: boolean },
): Record<string, unknown> {
  const fragment: Record<string, unknown> = { ...given, id, name: given.name ?? `Test organization ${id}` };
  const users = (fragment.users as Array<{ id: string }> | undefined) ?? [
    {
      id: `${id}0001`,
      name: 'Test Admin',
      email: `admin@${id}.example.test`,
      profile: 'Administrator',
      role: 'CEO',
    },
  ];
  fragment.users = users;
  const tokens = (fragment.tokens as Array<Record<string, unknown>> | undefined) ?? [];
  fragment.tokens = tokens.length
    ? tokens.map((t) => (options.freshTokens ? { ...t, token: generateToken() } : t))
    : users.map((u) => ({ token: generateToken(), user: u.id, scope: DEFAULT_SCOPE }));
  return fragment;
}

/** Loads one organisation fragment (plus clients) through the fixture loader; FixtureError when invalid. */
export async function loadFragment(
  stores: Stores,
  clock: Clock,
  fragment: Record<string, unknown>,
  clients: unknown[],
  baseDir: string = process.cwd(),
): Promise<FixtureOrganization> {
  const fixture: Fixture = parseFixture({ clients, organizations: [fragment] }, 'request body');
  const org = fixture.organizations[0]!;
  for (const t of org.tokens)
    if (await stores.metadata.auth.findByTokenHash(hashToken(t.token)))
      throw new AdminConflict(`token ${t.token.slice(0, 9)}… is already in use`);
  await loadFixture(stores, clock, fixture, { baseDir });
  return org;
}

/** What a created organisation's caller needs: ids, tokens in plain text (only now), URLs. */
export function describeOrganization(
  org: FixtureOrganization,
  urls: { apiDomain: string; accountsServer: string },
  clock: Clock,
) {
  return {
    organization: { id: org.id, name: org.name, dataCenter: org.dataCenter as DataCenterId },
    urls: { api: urls.apiDomain, accounts: urls.accountsServer },
    users: org.users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      profile: u.profile,
      role: u.role,
    })),
    tokens: org.tokens.map((t) => ({
      token: t.token,
      user: t.user,
      scope: t.scope,
      expiresAt: new Date(
        t.expiresAt ? Date.parse(t.expiresAt) : clock.now() + (t.expiresIn ?? 3600) * 1000,
      ).toISOString(),
    })),
    records: org.records.map((r) => ({ id: r.id, module: r.module })),
    attachments: org.attachments.map((a) => ({ id: a.id, record: a.record })),
  };
}
