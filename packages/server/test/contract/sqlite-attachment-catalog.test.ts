import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttachmentRow, SeedData } from '../../src/domain/ports.js';
import { SqliteMetadataStore } from '../../src/storage/sqlite/sqlite-metadata-store.js';

// The AttachmentCatalog port as its JSDoc states it, on the SQLite store.

const ORG = '1000000000000000001';
const USER = '1000000000000000002';
const RECORD = '1000000000000000003';
const T = Date.parse('2026-01-15T10:00:00Z');

let dir: string;
let store: SqliteMetadataStore;

const seed = (): SeedData => ({
  clients: [],
  organizations: [
    { id: ORG, name: 'Org', dataCenter: 'us', idPrefix: '1000000', disabledModules: [], createdAt: T },
  ],
  profiles: [
    {
      orgId: ORG,
      id: 'p',
      name: 'Administrator',
      admin: true,
      permissions: { modules: {} as never, files: { view: true, create: true, delete: true } },
    },
  ],
  roles: [{ orgId: ORG, id: 'r', name: 'CEO', reportsTo: null, shareWithPeers: false }],
  users: [
    {
      orgId: ORG,
      id: USER,
      name: 'Ann',
      email: 'ann@example.com',
      profileId: 'p',
      roleId: 'r',
      active: true,
      timeZone: 'Asia/Tokyo',
    },
  ],
  tokens: [],
  records: [
    {
      orgId: ORG,
      id: RECORD,
      module: 'Contacts',
      name: 'Rec',
      ownerId: USER,
      createdAt: T,
      modifiedAt: T,
      deletedAt: null,
    },
  ],
  attachments: [],
});

const row = (id: string, overrides: Partial<AttachmentRow> = {}): AttachmentRow => ({
  orgId: ORG,
  id,
  recordId: RECORD,
  module: 'Contacts',
  kind: 'file',
  fileName: `${id}.bin`,
  contentType: 'application/octet-stream',
  size: 3,
  blobKey: `${ORG}/k/${id}`,
  linkUrl: null,
  sha256: 'x',
  ownerId: USER,
  createdBy: USER,
  modifiedBy: USER,
  createdAt: T,
  modifiedAt: T,
  deletedAt: null,
  deletedBy: null,
  ...overrides,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bigin-catalog-'));
  store = new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous: 'NORMAL' });
  await store.seed.import(seed());
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('insertLive', () => {
  it('inserts the row and forgets its journal entry in the same transaction', async () => {
    await store.blobJournal.begin(`${ORG}/k/5`, T);
    expect(await store.attachmentCatalog.insertLive(row('5'))).toBe(true);
    expect(await store.attachments.findLive(ORG, RECORD, '5')).toMatchObject({ id: '5', size: 3 });
    expect(await store.blobJournal.stale(T + 1, 10)).toEqual([]);
  });

  it('writes nothing, and keeps the journal entry, when the record was deleted meanwhile', async () => {
    store.db.prepare('UPDATE records SET deleted_at = ? WHERE id = ?').run(T, RECORD);
    await store.blobJournal.begin(`${ORG}/k/6`, T);
    expect(await store.attachmentCatalog.insertLive(row('6'))).toBe(false);
    expect(await store.attachments.findLive(ORG, RECORD, '6')).toBeNull();
    expect(await store.blobJournal.stale(T + 1, 10)).toEqual([`${ORG}/k/6`]);
  });

  it('refuses a record of another module', async () => {
    expect(await store.attachmentCatalog.insertLive(row('7', { module: 'Accounts' }))).toBe(false);
  });
});

describe('listLive', () => {
  it('orders newest first, then by id as a number, and never lists deleted rows', async () => {
    for (const r of [
      row('9'),
      row('10'),
      row('100', { createdAt: T - 1000 }),
      row('11'),
      row('8', { createdAt: T + 1000 }),
    ])
      await store.attachmentCatalog.insertLive(r);
    // A row inserted live and deleted afterwards is gone from the listing too.
    await store.attachments.markDeleted({
      orgId: ORG,
      recordId: RECORD,
      attachmentId: '9',
      deletedBy: USER,
      at: T,
    });
    const page = await store.attachmentCatalog.listLive({
      orgId: ORG,
      recordId: RECORD,
      limit: 10,
      offset: 0,
    });
    expect(page.map((e) => e.id)).toEqual(['8', '11', '10', '100']);
  });

  it('joins the record name and the people', async () => {
    await store.attachmentCatalog.insertLive(row('12'));
    const [entry] = await store.attachmentCatalog.listLive({
      orgId: ORG,
      recordId: RECORD,
      limit: 1,
      offset: 0,
    });
    const ann = { id: USER, name: 'Ann', email: 'ann@example.com' };
    expect(entry).toMatchObject({ recordName: 'Rec', owner: ann, creator: ann, modifier: ann });
  });

  it('pages with limit and offset', async () => {
    for (let i = 1; i <= 5; i++) await store.attachmentCatalog.insertLive(row(String(20 + i)));
    const ids = async (offset: number) =>
      (await store.attachmentCatalog.listLive({ orgId: ORG, recordId: RECORD, limit: 2, offset })).map(
        (e) => e.id,
      );
    expect([await ids(0), await ids(2), await ids(4), await ids(6)]).toEqual([
      ['25', '24'],
      ['23', '22'],
      ['21'],
      [],
    ]);
  });
});

describe('userTimeZone', () => {
  it('is the stored zone, or null for an unknown user', async () => {
    expect(await store.attachmentCatalog.userTimeZone(ORG, USER)).toBe('Asia/Tokyo');
    expect(await store.attachmentCatalog.userTimeZone(ORG, '9')).toBeNull();
  });
});
