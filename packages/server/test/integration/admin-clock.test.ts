import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startServer } from '../../src/server.js';
import { call, ERR } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { ACCESS_TOKEN, authorize, clientsFixture, exchangeCode } from '../support/oauth.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';

// The virtual clock over the admin API: each mode, expiries at their exact instant, and the
// purge running as part of an advance. The test never moves t.clock itself, and never sleeps.

const KEY = 'clock-admin-key-0123456789abcdef';
const A = orgIds(5151515, 'clck');
const admin = { email: `admin@${A.org}.example.com`, password: 'clock-test-password' };
const HOUR = 3_600_000;
const DAY = 86_400_000;

let t: TestServer;
beforeAll(async () => {
  const org = orgFixture(A);
  org.users = org.users.map((u) => (u.id === A.user.admin ? { ...u, password: admin.password } : u));
  org.tokens.push({
    token: `1000.clockhour${'0'.repeat(22)}.${'e'.repeat(32)}`,
    user: A.user.rep1,
    scope: 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL',
    expiresIn: 3600,
  } as (typeof org.tokens)[number]);
  t = await startTestServer({
    fixture: { clients: clientsFixture(), organizations: [org] },
    settings: { ADMIN_KEY: KEY, RECYCLE_BIN_RETENTION_DAYS: '30' },
  });
});
afterAll(() => t?.close());

