import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR, JSON_TYPE } from '../support/bigin.js';
import { orgFixture, orgIds } from '../support/fixtures.js';
import { revoke } from '../support/oauth.js';
import { startTestServer, TEST_BACKEND, type TestServer } from '../support/test-server.js';
import { listPath } from '../support/uploads.js';

// The token cache (storage/sqlite/auth-grant-cache.ts) must never outlive a change: each test
// uses a token (so that its grant is cached), changes what it grants, and expects the very next
// request to see the change. Changes come through the API and, like admin commands in another
// process, through another connection to the same database file.

// The cache belongs to the SQLite store; PostgreSQL keeps none (docs/benchmarks.md, "token
// cache"), and revocation across PostgreSQL nodes is pinned by test/scale-out/two-nodes.test.ts.
const embedded = TEST_BACKEND === 'embedded';
const A = orgIds(7373737, 'cach');
let t: TestServer;
let other: Database.Database;
beforeAll(async () => {
  if (!embedded) return;
  t = await startTestServer({ fixture: { organizations: [orgFixture(A)] } });
  other = new Database(join(t.dataDir, 'bigin.sqlite'));
  other.pragma('busy_timeout = 5000');
});
afterAll(async () => {
  other?.close();
  await t?.close();
});

type Caller = 'admin' | 'manager' | 'rep1' | 'rep2' | 'peerA';
// Each caller lists its own contact, so record visibility never gets in the way.
const list = (user: Caller) => call(t.url, 'GET', listPath('Contacts', A.contactOf[user]), A.token(user));

async function expectServed(token: Caller): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const res = await list(token);
    expect({ status: res.status, contentType: res.contentType }).toEqual({
      status: 200,
      contentType: JSON_TYPE,
    });
  }
}

async function expectRefused(token: Caller): Promise<void> {
  const res = await list(token);
  expect({ status: res.status, body: res.json, contentType: res.contentType }).toEqual({
    status: 401,
    body: ERR.invalidToken,
    contentType: JSON_TYPE,
  });
}

describe.skipIf(!embedded)('the token cache sees every change on the next request', () => {
  afterEach(() => {
    expect(other.prepare('SELECT n FROM auth_epoch').pluck().get()).toBeGreaterThan(0);
  });

  it('revocation through the accounts endpoint', async () => {
    const token: Caller = 'admin';
    await expectServed(token);
    const revoked = await revoke(t.url, A.token(token));
    expect(revoked.status).toBe(200);
    await expectRefused(token);
  });

  it('a token revoked by another process', async () => {
    const token: Caller = 'manager';
    await expectServed(token);
    other.prepare('UPDATE access_tokens SET revoked_at = 1 WHERE hash = ?').run(hashOf(A.token(token)));
    await expectRefused(token);
  });

  it('a user deactivated by another process', async () => {
    const token: Caller = 'rep1';
    await expectServed(token);
    other.prepare('UPDATE users SET active = 0 WHERE org_id = ? AND id = ?').run(A.org, A.user.rep1);
    await expectRefused(token);
  });

  it("the organization's data center changed by another process", async () => {
    const token: Caller = 'rep2';
    await expectServed(token);
    other.prepare("UPDATE organizations SET data_center = 'eu' WHERE id = ?").run(A.org);
    try {
      await expectRefused(token);
    } finally {
      other.prepare("UPDATE organizations SET data_center = 'us' WHERE id = ?").run(A.org);
    }
    await expectServed(token);
  });

  it('a profile that loses the Files permission, changed by another process', async () => {
    const token: Caller = 'peerA';
    await expectServed(token);
    const profileId = other
      .prepare('SELECT profile_id FROM users WHERE org_id = ? AND id = ?')
      .pluck()
      .get(A.org, A.user.peerA) as string;
    const permissions = JSON.parse(
      other
        .prepare('SELECT permissions FROM profiles WHERE org_id = ? AND id = ?')
        .pluck()
        .get(A.org, profileId) as string,
    ) as { files: Record<string, boolean> };
    other
      .prepare('UPDATE profiles SET permissions = ? WHERE org_id = ? AND id = ?')
      .run(
        JSON.stringify({ ...permissions, files: { ...permissions.files, view: false } }),
        A.org,
        profileId,
      );
    const res = await list(token);
    expect({ status: res.status, body: res.json }).toEqual({ status: 403, body: ERR.noPermission });
  });
});

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
