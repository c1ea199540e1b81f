import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { createTestSchema } from '../support/postgres.js';
import { testS3Settings } from '../support/s3.js';
import { startTestServer, TEST_BACKEND, type TestServer } from '../support/test-server.js';

// Reset's baselines live in the metadata store (D26): a restart, or another node on the same
// PostgreSQL, resets to the fixture as first loaded. And an export carries every row a fixture
// can give an organisation (custom fields, the Org API's details, user details, links, tags).

const KEY = 'baselines-admin-key-0123456789abcdef';
const A = orgIds(7272727, 'basel');
const admin = A.token('admin');
const CONTACT = A.contactOf.rep1;
const PRODUCT = A.recordIn.Products;

/** The shared fixture, with what the seed shape once lost on export: metadata, details, tags. */
function fixture() {
  const org = orgFixture(A) as Record<string, unknown> & { records: Array<Record<string, unknown>> };
  return {
    organizations: [
      {
        ...org,
        details: { timeZone: 'Europe/London', city: 'Leeds' },
        customFields: [{ module: 'Contacts', apiName: 'Tier__c', label: 'Tier', dataType: 'text' }],
        records: org.records.map((r) =>
          r.id === CONTACT
            ? { ...r, fields: { Last_Name: 'Rep1', Tier__c: 'Gold', Tag: [{ name: 'Hot' }] } }
            : r,
        ),
      },
    ],
  };
}

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
type Json = Record<string, any>;
async function adminCall(url: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${url}/_admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Json;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const exportOf = (url: string) => adminCall(url, 'GET', `/organizations/${A.org}/export`);

const link = (url: string) =>
  call(url, 'PUT', `/bigin/v2/Contacts/${CONTACT}/Products/${PRODUCT}`, admin, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: [{}] }),
  });
/** A PNG header (signature and IHDR), then some bytes: what the photo check reads. */
function png(extra: string): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(40, 8);
  ihdr.writeUInt32BE(30, 12);
  ihdr[16] = 8;
  ihdr[17] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    ihdr,
    Buffer.from(extra),
  ]);
}
const uploadPhoto = async (url: string, path: string, bytes: Buffer) => {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'image/png' }), 'photo.png');
  expect((await call(url, 'POST', path, admin, { body: form })).status).toBe(200);
};
const readJson = async (url: string, path: string) => (await call(url, 'GET', path, admin)).json;

/** Changes to the fixture organisation of every kind reset must undo. */
async function change(url: string) {
  expect(
    (await call(url, 'DELETE', attachmentPath('Contacts', CONTACT, A.attachmentOn[CONTACT]!), admin)).status,
  ).toBe(200);
  const linked = await link(url);
  expect(linked.status).toBe(200);
}

describe('export', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ fixture: fixture(), settings: { ADMIN_KEY: KEY } });
  });
  afterAll(() => t?.close());

  it('carries the metadata, details, tags and links, and imports into a fresh server exactly', async () => {
    expect((await link(t.url)).status).toBe(200);
    await uploadPhoto(t.url, `/bigin/v2/Contacts/${CONTACT}/photo`, png('face'));
    const snapshot = await exportOf(t.url);
    expect(snapshot.data.orgMetadata).toEqual([
      expect.objectContaining({ details: { timeZone: 'Europe/London', city: 'Leeds' } }),
    ]);
    expect(snapshot.data.orgMetadata[0].customization.customFields).toHaveLength(1);
    expect(
      snapshot.data.users.every((u: Json) => typeof u.details === 'object' && u.details.created_time),
    ).toBe(true);
    expect(snapshot.data.recordLinks).toHaveLength(1);
    expect(snapshot.data.tags.map((x: Json) => x.name)).toEqual(['Hot']);
    expect(snapshot.data.photos.map((p: Json) => p.recordId)).toEqual([CONTACT]);
    const fresh = await startTestServer({ settings: { ADMIN_KEY: KEY } });
    try {
      await adminCall(fresh.url, 'POST', '/organizations/import', snapshot);
      expect(await exportOf(fresh.url)).toEqual(snapshot);
      // What the APIs answer from those rows, too: the custom field, the org's details, the link.
      for (const path of [
        `/bigin/v2/Contacts/${CONTACT}?fields=Last_Name,Tier__c,Tag`,
        '/bigin/v2/org',
        '/bigin/v2/users?type=AllUsers',
        `/bigin/v2/Contacts/${CONTACT}/Products?fields=Product_Name`,
      ])
        expect({ path, answer: await readJson(fresh.url, path) }).toEqual({
          path,
          answer: await readJson(t.url, path),
        });
      // The photos' bytes came along.
      for (const path of [`/bigin/v2/Contacts/${CONTACT}/photo`])
        expect({ path, bytes: (await call(fresh.url, 'GET', path, admin)).text }).toEqual({
          path,
          bytes: (await call(t.url, 'GET', path, admin)).text,
        });
    } finally {
      await fresh.close();
    }
  });
});

describe.skipIf(TEST_BACKEND !== 'embedded')('reset after a restart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bigin-baselines-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('restores the fixture as first loaded, not the state the restart found; `from` copies still work', async () => {
    const first = await startTestServer({ fixture: fixture(), settings: { ADMIN_KEY: KEY }, dataDir: dir });
    const before = await exportOf(first.url);
    await change(first.url);
    await first.close();
    const second = await startTestServer({ fixture: fixture(), settings: { ADMIN_KEY: KEY }, dataDir: dir });
    try {
      expect(await exportOf(second.url)).not.toEqual(before);
      expect((await adminCall(second.url, 'GET', '/organizations')).organizations).toEqual([
        expect.objectContaining({ id: A.org, baseline: 'fixture' }),
      ]);
      await adminCall(second.url, 'POST', `/organizations/${A.org}/reset`);
      expect(await exportOf(second.url)).toEqual(before);
      await change(second.url);
      const copy = await adminCall(second.url, 'POST', '/organizations', { from: A.org });
      expect(copy.records.length).toBeGreaterThan(0);
      expect(await adminCall(second.url, 'POST', '/reset')).toEqual({
        restored: [A.org],
        removed: [copy.organization.id],
      });
      expect(await exportOf(second.url)).toEqual(before);
    } finally {
      await second.close();
    }
  });
});

describe.skipIf(process.env.BIGIN_NO_POSTGRES === '1')('reset on two nodes of one deployment', () => {
  it('restores on one node the baseline the other recorded, and a restart keeps it', async () => {
    const schema = await createTestSchema();
    const shared = { ADMIN_KEY: KEY, ...schema.settings, ...testS3Settings() };
    const nodeA = await startTestServer({ fixture: fixture(), settings: shared });
    let nodeB: TestServer | undefined;
    try {
      const before = await exportOf(nodeA.url);
      await change(nodeA.url);
      // Node B starts after the change, with the same fixture: the baseline stays node A's.
      nodeB = await startTestServer({ fixture: fixture(), settings: shared });
      await adminCall(nodeB.url, 'POST', `/organizations/${A.org}/reset`);
      expect(await exportOf(nodeA.url)).toEqual(before);
      const made = await adminCall(nodeA.url, 'POST', '/organizations', { from: A.org });
      expect(await adminCall(nodeB.url, 'POST', '/reset')).toEqual({
        restored: [A.org],
        removed: [made.organization.id],
      });
      expect(await exportOf(nodeB.url)).toEqual(before);
    } finally {
      await nodeB?.close();
      await nodeA.close();
      await schema.drop();
    }
  });
});