async function admin_(method: string, path: string, body?: unknown) {
  const res = await fetch(`${t.url}/_admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const advance = (by: string) => admin_('POST', '/clock/advance', { by });
const iso = (ms: number) => new Date(ms).toISOString();

describe('clock modes over the admin API', () => {
  it('reads the clock the server runs on', async () => {
    const res = await admin_('GET', '/clock');
    expect(res).toMatchObject({
      status: 200,
      json: { mode: 'frozen', now: iso(TEST_EPOCH), nowMs: TEST_EPOCH },
    });
    expect(Math.abs((res.json.offsetMs as number) - (TEST_EPOCH - Date.now()))).toBeLessThan(60_000);
  });

  it('freezes at an instant, advances by a duration, switches to real time and to an offset', async () => {
    const at = Date.parse('2030-06-01T12:00:00Z');
    const frozen = await admin_('PUT', '/clock', { mode: 'frozen', at: iso(at) });
    expect(frozen.status).toBe(200);
    expect(frozen.json).toMatchObject({
      mode: 'frozen',
      now: iso(at),
      dueWork: [
        { name: 'purge', ok: true },
        { name: 'notifications', ok: true },
      ],
    });
    expect((await advance('1h30m')).json).toMatchObject({ mode: 'frozen', nowMs: at + 1.5 * HOUR });
    expect((await admin_('POST', '/clock/advance', { ms: 1 })).json.nowMs).toBe(at + 1.5 * HOUR + 1);

    const before = Date.now();
    const real = await admin_('PUT', '/clock', { mode: 'real' });
    expect(real.json).toMatchObject({ mode: 'real', offsetMs: 0 });
    expect(real.json.nowMs as number).toBeGreaterThanOrEqual(before);
    expect(real.json.nowMs as number).toBeLessThanOrEqual(Date.now());

    const offset = await admin_('PUT', '/clock', { mode: 'offset', offsetMs: 10 * DAY });
    expect(offset.json).toMatchObject({ mode: 'offset', offsetMs: 10 * DAY });
    expect((offset.json.nowMs as number) - Date.now()).toBeGreaterThan(10 * DAY - 60_000);
    // Every call answers as of the virtual time.
    const status = await admin_('GET', '/status');
    expect(Date.parse(status.json.now as string) - Date.now()).toBeGreaterThan(10 * DAY - 60_000);

    // Back to the frozen test epoch for the tests below.
    await admin_('PUT', '/clock', { mode: 'frozen', at: iso(TEST_EPOCH) });
    expect(t.clock.now()).toBe(TEST_EPOCH);
  });

  it('refuses bad moves with ADMIN_INVALID_REQUEST', async () => {
    for (const [path, body] of [
      ['/clock/advance', { by: '-1h' }],
      ['/clock/advance', { ms: -1 }],
      ['/clock/advance', { by: '1h', ms: 1 }],
      ['/clock/advance', {}],
    ] as const) {
      const res = await admin_('POST', path, body);
      expect(res.status).toBe(400);
      expect((res.json.error as { code: string }).code).toBe('ADMIN_INVALID_REQUEST');
    }
    for (const body of [{}, { mode: 'real', at: iso(TEST_EPOCH) }, { at: '2026-01-01' }, { mode: 'slow' }]) {
      const res = await admin_('PUT', '/clock', body);
      expect(res.status).toBe(400);
    }
    expect(t.clock.now()).toBe(TEST_EPOCH);
  });
});

describe('time rules follow the virtual clock', () => {
  it('a token of one hour works 1 ms before its hour and is refused at it', async () => {
    await admin_('PUT', '/clock', { mode: 'frozen', at: iso(TEST_EPOCH + HOUR - 1) });
    const token = `1000.clockhour${'0'.repeat(22)}.${'e'.repeat(32)}`;
    const path = attachmentPath('Contacts', A.contactOf.rep1, '1');
    // Past authentication: the attachment does not exist.
    expect((await call(t.url, 'DELETE', path, token)).status).not.toBe(401);
    await admin_('POST', '/clock/advance', { ms: 1 });
    const refused = await call(t.url, 'DELETE', path, token);
    expect({ status: refused.status, body: refused.json }).toEqual({ status: 401, body: ERR.invalidToken });
    await admin_('PUT', '/clock', { mode: 'frozen', at: iso(TEST_EPOCH) });
  });

  it('a grant code redeems up to its two minutes and is refused at them', async () => {
    const early = await authorize(t.url, admin);
    const late = await authorize(t.url, admin);
    await advance('1m59s');
    await admin_('POST', '/clock/advance', { ms: 999 });
    expect((await exchangeCode(t.url, early.get('code')!)).json.access_token).toMatch(ACCESS_TOKEN);
    await advance('1ms');
    expect((await exchangeCode(t.url, late.get('code')!)).json).toEqual({ error: 'invalid_code' });
  });

  it('an advance past the retention period (30 days, then 1 ms) purges the recycle bin before it answers', async () => {
    const id = A.attachment[0]!;
    const del = await call(
      t.url,
      'DELETE',
      attachmentPath('Contacts', A.contactOf.rep1, id),
      A.token('rep1'),
    );
    expect(del.status).toBe(200);
    const exists = async () => (await t.server.stores.metadata.attachments.existingIds(A.org, [id])).has(id);
    await advance('30d');
    expect(await exists()).toBe(true);
    const res = await advance('1ms');
    expect(res.json.dueWork).toEqual([
      { name: 'purge', ok: true },
      { name: 'notifications', ok: true },
    ]);
    expect(await exists()).toBe(false);
  });
});

describe('CLOCK at start', () => {
  it('starts frozen at the instant given, and a process-supplied clock refuses admin moves', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'bigin-clock-'));
    const config = loadConfig(
      {},
      {
        DATA_DIR: dir,
        PORT: '0',
        LOG_LEVEL: 'silent',
        DEV_SEED: 'false',
        ADMIN_KEY: KEY,
        CLOCK: '2026-01-01T00:00:00Z',
      },
    );
    const server = await startServer(config);
    try {
      expect(server.clock.now()).toBe(Date.parse('2026-01-01T00:00:00Z'));
      const res = await fetch(`${server.url}/_admin/clock`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(await res.json()).toMatchObject({ mode: 'frozen', now: '2026-01-01T00:00:00.000Z' });
    } finally {
      await server.close();
    }
    const external = await startServer(config, { clock: { now: () => 0 } });
    try {
      const res = await fetch(`${external.url}/_admin/clock`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ADMIN_CLOCK_EXTERNAL');
    } finally {
      await external.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid CLOCK', () => {
    expect(() => loadConfig({}, { CLOCK: 'tomorrow' })).toThrow(/CLOCK="tomorrow": must be real, frozen/);
  });
});
