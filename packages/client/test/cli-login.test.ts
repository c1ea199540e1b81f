import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { ensureBuilt, runCli, spawnCli } from './support/cli.js';

// `bigin auth login` through the consent redirect, `auth token` with refresh, then a delete on the
// real server with the stored credentials. Zoho Accounts is played by a small local server (the
// project's own accounts endpoints are being built in parallel); it mints tokens the real test
// server knows from its fixture.

const A = orgIds(1313131, 'login');
const CLIENT_ID = '1000.CLIENTID';
const SECRET = 'secret-of-the-client-0000';
const REFRESH = '1000.refreshlogin0000000000000000000.33333333333333333333333333333333';
const SECOND = A.token('manager');

let t: TestServer;
let accounts: Server;
let accountsUrl: string;
let configDir: string;
const tokenRequests: Array<Record<string, string>> = [];
let failNextExchange = false;

beforeAll(async () => {
  ensureBuilt();
  t = await startTestServer({ fixture: { organizations: [orgFixture(A)] } });
  accounts = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/oauth/v2/auth') {
      const p = url.searchParams;
      const ok =
        p.get('client_id') === CLIENT_ID &&
        p.get('response_type') === 'code' &&
        p.get('access_type') === 'offline';
      const to = new URL(p.get('redirect_uri')!);
      to.search = new URLSearchParams(
        ok
          ? { code: '1000.grantcode', location: 'us', 'accounts-server': accountsUrl, state: p.get('state')! }
          : { error: 'access_denied', state: p.get('state')! },
      ).toString();
      res.writeHead(302, { location: to.toString() }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/oauth/v2/token') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = Object.fromEntries(new URLSearchParams(body));
      tokenRequests.push(form);
      const answer = (value: unknown) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (form.client_id !== CLIENT_ID || form.client_secret !== SECRET)
        return answer({ error: 'invalid_client' });
      if (form.grant_type === 'authorization_code') {
        if (failNextExchange || form.code !== '1000.grantcode') {
          failNextExchange = false;
          return answer({ error: 'invalid_code' });
        }
        return answer({
          access_token: A.token('admin'),
          refresh_token: REFRESH,
          api_domain: t.url,
          token_type: 'Bearer',
          expires_in: 3600,
        });
      }
      if (form.grant_type === 'refresh_token' && form.refresh_token === REFRESH) {
        return answer({ access_token: SECOND, api_domain: t.url, token_type: 'Bearer', expires_in: 3600 });
      }
      return answer({ error: 'invalid_code' });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => accounts.listen(0, '127.0.0.1', resolve));
  accountsUrl = `http://127.0.0.1:${(accounts.address() as AddressInfo).port}`;
  configDir = await mkdtemp(join(tmpdir(), 'bigin-login-'));
}, 120_000);
afterAll(async () => {
  accounts?.closeAllConnections();
  accounts?.close();
  await t?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

const env = () => ({ BIGIN_CONFIG_DIR: configDir, BIGIN_CLIENT_SECRET: SECRET });

/** Runs `auth login`, plays the browser: opens the printed URL and follows the redirect home. */
async function login(extra: string[] = []) {
  const cli = spawnCli(
    [
      '--accounts-server',
      accountsUrl,
      ...extra,
      'auth',
      'login',
      '--client-id',
      CLIENT_ID,
      '--no-browser',
      '--port',
      '0',
    ],
    env(),
  );
  await cli.waitForStderr('/oauth/v2/auth?');
  const url = /(http:\/\/\S+\/oauth\/v2\/auth\?\S+)/.exec(cli.stderrText())![1]!;
  const page = await fetch(url);
  return {
    page: { status: page.status, text: await page.text() },
    url: new URL(url),
    result: await cli.done,
  };
}

describe('bigin auth login', { timeout: 60_000 }, () => {
  it('runs the consent flow, stores the refresh token with 0600, and the stored profile deletes on the server', async () => {
    const { page, url, result } = await login();
    expect(url.searchParams.get('scope')).toBe('ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/callback$/);
    expect(page).toMatchObject({ status: 200 });
    expect(page.text).toContain('Logged in');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Logged in. Profile "default" saved to ${join(configDir, 'config.json')}.\n`);
    expect(result.stdout + result.stderr).not.toContain(REFRESH);
    expect(tokenRequests.at(-1)).toEqual({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      client_secret: SECRET,
      redirect_uri: url.searchParams.get('redirect_uri'),
      code: '1000.grantcode',
    });

    const file = join(configDir, 'config.json');
    expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600');
    expect(((await stat(configDir)).mode & 0o777).toString(8)).toBe('700');
    const config = JSON.parse(await readFile(file, 'utf8'));
    expect(config).toMatchObject({
      defaultProfile: 'default',
      profiles: {
        default: {
          clientId: CLIENT_ID,
          refreshToken: REFRESH,
          apiDomain: t.url,
          accountsServer: accountsUrl,
          dataCenter: 'us',
        },
      },
    });

    const id = A.attachment[0]!;
    const del = await runCli(['attachments', 'delete', 'Contacts', A.contactOf.rep1, id], env());
    expect(del).toEqual({ code: 0, stdout: `Deleted attachment ${id}\n`, stderr: '' });
  });

  it('prints the cached token, refreshes an expired one and stores it', async () => {
    const cached = await runCli(['auth', 'token'], env());
    expect(cached).toEqual({ code: 0, stdout: `${A.token('admin')}\n`, stderr: '' });

    const file = join(configDir, 'config.json');
    const config = JSON.parse(await readFile(file, 'utf8'));
    config.profiles.default.accessTokenExpiresAt = 0;
    await writeFile(file, JSON.stringify(config));
    const refreshed = await runCli(['--json', 'auth', 'token'], env());
    expect(refreshed.code).toBe(0);
    expect(JSON.parse(refreshed.stdout)).toEqual({ access_token: SECOND, api_domain: t.url });
    expect(tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token', refresh_token: REFRESH });
    expect(JSON.parse(await readFile(file, 'utf8')).profiles.default.accessToken).toBe(SECOND);
  });

  it("exits 3 with Zoho's error when the code exchange is refused", async () => {
    failNextExchange = true;
    const { result } = await login(['--profile', 'other']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error: OAuth: invalid_code');
    expect(result.stderr).not.toContain(SECRET);
  });
});
