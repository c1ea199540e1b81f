import { networkInterfaces } from 'node:os';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

type AdminBody = { error?: { code: string } } & Record<string, unknown>;

const KEY = 'test-admin-key-0123456789abcdef';

async function status(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/_admin/status`, { headers });
  return { status: res.status, body: (await res.json()) as AdminBody, type: res.headers.get('content-type') };
}

describe('admin API off by default', () => {
  it('does not exist without ADMIN_KEY: /_admin answers as any unknown path', async () => {
    const t = await startTestServer();
    try {
      const res = await status(t.url, { authorization: `Bearer ${KEY}` });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'INVALID_URL_PATTERN', status: 'error' });
    } finally {
      await t.close();
    }
  });
});

describe('admin API guard', () => {
  let t: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    t = await startTestServer({ settings: { ADMIN_KEY: KEY, LOG_LEVEL: 'info' }, logStream });
  });
  afterAll(() => t.close());

  it('refuses a missing key with its own envelope', async () => {
    expect(await status(t.url)).toEqual({
      status: 401,
      type: 'application/json;charset=UTF-8',
      body: {
        error: {
          code: 'ADMIN_KEY_REQUIRED',
          message: 'send the admin key as Authorization: Bearer <ADMIN_KEY>',
          details: {},
        },
      },
    });
  });

  it('refuses a wrong key, of any length, and a Zoho token header', async () => {
    for (const header of [`Bearer ${KEY}x`, 'Bearer x', `Bearer ${KEY.slice(0, -1)}`])
      expect((await status(t.url, { authorization: header })).body.error?.code).toBe('ADMIN_KEY_INVALID');
    expect((await status(t.url, { authorization: `Zoho-oauthtoken ${KEY}` })).body.error?.code).toBe(
      'ADMIN_KEY_REQUIRED',
    );
  });

  it('serves the right key, and answers unknown admin paths with ADMIN_NOT_FOUND', async () => {
    const ok = await status(t.url, { authorization: `Bearer ${KEY}` });
    expect(ok).toEqual({
      status: 200,
      type: 'application/json;charset=UTF-8',
      body: { status: 'ok', now: new Date(t.clock.now()).toISOString() },
    });
    const missing = await fetch(`${t.url}/_admin/nothing-here`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as AdminBody).error?.code).toBe('ADMIN_NOT_FOUND');
  });

  it('never writes the key to the log', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(KEY);
  });
});

// A caller on another machine reaches this one through a non-loopback address; connecting to our
// own external address makes the peer address non-loopback without a second host.
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe.skipIf(!external)('admin API reach', () => {
  async function statusFrom(allowRemote: boolean) {
    const t = await startTestServer({
      settings: { ADMIN_KEY: KEY, HOST: '0.0.0.0', ADMIN_ALLOW_REMOTE: String(allowRemote) },
    });
    try {
      const port = new URL(t.url).port;
      const headers = { authorization: `Bearer ${KEY}` };
      const api = await fetch(`http://${external}:${port}/_admin/status`, { headers });
      const page = await fetch(`http://${external}:${port}/_console`);
      return { api: api.status, code: ((await api.json()) as AdminBody).error?.code, page: page.status };
    } finally {
      await t.close();
    }
  }

  it('refuses a caller that is not on loopback, the console too, unless ADMIN_ALLOW_REMOTE', async () => {
    expect(await statusFrom(false)).toEqual({ api: 403, code: 'ADMIN_REMOTE_REFUSED', page: 403 });
    const allowed = await statusFrom(true);
    expect(allowed.api).toBe(200);
    expect(allowed.page).not.toBe(403);
  });
});
